"""Reads of approvals and split purchases: the checkout an admin may decide, the approval list
of a unit admin (their unit's and the units they supervise), the unit admins of units, a day's
purchases as the split rule reads them, and the suspected split purchases (疑似拆分采购)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mall import clock
from mall.accounts.domain import Role
from mall.accounts.models import User, UserRole
from mall.bounds import is_id
from mall.errors import NotFoundError
from mall.units.models import Unit
from orders import domain
from orders.domain import ApprovalStatus, ApproverKind, CartKind, OrderStatus, PurchasePart, SuspectedSplit
from orders.models import Checkout, Order, SplitPurchaseFlag, SplitPurchaseFlagCheckout


def local_day_start(day: date) -> datetime:
    """Midnight of a Beijing date, as an aware datetime (days of orders are Beijing days)."""
    return datetime.combine(day, time.min, tzinfo=clock.SHANGHAI)


def get_checkout_for_approver(session: Session, user: User, checkout_id: object) -> tuple[Checkout, ApproverKind]:
    """A checkout the user may approve or reject, and as whom (domain.check_approver): another
    admin of its unit, or an admin of its supervising unit. Anyone else: not found; the one
    who placed it: SelfApprovalError."""
    checkout = session.get(Checkout, checkout_id) if is_id(checkout_id) else None
    if checkout is None:
        raise NotFoundError("未找到该采购单")
    kind = domain.check_approver(
        approver_id=user.id,
        approver_unit_id=user.unit_id,
        approver_roles=user.roles,
        placed_by_id=checkout.buyer_id,
        unit_id=checkout.unit_id,
        supervising_unit_id=session.scalar(select(Unit.parent_id).where(Unit.id == checkout.unit_id)),
    )
    return checkout, kind


def unit_admin_ids(session: Session, unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active unit admins of each unit, by unit id (units without one map to [])."""
    wanted = list(unit_ids)
    found: dict[int, list[int]] = {unit_id: [] for unit_id in wanted}
    rows = session.execute(
        select(User.unit_id, User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.unit_id.in_(wanted), User.is_active_account.is_(True), UserRole.role == Role.UNIT_ADMIN)
        .order_by(User.id)
    ).all()
    for unit_id, user_id in rows:
        found[unit_id].append(user_id)
    return found


@dataclass(frozen=True)
class PendingApproval:
    checkout: Checkout
    unit: Unit
    approver: ApproverKind | None  # how the viewer stands to it; None: they placed it
    escalated: bool  # no admin of the unit but the one who placed it: the supervising unit decides

    @property
    def own(self) -> bool:
        return self.approver is None


def overseen_unit_ids(session: Session, user: User) -> list[int]:
    """The units whose approvals and split flags a unit admin sees: their own and those it supervises."""
    if user.unit_id is None or not user.has_role(Role.UNIT_ADMIN):
        return []
    return [user.unit_id, *session.scalars(select(Unit.id).where(Unit.parent_id == user.unit_id).order_by(Unit.id))]


def approval_queue(session: Session, user: User) -> list[PendingApproval]:
    """Checkouts waiting for approval that a unit admin sees: their unit's (those they placed
    too, to cancel, not decide) and those of the units they supervise, oldest first."""
    unit_ids = overseen_unit_ids(session, user)
    if not unit_ids:
        return []
    checkouts = session.scalars(
        select(Checkout)
        .where(Checkout.unit_id.in_(unit_ids), Checkout.approval_status == ApprovalStatus.PENDING)
        .options(
            selectinload(Checkout.orders).selectinload(Order.supplier),
            selectinload(Checkout.orders).selectinload(Order.lines),
            selectinload(Checkout.buyer),
        )
        .order_by(Checkout.created_at, Checkout.id)
    ).all()
    admins = unit_admin_ids(session, {c.unit_id for c in checkouts})
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(list(admins))))}
    queue = []
    for checkout in checkouts:
        own = checkout.buyer_id == user.id
        kind = ApproverKind.UNIT_ADMIN if checkout.unit_id == user.unit_id else ApproverKind.SUPERVISING_ADMIN
        escalated = domain.escalates(admins[checkout.unit_id], [checkout.buyer_id])
        queue.append(PendingApproval(checkout, units[checkout.unit_id], None if own else kind, escalated))
    return queue


def day_purchase_parts(session: Session, unit_id: int, day: date) -> list[PurchasePart]:
    """The orders (not cancelled) of a unit's shared-cart checkouts placed on one Beijing day, as
    the split rule reads them."""
    start = local_day_start(day)
    rows = session.execute(
        select(Checkout.id, Checkout.total_fen, Order.supplier_id, Order.purpose, Order.total_fen)
        .join(Order, Order.checkout_id == Checkout.id)
        .where(
            Checkout.unit_id == unit_id,
            Checkout.cart_kind == CartKind.UNIT,
            Checkout.created_at >= start,
            Checkout.created_at < local_day_start(day + timedelta(days=1)),
            Order.status != OrderStatus.CANCELLED,
        )
        .order_by(Checkout.id, Order.id)
    ).all()
    return [
        PurchasePart(cid, ctotal, day, supplier_id, purpose, amount)
        for cid, ctotal, supplier_id, purpose, amount in rows
    ]


# What a flag shows besides its own columns: its checkouts, supplier and unit.
WITH_FLAG_PARTS = (
    selectinload(SplitPurchaseFlag.members),
    selectinload(SplitPurchaseFlag.supplier),
    selectinload(SplitPurchaseFlag.unit),
)


def find_split_flag(session: Session, unit_id: int, split: SuspectedSplit) -> SplitPurchaseFlag | None:
    return session.scalar(
        select(SplitPurchaseFlag).where(
            SplitPurchaseFlag.unit_id == unit_id,
            SplitPurchaseFlag.placed_on == split.placed_on,
            SplitPurchaseFlag.supplier_id == split.supplier_id,
            SplitPurchaseFlag.purpose == split.purpose,
        )
    )


def split_flags(session: Session, unit_ids: Iterable[int], *, limit: int = 20) -> list[SplitPurchaseFlag]:
    """The latest suspected split purchases of these units, newest day first."""
    return list(
        session.scalars(
            select(SplitPurchaseFlag)
            .where(SplitPurchaseFlag.unit_id.in_(list(unit_ids)))
            .options(*WITH_FLAG_PARTS)
            .order_by(SplitPurchaseFlag.placed_on.desc(), SplitPurchaseFlag.id.desc())
            .limit(limit)
        )
    )


def split_marks(session: Session, orders: Iterable[Order]) -> dict[int, SplitPurchaseFlag]:
    """The suspected split purchase each of these orders belongs to (same checkout, supplier and
    purpose), by order id; orders of none are left out."""
    by_key = {(o.checkout_id, o.supplier_id, o.purpose): o.id for o in orders}
    if not by_key:
        return {}
    rows = session.execute(
        select(SplitPurchaseFlagCheckout.checkout_id, SplitPurchaseFlag)
        .join(SplitPurchaseFlag, SplitPurchaseFlag.id == SplitPurchaseFlagCheckout.flag_id)
        .where(SplitPurchaseFlagCheckout.checkout_id.in_({key[0] for key in by_key}))
        .options(*WITH_FLAG_PARTS)
    ).all()
    marks = {}
    for checkout_id, flag in rows:
        order_id = by_key.get((checkout_id, flag.supplier_id, flag.purpose))
        if order_id is not None:
            marks[order_id] = flag
    return marks


def checkout_split_flags(session: Session, checkout_id: int) -> list[SplitPurchaseFlag]:
    return list(
        session.scalars(
            select(SplitPurchaseFlag)
            .join(SplitPurchaseFlagCheckout, SplitPurchaseFlagCheckout.flag_id == SplitPurchaseFlag.id)
            .where(SplitPurchaseFlagCheckout.checkout_id == checkout_id)
            .options(*WITH_FLAG_PARTS)
            .order_by(SplitPurchaseFlag.id)
        )
    )

"""Approving a purchase above the unit's threshold, and flagging purchases split to stay under it.

Four eyes (orders.domain.approvals): another admin of the unit decides, or an admin of its
supervising unit (主管单位); the one who placed the checkout may cancel its orders but never
approve or reject it. Deciding is one guarded UPDATE on the pending approval
(`moves.end_approval`): of two admins approving and rejecting at once, exactly one wins and the
other is told the checkout is no longer pending.

A checkout that stays under the threshold but, with the unit's other checkouts of that Beijing
day, buys more than the threshold from one supplier for one purpose is a suspected split
purchase (疑似拆分采购): it is recorded in the checkout's own transaction and the admins who
would have approved it are told.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from catalog.models import Supplier
from mall import audit, clock
from mall.accounts.models import User
from mall.money import format_yuan
from mall.notifications import notify
from mall.units.models import Unit
from orders import domain, queries
from orders.domain import (
    PURPOSE_LABELS,
    ApprovalStatus,
    CartKind,
    OrderStatus,
    PaymentMode,
    PaymentStatus,
    ReservationStatus,
    SuspectedSplit,
)
from orders.models import (
    Checkout,
    PaymentCard,
    SplitPurchaseFlag,
    SplitPurchaseFlagCheckout,
    StockReservation,
    owner_key,
)
from orders.queries import approvals as approval_queries
from orders.services import moves, settlement

log = logging.getLogger(__name__)

APPROVALS_LINK = "/unit/approvals"


def approve_checkout(session: Session, *, actor: User, checkout_id: int) -> Checkout:
    """Another admin of the unit (or of its supervising unit) approves a purchase above the
    threshold: on transfer terms its orders are placed; by card the unit's 公务卡 is charged now.
    Raises NotFoundError, SelfApprovalError, ApprovalNotPendingError, PaymentCardMissingError,
    PaymentFailedError (after committing the failure)."""
    pending, kind = approval_queries.get_checkout_for_approver(session, actor, checkout_id)
    who = domain.APPROVER_LABELS[kind]
    now = clock.now()
    card: PaymentCard | None = None
    if pending.payment_mode is PaymentMode.CARD:
        card = queries.payment_card(
            session, owner_key(pending.cart_kind, unit_id=pending.unit_id, user_id=pending.buyer_id)
        )
        if card is None:
            raise domain.PaymentCardMissingError()
    waiting = moves.end_approval(session, pending, approve=True, actor_id=actor.id, note=f"{who}批准", now=now)
    attempt = None
    if card is None:
        moved = moves.move_orders(
            session,
            waiting,
            now=now,
            to=OrderStatus.PLACED,
            when=(OrderStatus.PENDING_APPROVAL,),
            pay=PaymentStatus.AWAITING_TRANSFER,
            when_paid=(PaymentStatus.UNPAID,),
            actor_id=actor.id,
            note=f"{who}已批准，对公转账（验收后30日内付款）",
            placed_at=now,
        )
        moves.commit_stock(session, moved, now)
    else:
        moved = moves.move_orders(
            session,
            waiting,
            now=now,
            to=OrderStatus.PENDING_PAYMENT,
            when=(OrderStatus.PENDING_APPROVAL,),
            pay=PaymentStatus.PROCESSING,
            when_paid=(PaymentStatus.UNPAID,),
            actor_id=actor.id,
            note=f"{who}已批准，{domain.card_name(pending.cart_kind)}支付中",
        )
        paying = [o for o in waiting if o.id in moved]
        if paying:
            session.execute(
                update(StockReservation)
                .where(StockReservation.order_id.in_(moved), StockReservation.status == ReservationStatus.HELD)
                .values(expires_at=domain.hold_until(now, awaiting_approval=False)),
                execution_options={"synchronize_session": False},
            )
            attempt = moves.new_attempt(session, pending, card, sum(o.total_fen for o in paying), now)
    if not moved:
        raise domain.ApprovalNotPendingError("该采购单的订单已全部取消")
    audit.record(session, actor_id=actor.id, action="checkout.approve", target_type="checkout", target_id=pending.id)
    session.commit()
    log.info("checkout %s approved by %s (%s)", checkout_id, actor.id, kind)
    if attempt is not None:
        settlement.run_payment(session, attempt.id)
    return session.get(Checkout, checkout_id)


def reject_checkout(session: Session, *, actor: User, checkout_id: int, note: str = "") -> Checkout:
    """Another admin of the unit (or of its supervising unit) refuses a purchase: its orders are
    cancelled and the stock released. Raises NotFoundError, SelfApprovalError, ApprovalNotPendingError."""
    pending, kind = approval_queries.get_checkout_for_approver(session, actor, checkout_id)
    reason = f"{domain.APPROVER_LABELS[kind]}未批准：{(note or '').strip()[:100] or '未说明理由'}"
    moves.end_approval(session, pending, approve=False, actor_id=actor.id, note=reason, now=clock.now())
    audit.record(session, actor_id=actor.id, action="checkout.reject", target_type="checkout", target_id=pending.id)
    session.commit()
    log.info("checkout %s rejected by %s (%s)", checkout_id, actor.id, kind)
    return session.get(Checkout, checkout_id)


# ---- split purchases ---------------------------------------------------------------------------


def flag_split_purchases(session: Session, placed: Checkout, now: datetime) -> list[SplitPurchaseFlag]:
    """Record the suspected split purchases (domain.suspected_splits) that this new checkout
    forms or joins, and tell the admins who would have approved them. Runs in the checkout's
    transaction (the caller commits). The unit's checkouts queue on its one shared cart's lock,
    so two of them never write one flag at once."""
    threshold = placed.approval_threshold_fen
    if (
        placed.cart_kind is not CartKind.UNIT
        or threshold is None
        or placed.approval_status is not ApprovalStatus.NOT_REQUIRED
    ):
        return []
    day = clock.local(now).date()
    parts = approval_queries.day_purchase_parts(session, placed.unit_id, day)
    flags = []
    for split in domain.suspected_splits(parts, threshold_fen=threshold):
        if placed.id in split.checkout_ids:
            flag = _save_flag(session, placed.unit_id, split, threshold=threshold, now=now)
            _tell_admins(session, flag, split)
            flags.append(flag)
            log.info(
                "split purchase suspected: unit=%s supplier=%s checkouts=%s total=%s fen",
                placed.unit_id,
                split.supplier_id,
                split.checkout_ids,
                split.total_fen,
            )
    return flags


def _save_flag(
    session: Session, unit_id: int, split: SuspectedSplit, *, threshold: int, now: datetime
) -> SplitPurchaseFlag:
    flag = approval_queries.find_split_flag(session, unit_id, split)
    if flag is None:
        flag = SplitPurchaseFlag(
            unit_id=unit_id,
            placed_on=split.placed_on,
            supplier_id=split.supplier_id,
            purpose=split.purpose,
            flagged_at=now,
        )
        session.add(flag)
    flag.total_fen, flag.threshold_fen, flag.updated_at = split.total_fen, threshold, now
    # The group as it stands: a checkout whose orders were cancelled since has left it.
    kept = {m.checkout_id: m for m in flag.members}
    flag.members = [kept.get(cid) or SplitPurchaseFlagCheckout(checkout_id=cid) for cid in split.checkout_ids]
    session.flush()
    return flag


def _tell_admins(session: Session, flag: SplitPurchaseFlag, split: SuspectedSplit) -> None:
    """The unit's admins besides those who placed the checkouts; without one, the supervising
    unit's admins (the ones who would have approved the purchase whole)."""
    unit = session.get(Unit, flag.unit_id)
    placers = session.scalars(select(Checkout.buyer_id).where(Checkout.id.in_(split.checkout_ids))).all()
    admins = approval_queries.unit_admin_ids(session, [unit.id])[unit.id]
    recipients = [a for a in admins if a not in placers]
    if domain.escalates(admins, placers) and unit.parent_id is not None:
        recipients = approval_queries.unit_admin_ids(session, [unit.parent_id])[unit.parent_id]
    supplier = session.get(Supplier, split.supplier_id)
    checkouts = "、".join(f"#{cid}" for cid in split.checkout_ids)
    text = (
        f"疑似拆分采购：{unit.name}{split.placed_on:%m月%d日}向“{supplier.name}”分{len(split.checkout_ids)}次"
        f"结算{PURPOSE_LABELS[split.purpose]}（结算单 {checkouts}），合计 {format_yuan(split.total_fen)}，"
        f"超过审批额度 {format_yuan(flag.threshold_fen)}"
    )
    for user_id in recipients:
        notify(session, user_id=user_id, text=text, link=APPROVALS_LINK)

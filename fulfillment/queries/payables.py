"""Reads of payables (不得拖欠), scoped: a unit admin sees its unit's, a finance officer those of
the units in its region, a supplier its receivables. Overdue is a reading of the due date, not a
state; days overdue and late interest are computed at `now` with the policy year's rate unless
the contract set one (`rules.late_interest_fen`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, String, and_, cast, false, literal, or_, select
from sqlalchemy.orm import Session, selectinload

from fulfillment import domain
from fulfillment.domain import PayableStatus
from fulfillment.models import Payable
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import InvalidInputError, NotFoundError
from mall.notifications import Notification
from mall.policy.domain import PolicyTerms, beijing_date, days_late
from mall.regions import queries as region_queries
from mall.regions.models import Region
from mall.units.models import Unit
from orders import queries as order_queries
from orders.models import Order


class PayableFilter(StrEnum):
    DUE = "due"  # owed and not late (or held in part by a dispute)
    OVERDUE = "overdue"  # past its due date with an undisputed amount unpaid
    PAID = "paid"


PAYABLE_FILTER_LABELS = {PayableFilter.DUE: "待付款", PayableFilter.OVERDUE: "已逾期", PayableFilter.PAID: "已付清"}


class InvalidPayableFilterError(InvalidInputError):
    code, message = "invalid_payable_filter", "状态只能是：due、overdue、paid"


def check_filter(value: object) -> PayableFilter | None:
    if value in (None, ""):
        return None
    try:
        return PayableFilter(value)
    except ValueError:
        raise InvalidPayableFilterError() from None


def _region_units(region_code: str):
    return select(Unit.id).join(Region, Region.code == Unit.region_code).where(region_queries.within(region_code))


def scope(session: Session, user: User) -> ColumnElement[bool]:
    """The payables a user may see: its unit's (unit admin), its region's units' (finance
    officer), its own receivables (supplier); nothing for anyone else."""
    conditions = []
    if user.has_role(Role.UNIT_ADMIN) and user.unit_id is not None:
        conditions.append(Payable.unit_id == user.unit_id)
    if user.has_role(Role.FINANCE_OFFICER) and user.region_code:
        conditions.append(Payable.unit_id.in_(_region_units(user.region_code)))
    supplier = order_queries.supplier_of(session, user)
    if supplier is not None:
        conditions.append(Payable.supplier_id == supplier.id)
    return or_(*conditions) if conditions else false()


def _filtered(stmt: Select, wanted: PayableFilter | None, now: datetime) -> Select:
    today = beijing_date(now)
    late = and_(Payable.status == PayableStatus.DUE, Payable.due_on < today)
    if wanted is PayableFilter.OVERDUE:
        stmt = stmt.where(late)
    elif wanted is PayableFilter.DUE:
        stmt = stmt.where(Payable.status.in_((PayableStatus.DUE, PayableStatus.HELD)), ~late)
    elif wanted is PayableFilter.PAID:
        stmt = stmt.where(Payable.status == PayableStatus.PAID)
    return stmt


def payables_select(session: Session, user: User, wanted: PayableFilter | None, now: datetime) -> Select:
    """The user's payables by due date (earliest first), optionally only due, overdue or paid."""
    stmt = select(Payable).where(scope(session, user))
    stmt = stmt.options(
        selectinload(Payable.order).selectinload(Order.unit), selectinload(Payable.order).selectinload(Order.supplier)
    )
    return _filtered(stmt, wanted, now).order_by(Payable.due_on, Payable.id)


def get_payable_for_admin(session: Session, user: User, payable_id: object) -> Payable:
    payable = session.get(Payable, payable_id, populate_existing=True) if isinstance(payable_id, int) else None
    if payable is None or not user.has_role(Role.UNIT_ADMIN) or payable.unit_id != user.unit_id:
        raise NotFoundError("未找到该应付款")
    return payable


REMINDER_PREFIX = "/payables?status=overdue#payable-"


def reminder_link(payable_id: int) -> str:
    """The link of a payable's overdue notice (one per payable: the job looks for it)."""
    return f"{REMINDER_PREFIX}{payable_id}"


def newly_overdue_select(now: datetime) -> Select:
    """Payables past their due date whose overdue notice has not been sent."""
    noticed = select(Notification.id).where(
        Notification.link == literal(REMINDER_PREFIX, String) + cast(Payable.id, String)
    )
    return (
        select(Payable)
        .where(Payable.status == PayableStatus.DUE, Payable.due_on < beijing_date(now), ~noticed.exists())
        .options(selectinload(Payable.order))
        .order_by(Payable.due_on, Payable.id)
    )


# ---- figures at a moment -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """A payable as its lists show it at `now`."""

    unpaid_fen: int
    overdue_fen: int  # the late principal (the disputed part is held, not late)
    days_overdue: int
    interest_fen: int  # accrued so far (paid, and still running on the late principal)
    rate_bp_per_day: int

    @property
    def is_overdue(self) -> bool:
        return self.overdue_fen > 0 and self.days_overdue > 0


def rate_of(payable: Payable, terms: PolicyTerms) -> int:
    return terms.late_interest_bp_per_day if payable.interest_bp_per_day is None else payable.interest_bp_per_day


def figures(payable: Payable, now: datetime, terms: PolicyTerms) -> Figures:
    rate = rate_of(payable, terms)
    if payable.status is PayableStatus.PAID:
        days = days_late(payable.due_on, payable.paid_at) if payable.paid_at else 0
        return Figures(0, 0, days, payable.interest_paid_fen, rate)
    principal = domain.overdue_principal_fen(
        amount_fen=payable.amount_fen, paid_fen=payable.paid_fen, disputed_fen=payable.disputed_fen
    )
    days = domain.days_overdue(payable.due_on, now) if principal else 0
    running = domain.late_interest_fen(principal, days, rate)
    return Figures(
        payable.amount_fen - payable.paid_fen, principal if days else 0, days, payable.interest_paid_fen + running, rate
    )


# ---- arrears per unit and a supplier's ageing ----------------------------------------------------


@dataclass
class UnitArrears:
    unit: Unit
    count: int = 0
    overdue_fen: int = 0
    interest_fen: int = 0
    max_days: int = 0


def arrears_by_unit(session: Session, user: User, now: datetime, terms: PolicyTerms) -> list[UnitArrears]:
    """The overdue payables in the user's scope, counted per unit: most owed first."""
    rows = session.scalars(payables_select(session, user, PayableFilter.OVERDUE, now)).all()
    units: dict[int, UnitArrears] = {}
    for payable in rows:
        seen = figures(payable, now, terms)
        entry = units.setdefault(payable.unit_id, UnitArrears(payable.order.unit))
        entry.count += 1
        entry.overdue_fen += seen.overdue_fen
        entry.interest_fen += seen.interest_fen
        entry.max_days = max(entry.max_days, seen.days_overdue)
    return sorted(units.values(), key=lambda a: (-a.overdue_fen, a.unit.id))


AGEING_BUCKETS = (("未到期", 0), ("逾期1-30天", 30), ("逾期31-60天", 60), ("逾期61-90天", 90), ("逾期90天以上", None))


def ageing_bucket(days_overdue: int) -> str:
    """The ageing bucket of a receivable by whole days past its due date."""
    for label, upto in AGEING_BUCKETS:
        if upto is None or days_overdue <= upto:
            return label
    raise AssertionError("the last bucket has no upper bound")


def supplier_ageing(session: Session, supplier_id: int, now: datetime, terms: PolicyTerms) -> dict[str, int]:
    """A supplier's receivables not yet paid, in fen by ageing bucket (every bucket present)."""
    buckets: dict[str, int] = defaultdict(int, {label: 0 for label, _ in AGEING_BUCKETS})
    rows = session.scalars(
        select(Payable).where(
            Payable.supplier_id == supplier_id, Payable.status.in_((PayableStatus.DUE, PayableStatus.HELD))
        )
    ).all()
    for payable in rows:
        seen = figures(payable, now, terms)
        buckets[ageing_bucket(seen.days_overdue)] += seen.unpaid_fen
    return dict(buckets)

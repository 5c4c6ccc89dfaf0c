"""Reads of supplier scorecards and standing: each supplier's record over a period (gathered for
many suppliers at once, a few grouped queries), its monthly scorecard rows, its standing history,
and who may see which supplier (a supplier only itself; the other roles any admitted supplier)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from catalog.domain import SupplierStatus
from catalog.models import Supplier
from fulfillment.domain import (
    STANDING_LABELS,
    RatedEvaluation,
    Scorecard,
    Scores,
    Standing,
    SupplierRecord,
    month_starts,
    period_start,
    score_supplier,
)
from fulfillment.models import (
    AftersalesCase,
    Evaluation,
    LineFulfillment,
    OrderFulfillment,
    SupplierScorecard,
    SupplierStanding,
)
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.bounds import is_id
from mall.errors import NotFoundError
from mall.policy.domain import PolicyTerms, beijing_date, deadline
from orders import queries as order_queries
from orders.models import Order

ADMITTED = (SupplierStatus.APPROVED, SupplierStatus.SUSPENDED)


def get_supplier_for(session: Session, user: User | None, supplier_id: object) -> Supplier:
    """A supplier the user may see the scorecard of: a supplier's own account sees only its own;
    anyone else any supplier (one still applying has no record: 评价不足). Else NotFoundError."""
    supplier = session.get(Supplier, supplier_id) if is_id(supplier_id) else None
    if supplier is None:
        raise NotFoundError("未找到该供应商")
    if user is not None and user.has_role(Role.SUPPLIER):
        own = order_queries.supplier_of(session, user)
        if own is None or own.id != supplier.id:
            raise NotFoundError("未找到该供应商")
    return supplier


def admitted_supplier_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Supplier.id).where(Supplier.status.in_(ADMITTED)).order_by(Supplier.id)))


def beijing_midnight(day: date) -> datetime:
    """The start of a Beijing day (a scorecard period's first)."""
    return deadline(day - timedelta(days=1)) + timedelta(seconds=1)


def supplier_records(
    session: Session, supplier_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, SupplierRecord]:
    """Each supplier's record of the orders accepted in [start, end]: how many, their evaluations
    (given in the period), deliveries by the promised date, rejections, after-sales cases and the
    supplier's answer times."""
    ids = list(supplier_ids)
    counts = _order_counts(session, ids, start, end)
    evaluations = _evaluations(session, ids, start, end)
    answers = _answer_hours(session, ids, start, end)
    return {
        sid: SupplierRecord(
            orders=counts[sid]["orders"],
            evaluations=tuple(evaluations[sid]),
            promised=counts[sid]["promised"],
            on_time=counts[sid]["on_time"],
            rejected_orders=counts[sid]["rejected_orders"],
            aftersales_orders=counts[sid]["aftersales_orders"],
            response_hours=tuple(answers[sid]),
        )
        for sid in ids
    }


def _order_counts(session: Session, ids: list[int], start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    accepted = (
        select(Order.id)
        .join(OrderFulfillment, OrderFulfillment.order_id == Order.id)
        .where(Order.supplier_id.in_(ids), OrderFulfillment.accepted_at.between(start, end))
    )
    orders = session.execute(
        select(Order.supplier_id, Order.id, Order.delivery_on, OrderFulfillment.delivered_at)
        .join(OrderFulfillment, OrderFulfillment.order_id == Order.id)
        .where(Order.id.in_(accepted))
    ).all()
    rejected = set(
        session.scalars(
            select(LineFulfillment.order_id).where(
                LineFulfillment.order_id.in_(accepted), LineFulfillment.rejected_qty > 0
            )
        )
    )
    with_cases = set(session.scalars(select(AftersalesCase.order_id).where(AftersalesCase.order_id.in_(accepted))))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in orders:
        c = counts[row.supplier_id]
        c["orders"] += 1
        if row.delivery_on is not None and row.delivered_at is not None:
            c["promised"] += 1
            c["on_time"] += beijing_date(row.delivered_at) <= row.delivery_on
        c["rejected_orders"] += row.id in rejected
        c["aftersales_orders"] += row.id in with_cases
    return counts


def _evaluations(session: Session, ids: list[int], start: datetime, end: datetime) -> dict[int, list[RatedEvaluation]]:
    found = defaultdict(list)
    rows = session.execute(
        select(Evaluation.supplier_id, Evaluation.quality, Evaluation.timeliness, Evaluation.service)
        .add_columns(Evaluation.price, Evaluation.is_default)
        .where(Evaluation.supplier_id.in_(ids), Evaluation.submitted_at.between(start, end))
        .order_by(Evaluation.id)
    )
    for e in rows:
        found[e.supplier_id].append(RatedEvaluation(Scores(e.quality, e.timeliness, e.service, e.price), e.is_default))
    return found


def _answer_hours(session: Session, ids: list[int], start: datetime, end: datetime) -> dict[int, list[float]]:
    answers = defaultdict(list)
    for supplier_id, opened_at, answered_at in session.execute(
        select(AftersalesCase.supplier_id, AftersalesCase.opened_at, AftersalesCase.answered_at).where(
            AftersalesCase.supplier_id.in_(ids),
            AftersalesCase.opened_at.between(start, end),
            AftersalesCase.answered_at.is_not(None),
        )
    ):
        answers[supplier_id].append((answered_at - opened_at).total_seconds() / 3600)
    return answers


def scorecard_rows(session: Session, supplier_id: int, since: date) -> list[SupplierScorecard]:
    """The supplier's monthly scorecards from `since`, oldest first (the trend chart)."""
    return list(
        session.scalars(
            select(SupplierScorecard)
            .where(SupplierScorecard.supplier_id == supplier_id, SupplierScorecard.month >= since)
            .order_by(SupplierScorecard.month)
        )
    )


def month_rows(session: Session, supplier_ids: Sequence[int], month: date) -> dict[int, SupplierScorecard]:
    """The suppliers' scorecards of `month` already stored, to recompute in place."""
    rows = session.scalars(
        select(SupplierScorecard).where(
            SupplierScorecard.supplier_id.in_(list(supplier_ids)), SupplierScorecard.month == month
        )
    )
    return {row.supplier_id: row for row in rows}


def suppliers_by_id(session: Session, supplier_ids: Sequence[int]) -> dict[int, Supplier]:
    return {s.id: s for s in session.scalars(select(Supplier).where(Supplier.id.in_(list(supplier_ids))))}


def months_computed(session: Session, month: date) -> dict[int, datetime]:
    """When each supplier's scorecard of `month` was computed."""
    return dict(
        session.execute(
            select(SupplierScorecard.supplier_id, SupplierScorecard.computed_at).where(SupplierScorecard.month == month)
        ).all()
    )


def latest_standing(session: Session, supplier_id: int) -> SupplierStanding | None:
    return current_standings(session, [supplier_id]).get(supplier_id)


def current_standings(session: Session, supplier_ids: Sequence[int]) -> dict[int, SupplierStanding]:
    """Each supplier's latest standing row (suppliers never scored are left out)."""
    latest = (
        select(SupplierStanding.supplier_id, func.max(SupplierStanding.id).label("id"))
        .where(SupplierStanding.supplier_id.in_(list(supplier_ids)))
        .group_by(SupplierStanding.supplier_id)
        .subquery()
    )
    rows = session.scalars(select(SupplierStanding).join(latest, latest.c.id == SupplierStanding.id))
    return {row.supplier_id: row for row in rows}


def standing_history(session: Session, supplier_id: int, limit: int = 50) -> list[SupplierStanding]:
    return list(
        session.scalars(
            select(SupplierStanding)
            .where(SupplierStanding.supplier_id == supplier_id)
            .order_by(SupplierStanding.id.desc())
            .limit(limit)
        )
    )


def standing_list_select() -> Select:
    """Admitted suppliers for the operator, the suspended and warned first, then by name."""
    return select(Supplier).where(Supplier.status.in_(ADMITTED)).order_by(Supplier.status.desc(), Supplier.name)


@dataclass(frozen=True)
class SupplierScore:
    """A supplier's scorecard as of now, its standing and its monthly trend."""

    supplier: Supplier
    card: Scorecard
    orders: int
    standing: SupplierStanding | None
    months: list[SupplierScorecard]

    @property
    def standing_value(self) -> Standing:
        return self.standing.standing if self.standing else self.card.standing

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing_value]

    def trend(self) -> dict:
        """The trend chart's data (a JSON script tag; the static script draws it)."""
        return {
            "months": [f"{row.month:%Y-%m}" for row in self.months],
            "scores": [row.score for row in self.months],
            "bands": [row.standing_label for row in self.months],
        }


def supplier_score(session: Session, supplier: Supplier, now: datetime, terms: PolicyTerms) -> SupplierScore:
    """The scorecard over the policy's period up to now, computed from the record (the same rule
    as the monthly job), with the standing and the stored monthly cards of the period."""
    today = beijing_date(now)
    start = beijing_midnight(period_start(today, terms.score_months))
    record = supplier_records(session, [supplier.id], start, now)[supplier.id]
    return SupplierScore(
        supplier=supplier,
        card=score_supplier(record, terms),
        orders=record.orders,
        standing=latest_standing(session, supplier.id),
        months=scorecard_rows(session, supplier.id, month_starts(today, terms.score_months)[0]),
    )


def standing_counts(session: Session) -> dict[Standing, int]:
    """How many admitted suppliers stand in each band now (the operator's dashboard)."""
    ids = admitted_supplier_ids(session)
    counts: dict[Standing, int] = defaultdict(int)
    for row in current_standings(session, ids).values():
        counts[row.standing] += 1
    return dict(counts)

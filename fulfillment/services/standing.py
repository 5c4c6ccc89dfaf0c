"""Supplier scorecards and standing: the monthly scorecard job, and the operator's suspension
(暂停) and its lifting, each with a reason.

The job computes each admitted supplier's scorecard for the current month (again each Beijing
day until the month ends) and, once, for each earlier month of the period that has none (the
trend chart), over the policy's number of months up to then. The current month's card moves the
standing: a new band is a new `SupplierStanding` row; a score below the warning band suspends.
The scorecard never lifts a suspension, and after the operator lifted one it does not suspend
again within the same month. A suspension sets the catalog's `Supplier.status` (a guarded
UPDATE), so checkout, in `orders`, refuses the supplier; lifting sets it back. The supplier's
`standing_score` feeds search ranking (`catalog.search.reindex_supplier`).
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, datetime

from sqlalchemy.orm import Session

from catalog import domain as catalog_domain
from catalog.domain import SupplierStatus
from catalog.models import Supplier
from catalog.search import reindex_supplier
from fulfillment import domain
from fulfillment.domain import Scorecard, Standing
from fulfillment.models import SupplierScorecard, SupplierStanding
from fulfillment.queries import acceptance as acceptance_queries
from fulfillment.queries import scorecards as queries
from mall import audit, clock, transitions
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import NotFoundError
from mall.notifications import notify
from mall.policy.domain import beijing_date, deadline
from mall.policy.queries import terms_at

log = logging.getLogger(__name__)
BATCH = 200
REASON_LENGTH = SupplierStanding.reason.type.length


# ---- the monthly scorecards --------------------------------------------------------------------


def compute_scorecards(session: Session) -> int:
    """Job: the scorecards that are missing or were computed before today (Beijing). Returns how
    many were computed."""
    now = clock.now()
    today = beijing_date(now)
    terms = terms_at(session, now)
    supplier_ids = queries.admitted_supplier_ids(session)
    done = 0
    for month in domain.month_starts(today, terms.score_months):
        current = month.year == today.year and month.month == today.month
        computed = queries.months_computed(session, month)
        stale = [
            sid for sid in supplier_ids if sid not in computed or (current and beijing_date(computed[sid]) < today)
        ]
        as_of = now if current else deadline(_month_end(month))
        for start in range(0, len(stale), BATCH):
            done += compute_month(session, stale[start : start + BATCH], month, as_of, move_standing=current)
    return done


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def compute_month(
    session: Session, supplier_ids: list[int], month: date, as_of: datetime, *, move_standing: bool
) -> int:
    """The scorecards of `month` for these suppliers, over the policy's period up to `as_of`
    (one transaction); the current month's also moves their standing."""
    terms = terms_at(session, as_of)
    start = queries.beijing_midnight(domain.period_start(beijing_date(as_of), terms.score_months))
    records = queries.supplier_records(session, supplier_ids, start, as_of)
    rows = queries.month_rows(session, supplier_ids, month)
    standings = queries.current_standings(session, supplier_ids) if move_standing else {}
    suppliers = queries.suppliers_by_id(session, supplier_ids) if move_standing else {}
    now = clock.now()
    with session.no_autoflush:
        for supplier_id, record in records.items():
            card = domain.score_supplier(record, terms)
            row = rows.get(supplier_id) or SupplierScorecard(supplier_id=supplier_id, month=month)
            _fill_card(row, card, record.orders, now)
            session.add(row)
            if move_standing:
                _follow_card(session, suppliers[supplier_id], standings.get(supplier_id), card, now)
    session.commit()
    return len(records)


def _x100(value) -> int | None:
    return None if value is None else int(value * 100 + 0.5)


def _fill_card(row: SupplierScorecard, card: Scorecard, orders: int, now: datetime) -> None:
    row.score, row.standing, row.orders = card.score, card.standing, orders
    row.evaluations, row.default_evaluations = card.evaluations, card.default_evaluations
    row.quality_x100 = _x100(card.averages.get("quality"))
    row.timeliness_x100 = _x100(card.averages.get("timeliness"))
    row.service_x100 = _x100(card.averages.get("service"))
    row.price_x100 = _x100(card.averages.get("price"))
    row.on_time_rate_bp, row.rejection_rate_bp = card.on_time_rate_bp, card.rejection_rate_bp
    row.aftersales_rate_bp = card.aftersales_rate_bp
    hours = card.median_response_hours
    row.median_response_minutes = None if hours is None else int(hours * 60 + 0.5)
    row.computed_at = now


def _follow_card(
    session: Session, supplier: Supplier, latest: SupplierStanding | None, card: Scorecard, now: datetime
) -> None:
    """The standing follows the current month's card (never lifting a suspension, and not
    suspending again in the month the operator lifted one); the score feeds search ranking."""
    supplier_id = supplier.id
    current = latest.standing if latest else None
    new = domain.standing_after_scorecard(current, card.standing) if current else card.standing
    lifted_this_month = (
        latest is not None
        and latest.set_by_id is not None
        and beijing_date(latest.at).replace(day=1) == beijing_date(now).replace(day=1)
    )
    if new is Standing.SUSPENDED and lifted_this_month:
        new = current
    reindex = card.score is not None and supplier.standing_score != card.score
    if card.score is not None:
        supplier.standing_score = card.score
    if new != current:
        if current is not None:
            domain.ensure_standing_move(current, new, by_operator=False)
        session.add(
            SupplierStanding(supplier_id=supplier_id, standing=new, score=card.score, reason="月度评分", at=now)
        )
        reindex = True
        if new is Standing.SUSPENDED and _set_catalog_status(session, supplier, SupplierStatus.SUSPENDED):
            _tell_supplier(session, supplier_id, f"履约评分 {card.score} 分，已被暂停接单")
    if reindex:
        reindex_supplier(session, supplier_id)


def _set_catalog_status(session: Session, supplier: Supplier, to: SupplierStatus) -> bool:
    frm = SupplierStatus.APPROVED if to is SupplierStatus.SUSPENDED else SupplierStatus.SUSPENDED
    return transitions.move(
        session, Supplier, supplier.id, frm=[frm], to=to, ensure=catalog_domain.ensure_supplier_transition
    )


def _tell_supplier(session: Session, supplier_id: int, text: str) -> None:
    for user_id in acceptance_queries.supplier_user_ids(session, supplier_id):
        notify(session, user_id=user_id, text=text, link="/supplier/scorecard")


# ---- the operator: suspend and lift ------------------------------------------------------------


def _operator_reason(actor: User, reason: object) -> str:
    if not actor.has_role(Role.PLATFORM_OPERATOR):
        raise NotFoundError("页面不存在")
    text = (reason if isinstance(reason, str) else "").strip()
    if not text or len(text) > REASON_LENGTH:
        raise domain.StandingReasonRequiredError()
    return text


def suspend_supplier(session: Session, *, actor: User, supplier_id: object, reason: object) -> SupplierStanding:
    """The platform operator suspends a supplier (暂停): no new orders until lifted. Raises
    NotFoundError, StandingReasonRequiredError, SupplierAlreadySuspendedError."""
    text = _operator_reason(actor, reason)
    supplier = queries.get_supplier_for(session, actor, supplier_id)
    if not _set_catalog_status(session, supplier, SupplierStatus.SUSPENDED):
        raise domain.SupplierAlreadySuspendedError()
    latest = queries.latest_standing(session, supplier.id)
    current = latest.standing if latest else Standing.INSUFFICIENT
    return _operator_move(session, actor, supplier, latest, (current, Standing.SUSPENDED), text, "已被平台暂停接单")


def lift_suspension(session: Session, *, actor: User, supplier_id: object, reason: object) -> SupplierStanding:
    """The platform operator lifts a suspension: the supplier takes orders again, its standing
    back to the band of its latest scorecard (警告 if that band was 暂停). Raises NotFoundError,
    StandingReasonRequiredError, SupplierNotSuspendedError."""
    text = _operator_reason(actor, reason)
    supplier = queries.get_supplier_for(session, actor, supplier_id)
    if not _set_catalog_status(session, supplier, SupplierStatus.APPROVED):
        raise domain.SupplierNotSuspendedError()
    latest = queries.latest_standing(session, supplier.id)
    rows = queries.scorecard_rows(session, supplier.id, date.min)
    band = rows[-1].standing if rows else Standing.INSUFFICIENT
    band = Standing.WARNING if band is Standing.SUSPENDED else band
    return _operator_move(session, actor, supplier, latest, (Standing.SUSPENDED, band), text, "平台已恢复接单")


def _operator_move(
    session: Session,
    actor: User,
    supplier: Supplier,
    latest: SupplierStanding | None,
    move: tuple[Standing, Standing],
    reason: str,
    message: str,
) -> SupplierStanding:
    """Record the operator's move (the catalog status has moved already), tell the supplier."""
    now = clock.now()
    current, new = move
    domain.ensure_standing_move(current, new, by_operator=True)
    row = SupplierStanding(
        supplier_id=supplier.id,
        standing=new,
        score=latest.score if latest else None,
        reason=reason,
        set_by_id=actor.id,
        at=now,
    )
    session.add(row)
    reindex_supplier(session, supplier.id)
    _tell_supplier(session, supplier.id, f"{message}：{reason}")
    audit.record(
        session,
        actor_id=actor.id,
        action=f"supplier.standing.{new.value}",
        target_type="supplier",
        target_id=supplier.id,
        reason=reason,
    )
    session.commit()
    return row

"""售后: the buyer opens a case on accepted goods (refund only, return and refund, replacement)
within the window of their storage; the supplier agrees or refuses within the answer window,
or the jobs loop escalates; the platform operator rules on escalated cases.

The money goes back through the order's payment mode: a transfer order whose payable is still
unpaid has its payable shrink; anything paid is refunded through `orders.services.refund_order`,
whose claim on the order (a guarded UPDATE) keeps refunds within what was paid. That path
commits twice (the claim with this action's own change, then the payment service's answer), and
the outcome is recorded on the case last. A refund the payment service refuses is retried with
back-off (`rules.refund_retry_at`) by a job and stays on the operator's work list until it
succeeds or a person settles it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from fulfillment import domain
from fulfillment.domain import AftersalesKind, AftersalesStatus, CaseRefundStatus, Ruling
from fulfillment.models import AftersalesCase, AftersalesLine, AftersalesPhoto
from fulfillment.queries import aftersales as queries
from fulfillment.services import payables
from mall import audit, clock, transitions, uploads
from mall.accounts.models import User
from mall.errors import InvalidInputError
from mall.money import format_yuan
from mall.notifications import notify
from mall.policy.domain import PolicyTerms
from mall.policy.queries import terms_at
from orders import domain as order_domain
from orders import services as order_services
from orders.domain import OrderStatus, PaymentMode, RefundStatus
from orders.models import Order, Refund

log = logging.getLogger(__name__)

REFUND_KINDS = frozenset({AftersalesKind.REFUND, AftersalesKind.RETURN})
OPENABLE = (OrderStatus.ACCEPTED, OrderStatus.EVALUATED)
MAX_PHOTOS = 6
PHOTO_AREA = "aftersales"


@dataclass(frozen=True)
class CaseRequest:
    """What the buyer asks: the kind, quantities by order line id, a reason, checked photos."""

    kind: object
    lines: Mapping[int, object]
    reason: str
    photos: Sequence[uploads.CheckedUpload] = ()


def _kind(value: object) -> AftersalesKind:
    try:
        return AftersalesKind(value)
    except ValueError:
        raise InvalidInputError("售后类型只能是：refund、return、replace") from None


def _note(value: str | None, *, required: bool = True) -> str:
    text = (value or "").strip()[:500]
    if required and not text:
        raise domain.AftersalesNoteRequiredError()
    return text


def _link(case_id: int) -> str:
    return f"/aftersales/{case_id}"


def _tell(session: Session, case: AftersalesCase, text: str, *, buyer=True, supplier=True, operators=False) -> None:
    link = _link(case.id)
    if buyer:
        notify(session, text=text, link=link, unit_id=case.unit_id)
    users = queries.supplier_member_ids(session, case.supplier_id) if supplier else []
    users += queries.operator_ids(session) if operators else []
    for user_id in sorted(set(users)):
        notify(session, text=text, link=link, user_id=user_id)


# ---- the buyer opens a case ----------------------------------------------------------------------


def open_case(session: Session, *, actor: User, order_id: int, request: CaseRequest) -> AftersalesCase:
    """Open a case on an accepted order (one transaction). Raises NotFoundError,
    PurposeNotAllowedError, InvalidInputError, AftersalesNotAcceptedError, AftersalesWindowClosedError,
    AftersalesQuantityError, AftersalesCaseOpenError, UnknownOrderLineError."""
    order = queries.order_queries.get_order_for_buyer(session, actor, order_id)
    order_domain.check_purpose_allowed(order.purpose, actor.roles, doing="申请售后")
    kind, reason = _kind(request.kind), _note(request.reason)
    if len(request.photos) > MAX_PHOTOS:
        raise InvalidInputError(f"照片最多{MAX_PHOTOS}张")
    now = clock.now()
    terms = terms_at(session, now)
    quantities = _check_lines(session, order, request.lines, now, terms)
    case = AftersalesCase(
        order_id=order.id,
        supplier_id=order.supplier_id,
        unit_id=order.unit_id,
        kind=kind,
        status=AftersalesStatus.OPEN,
        reason=reason,
        opened_by_id=actor.id,
        opened_at=now,
        answer_due_at=domain.answer_due_at(now, terms),
        refund_fen=_value_fen(order, quantities) if kind in REFUND_KINDS else 0,
        refund_attempts=0,
    )
    case.lines = [AftersalesLine(order_line_id=i, quantity=q) for i, q in sorted(quantities.items())]
    session.add(case)
    session.flush()
    for upload in request.photos:
        stored = uploads.store(session, PHOTO_AREA, upload)
        session.add(
            AftersalesPhoto(
                case_id=case.id,
                path=stored.path,
                content_type=stored.content_type,
                uploaded_by_id=actor.id,
                created_at=now,
            )
        )
    payables.recompute_dispute(session, order.id)
    _tell(session, case, f"订单 {order.number} 有新的售后申请（{case.kind_label}），请在48小时内答复")
    audit.record(session, actor_id=actor.id, action="aftersales.open", target_type="aftersales_case", target_id=case.id)
    session.commit()
    log.info("aftersales case %s opened on order %s (%s, %s fen)", case.id, order.id, kind, case.refund_fen)
    return case


def _check_lines(
    session: Session, order: Order, asked: Mapping[int, object], now: datetime, terms: PolicyTerms
) -> dict[int, int]:
    if order.status not in OPENABLE:
        raise domain.AftersalesNotAcceptedError()
    queries.lock_order(session, order.id)  # two cases opened at once are checked one after the other
    record, rows = queries.order_progress(session, order.id)
    if record is None or record.delivered_at is None:
        raise domain.AftersalesNotAcceptedError()
    covered, in_progress = queries.quantities_in_cases(session, order.id)
    accepted = {row.order_line_id: row.accepted_qty for row in rows}
    quantities = domain.check_case_quantities(accepted, covered, asked)
    storages = queries.line_storages(session, order.id)
    for line_id in quantities:
        domain.check_aftersales_open(record.delivered_at, storages[line_id], now, terms)
    if in_progress & set(quantities):
        raise domain.AftersalesCaseOpenError()
    return quantities


def _value_fen(order: Order, quantities: Mapping[int, int]) -> int:
    """What the goods of the case are worth (their share of each line, within what the line can
    still refund)."""
    lines = {line.id: line for line in order.lines}
    return sum(
        domain.goods_value_fen(
            domain.LineValue(i, lines[i].quantity, lines[i].line_total_fen, lines[i].refunded_fen), quantity
        )
        for i, quantity in quantities.items()
    )


# ---- the supplier answers, the buyer escalates, the operator rules ------------------------------


def _move(
    session: Session, case: AftersalesCase, frm: Sequence[AftersalesStatus], to: AftersalesStatus, **values
) -> None:
    moved = transitions.move(
        session, AftersalesCase, case.id, frm=frm, to=to, ensure=domain.ensure_aftersales_transition, **values
    )
    if not moved:
        raise domain.AftersalesCaseChangedError()


def answer_case(session: Session, *, actor: User, case_id: int, agree: bool, note: str = "") -> AftersalesCase:
    """The supplier agrees (the remedy is carried out: money back at once) or refuses with a
    reason (the buyer may escalate). Raises NotFoundError, AftersalesNoteRequiredError,
    AftersalesCaseChangedError, RefundExceedsPaidError."""
    case = queries.get_case_for_supplier(session, actor, case_id)
    note = _note(note, required=not agree)
    now = clock.now()
    owed = agree and case.kind in REFUND_KINDS and case.refund_fen > 0
    _move(
        session,
        case,
        (AftersalesStatus.OPEN,),
        AftersalesStatus.AGREED if agree else AftersalesStatus.REFUSED,
        answer=note,
        answered_by_id=actor.id,
        answered_at=now,
        refund_status=CaseRefundStatus.PENDING if owed else None,
    )
    verdict = "同意" if agree else f"拒绝（{note}）"
    _tell(session, case, f"供应商已{verdict}售后申请 #{case.id}", supplier=False)
    audit.record(
        session, actor_id=actor.id, action="aftersales.answer", target_type="aftersales_case", target_id=case.id
    )
    return _carry_out(session, case, actor_id=actor.id, now=now)


def escalate_case(session: Session, *, actor: User, case_id: int) -> AftersalesCase:
    """The buyer takes a refused case to the platform operator (those who may act on the order's
    purpose, as for opening it). Raises NotFoundError, PurposeNotAllowedError,
    AftersalesCaseChangedError."""
    case = queries.get_case_for_buyer(session, actor, case_id)
    order_domain.check_purpose_allowed(case.order.purpose, actor.roles, doing="申请仲裁")
    now = clock.now()
    _move(
        session,
        case,
        (AftersalesStatus.REFUSED,),
        AftersalesStatus.ESCALATED,
        escalated_by_id=actor.id,
        escalated_at=now,
    )
    _tell(session, case, f"售后申请 #{case.id} 已提交平台仲裁", buyer=False, operators=True)
    audit.record(
        session, actor_id=actor.id, action="aftersales.escalate", target_type="aftersales_case", target_id=case.id
    )
    session.commit()
    return case


def decide_case(
    session: Session, *, actor: User, case_id: int, ruling: object, note: str, refund_fen: int | None = None
) -> AftersalesCase:
    """The platform operator rules on an escalated case: for the buyer (the remedy asked, or a
    smaller refund) or for the supplier (nothing owed). Raises NotFoundError, InvalidInputError,
    AftersalesNoteRequiredError, InvalidRulingRefundError, AftersalesCaseChangedError,
    RefundExceedsPaidError."""
    case = queries.get_case_for_operator(session, actor, case_id)
    try:
        ruling = Ruling(ruling)
    except ValueError:
        raise InvalidInputError("裁决只能是：for_buyer、for_supplier") from None
    note = _note(note)
    amount = _ruled_amount(case, ruling, refund_fen)
    now = clock.now()
    _move(
        session,
        case,
        (AftersalesStatus.ESCALATED,),
        AftersalesStatus.DECIDED,
        ruling=ruling,
        ruling_note=note,
        decided_by_id=actor.id,
        decided_at=now,
        refund_fen=amount,
        refund_status=CaseRefundStatus.PENDING if amount else None,
    )
    _tell(session, case, f"平台已裁决售后申请 #{case.id}：{case.ruling_label}（{note}）")
    audit.record(
        session, actor_id=actor.id, action="aftersales.decide", target_type="aftersales_case", target_id=case.id
    )
    return _carry_out(session, case, actor_id=actor.id, now=now)


def _ruled_amount(case: AftersalesCase, ruling: Ruling, refund_fen: int | None) -> int:
    if ruling is Ruling.FOR_SUPPLIER or case.kind not in REFUND_KINDS:
        return 0
    if refund_fen is None:
        return case.refund_fen
    if isinstance(refund_fen, bool) or not isinstance(refund_fen, int) or not 0 <= refund_fen <= case.refund_fen:
        raise domain.InvalidRulingRefundError()
    return refund_fen


def may_complete_replacement(case: AftersalesCase) -> bool:
    """A replacement agreed by the supplier or ruled for the buyer waits for the new goods."""
    return case.kind is AftersalesKind.REPLACE and (
        case.status is AftersalesStatus.AGREED
        or (case.status is AftersalesStatus.DECIDED and case.ruling is Ruling.FOR_BUYER)
    )


def complete_replacement(session: Session, *, actor: User, case_id: int) -> AftersalesCase:
    """The supplier has sent the replacement goods: the case closes. Raises NotFoundError,
    AftersalesCaseChangedError."""
    case = queries.get_case_for_supplier(session, actor, case_id)
    if not may_complete_replacement(case):
        raise domain.AftersalesCaseChangedError()
    now = clock.now()
    _move(session, case, (AftersalesStatus.AGREED, AftersalesStatus.DECIDED), AftersalesStatus.CLOSED, closed_at=now)
    payables.recompute_dispute(session, case.order_id)
    _tell(session, case, f"售后申请 #{case.id} 的换货已发出，申请已完结", supplier=False)
    audit.record(
        session, actor_id=actor.id, action="aftersales.replaced", target_type="aftersales_case", target_id=case.id
    )
    session.commit()
    return case


def _carry_out(session: Session, case: AftersalesCase, *, actor_id: int | None, now: datetime) -> AftersalesCase:
    """After an answer or a ruling: money owed goes back; a case with nothing left to do closes
    (refused ones wait for the buyer); a replacement waits for the supplier. Commits."""
    if case.refund_status is CaseRefundStatus.PENDING:
        return _pay(session, case, actor_id=actor_id, now=now)
    if case.status is AftersalesStatus.DECIDED and (case.kind in REFUND_KINDS or case.ruling is Ruling.FOR_SUPPLIER):
        _move(session, case, (AftersalesStatus.DECIDED,), AftersalesStatus.CLOSED, closed_at=now)
    if case.status is AftersalesStatus.AGREED and case.kind in REFUND_KINDS:  # nothing left to refund
        _move(session, case, (AftersalesStatus.AGREED,), AftersalesStatus.CLOSED, closed_at=now)
    payables.recompute_dispute(session, case.order_id)
    session.commit()
    return case


# ---- the money ----------------------------------------------------------------------------------


def _move_refund(
    session: Session, case_id: int, frm: Sequence[CaseRefundStatus], to: CaseRefundStatus, *where, **values
) -> bool:
    for current in frm:
        domain.ensure_case_refund_transition(current, to)
    return (
        session.execute(
            update(AftersalesCase)
            .where(AftersalesCase.id == case_id, AftersalesCase.refund_status.in_(tuple(frm)), *where)
            .values(refund_status=to, **values),
            execution_options={"synchronize_session": False},
        ).rowcount
        == 1
    )


def _pay(session: Session, case: AftersalesCase, *, actor_id: int | None, now: datetime) -> AftersalesCase:
    """Pay a case's money back (the case's refund is pending): a transfer payable still unpaid
    shrinks; otherwise the orders' refund path claims the amount on the order and calls the
    payment service. Commits; RefundExceedsPaidError leaves everything as it was."""
    order = session.get(Order, case.order_id)
    if order.payment_mode is PaymentMode.TRANSFER and payables.shrink_for_refund(session, order.id, case.refund_fen):
        _refund_succeeded(session, case, now)
        session.commit()
        return case
    refund = order_services.refund_order(
        session,
        order_id=order.id,
        amount_fen=case.refund_fen,
        reason=f"售后{case.kind_label}（申请 #{case.id}）",
        actor_id=actor_id,
    )
    return _record_refund(session, case.id, refund)


def _refund_succeeded(session: Session, case: AftersalesCase, now: datetime) -> None:
    if not _move_refund(session, case.id, (CaseRefundStatus.PENDING,), CaseRefundStatus.SUCCEEDED):
        raise domain.AftersalesCaseChangedError()
    _move(session, case, (AftersalesStatus.AGREED, AftersalesStatus.DECIDED), AftersalesStatus.CLOSED, closed_at=now)
    payables.recompute_dispute(session, case.order_id)
    _tell(session, case, f"售后申请 #{case.id} 已退款 {format_yuan(case.refund_fen)}，申请已完结")


def _record_refund(session: Session, case_id: int, refund: Refund) -> AftersalesCase:
    """The payment service's answer on the case (commits): done, refused (retried later and on
    the operator's list), or not known yet (the orders' job asks again; the case follows)."""
    now = clock.now()
    case = session.get(AftersalesCase, case_id, populate_existing=True)
    session.execute(
        update(AftersalesCase)
        .where(AftersalesCase.id == case_id, AftersalesCase.refund_status == CaseRefundStatus.PENDING)
        .values(refund_id=refund.id),
        execution_options={"synchronize_session": False},
    )
    if refund.status is RefundStatus.SUCCEEDED:
        _refund_succeeded(session, case, now)
    elif refund.status is RefundStatus.FAILED:
        attempts = case.refund_attempts + 1
        _move_refund(
            session,
            case_id,
            (CaseRefundStatus.PENDING,),
            CaseRefundStatus.FAILED,
            refund_attempts=attempts,
            refund_retry_at=domain.refund_retry_at(refund.completed_at or now, attempts),
        )
        _tell(
            session, case, f"售后申请 #{case.id} 的退款被支付机构拒绝，系统将自动重试", supplier=False, operators=True
        )
    session.commit()
    log.info("aftersales case %s: refund %s %s", case_id, refund.id, refund.status)
    return session.get(AftersalesCase, case_id, populate_existing=True)


def settle_refund_by_hand(session: Session, *, actor: User, case_id: int, note: str) -> AftersalesCase:
    """The operator resolved a refused refund outside the mall (with a note): it leaves the work
    list and the case closes. Raises NotFoundError, AftersalesNoteRequiredError,
    AftersalesRefundNotFailedError."""
    case = queries.get_case_for_operator(session, actor, case_id)
    note = _note(note)
    now = clock.now()
    if not _move_refund(session, case.id, (CaseRefundStatus.FAILED,), CaseRefundStatus.SETTLED_BY_HAND):
        raise domain.AftersalesRefundNotFailedError()
    _move(session, case, (AftersalesStatus.AGREED, AftersalesStatus.DECIDED), AftersalesStatus.CLOSED, closed_at=now)
    payables.recompute_dispute(session, case.order_id)
    _tell(session, case, f"售后申请 #{case.id} 的退款已由平台人工处理：{note}")
    audit.record(
        session,
        actor_id=actor.id,
        action="aftersales.refund_settled",
        target_type="aftersales_case",
        target_id=case.id,
        note=note,
    )
    session.commit()
    return case


# ---- jobs ---------------------------------------------------------------------------------------


def escalate_overdue_cases(session: Session) -> int:
    """Job: a case the supplier has not answered in time goes to the platform operator."""
    now = clock.now()
    done = 0
    for case_id in queries.overdue_answer_ids(session, now):
        case = session.get(AftersalesCase, case_id)
        moved = transitions.move(
            session,
            AftersalesCase,
            case_id,
            frm=(AftersalesStatus.OPEN,),
            to=AftersalesStatus.ESCALATED,
            ensure=domain.ensure_aftersales_transition,
            where=(AftersalesCase.answer_due_at < now,),
            escalated_at=now,
        )
        if moved:
            _tell(session, case, f"售后申请 #{case.id} 供应商逾期未答复，已转平台仲裁", operators=True)
            done += 1
        session.commit()
    return done


def retry_failed_refunds(session: Session) -> int:
    """Job: refused case refunds are tried again when their back-off has passed; pending ones
    follow the orders' refund once the payment service has answered it."""
    now = clock.now()
    done = 0
    for case_id in queries.refund_retry_ids(session, now):
        if not _move_refund(
            session,
            case_id,
            (CaseRefundStatus.FAILED,),
            CaseRefundStatus.PENDING,
            AftersalesCase.refund_retry_at <= now,
        ):
            session.rollback()
            continue
        case = session.get(AftersalesCase, case_id, populate_existing=True)
        try:
            _pay(session, case, actor_id=None, now=now)
        except order_domain.RefundExceedsPaidError:
            session.rollback()
            _postpone(session, case_id, now)
        done += 1
    for case_id in queries.pending_refund_ids(session):
        case = session.get(AftersalesCase, case_id, populate_existing=True)
        refund = session.get(Refund, case.refund_id, populate_existing=True)
        if refund.status is not RefundStatus.PENDING:
            _record_refund(session, case_id, refund)
            done += 1
    return done


def _postpone(session: Session, case_id: int, now: datetime) -> None:
    """A retry the order could not take (nothing left to refund): tried again later, and the
    operator sees it meanwhile."""
    case = session.get(AftersalesCase, case_id, populate_existing=True)
    attempts = case.refund_attempts + 1
    session.execute(
        update(AftersalesCase)
        .where(AftersalesCase.id == case_id, AftersalesCase.refund_status == CaseRefundStatus.FAILED)
        .values(refund_attempts=attempts, refund_retry_at=domain.refund_retry_at(now, attempts)),
        execution_options={"synchronize_session": False},
    )
    session.commit()

"""Reads of after-sales cases, scoped: the buyer's unit sees the cases of the orders it may see,
the supplier its own, the platform operator every case (it arbitrates and watches refunds)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Product, SupplierMember
from fulfillment.domain import OPEN_AFTERSALES, AftersalesStatus, CaseRefundStatus, Ruling
from fulfillment.models import AftersalesCase, AftersalesLine, LineFulfillment, OrderFulfillment
from mall.accounts.domain import Role
from mall.accounts.models import User, UserRole
from mall.errors import NotFoundError
from orders import queries as order_queries
from orders.domain import OrderFilters
from orders.models import Order, OrderLine

WITH_DETAILS = (
    selectinload(AftersalesCase.order),
    selectinload(AftersalesCase.lines).selectinload(AftersalesLine.order_line),
    selectinload(AftersalesCase.photos),
)


def _load(session: Session, case_id: object) -> AftersalesCase:
    case = None
    if isinstance(case_id, int):
        case = session.scalar(
            select(AftersalesCase)
            .where(AftersalesCase.id == case_id)
            .options(*WITH_DETAILS)
            .execution_options(populate_existing=True)
        )
    if case is None:
        raise NotFoundError("未找到该售后申请")
    return case


def get_case_for_buyer(session: Session, user: User, case_id: object) -> AftersalesCase:
    case = _load(session, case_id)
    try:
        order_queries.get_order_for_buyer(session, user, case.order_id)
    except NotFoundError:
        raise NotFoundError("未找到该售后申请") from None
    return case


def get_case_for_supplier(session: Session, user: User, case_id: object) -> AftersalesCase:
    case = _load(session, case_id)
    supplier = order_queries.supplier_of(session, user)
    if supplier is None or case.supplier_id != supplier.id:
        raise NotFoundError("未找到该售后申请")
    return case


def get_case_for_operator(session: Session, user: User, case_id: object) -> AftersalesCase:
    if not user.has_role(Role.PLATFORM_OPERATOR):
        raise NotFoundError("未找到该售后申请")
    return _load(session, case_id)


def get_case_for_anyone(session: Session, user: User, case_id: object) -> AftersalesCase:
    """The case as whoever asks may see it: the operator, its supplier or the buyer's unit."""
    for getter in (get_case_for_operator, get_case_for_supplier, get_case_for_buyer):
        try:
            return getter(session, user, case_id)
        except NotFoundError:
            continue
    raise NotFoundError("未找到该售后申请")


def order_cases(session: Session, order_id: int) -> list[AftersalesCase]:
    return list(
        session.scalars(
            select(AftersalesCase)
            .where(AftersalesCase.order_id == order_id)
            .options(*WITH_DETAILS)
            .order_by(AftersalesCase.id.desc())
        )
    )


def _newest(stmt: Select) -> Select:
    return stmt.options(*WITH_DETAILS).order_by(AftersalesCase.opened_at.desc(), AftersalesCase.id.desc())


def buyer_cases_select(user: User) -> Select:
    visible = order_queries.buyer_orders_select(user, OrderFilters()).order_by(None).subquery()
    return _newest(select(AftersalesCase).where(AftersalesCase.order_id.in_(select(visible.c.id))))


def supplier_cases_select(supplier_id: int) -> Select:
    return _newest(select(AftersalesCase).where(AftersalesCase.supplier_id == supplier_id))


def escalated_select() -> Select:
    """The operator's arbitration list: escalated cases, oldest escalation first."""
    return (
        select(AftersalesCase)
        .where(AftersalesCase.status == AftersalesStatus.ESCALATED)
        .options(*WITH_DETAILS)
        .order_by(AftersalesCase.escalated_at, AftersalesCase.id)
    )


def failed_refunds_select() -> Select:
    """The operator's refund work list: case refunds the payment service refused, until they
    succeed on a retry or a person settles them."""
    return (
        select(AftersalesCase)
        .where(AftersalesCase.refund_status == CaseRefundStatus.FAILED)
        .options(*WITH_DETAILS)
        .order_by(AftersalesCase.refund_retry_at, AftersalesCase.id)
    )


def overdue_answer_ids(session: Session, now: datetime) -> list[int]:
    return list(
        session.scalars(
            select(AftersalesCase.id)
            .where(AftersalesCase.status == AftersalesStatus.OPEN, AftersalesCase.answer_due_at < now)
            .order_by(AftersalesCase.answer_due_at, AftersalesCase.id)
        )
    )


def refund_retry_ids(session: Session, now: datetime) -> list[int]:
    return list(
        session.scalars(
            select(AftersalesCase.id)
            .where(AftersalesCase.refund_status == CaseRefundStatus.FAILED, AftersalesCase.refund_retry_at <= now)
            .order_by(AftersalesCase.refund_retry_at, AftersalesCase.id)
        )
    )


def pending_refund_ids(session: Session) -> list[int]:
    """Case refunds handed to the orders' refund machinery whose outcome is not known yet."""
    return list(
        session.scalars(
            select(AftersalesCase.id)
            .where(AftersalesCase.refund_status == CaseRefundStatus.PENDING, AftersalesCase.refund_id.is_not(None))
            .order_by(AftersalesCase.id)
        )
    )


def count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


# ---- what a new case is checked against ----------------------------------------------------------


def lock_order(session: Session, order_id: int) -> None:
    """Hold the order's row until the transaction ends (PostgreSQL; SQLite writes one at a time)."""
    session.execute(select(Order.id).where(Order.id == order_id).with_for_update())


def order_progress(session: Session, order_id: int) -> tuple[OrderFulfillment | None, list[LineFulfillment]]:
    record = session.get(OrderFulfillment, order_id)
    rows = session.scalars(
        select(LineFulfillment).where(LineFulfillment.order_id == order_id).order_by(LineFulfillment.order_line_id)
    ).all()
    return record, list(rows)


def quantities_in_cases(session: Session, order_id: int) -> tuple[Counter, set[int]]:
    """By order line: the quantities earlier cases cover (withdrawn ones and those ruled for the
    supplier or refused for good do not count), and the lines with a case still in progress."""
    rows = session.execute(
        select(AftersalesLine.order_line_id, AftersalesLine.quantity, AftersalesCase.status, AftersalesCase.ruling)
        .join(AftersalesCase, AftersalesCase.id == AftersalesLine.case_id)
        .where(AftersalesCase.order_id == order_id)
    ).all()
    covered, in_progress = Counter(), set()
    for line_id, quantity, status, ruling in rows:
        if status in OPEN_AFTERSALES:
            in_progress.add(line_id)
        if status not in (AftersalesStatus.WITHDRAWN, AftersalesStatus.REFUSED) and ruling is not Ruling.FOR_SUPPLIER:
            covered[line_id] += quantity
    return covered, in_progress


def line_storages(session: Session, order_id: int) -> dict[int, object]:
    rows = session.execute(
        select(OrderLine.id, Product.storage)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order_id)
    ).all()
    return dict(rows)


def supplier_member_ids(session: Session, supplier_id: int) -> list[int]:
    return list(session.scalars(select(SupplierMember.user_id).where(SupplierMember.supplier_id == supplier_id)))


def operator_ids(session: Session) -> list[int]:
    return list(session.scalars(select(UserRole.user_id).where(UserRole.role == Role.PLATFORM_OPERATOR)))

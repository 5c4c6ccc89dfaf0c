"""Reads of acceptance (验收), evaluations and supplier standing, with their scope: a buyer sees
its unit's orders (orders.queries), a supplier its own orders and evaluations, the operator all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import SupplierMember
from fulfillment.models import Evaluation, LineFulfillment, OrderFulfillment
from mall.accounts.models import User
from mall.bounds import is_id
from mall.errors import NotFoundError
from orders import queries as order_queries
from orders.domain import OrderFilters, OrderStatus
from orders.models import Order


def get_order_for_buyer(session: Session, user: User, order_id: object) -> Order:
    """An order of the user's unit (or the employee's own); else NotFoundError."""
    return order_queries.get_order_for_buyer(session, user, order_id)


def progress(session: Session, order_id: int) -> tuple[OrderFulfillment | None, dict[int, LineFulfillment]]:
    """The order's fulfillment record and its lines' rows by order line id, as committed now."""
    record = session.get(OrderFulfillment, order_id, populate_existing=True)
    rows = session.scalars(
        select(LineFulfillment)
        .where(LineFulfillment.order_id == order_id)
        .options(selectinload(LineFulfillment.photos))
        .execution_options(populate_existing=True)
    ).all()
    return record, {row.order_line_id: row for row in rows}


def order_numbers(session: Session, order_ids: list[int]) -> dict[int, str]:
    return dict(session.execute(select(Order.id, Order.number).where(Order.id.in_(order_ids))).all())


def supplier_user_ids(session: Session, supplier_id: int) -> list[int]:
    return list(
        session.scalars(
            select(SupplierMember.user_id).where(SupplierMember.supplier_id == supplier_id).order_by(SupplierMember.id)
        )
    )


# ---- evaluations -------------------------------------------------------------------------------


def evaluation_of(session: Session, order_id: int) -> Evaluation | None:
    return session.scalar(
        select(Evaluation).where(Evaluation.order_id == order_id).execution_options(populate_existing=True)
    )


def get_evaluation_for_supplier(session: Session, user: User, evaluation_id: object) -> Evaluation:
    """An evaluation of the user's own supplier; else NotFoundError."""
    supplier = order_queries.supplier_of(session, user)
    evaluation = session.get(Evaluation, evaluation_id, populate_existing=True) if is_id(evaluation_id) else None
    if evaluation is None or supplier is None or evaluation.supplier_id != supplier.id:
        raise NotFoundError("未找到该评价")
    return evaluation


def supplier_evaluations_select(supplier_id: int) -> Select:
    """A supplier's evaluations, newest first, those without an answer first."""
    return (
        select(Evaluation)
        .where(Evaluation.supplier_id == supplier_id)
        .order_by(Evaluation.replied_at.is_not(None), Evaluation.submitted_at.desc(), Evaluation.id.desc())
    )


@dataclass(frozen=True)
class AwaitingEvaluation:
    order: Order
    due_on: date
    days_left: int


def awaiting_evaluation(session: Session, user: User, today: date, limit: int = 20) -> list[AwaitingEvaluation]:
    """The user's unit's (or the employee's own) accepted orders still to evaluate, the soonest
    deadline first: the dashboard reminds them before the default is recorded."""
    scope = order_queries.buyer_orders_select(user, OrderFilters()).order_by(None).subquery()
    rows = session.execute(
        select(Order, OrderFulfillment.evaluation_due_on)
        .join(OrderFulfillment, OrderFulfillment.order_id == Order.id)
        .where(
            Order.status == OrderStatus.ACCEPTED,
            OrderFulfillment.evaluated_at.is_(None),
            Order.id.in_(select(scope.c.id)),
        )
        .order_by(OrderFulfillment.evaluation_due_on, Order.id)
        .limit(limit)
    ).all()
    return [AwaitingEvaluation(order, due_on, (due_on - today).days) for order, due_on in rows]


def unanswered_count(session: Session, supplier_id: int) -> int:
    """The supplier's evaluations given by a buyer (not defaults) it has not answered."""
    return session.scalar(
        select(func.count(Evaluation.id)).where(
            Evaluation.supplier_id == supplier_id, Evaluation.replied_at.is_(None), Evaluation.is_default.is_(False)
        )
    )

"""Reads of acceptance (验收), evaluations and supplier standing, with their scope: a buyer sees
its unit's orders (orders.queries), a supplier its own orders and evaluations, the operator all."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.models import SupplierMember
from fulfillment.models import LineFulfillment, OrderFulfillment
from mall.accounts.models import User
from orders import queries as order_queries
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


def supplier_user_ids(session: Session, supplier_id: int) -> list[int]:
    return list(
        session.scalars(
            select(SupplierMember.user_id).where(SupplierMember.supplier_id == supplier_id).order_by(SupplierMember.id)
        )
    )

"""Reads of shipping: the orders a shipper may ship (the supplier's accounts, and the cooperative's
operators for the suppliers it serves), the waiting-to-ship list with the buyer's delivery-date
wish and how late it is, and an order's parcels with their timelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, nulls_last, select
from sqlalchemy.orm import Session, selectinload

from catalog import access
from catalog.domain import STORAGE_LABELS
from catalog.models import Product
from fulfillment.domain import LineProgress
from fulfillment.models import LineFulfillment, OrderFulfillment, Shipment
from mall.accounts.models import User
from mall.bounds import is_id
from mall.errors import NotFoundError
from orders.domain import AWAITING_SHIPMENT
from orders.models import Order, OrderLine
from orders.queries import WITH_PARTIES


def get_order_for_shipper(session: Session, user: User, order_id: object) -> Order:
    """An order of a supplier the user may act for (NotFoundError otherwise)."""
    order = session.get(Order, order_id) if is_id(order_id) else None
    if order is None or not access.can_act_for(session, user, order.supplier):
        raise NotFoundError("未找到该订单")
    return order


def may_ship(session: Session, user: User, order: Order) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and access.can_act_for(session, user, order.supplier)


def waiting_to_ship_select(session: Session, user: User) -> Select | None:
    """The orders with quantities still to put in parcels, of the suppliers the user acts for:
    the buyer's wished delivery date first (none last), then the oldest."""
    suppliers = access.actable_supplier_ids(session, user)
    if suppliers is None:
        return None
    return (
        select(Order)
        .where(Order.supplier_id.in_(suppliers), Order.status.in_(AWAITING_SHIPMENT))
        .options(*WITH_PARTIES)
        .order_by(nulls_last(Order.delivery_on.asc()), Order.placed_at, Order.id)
    )


def days_late(wished_on: date | None, today: date) -> int:
    """How many days past the buyer's wished delivery date (0 when none or not yet)."""
    return max(0, (today - wished_on).days) if wished_on else 0


def line_progress(session: Session, order: Order) -> list[LineProgress]:
    """Every line of the order with what is already in parcels (nothing before the first parcel)."""
    shipped = dict(
        session.execute(
            select(LineFulfillment.order_line_id, LineFulfillment.shipped_qty).where(
                LineFulfillment.order_id == order.id
            )
        ).all()
    )
    return [LineProgress(line.id, line.quantity, shipped.get(line.id, 0)) for line in order.lines]


def line_storages(session: Session, line_ids: list[int]) -> list:
    """The storage (常温/冷藏/冷冻) of the products on these order lines."""
    return list(
        session.scalars(
            select(Product.storage)
            .join(OrderLine, OrderLine.product_id == Product.id)
            .where(OrderLine.id.in_(line_ids))
        )
    )


def storage_labels(session: Session, order: Order) -> dict[int, str]:
    """常温/冷藏/冷冻 of each line's product, by order line id (the ship form shows it)."""
    rows = session.execute(
        select(OrderLine.id, Product.storage)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id)
    )
    return {line_id: STORAGE_LABELS[storage] for line_id, storage in rows}


def shipments_of(session: Session, order_id: int) -> list[Shipment]:
    """The order's parcels, oldest first, with their lines and events (each timeline in event time)."""
    return list(
        session.scalars(
            select(Shipment)
            .where(Shipment.order_id == order_id)
            .options(selectinload(Shipment.lines), selectinload(Shipment.events))
            .order_by(Shipment.shipped_at, Shipment.id)
        )
    )


def order_fulfillment(session: Session, order_id: int) -> OrderFulfillment | None:
    return session.get(OrderFulfillment, order_id)


@dataclass(frozen=True)
class WaitingOrder:
    order: Order
    days_late: int


def waiting_rows(orders: list[Order], today: date) -> list[WaitingOrder]:
    return [WaitingOrder(o, days_late(o.delivery_on, today)) for o in orders]

"""Shipping: the supplier (or the cooperative's operator for the goods it handles) puts an order's
goods into one or several parcels, each with a carrier from the list and its tracking number.

One transaction per parcel. The order row is locked first (of two shippers of one order, the second
waits and then sees the first's parcel), the quantities are checked by the shipping rules, and each
line's `shipped_qty` grows by a guarded UPDATE that moves only while it stays within what was
ordered — so even a path that skipped the lock could never ship more. The order moves to partly
shipped or shipped through `orders.services.moves.move_orders`; the buyer is notified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfillment import domain
from fulfillment.domain import LineProgress, ShipmentStatus
from fulfillment.models import LineFulfillment, OrderFulfillment, Shipment, ShipmentLine
from fulfillment.queries import shipping as queries
from mall import clock
from mall.accounts.models import User
from mall.notifications import notify
from orders.domain import AWAITING_SHIPMENT, OrderStatus
from orders.models import Order
from orders.services.moves import move_orders


@dataclass(frozen=True)
class ParcelRequest:
    """What the shipper filled in: carrier code, tracking number, quantities by order line id."""

    carrier_code: str
    tracking_no: str
    quantities: Mapping[int, object]


def ship_parcel(session: Session, *, actor: User, order_id: object, parcel: ParcelRequest) -> Shipment:
    """Hand one parcel of the order to a carrier. Raises NotFoundError (not the actor's supplier),
    OrderNotShippableError, UnknownCarrierError, InvalidTrackingNumberError, ColdChainRequiredError,
    UnknownOrderLineError, InvalidQuantityError, NothingToShipError, QuantityExceedsOrderedError,
    TrackingNumberTakenError."""
    order = queries.get_order_for_shipper(session, actor, order_id)
    carrier = domain.carrier_by_code((parcel.carrier_code or "").strip())
    tracking_no = carrier.check_tracking_no(parcel.tracking_no)
    _lock_order(session, order)
    if order.status not in AWAITING_SHIPMENT:
        raise domain.OrderNotShippableError()
    quantities = domain.check_parcel(queries.line_progress(session, order), parcel.quantities)
    domain.check_carrier_for(carrier, queries.line_storages(session, sorted(quantities)))
    now = clock.now()
    _ensure_progress_rows(session, order)
    for line_id in sorted(quantities):  # one lock order for every shipper
        _add_shipped(session, line_id, quantities[line_id])
    shipment = _new_shipment(session, order, carrier.code, tracking_no, quantities, actor_id=actor.id, now=now)
    to = _status_after(session, order)
    if to is not order.status:
        move_orders(
            session,
            [order],
            now=now,
            to=to,
            when=(order.status,),
            actor_id=actor.id,
            note=f"发货：{carrier.name} {tracking_no}",
        )
    notify(
        session,
        user_id=order.buyer_id,
        text=f"订单 {order.number} 已发货：{carrier.name} 运单号 {tracking_no}",
        link=f"/orders/{order.id}",
    )
    session.commit()
    return shipment


def _lock_order(session: Session, order: Order) -> None:
    # Re-read under a row lock (PostgreSQL; SQLite has one writer at a time anyway): a shipper
    # who waited sees the status and quantities the other one committed.
    session.refresh(order, ["status"], with_for_update=True)


def _ensure_progress_rows(session: Session, order: Order) -> None:
    """The order's and its lines' fulfillment rows, made with the first parcel."""
    if session.get(OrderFulfillment, order.id) is None:
        session.add(OrderFulfillment(order_id=order.id, auto_accepted=False, rejected_fen=0, refund_fen=0))
    have = set(session.scalars(select(LineFulfillment.order_line_id).where(LineFulfillment.order_id == order.id)))
    missing = [line for line in order.lines if line.id not in have]
    if missing:
        session.execute(
            insert(LineFulfillment),
            [
                {"order_line_id": line.id, "order_id": order.id, "ordered_qty": line.quantity, "shipped_qty": 0}
                for line in missing
            ],
        )
    session.flush()


def _add_shipped(session: Session, line_id: int, quantity: int) -> None:
    """shipped_qty += quantity, only while it stays within the ordered quantity."""
    moved = session.execute(
        update(LineFulfillment)
        .where(
            LineFulfillment.order_line_id == line_id,
            LineFulfillment.shipped_qty + quantity <= LineFulfillment.ordered_qty,
        )
        .values(shipped_qty=LineFulfillment.shipped_qty + quantity)
        .returning(LineFulfillment.shipped_qty),
        execution_options={"synchronize_session": False},
    ).first()
    if moved is None:
        raise domain.QuantityExceedsOrderedError(order_line_id=line_id)


def _new_shipment(
    session: Session,
    order: Order,
    carrier_code: str,
    tracking_no: str,
    quantities: Mapping[int, int],
    *,
    actor_id: int,
    now,
) -> Shipment:
    taken = session.scalar(
        select(Shipment.id).where(Shipment.carrier_code == carrier_code, Shipment.tracking_no == tracking_no)
    )
    if taken is not None:
        raise domain.TrackingNumberTakenError()
    shipment = Shipment(
        order_id=order.id,
        carrier_code=carrier_code,
        tracking_no=tracking_no,
        status=ShipmentStatus.CREATED,
        shipped_at=now,
        created_by_id=actor_id,
    )
    shipment.lines = [ShipmentLine(order_line_id=i, quantity=q) for i, q in sorted(quantities.items())]
    session.add(shipment)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # the same number given by another parcel a moment ago
        raise domain.TrackingNumberTakenError() from None
    return shipment


def _status_after(session: Session, order: Order) -> OrderStatus:
    rows = session.execute(
        select(LineFulfillment.order_line_id, LineFulfillment.ordered_qty, LineFulfillment.shipped_qty).where(
            LineFulfillment.order_id == order.id
        )
    ).all()
    return domain.status_after_parcel([LineProgress(*row) for row in rows], {})

"""Tracking: carrier events arriving at `POST /webhooks/carrier/<carrier>`, and the built-in
simulated carrier that posts them there over HTTP from the jobs loop.

An event is taken only with the carrier's signature over the raw body (nothing is read before it
is checked). The parcel's row is locked while its event is stored, so the events of one parcel are
applied one at a time; an event id the carrier already sent is stored once (the insert skips a
duplicate); the parcel's status is folded from its whole timeline in event time, so events that
arrive out of order give the same status as in order. The last parcel signed for moves the order
to delivered (through `move_orders`), starts its acceptance window, and tells the buyer.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from catalog.models import Supplier
from fulfillment import domain
from fulfillment.domain import CarrierEventInput, IncidentRates, LineProgress, Place, ShipmentStatus, TimelineEvent
from fulfillment.models import CarrierEvent, LineFulfillment, OrderFulfillment, Shipment
from mall import clock
from mall.errors import ConflictError, NotFoundError
from mall.notifications import notify
from mall.policy.queries import terms_at
from mall.regions.models import Region
from mall.transitions import move
from orders.domain import OrderStatus
from orders.models import Order
from orders.services.moves import move_orders

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventOutcome:
    stored: bool  # False: the carrier had sent this event id before
    shipment_id: int
    status: ShipmentStatus  # the parcel's status after it
    order_delivered: bool = False  # this event completed the order's delivery


def receive_carrier_event(
    session: Session, *, carrier_code: str, body: bytes, signature: str | None, secret: str
) -> EventOutcome:
    """Store one signed carrier event and apply it. Raises NotFoundError (no such carrier),
    BadSignatureError (401), InvalidCarrierEventError, UnknownTrackingNumberError (404, logged)."""
    try:
        carrier = domain.carrier_by_code(carrier_code)
    except domain.UnknownCarrierError:
        raise NotFoundError("未知的承运商") from None
    domain.check_signature(secret, body, signature)
    try:
        data = json.loads(body)
    except ValueError:
        raise domain.InvalidCarrierEventError("物流事件须为 JSON 对象") from None
    event = domain.parse_event_payload(data)
    shipment = session.scalar(
        select(Shipment)
        .where(Shipment.carrier_code == carrier.code, Shipment.tracking_no == event.tracking_no)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if shipment is None:
        log.warning(
            "carrier %s sent event %s for unknown tracking number %s", carrier.code, event.event_id, event.tracking_no
        )
        raise domain.UnknownTrackingNumberError(tracking_no=event.tracking_no)
    now = clock.now()
    if not _store(session, shipment, event, now):
        session.commit()
        return EventOutcome(False, shipment.id, shipment.status)
    before = shipment.status
    after = _apply_timeline(session, shipment)
    delivered = after is ShipmentStatus.DELIVERED and before is not ShipmentStatus.DELIVERED
    order_delivered = delivered and _deliver_order_if_done(session, shipment.order_id, now)
    session.commit()
    return EventOutcome(True, shipment.id, after, order_delivered)


def _store(session: Session, shipment: Shipment, event: CarrierEventInput, now: datetime) -> bool:
    """Insert the event unless the carrier's event id is known: whether it was new."""
    values = {
        "shipment_id": shipment.id,
        "carrier_code": shipment.carrier_code,
        "event_id": event.event_id,
        "code": event.code,
        "city": event.city,
        "note": event.note,
        "event_at": event.event_at,
        "received_at": now,
    }
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = make(CarrierEvent).values(values).on_conflict_do_nothing(index_elements=["carrier_code", "event_id"])
    else:  # pragma: no cover - the mall runs on these two
        stmt = insert(CarrierEvent).values(values)
    return session.execute(stmt.returning(CarrierEvent.id)).first() is not None


def _apply_timeline(session: Session, shipment: Shipment) -> ShipmentStatus:
    """The parcel's status and signing time folded from its whole timeline (a guarded UPDATE on the
    status read under the lock)."""
    events = [
        TimelineEvent(at, code, city, note)
        for at, code, city, note in session.execute(
            select(CarrierEvent.event_at, CarrierEvent.code, CarrierEvent.city, CarrierEvent.note).where(
                CarrierEvent.shipment_id == shipment.id
            )
        )
    ]
    status, signed_at = domain.shipment_status(events), domain.delivered_at(events)
    if status is shipment.status and signed_at == shipment.delivered_at:
        return status
    if not move(session, Shipment, shipment.id, frm=(shipment.status,), to=status, delivered_at=signed_at):
        raise ConflictError()
    session.expire(shipment, ["events"])
    return status


def _deliver_order_if_done(session: Session, order_id: int, now: datetime) -> bool:
    """Every quantity shipped and every parcel signed for: the order is delivered at the last
    signature, its acceptance window starts, and the buyer is told."""
    order = session.scalar(
        select(Order).where(Order.id == order_id).with_for_update().execution_options(populate_existing=True)
    )
    if order is None or order.status is not OrderStatus.SHIPPED:
        return False
    rows = session.execute(
        select(LineFulfillment.order_line_id, LineFulfillment.ordered_qty, LineFulfillment.shipped_qty).where(
            LineFulfillment.order_id == order_id
        )
    ).all()
    parcels = session.execute(select(Shipment.status, Shipment.delivered_at).where(Shipment.order_id == order_id)).all()
    if not domain.is_delivered([LineProgress(*row) for row in rows], [status for status, _ in parcels]):
        return False
    delivered_at = max(at for _, at in parcels)
    due_on = domain.acceptance_due_on(delivered_at, terms_at(session, now))
    moved = move_orders(
        session, [order], now=now, to=OrderStatus.DELIVERED, when=(OrderStatus.SHIPPED,), note="全部包裹已签收"
    )
    if not moved:
        return False
    record = session.get(OrderFulfillment, order_id)
    record.delivered_at, record.acceptance_due_on = delivered_at, due_on
    notify(
        session,
        user_id=order.buyer_id,
        text=f"订单 {order.number} 已全部送达，请在 {due_on:%Y-%m-%d} 前完成验收",
        link=f"/orders/{order.id}",
    )
    return True


# ---- the simulated carrier ----------------------------------------------------------------------

USUAL_RATES = IncidentRates()  # a few delays, damaged parcels and failed first attempts
Poster = Callable[[str, bytes, dict[str, str]], int]  # (url, body, headers) → the HTTP status


def http_poster(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST over HTTP (the real path: the same webhook a carrier calls); the answer's status."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return answer.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError as err:  # the mall is not answering (not started yet, restarting)
        log.warning("simulated carrier: %s unreachable: %s", url, err)
        return 0


@dataclass(frozen=True)
class DueEvent:
    carrier_code: str
    shipment_id: int
    event: CarrierEventInput


def run_simulated_carrier(
    session: Session,
    *,
    base_url: str,
    secrets: Mapping[str, str],
    poster: Poster = http_poster,
    rates: IncidentRates = USUAL_RATES,
    limit: int = 500,
) -> int:
    """The jobs loop's simulated carrier: for every parcel not yet signed for, post each event of
    its plan (`domain.plan_events`, by the real distance from the supplier's county to the delivery
    address) whose time has come on the simulation clock and that the webhook has not stored,
    signed with the carrier's secret. Returns how many the webhook stored. A parcel whose event was
    not taken waits for the next round (its later events keep their order)."""
    due = due_simulated_events(session, clock.now(), rates=rates, limit=limit)
    session.rollback()  # nothing held open while the webhook writes
    stored, stalled = 0, set()
    for item in due:
        if item.shipment_id in stalled:
            continue
        body = json.dumps(domain.event_payload(item.event), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            domain.SIGNATURE_HEADER: domain.sign(secrets.get(item.carrier_code, ""), body),
        }
        status = poster(f"{base_url.rstrip('/')}/webhooks/carrier/{item.carrier_code}", body, headers)
        if status == 200:
            stored += 1
        else:
            stalled.add(item.shipment_id)
            log.warning("simulated carrier: webhook answered %s for %s", status, item.event.event_id)
    return stored


def due_simulated_events(
    session: Session, now: datetime, *, rates: IncidentRates = USUAL_RATES, limit: int = 500
) -> list[DueEvent]:
    """The planned events of parcels in transit whose time has come and that are not stored yet,
    parcel by parcel in event-time order (at most `limit` parcels, the oldest first)."""
    shipments = session.execute(
        select(Shipment, Supplier.region_code, Order.ship_to_region_code)
        .join(Order, Order.id == Shipment.order_id)
        .join(Supplier, Supplier.id == Order.supplier_id)
        .where(Shipment.status != ShipmentStatus.DELIVERED, Shipment.shipped_at <= now)
        .order_by(Shipment.shipped_at, Shipment.id)
        .limit(limit)
    ).all()
    places = _places(session, {code for _, *codes in shipments for code in codes})
    known = _known_event_ids(session, [s.id for s, _, _ in shipments])
    due = []
    for shipment, origin_code, destination_code in shipments:
        origin, destination = places.get(origin_code), places.get(destination_code)
        if origin is None or destination is None:
            log.warning("simulated carrier: no coordinates for parcel %s", shipment.id)
            continue
        plan = domain.plan_events(
            shipped_at=shipment.shipped_at,
            origin=origin,
            destination=destination,
            carrier=domain.carrier_by_code(shipment.carrier_code),
            seed=f"{shipment.carrier_code}:{shipment.tracking_no}",
            rates=rates,
        )
        for i, planned in enumerate(plan):
            event_id = domain.planned_event_id(shipment.tracking_no, i)
            at = shipment.shipped_at + planned.offset
            if at <= now and event_id not in known:
                event = CarrierEventInput(event_id, shipment.tracking_no, planned.code, at, planned.city, planned.note)
                due.append(DueEvent(shipment.carrier_code, shipment.id, event))
    return due


def _places(session: Session, codes: set[str | None]) -> dict[str, Place]:
    """Each region's place for the simulated carrier: its own coordinates, else its parent's."""
    places = {}
    for code in filter(None, codes):
        region = session.get(Region, code)
        while region is not None and (region.longitude is None or region.latitude is None):
            region = region.parent
        if region is not None:
            places[code] = Place(session.get(Region, code).name, region.longitude, region.latitude)
    return places


def _known_event_ids(session: Session, shipment_ids: list[int]) -> set[str]:
    if not shipment_ids:
        return set()
    return set(session.scalars(select(CarrierEvent.event_id).where(CarrierEvent.shipment_id.in_(shipment_ids))))

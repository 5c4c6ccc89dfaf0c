"""What fulfillment adds to other packages' pages: a small function per block, registered in
`init_app` (the parcels' timelines on the buyer's and the supplier's order pages, the
waiting-to-ship link) and the jobs (the simulated carrier)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy.orm import Session

from fulfillment import carrier_secrets
from fulfillment.domain import CarrierEventCode, ShipmentStatus, timeline
from fulfillment.models import Shipment
from fulfillment.queries import shipping as shipping_queries
from fulfillment.services import tracking
from mall import clock
from mall.accounts.domain import Role
from mall.extensions import db
from mall.jobs import register_job
from mall.templating import Block, register_block, register_nav
from orders.domain import AWAITING_SHIPMENT

DEFAULT_BASE_URL = "http://127.0.0.1:5000"  # `make run`'s address

# The steps a parcel goes through, as the buyer's stepper shows them.
STEPS = (
    (None, "已发货"),
    (CarrierEventCode.PICKED_UP, "已揽收"),
    (CarrierEventCode.IN_TRANSIT, "运输中"),
    (CarrierEventCode.OUT_FOR_DELIVERY, "派送中"),
    (CarrierEventCode.DELIVERED, "已签收"),
)
_STEP_OF = {code: i for i, (code, _) in enumerate(STEPS) if code is not None}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # done, current, todo, or problem (the carrier reported an exception there)


def stepper(shipment: Shipment) -> list[Step]:
    """The parcel's steps: those its events reached are done, the furthest is current (a problem
    while the parcel's status is an exception), the rest to do."""
    reached = max((_STEP_OF[e.code] for e in shipment.events if e.code in _STEP_OF), default=0)
    if shipment.status is ShipmentStatus.DELIVERED:
        reached = len(STEPS) - 1
    now_state = "problem" if shipment.status is ShipmentStatus.EXCEPTION else "current"
    return [
        Step(
            label,
            "done"
            if i < reached or shipment.status is ShipmentStatus.DELIVERED
            else now_state
            if i == reached
            else "todo",
        )
        for i, (_, label) in enumerate(STEPS)
    ]


def parcels_of(order) -> list[dict]:
    return [
        {"shipment": s, "steps": stepper(s), "events": list(reversed(timeline(s.timeline())))}
        for s in shipping_queries.shipments_of(db.session, order.id)
    ]


def _buyer_tracking(user, order=None, **_: object) -> dict | None:
    if order is None:
        return None
    parcels = parcels_of(order)
    if not parcels and order.status not in AWAITING_SHIPMENT:
        return None
    record = shipping_queries.order_fulfillment(db.session, order.id)
    return {
        "parcels": parcels,
        "delivered_at": record.delivered_at if record else None,
        "days_late": shipping_queries.days_late(order.delivery_on, clock.today()) if not parcels else 0,
    }


def _supplier_shipping(user, order=None, **_: object) -> dict | None:
    if order is None:
        return None
    parcels = parcels_of(order)
    may_ship = order.status in AWAITING_SHIPMENT and shipping_queries.may_ship(db.session, user, order)
    if not parcels and not may_ship:
        return None
    return {
        "parcels": parcels,
        "may_ship": may_ship,
        "days_late": shipping_queries.days_late(order.delivery_on, clock.today()),
    }


def simulated_carrier_job(session: Session) -> int:
    """The jobs loop's simulated carrier (in simulation mode, or when SIMULATED_CARRIER is set):
    posts the parcels' due events to this mall's webhook at MALL_BASE_URL, over HTTP."""
    config = current_app.config
    enabled = config.get("SIMULATED_CARRIER")
    if enabled is None and os.environ.get("SIMULATED_CARRIER", "").strip():
        enabled = os.environ["SIMULATED_CARRIER"].strip().lower() in {"1", "true", "yes", "on"}
    if enabled is None:
        enabled = config.get("CLOCK_SIMULATION") and not config.get("TESTING")
    if not enabled:
        return 0
    base_url = config.get("MALL_BASE_URL") or os.environ.get("MALL_BASE_URL") or DEFAULT_BASE_URL
    return tracking.run_simulated_carrier(session, base_url=base_url, secrets=config[carrier_secrets.CONFIG_KEY])


def init_app(app: Flask) -> None:
    register_block(
        app, Block("order:after_payment", "物流跟踪", "fulfillment/shipping/blocks/tracking.html", _buyer_tracking)
    )
    register_block(
        app,
        Block(
            "supplier_order:after_payment",
            "发货与物流",
            "fulfillment/shipping/blocks/supplier_shipping.html",
            _supplier_shipping,
        ),
    )
    register_job(app, "fulfillment.simulated_carrier", simulated_carrier_job)
    register_nav(app, "待发货", "shipping.waiting_list", Role.SUPPLIER, Role.COOP_OPERATOR, order=34)

"""What fulfillment adds to other packages' pages: a small function per block, registered in
`init_app` (the parcels' timelines on the buyer's and the supplier's order pages, the
waiting-to-ship link; acceptance and evaluation on the order pages, the evaluation reminder, the
supplier's and the operator's standing panels, the standing on the product page (cards show a
suspension through the catalog supplier's status)) and the jobs (the simulated carrier, automatic
acceptance, default evaluations, the monthly scorecards). After-sales and payables add theirs in
`aftersales_blocks`."""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy.orm import Session

from fulfillment import carrier_secrets
from fulfillment.domain import CarrierEventCode, ShipmentStatus, Standing, timeline
from fulfillment.models import Shipment
from fulfillment.queries import acceptance as queries
from fulfillment.queries import scorecards as score_queries
from fulfillment.queries import shipping as shipping_queries
from fulfillment.services import tracking
from mall import clock
from mall.accounts.domain import Role
from mall.extensions import db
from mall.jobs import register_job
from mall.policy.domain import is_past
from mall.templating import Block, register_block, register_nav
from orders import queries as order_queries
from orders.domain import AWAITING_SHIPMENT, OrderStatus, may_act_on

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


# ---- acceptance, evaluations, standing --------------------------------------------------------

UNIT_ROLES = (Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER, Role.EMPLOYEE)
STANDING_BADGES = {
    Standing.EXCELLENT: "green",
    Standing.GOOD: "green",
    Standing.PASS: "gray",
    Standing.WARNING: "amber",
    Standing.SUSPENDED: "red",
    Standing.INSUFFICIENT: "gray",
}


def _acceptance(order) -> dict | None:
    """The order's acceptance and evaluation as they stand (None before delivery)."""
    record, rows = queries.progress(db.session, order.id)
    if record is None or record.delivered_at is None:
        return None
    evaluation = queries.evaluation_of(db.session, order.id)
    now = clock.now()
    return {
        "order": order,
        "record": record,
        "rows": rows,
        "lines": {line.id: line for line in order.lines},
        "evaluation": evaluation,
        "editable": evaluation is not None and not evaluation.is_default and now <= evaluation.editable_until,
        "can_accept": order.status is OrderStatus.DELIVERED
        and not (record.acceptance_due_on and is_past(record.acceptance_due_on, now)),
        "can_evaluate": order.status is OrderStatus.ACCEPTED
        and record.evaluation_due_on is not None
        and not is_past(record.evaluation_due_on, now),
    }


def _buyer_order(user, order=None, **_: object) -> dict | None:
    context = _acceptance(order) if order is not None else None
    if context is not None:
        context["may_act"] = may_act_on(order.purpose, user.roles)
    return context


def _supplier_order(user, order=None, **_: object) -> dict | None:
    from fulfillment.forms import ReplyForm

    context = _acceptance(order) if order is not None else None
    if context is not None:
        context["reply_form"] = ReplyForm(formdata=None)
    return context


def _to_evaluate(user, **_: object) -> dict | None:
    if user.unit_id is None:
        return None
    items = queries.awaiting_evaluation(db.session, user, clock.today())
    return {"awaiting": items} if items else None


def _supplier_standing_panel(user, **_: object) -> dict | None:
    supplier = order_queries.supplier_of(db.session, user)
    if supplier is None:
        return None
    latest = score_queries.latest_standing(db.session, supplier.id)
    unanswered = queries.unanswered_count(db.session, supplier.id)
    return {"supplier": supplier, "standing": latest, "unanswered": unanswered}


def _operator_panel(user, **_: object) -> dict | None:
    return {"counts": score_queries.standing_counts(db.session)}


def _product_standing(user, product=None, **_: object) -> dict | None:
    if product is None:
        return None
    latest = score_queries.latest_standing(db.session, product.supplier_id)
    standing = latest.standing if latest else None
    return {"standing": standing, "latest": latest, "badge": STANDING_BADGES.get(standing, "gray")}


def init_app(app: Flask) -> None:
    from fulfillment import aftersales_blocks

    _register_acceptance(app)
    aftersales_blocks.init_app(app)
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


def _register_acceptance(app: Flask) -> None:
    """验收, 履约评价 and standing: blocks, links, the card badge and the jobs."""
    from fulfillment.services import acceptance, evaluations, standing

    page = "fulfillment/acceptance/blocks"
    for block in (
        Block("order:after_payment", "验收与评价", f"{page}/order_acceptance.html", _buyer_order, order=40),
        Block(
            "supplier_order:after_payment", "验收与评价", f"{page}/supplier_acceptance.html", _supplier_order, order=40
        ),
        *(
            Block(f"dashboard:{r}", "待评价订单", f"{page}/to_evaluate.html", _to_evaluate, order=25)
            for r in UNIT_ROLES
        ),
        Block(f"dashboard:{Role.SUPPLIER}", "履约评分", f"{page}/supplier_standing.html", _supplier_standing_panel),
        Block(f"dashboard:{Role.PLATFORM_OPERATOR}", "供应商信用", f"{page}/operator_standing.html", _operator_panel),
        Block("product:actions", "供应商履约", f"{page}/product_standing.html", _product_standing, order=90),
    ):
        register_block(app, block)
    register_nav(app, "履约评价", "fulfillment_acceptance.supplier_evaluations", Role.SUPPLIER, order=35)
    register_nav(app, "履约评分", "fulfillment_acceptance.supplier_scorecard", Role.SUPPLIER, order=36)
    register_nav(app, "供应商信用", "fulfillment_acceptance.standing_list", Role.PLATFORM_OPERATOR, order=60)
    register_job(app, "fulfillment.auto_accept", acceptance.auto_accept_due)
    register_job(app, "fulfillment.default_evaluations", evaluations.record_default_evaluations)
    register_job(app, "fulfillment.scorecards", standing.compute_scorecards)

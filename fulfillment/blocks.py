"""What fulfillment adds to other packages' pages: a small function per block, registered in
`init_app` (the parcels' timelines on the buyer's and the supplier's order pages, the
waiting-to-ship link, the order's after-sales cases, dashboard blocks for after-sales and
payables) and the jobs (the simulated carrier, escalation, refund retries, overdue notices)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfillment import carrier_secrets, services
from fulfillment.domain import AftersalesStatus, CarrierEventCode, ShipmentStatus, timeline
from fulfillment.models import AftersalesCase, Shipment
from fulfillment.queries import aftersales as aftersales_queries
from fulfillment.queries import payables as payable_queries
from fulfillment.queries import shipping as shipping_queries
from fulfillment.queries.payables import PayableFilter
from fulfillment.services import tracking
from fulfillment.services.aftersales import OPENABLE
from mall import clock
from mall.accounts.domain import Role
from mall.extensions import db
from mall.jobs import register_job
from mall.templating import Block, register_block, register_nav
from orders import domain as order_domain
from orders import queries as order_queries
from orders.domain import AWAITING_SHIPMENT

CASE_ROLES = (Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER, Role.EMPLOYEE, Role.SUPPLIER, Role.PLATFORM_OPERATOR)
PAYABLE_ROLES = (Role.UNIT_ADMIN, Role.FINANCE_OFFICER, Role.SUPPLIER)
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


def _shipping_pages(app: Flask) -> None:
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


def _order_aftersales(user, order=None, **_: object) -> dict | None:
    if order is None:
        return None
    cases = aftersales_queries.order_cases(db.session, order.id)
    may_open = (
        order.status in OPENABLE
        and order.unit_id == user.unit_id
        and order_domain.may_act_on(order.purpose, user.roles)
    )
    return {"order": order, "cases": cases, "may_open": may_open} if cases or may_open else None


def _supplier_cases(user, **_: object) -> dict | None:
    supplier = order_queries.supplier_of(db.session, user)
    if supplier is None:
        return None
    stmt = select(AftersalesCase).where(
        AftersalesCase.supplier_id == supplier.id, AftersalesCase.status == AftersalesStatus.OPEN
    )
    return {"text": "待答复的售后申请", "count": aftersales_queries.count(db.session, stmt), "failed": None}


def _operator_cases(user, **_: object) -> dict:
    return {
        "text": "待仲裁的售后申请",
        "count": aftersales_queries.count(db.session, aftersales_queries.escalated_select()),
        "failed": aftersales_queries.count(db.session, aftersales_queries.failed_refunds_select()),
    }


def _payables(user, **_: object) -> dict | None:
    now = clock.now()
    due = payable_queries.payables_select(db.session, user, PayableFilter.DUE, now)
    overdue = payable_queries.payables_select(db.session, user, PayableFilter.OVERDUE, now)
    counts = {
        "due": aftersales_queries.count(db.session, due),
        "overdue": aftersales_queries.count(db.session, overdue),
    }
    if not any(counts.values()):
        return None
    text = "应收货款" if user.has_role(Role.SUPPLIER) else "应付货款"
    return {"text": text, **counts}


def _aftersales_pages(app: Flask) -> None:
    for slot in ("order:after_payment", "supplier_order:after_payment"):
        register_block(
            app, Block(slot, "售后", "fulfillment/blocks/order_aftersales.html", _order_aftersales, order=60)
        )
    register_block(
        app, Block(f"dashboard:{Role.SUPPLIER}", "售后申请", "fulfillment/blocks/aftersales_work.html", _supplier_cases)
    )
    register_block(
        app,
        Block(
            f"dashboard:{Role.PLATFORM_OPERATOR}",
            "售后仲裁与退款",
            "fulfillment/blocks/aftersales_work.html",
            _operator_cases,
        ),
    )
    register_nav(app, "售后", "aftersales.case_list", *CASE_ROLES, order=36)


def _payable_pages(app: Flask) -> None:
    for role in PAYABLE_ROLES:
        block = Block(f"dashboard:{role}", "货款支付", "fulfillment/blocks/payables.html", _payables, order=40)
        register_block(app, block)
    register_nav(app, "货款", "payables.payable_list", *PAYABLE_ROLES, order=37)


def _aftersales_jobs(app: Flask) -> None:
    register_job(app, "fulfillment.escalate_overdue_cases", services.escalate_overdue_cases)
    register_job(app, "fulfillment.retry_failed_refunds", services.retry_failed_refunds)
    register_job(app, "fulfillment.remind_overdue_payables", services.remind_overdue_payables)


def init_app(app: Flask) -> None:
    _shipping_pages(app)
    _aftersales_pages(app)
    _payable_pages(app)
    _aftersales_jobs(app)

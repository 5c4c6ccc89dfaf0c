"""What after-sales and payables add to other packages' pages: the order's after-sales cases on
the buyer's and the supplier's order pages, dashboard blocks for after-sales work and payables,
their navigation links, and the jobs (escalation, refund retries, overdue notices)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from fulfillment import services
from fulfillment.domain import AftersalesStatus
from fulfillment.models import AftersalesCase
from fulfillment.queries import aftersales as aftersales_queries
from fulfillment.queries import payables as payable_queries
from fulfillment.queries.payables import PayableFilter
from fulfillment.services.aftersales import OPENABLE
from mall import clock
from mall.accounts.domain import Role
from mall.extensions import db
from mall.jobs import register_job
from mall.templating import Block, register_block, register_nav
from orders import domain as order_domain
from orders import queries as order_queries

CASE_ROLES = (Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER, Role.EMPLOYEE, Role.SUPPLIER, Role.PLATFORM_OPERATOR)
PAYABLE_ROLES = (Role.UNIT_ADMIN, Role.FINANCE_OFFICER, Role.SUPPLIER)


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
    _aftersales_pages(app)
    _payable_pages(app)
    _aftersales_jobs(app)

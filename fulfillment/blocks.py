"""What fulfillment adds to other packages' pages: order-page sections, dashboard panels, the
product page's supplier standing, navigation links, and the standing badge on product cards
(the `supplier_standing` template global). A list of small builders; each returns the block's
context, or None to hide it."""

from __future__ import annotations

from flask import Flask, request

from fulfillment.domain import STANDING_LABELS, Standing
from fulfillment.queries import acceptance as queries
from fulfillment.queries import scorecards as score_queries
from mall import clock
from mall.accounts.domain import Role
from mall.extensions import db
from mall.jobs import register_job
from mall.policy.domain import is_past
from mall.templating import Block, register_block, register_nav
from orders import queries as order_queries
from orders.domain import OrderStatus, may_act_on

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


def supplier_standing(supplier_id: int) -> dict | None:
    """The standing badge of a supplier on product cards (read once per request and supplier)."""
    cache = request.environ.setdefault("mall.supplier_standings", {})
    if supplier_id not in cache:
        latest = score_queries.latest_standing(db.session, supplier_id)
        cache[supplier_id] = (
            None
            if latest is None
            else {"label": STANDING_LABELS[latest.standing], "badge": STANDING_BADGES[latest.standing]}
        )
    return cache[supplier_id]


def init_app(app: Flask) -> None:
    _register_acceptance(app)


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
    app.jinja_env.globals["supplier_standing"] = supplier_standing
    register_job(app, "fulfillment.auto_accept", acceptance.auto_accept_due)
    register_job(app, "fulfillment.default_evaluations", evaluations.record_default_evaluations)
    register_job(app, "fulfillment.scorecards", standing.compute_scorecards)

"""JSON API of carts, addresses, checkout and orders (`/api/v1`), and the Stripe webhook.

Thin: parse the body, call the same services as the pages, answer dicts with `_fen` integers and
ISO-8601 times. Bearer tokens only (mall.api); domain errors reach the shared handler and come
back as `{"error": {"code", "message"}}`. `POST /checkout` honours the `Idempotency-Key` header.
The webhook (`POST /webhooks/stripe`) is CSRF-exempt and verifies the Stripe signature before
any work; a bad signature answers 400 and changes nothing.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from sqlalchemy import select

from mall.api import api_blueprint, api_user, iso, json_body, page_args, paginated
from mall.errors import InvalidInputError
from mall.extensions import csrf, db
from orders import domain, payments, queries, services
from orders.models import CartLine, Checkout, Order, PaymentAttempt, SplitPurchaseFlag, UnitAddress
from orders.queries import approvals as approval_queries

api = api_blueprint("orders_api", __name__)
webhooks = Blueprint("orders_webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(webhooks)


@api.before_request
def _keep_written_state() -> None:
    # An answer is built from what the request just wrote: keep those objects after the commit
    # instead of reloading each one (readers that must see other transactions' writes, like the
    # order detail and the checkout replay, ask for populate_existing).
    db.session().expire_on_commit = False


def _int(body: dict, name: str, *, required: bool = True) -> int | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{name} 须为整数")
    return value


def _text(body: dict, name: str, *, limit: int = 200) -> str:
    value = body.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInputError(f"{name} 须为不超过{limit}字的文本")
    return value


# ---- cart --------------------------------------------------------------------------------------


@api.get("/cart")
def cart_show():
    user = api_user()
    summary = queries.cart_summary(db.session, user, queries.check_cart_kind(user, request.args.get("cart")))
    return {
        "cart": summary.kind.value,
        "items": [cart_item_json(line) for line in summary.lines],
        "total_fen": summary.total_fen,
        "checkout_total_fen": summary.checkout_total_fen,
        "price_changed": bool(summary.changed),
    }


@api.post("/cart/items")
def cart_item_add():
    body = json_body()
    line = services.add_to_cart(
        db.session,
        actor=api_user(),
        product_id=_int(body, "product_id"),
        quantity=_int(body, "quantity"),
        purpose=_text(body, "purpose", limit=20),
    )
    return cart_item_json(line), 201


@api.patch("/cart/items/<int:line_id>")
def cart_item_update(line_id: int):
    line = services.update_cart_line(
        db.session, actor=api_user(), line_id=line_id, quantity=_int(json_body(), "quantity")
    )
    return cart_item_json(line)


@api.delete("/cart/items/<int:line_id>")
def cart_item_remove(line_id: int):
    services.remove_cart_line(db.session, actor=api_user(), line_id=line_id)
    return "", 204


@api.post("/cart/accept-prices")
def cart_prices_accept():
    return {"accepted": services.accept_cart_prices(db.session, actor=api_user(), kind=request.args.get("cart"))}


def cart_item_json(line: CartLine) -> dict:
    product = line.product
    return {
        "id": line.id,
        "product_id": product.id,
        "title": product.title,
        "supplier_id": product.supplier_id,
        "quantity": line.quantity,
        "purpose": line.purpose.value,
        # Whether the caller may change, remove and check out this line (the shared unit cart
        # holds the buyers' canteen lines and the union officer's welfare lines).
        "purpose_allowed": domain.may_act_on(line.purpose, api_user().roles),
        "price_fen": product.price_fen,
        "seen_price_fen": line.seen_price_fen,
        "price_changed": product.price_fen != line.seen_price_fen,
        "line_total_fen": product.price_fen * line.quantity,
        "added_by": line.added_by.display_name,
        "added_by_id": line.added_by_id,
        "added_at": iso(line.added_at),
    }


# ---- addresses ---------------------------------------------------------------------------------


@api.get("/addresses")
def address_list():
    user = api_user()
    items = queries.addresses(db.session, user.unit_id) if user.unit_id else []
    return {"items": [address_json(a) for a in items]}


@api.post("/addresses")
def address_create():
    body = json_body()
    address = services.add_address(
        db.session,
        actor=api_user(),
        label=_text(body, "label", limit=20),
        recipient=_text(body, "recipient", limit=40),
        phone=_text(body, "phone", limit=20),
        detail=_text(body, "detail"),
        is_default=body.get("is_default") is True,
    )
    return address_json(address), 201


def address_json(a: UnitAddress) -> dict:
    return {
        "id": a.id,
        "label": a.label,
        "recipient": a.recipient,
        "phone": a.phone,
        "detail": a.detail,
        "region_code": a.region_code,
        "is_default": a.is_default,
    }


# ---- checkout and approvals --------------------------------------------------------------------


@api.post("/checkout")
def checkout_create():
    body = json_body()
    delivery = _text(body, "delivery_on", limit=10)
    try:
        delivery_on = date.fromisoformat(delivery) if delivery else None
    except ValueError:
        raise domain.InvalidDeliveryDateError("delivery_on 须为 YYYY-MM-DD") from None
    checkout = services.checkout(
        db.session,
        actor=api_user(),
        request=services.CheckoutRequest(
            address_id=_int(body, "address_id"),
            payment_mode=_text(body, "payment_mode", limit=20),
            expected_total_fen=domain.parse_expected_total(body.get("expected_total_fen")),
            cart=_text(body, "cart", limit=20) or None,
            delivery_on=delivery_on,
            note=_text(body, "note"),
        ),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return checkout_json(checkout), 201


@api.post("/checkouts/<int:checkout_id>/approve")
def checkout_approve(checkout_id: int):
    return checkout_json(services.approve_checkout(db.session, actor=api_user(), checkout_id=checkout_id))


@api.post("/checkouts/<int:checkout_id>/reject")
def checkout_reject(checkout_id: int):
    body = request.get_json(silent=True) or {}
    note = _text(body, "note") if isinstance(body, dict) else ""
    return checkout_json(services.reject_checkout(db.session, actor=api_user(), checkout_id=checkout_id, note=note))


def checkout_json(checkout: Checkout) -> dict:
    return {
        "checkout_id": checkout.id,
        "total_fen": checkout.total_fen,
        "payment_mode": checkout.payment_mode.value,
        "approval_status": checkout.approval_status.value,
        "orders": [order_json(o) for o in queries.checkout_orders(db.session, checkout.id)],
    }


# ---- orders ------------------------------------------------------------------------------------


@api.get("/orders")
def order_list():
    user = api_user()
    filters = domain.parse_order_filters(request.args.to_dict())
    page, per_page = page_args()
    return paginated(queries.buyer_orders_select(user, filters), order_json, page=page, per_page=per_page)


@api.get("/orders/<int:order_id>")
def order_show(order_id: int):
    return order_detail_json(queries.get_order_for_buyer(db.session, api_user(), order_id))


@api.post("/orders/<int:order_id>/cancel")
def order_cancel(order_id: int):
    body = request.get_json(silent=True)
    reason = _text(body, "reason", limit=100) if isinstance(body, dict) else ""
    order = services.cancel_order(db.session, actor=api_user(), order_id=order_id, reason=reason)
    return order_detail_json(queries.get_order_for_buyer(db.session, api_user(), order.id))


def order_json(o: Order) -> dict:
    return {
        "id": o.id,
        "number": o.number,
        "checkout_id": o.checkout_id,
        "supplier_id": o.supplier_id,
        "supplier": o.supplier.name,
        "unit_id": o.unit_id,
        "purpose": o.purpose.value,
        "status": o.status.value,
        "payment_status": o.payment_status.value,
        "payment_mode": o.payment_mode.value,
        "total_fen": o.total_fen,
        "paid_fen": o.paid_fen,
        "refunded_fen": o.refunded_fen,
        "created_at": iso(o.created_at),
        "placed_at": iso(o.placed_at),
        "paid_at": iso(o.paid_at),
        "cancelled_at": iso(o.cancelled_at),
        "cancel_reason": o.cancel_reason,
    }


def order_detail_json(o: Order) -> dict:
    flag = approval_queries.split_marks(db.session, [o]).get(o.id)
    return order_json(o) | {
        "split_purchase": split_flag_json(flag) if flag else None,
        "ship_to": {"name": o.ship_to_name, "phone": o.ship_to_phone, "address": o.ship_to_address},
        "delivery_on": o.delivery_on.isoformat() if o.delivery_on else None,
        "invoice": {"title": o.invoice_title, "tax_id": o.invoice_tax_id},
        "payment_due_on": o.payment_due_on.isoformat() if o.payment_due_on else None,
        "note": o.note,
        "lines": [
            {
                "product_id": line.product_id,
                "title": line.title,
                "spec": line.spec,
                "sale_unit": line.sale_unit,
                "unit_price_fen": line.unit_price_fen,
                "quantity": line.quantity,
                "line_total_fen": line.line_total_fen,
                "refunded_fen": line.refunded_fen,
            }
            for line in o.lines
        ],
        "payments": [
            {"id": a.id, "amount_fen": a.amount_fen, "status": a.status.value, "created_at": iso(a.created_at)}
            for a in db.session.scalars(
                select(PaymentAttempt).where(PaymentAttempt.checkout_id == o.checkout_id).order_by(PaymentAttempt.id)
            )
        ],
        "refunds": [
            {"id": r.id, "amount_fen": r.amount_fen, "status": r.status.value, "reason": r.reason} for r in o.refunds
        ],
        "history": [
            {
                "status": h.status.value,
                "payment_status": h.payment_status.value,
                "note": h.note,
                "at": iso(h.at),
                "by": h.actor.display_name if h.actor else None,
            }
            for h in o.history
        ],
    }


def split_flag_json(flag: SplitPurchaseFlag) -> dict:
    return {
        "placed_on": flag.placed_on.isoformat(),
        "supplier_id": flag.supplier_id,
        "purpose": flag.purpose.value,
        "checkout_ids": flag.checkout_ids,
        "total_fen": flag.total_fen,
        "threshold_fen": flag.threshold_fen,
    }


# ---- Stripe webhook ----------------------------------------------------------------------------


@webhooks.post("/stripe")
def stripe_webhook():
    try:
        event = payments.gateway().parse_webhook(request.get_data(), request.headers.get("Stripe-Signature", ""))
    except payments.BadSignatureError:
        raise domain.WebhookSignatureError() from None
    return {"received": True, "outcome": services.apply_stripe_event(db.session, event)}

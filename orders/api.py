"""JSON API of carts, addresses, checkout and orders (`/api/v1`), and the Stripe webhook.

Thin: parse the body, call the same services as the pages, answer dicts with `_fen` integers and
ISO-8601 times. Bearer tokens only (mall.api); domain errors reach the shared handler and come
back as `{"error": {"code", "message"}}`. `POST /checkout` honours the `Idempotency-Key` header.
The webhook (`POST /webhooks/stripe`) is CSRF-exempt and verifies the Stripe signature before
any work; a bad signature answers 400 and changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, request
from sqlalchemy import select

from mall.api import api_blueprint, api_user, iso, paginated
from mall.api_schema import Auth, ExtensibleAnswer, documented, fill_answer
from mall.extensions import csrf, db
from orders import domain, payments, queries, services
from orders.api_schemas import (
    AcceptedOut,
    AddressIn,
    AddressList,
    AddressOut,
    CartItemIn,
    CartItemOut,
    CartOut,
    CartQuery,
    CheckoutHeaders,
    CheckoutIn,
    CheckoutOut,
    NoteIn,
    OrderDetailOut,
    OrderPage,
    OrderQuery,
    QuantityIn,
    ReasonIn,
)
from orders.models import CartLine, Checkout, Order, PaymentAttempt, SplitPurchaseFlag, UnitAddress
from orders.queries import approvals as approval_queries

api = api_blueprint("orders_api", __name__)
webhooks = Blueprint("orders_webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(webhooks)
CART, ADDRESSES, CHECKOUT, ORDERS = "购物车", "收货地址", "结算与审批", "订单"


@api.before_request
def _keep_written_state() -> None:
    # An answer is built from what the request just wrote: keep those objects after the commit
    # instead of reloading each one (readers that must see other transactions' writes, like the
    # order detail and the checkout replay, ask for populate_existing).
    db.session().expire_on_commit = False


# ---- cart --------------------------------------------------------------------------------------


@api.get("/cart")
@documented(CART, Auth.BEARER, CartOut, errors=(404,))
def cart_show(query: CartQuery):
    """购物车：本单位的（采购人共用）或职工个人的"""
    user = api_user()
    summary = queries.cart_summary(db.session, user, queries.check_cart_kind(user, query.cart))
    return {
        "cart": summary.kind.value,
        "items": [cart_item_json(line) for line in summary.lines],
        "total_fen": summary.total_fen,
        "checkout_total_fen": summary.checkout_total_fen,
        "price_changed": bool(summary.changed),
    }


@api.post("/cart/items")
@documented(CART, Auth.BEARER, CartItemOut, status=201, errors=(404, 409))
def cart_item_add(json: CartItemIn):
    """加入购物车：同一商品、同一用途并入一行

    数量须不低于起订量（below_min_order_qty，details 带 min_order_qty）并为整件包装数的整数倍（not_pack_multiple）。
    """
    line = services.add_to_cart(
        db.session, actor=api_user(), product_id=json.product_id, quantity=json.quantity, purpose=json.purpose.value
    )
    return cart_item_json(line), 201


@api.patch("/cart/items/<int:line_id>")
@documented(CART, Auth.BEARER, CartItemOut, errors=(404, 409))
def cart_item_update(line_id: int, json: QuantityIn):
    """改数量"""
    line = services.update_cart_line(db.session, actor=api_user(), line_id=line_id, quantity=json.quantity)
    return cart_item_json(line)


@api.delete("/cart/items/<int:line_id>")
@documented(CART, Auth.BEARER, status=204, errors=(404,))
def cart_item_remove(line_id: int):
    """移出购物车"""
    services.remove_cart_line(db.session, actor=api_user(), line_id=line_id)
    return "", 204


@api.post("/cart/accept-prices")
@documented(CART, Auth.BEARER, AcceptedOut, errors=(404,))
def cart_prices_accept(query: CartQuery):
    """确认购物车中已变动的价格"""
    kind = query.cart.value if query.cart else None
    return {"accepted": services.accept_cart_prices(db.session, actor=api_user(), kind=kind)}


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
@documented(ADDRESSES, Auth.BEARER, AddressList)
def address_list():
    """本单位的收货地址"""
    user = api_user()
    items = queries.addresses(db.session, user.unit_id) if user.unit_id else []
    return {"items": [address_json(a) for a in items]}


@api.post("/addresses")
@documented(ADDRESSES, Auth.BEARER, AddressOut, status=201, errors=(404,))
def address_create(json: AddressIn):
    """新增收货地址"""
    address = services.add_address(
        db.session,
        actor=api_user(),
        label=json.label,
        recipient=json.recipient,
        phone=json.phone,
        detail=json.detail,
        is_default=json.is_default,
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
@documented(CHECKOUT, Auth.BEARER, CheckoutOut, status=201, errors=(402, 404, 409, 502, 503))
def checkout_create(json: CheckoutIn, headers: CheckoutHeaders):
    """结算：每个供应商（及用途）生成一张订单

    公务卡即时扣款（超过单位审批金额的先待审批）；对公转账直接下单。总额与价格以服务器为准：
    不一致时答 409（expected_total_mismatch、price_changed，details 带服务器的数字），不创建任何东西。
    公务卡被拒答 402 payment_failed（订单取消、库存释放、商品回到购物车）。
    """
    checkout = services.checkout(
        db.session,
        actor=api_user(),
        request=services.CheckoutRequest(
            address_id=json.address_id,
            payment_mode=json.payment_mode.value,
            expected_total_fen=json.expected_total_fen,
            cart=json.cart.value if json.cart else None,
            delivery_on=json.delivery_on,
            note=json.note,
        ),
        idempotency_key=headers.idempotency_key,
    )
    return checkout_json(checkout), 201


@api.post("/checkouts/<int:checkout_id>/approve")
@documented(CHECKOUT, Auth.BEARER, CheckoutOut, errors=(402, 404, 409, 502, 503))
def checkout_approve(checkout_id: int):
    """单位管理员批准待审批的采购（公务卡随即扣款）"""
    return checkout_json(services.approve_checkout(db.session, actor=api_user(), checkout_id=checkout_id))


@api.post("/checkouts/<int:checkout_id>/reject")
@documented(CHECKOUT, Auth.BEARER, CheckoutOut, errors=(404, 409))
def checkout_reject(checkout_id: int, json: NoteIn):
    """单位管理员驳回待审批的采购（库存释放）"""
    checkout = services.reject_checkout(db.session, actor=api_user(), checkout_id=checkout_id, note=json.note)
    return checkout_json(checkout)


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
@documented(ORDERS, Auth.BEARER, OrderPage)
def order_list(query: OrderQuery):
    """本单位（或职工本人）的订单，可按状态、用途、下单日期与结算单筛选"""
    filters = domain.parse_order_filters(request.args.to_dict())  # the shape is checked; the rules are here
    stmt = queries.buyer_orders_select(api_user(), filters)
    return paginated(stmt, order_json, page=query.page, per_page=query.per_page)


ORDER_DETAIL = ExtensibleAnswer("order_detail", OrderDetailOut)  # fulfillment adds shipments, acceptance …


@api.get("/orders/<int:order_id>")
@documented(ORDERS, Auth.BEARER, ORDER_DETAIL, errors=(404,))
def order_show(order_id: int):
    """一张订单：收货信息、发票、明细、支付、退款与状态历史"""
    return order_detail_json(queries.get_order_for_buyer(db.session, api_user(), order_id))


@api.post("/orders/<int:order_id>/cancel")
@documented(ORDERS, Auth.BEARER, ORDER_DETAIL, errors=(404, 409, 502, 503))
def order_cancel(order_id: int, json: ReasonIn):
    """发货前取消订单：已付的全额退款

    已发货或已取消答 409 order_not_cancellable；支付确认中答 409 payment_in_progress。
    """
    order = services.cancel_order(db.session, actor=api_user(), order_id=order_id, reason=json.reason)
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
    """An order with everything about it; higher packages add their parts (`ORDER_DETAIL`)."""
    flag = approval_queries.split_marks(db.session, [o]).get(o.id)
    body = order_json(o) | {
        "split_purchase": split_flag_json(flag) if flag else None,
        "ship_to": {"name": o.ship_to_name, "phone": o.ship_to_phone, "address": o.ship_to_address},
        "delivery_on": o.delivery_on.isoformat() if o.delivery_on else None,
        "invoice": {"title": o.invoice_title, "tax_id": o.invoice_tax_id},
        "payment_due_on": o.payment_due_on.isoformat() if o.payment_due_on else None,
        "note": o.note,
        "lines": [
            {
                "id": line.id,
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
    return fill_answer(ORDER_DETAIL.name, body, order=o)


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

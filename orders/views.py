"""Buyer pages: the unit cart (and an employee's own), checkout, the address book, the order
list with filters and the order page. Thin: services decide, queries read; a domain error is
flashed by the shared handler, which sends the buyer back to the page they came from."""

from __future__ import annotations

from uuid import uuid4

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from catalog import queries as catalog_queries
from mall.accounts.domain import Role
from mall.bounds import MAX_AMOUNT_FEN, parse_id, parse_int
from mall.extensions import db
from mall.forms import as_choices
from mall.money import format_yuan
from mall.pagination import paginate
from mall.redirects import redirect_back
from mall.templating import render_blocks
from orders import domain, queries, services
from orders.domain import (
    ORDER_STATUS_LABELS,
    PURPOSE_LABELS,
    ApprovalStatus,
    CartKind,
    PaymentStatus,
)
from orders.forms import AddressForm, CartAddForm, CartLineForm, CheckoutForm, ReasonForm
from orders.models import owner_key
from orders.queries import approvals as approval_queries

bp = Blueprint(
    "orders", __name__, template_folder="templates", static_folder="static", static_url_path="/static/orders"
)

CART_LABELS = {CartKind.UNIT: "本单位购物车", CartKind.PERSONAL: "个人购物车"}


def _kind() -> CartKind:
    return queries.check_cart_kind(current_user, request.values.get("cart"))


@bp.get("/cart")
@login_required
def cart_show():
    kind = _kind()
    return render_template(
        "orders/cart_show.html",
        cart=queries.cart_summary(db.session, current_user, kind),
        kinds=queries.cart_kinds(current_user),
        cart_labels=CART_LABELS,
        line_form=CartLineForm(formdata=None),
        page_title=CART_LABELS[kind],
    )


@bp.post("/cart/lines")
@login_required
def cart_line_add():
    form = CartAddForm()
    form.purpose.choices = as_choices((p.value, PURPOSE_LABELS[p]) for p in domain.allowed_purposes(current_user.roles))
    product = catalog_queries.get_product_on_sale(db.session, parse_id(form.product_id.data) or 0)
    if not form.validate_on_submit():
        problems = ["请选择有效的采购用途" if name == "purpose" else errors[-1] for name, errors in form.errors.items()]
        flash("；".join(problems), "error")
        return redirect(url_for("catalog.product_show", product_id=product.id))
    line = services.add_to_cart(
        db.session, actor=current_user, product_id=product.id, quantity=form.quantity.data, purpose=form.purpose.data
    )
    cart = CartKind.PERSONAL if line.purpose is domain.Purpose.PERSONAL else CartKind.UNIT
    flash(f"已加入{CART_LABELS[cart]}：{product.title} × {form.quantity.data}", "success")
    return redirect(url_for("orders.cart_show", cart=cart.value))


@bp.post("/cart/lines/<int:line_id>")
@login_required
def cart_line_update(line_id: int):
    form = CartLineForm()
    if not form.validate_on_submit():
        flash("数量须为1至100000的整数", "error")
    else:
        line = services.update_cart_line(db.session, actor=current_user, line_id=line_id, quantity=form.quantity.data)
        flash(f"已将“{line.product.title}”的数量改为 {line.quantity}", "success")
    return redirect(url_for("orders.cart_show", cart=request.args.get("cart")))


@bp.post("/cart/lines/<int:line_id>/delete")
@login_required
def cart_line_remove(line_id: int):
    services.remove_cart_line(db.session, actor=current_user, line_id=line_id)
    flash("已从购物车移除", "success")
    return redirect(url_for("orders.cart_show", cart=request.args.get("cart")))


@bp.post("/cart/accept-prices")
@login_required
def cart_prices_accept():
    changed = services.accept_cart_prices(db.session, actor=current_user, kind=request.args.get("cart"))
    flash(f"已确认 {changed} 项商品的新价格", "success")
    return redirect(url_for("orders.cart_show", cart=request.args.get("cart")))


# ---- checkout ----------------------------------------------------------------------------------


@bp.get("/checkout")
@login_required
def checkout_show():
    kind = _kind()
    cart = queries.cart_summary(db.session, current_user, kind, checkout_only=True)
    if cart.is_empty or cart.changed:
        flash(_not_ready(cart), "warning")
        return redirect(url_for("orders.cart_show", cart=kind.value))
    form = _checkout_form(kind, formdata=None)
    form.expected_total_fen.data, form.idempotency_key.data = cart.total_fen, uuid4().hex
    return _render_checkout(kind, cart, form)


@bp.post("/checkout")
@login_required
def checkout_submit():
    kind = _kind()
    form = _checkout_form(kind)
    expected_total_fen = parse_int(form.expected_total_fen.data, 0, MAX_AMOUNT_FEN)
    if not form.validate_on_submit() or expected_total_fen is None:
        cart = queries.cart_summary(db.session, current_user, kind, checkout_only=True)
        return _render_checkout(kind, cart, form), 400
    try:
        placed = services.checkout(
            db.session,
            actor=current_user,
            request=services.CheckoutRequest(
                address_id=form.address_id.data,
                payment_mode=form.payment_mode.data,
                expected_total_fen=expected_total_fen,
                cart=kind.value,
                delivery_on=form.delivery_on.data,
                note=form.note.data or "",
            ),
            idempotency_key=form.idempotency_key.data or "",
        )
    except domain.PaymentFailedError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("orders.cart_show", cart=kind.value))
    flash(_placed_message(placed), "success")
    for flag in approval_queries.checkout_split_flags(db.session, placed.id):
        flash(
            f"提示：本单位今日向“{flag.supplier.name}”的{flag.purpose_label}采购已分 {len(flag.members)} 次结算，"
            f"合计 {format_yuan(flag.total_fen)}，超过审批额度 {format_yuan(flag.threshold_fen)}，"
            "已作为疑似拆分采购提示单位管理员",
            "warning",
        )
    return redirect(url_for("orders.order_list", checkout=placed.id))


def _not_ready(cart) -> str:
    if cart.is_empty and cart.others:
        return domain.NOTHING_TO_CHECK_OUT
    return "购物车是空的" if cart.is_empty else "部分商品价格已变动，请先在购物车确认新价格"


def _checkout_form(kind: CartKind, **kwargs) -> CheckoutForm:
    form = CheckoutForm(**kwargs)
    addresses = queries.addresses(db.session, current_user.unit_id)
    form.address_id.choices = as_choices((a.id, f"{a.label}：{a.one_line}") for a in addresses)
    if kind is CartKind.PERSONAL:
        form.payment_mode.choices = as_choices([(domain.PaymentMode.CARD.value, "个人银行卡在线支付")])
    if kwargs.get("formdata", True) is None and addresses:
        form.address_id.data = addresses[0].id
    return form


def _render_checkout(kind: CartKind, cart, form: CheckoutForm):
    settings = queries.purchase_settings(db.session, current_user.unit_id)
    threshold = settings.approval_threshold_fen if settings else None
    return render_template(
        "orders/checkout_show.html",
        kind=kind,
        cart=cart,
        own_approval=current_user.has_role(Role.UNIT_ADMIN),
        form=form,
        card=queries.payment_card(db.session, owner_key(kind, unit_id=current_user.unit_id, user_id=current_user.id)),
        invoice=queries.invoice_for(db.session, current_user.unit),
        threshold_fen=threshold,
        needs_approval=domain.needs_approval(cart.total_fen, threshold, cart_kind=kind),
        address_form=AddressForm(formdata=None),
        page_title="结算",
    )


def _placed_message(placed) -> str:
    orders = queries.checkout_orders(db.session, placed.id)
    count = f"已生成 {len(orders)} 个订单（按供应商拆分）"
    if placed.approval_status is ApprovalStatus.PENDING and current_user.has_role(Role.UNIT_ADMIN):
        return f"{count}，金额超过审批额度，待本单位其他管理员或主管单位管理员审批（不能审批自己提交的采购）"
    if placed.approval_status is ApprovalStatus.PENDING:
        return f"{count}，金额超过审批额度，待单位管理员审批"
    if any(o.payment_status is PaymentStatus.PROCESSING for o in orders):
        return f"{count}，支付结果确认中，请稍后查看订单状态"
    if placed.payment_mode is domain.PaymentMode.CARD:
        return f"{count}，{domain.card_name(placed.cart_kind)}支付成功"
    return f"{count}，请在验收后30日内完成对公转账"


# ---- addresses ---------------------------------------------------------------------------------


@bp.route("/addresses", methods=["GET", "POST"])
@login_required
def address_list():
    form = AddressForm()
    if form.validate_on_submit():
        services.add_address(
            db.session,
            actor=current_user,
            label=form.label.data or "",
            recipient=form.recipient.data,
            phone=form.phone.data,
            detail=form.detail.data,
            is_default=form.is_default.data,
        )
        flash("收货地址已保存", "success")
        return redirect_back(url_for("orders.address_list"))
    addresses = queries.addresses(db.session, current_user.unit_id) if current_user.unit_id else []
    return render_template("orders/address_list.html", form=form, addresses=addresses, page_title="收货地址")


# ---- orders ------------------------------------------------------------------------------------


@bp.get("/orders")
@login_required
def order_list():
    return render_order_list(
        "orders/order_list.html", "订单", lambda f: queries.buyer_orders_select(current_user, f), split_marks=True
    )


def render_order_list(template: str, title: str, select_for, *, split_marks: bool = False):
    """An order list with the filters of the query string (refused clearly: 400 and all orders)."""
    try:
        filters = domain.parse_order_filters(request.args.to_dict())
    except domain.InvalidOrderFilterError as err:
        flash(err.message, "error")
        filters, status = domain.OrderFilters(), 400
    else:
        status = 200
    page = paginate(select_for(filters), per_page=20)
    return render_template(
        template,
        page=page,
        split_marks=approval_queries.split_marks(db.session, page.items) if split_marks else {},
        filters=filters,
        status_labels=ORDER_STATUS_LABELS,
        purpose_labels=PURPOSE_LABELS,
        page_title=title,
    ), status


@bp.get("/orders/<int:order_id>")
@login_required
def order_show(order_id: int):
    order = queries.get_order_for_buyer(db.session, current_user, order_id)
    return render_template(
        "orders/order_show.html",
        order=order,
        attempts=order.checkout.attempts,
        cancellable=order.status in domain.CANCELLABLE and domain.may_act_on(order.purpose, current_user.roles),
        split_flag=approval_queries.split_marks(db.session, [order]).get(order.id),
        cancel_form=ReasonForm(formdata=None),
        # What happens after payment (parcels, acceptance, evaluation …) comes from higher packages.
        after_payment=render_blocks("order:after_payment", current_user, order=order),
        page_title=f"订单 {order.number}",
    )


@bp.post("/orders/<int:order_id>/cancel")
@login_required
def order_cancel(order_id: int):
    form = ReasonForm()
    form.validate()
    order = services.cancel_order(db.session, actor=current_user, order_id=order_id, reason=form.note.data or "")
    refunded = order.refunded_fen
    flash("订单已取消" + ("，货款将原路退回" if refunded else ""), "success")
    return redirect(url_for("orders.order_show", order_id=order_id))

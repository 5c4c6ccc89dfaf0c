"""Staff and supplier pages: the unit admin's approvals, purchase settings and 公务卡; the
supplier's orders (its own only); the finance officer's transfers to confirm (its region only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from mall.accounts.domain import Role
from mall.errors import NotFoundError
from mall.extensions import db
from mall.money import format_yuan, yuan_to_fen
from mall.pagination import paginate
from mall.templating import render_blocks
from orders import domain, queries, services
from orders.domain import CartKind
from orders.forms import CardForm, ReasonForm, SettingsForm
from orders.models import owner_key
from orders.queries import approvals as approval_queries
from orders.views import render_order_list

bp = Blueprint("orders_manage", __name__, template_folder="templates")


def _require(*roles: Role) -> None:
    if not current_user.has_role(*roles):
        raise NotFoundError("页面不存在")


# ---- unit admin --------------------------------------------------------------------------------


@bp.get("/unit/approvals")
@login_required
def approval_list():
    _require(Role.UNIT_ADMIN)
    return render_template(
        "orders/manage/approval_list.html",
        queue=approval_queries.approval_queue(db.session, current_user),
        flags=approval_queries.split_flags(db.session, approval_queries.overseen_unit_ids(db.session, current_user)),
        reject_form=ReasonForm(formdata=None),
        page_title="订单审批",
    )


@bp.post("/unit/approvals/<int:checkout_id>/approve")
@login_required
def approval_approve(checkout_id: int):
    try:
        services.approve_checkout(db.session, actor=current_user, checkout_id=checkout_id)
    except domain.PaymentFailedError as err:
        db.session.rollback()
        flash(f"已批准，但{err.message}", "error")
    else:
        flash("已批准该采购单", "success")
    return redirect(url_for("orders_manage.approval_list"))


@bp.post("/unit/approvals/<int:checkout_id>/reject")
@login_required
def approval_reject(checkout_id: int):
    form = ReasonForm()
    form.validate()
    services.reject_checkout(db.session, actor=current_user, checkout_id=checkout_id, note=form.note.data or "")
    flash("已退回该采购单，库存已释放", "success")
    return redirect(url_for("orders_manage.approval_list"))


@bp.route("/unit/purchase-settings", methods=["GET", "POST"])
@login_required
def settings_edit():
    _require(Role.UNIT_ADMIN)
    form = SettingsForm()
    if form.validate_on_submit():
        text = (form.approval_threshold.data or "").strip()
        services.update_purchase_settings(
            db.session,
            actor=current_user,
            approval_threshold_fen=yuan_to_fen(text) if text else None,
            invoice_title=form.invoice_title.data,
            invoice_tax_id=form.invoice_tax_id.data,
        )
        flash("采购设置已保存", "success")
        return redirect(url_for("orders_manage.settings_edit"))
    if request.method == "GET":
        settings = queries.purchase_settings(db.session, current_user.unit_id)
        form.invoice_title.data, form.invoice_tax_id.data = queries.invoice_for(db.session, current_user.unit)
        if settings and settings.approval_threshold_fen is not None:
            form.approval_threshold.data = format_yuan(settings.approval_threshold_fen, symbol=False).replace(",", "")
    return render_template("orders/manage/settings_edit.html", form=form, page_title="采购设置")


@bp.route("/unit/payment-card", methods=["GET", "POST"])
@login_required
def card_edit():
    kind = CartKind.PERSONAL if request.args.get("cart") == "personal" else CartKind.UNIT
    _require(Role.EMPLOYEE if kind is CartKind.PERSONAL else Role.UNIT_ADMIN)
    form = CardForm()
    if form.validate_on_submit():
        services.register_payment_card(
            db.session,
            actor=current_user,
            kind=kind,
            holder_name=form.holder_name.data,
            card_number=form.card_number.data,
            exp_month=form.exp_month.data,
            exp_year=form.exp_year.data,
            cvc=form.cvc.data,
        )
        flash("银行卡已登记", "success")
        return redirect(url_for("orders_manage.card_edit", cart=kind.value))
    card = queries.payment_card(db.session, owner_key(kind, unit_id=current_user.unit_id, user_id=current_user.id))
    title = "单位公务卡" if kind is CartKind.UNIT else "个人银行卡"
    return render_template("orders/manage/card_edit.html", form=form, card=card, title=title, page_title=title)


# ---- supplier ----------------------------------------------------------------------------------


def _supplier_id() -> int:
    supplier = queries.supplier_of(db.session, current_user)
    if supplier is None:
        raise NotFoundError("页面不存在")
    return supplier.id


@bp.get("/supplier/orders")
@login_required
def supplier_order_list():
    supplier_id = _supplier_id()
    return render_order_list(
        "orders/manage/supplier_order_list.html",
        "供应商订单",
        lambda filters: queries.supplier_orders_select(supplier_id, filters),
    )


@bp.get("/supplier/orders/<int:order_id>")
@login_required
def supplier_order_show(order_id: int):
    order = queries.get_order_for_supplier(db.session, _supplier_id(), order_id)
    return render_template(
        "orders/manage/supplier_order_show.html",
        order=order,
        attempts=[],
        after_payment=render_blocks("supplier_order:after_payment", current_user, order=order),
        page_title=f"订单 {order.number}",
    )


# ---- finance -----------------------------------------------------------------------------------


@bp.get("/finance/transfers")
@login_required
def transfer_list():
    _require(Role.FINANCE_OFFICER)
    if not current_user.region_code:
        raise NotFoundError("页面不存在")
    page = paginate(queries.transfers_select(current_user.region_code), per_page=20)
    return render_template("orders/manage/transfer_list.html", page=page, page_title="对公转账")


@bp.post("/finance/transfers/<int:order_id>/paid")
@login_required
def transfer_mark_paid(order_id: int):
    order = services.mark_transfer_paid(db.session, actor=current_user, order_id=order_id)
    flash(f"已确认订单 {order.number} 的对公转账到账", "success")
    return redirect(url_for("orders_manage.transfer_list"))

"""Shipping pages: the waiting-to-ship list (the buyer's wished delivery date and how late it is)
and the ship form of one order (carrier, tracking number, quantity per line), for the supplier's
accounts and the cooperative's operators for the suppliers it serves."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from fulfillment import blocks
from fulfillment.domain import TRACKING_NO_LENGTH, all_carriers
from fulfillment.queries import shipping as queries
from fulfillment.services import shipping as services
from mall import clock
from mall.bounds import MAX_QUANTITY, parse_int
from mall.errors import DomainError, NotFoundError
from mall.extensions import db
from mall.forms import ChineseForm, as_choices
from mall.pagination import paginate
from orders.domain import AWAITING_SHIPMENT

bp = Blueprint(
    "shipping",
    __name__,
    template_folder="../templates",
    static_folder="../static",
    static_url_path="/static/fulfillment-shipping",
)


class ShipForm(ChineseForm):
    carrier = SelectField("承运商", choices=[], validators=[InputRequired("请选择承运商")])
    tracking_no = StringField(
        "运单号", validators=[InputRequired("请填写运单号"), Length(max=TRACKING_NO_LENGTH, message="运单号过长")]
    )


def carrier_choices() -> list:
    return as_choices((c.code, f"{c.name}（冷链）" if c.cold_chain else c.name) for c in all_carriers())


@bp.get("/supplier/shipping")
@login_required
def waiting_list():
    stmt = queries.waiting_to_ship_select(db.session, current_user)
    if stmt is None:
        raise NotFoundError("页面不存在")
    page = paginate(stmt, per_page=20)
    rows = queries.waiting_rows(list(page.items), clock.today())
    return render_template("fulfillment/shipping/waiting_list.html", page=page, rows=rows, page_title="待发货")


def _quantities(order) -> tuple[dict[int, object], list[str]]:
    """The quantity fields `qty-<line id>` (empty is 0); a field that is not a whole number in
    range is named in the errors."""
    quantities, errors = {}, []
    for line in order.lines:
        raw = (request.form.get(f"qty-{line.id}") or "0").strip()
        value = parse_int(raw, 0, MAX_QUANTITY)
        if value is None:
            errors.append(f"{line.title} 的发货数量须为0至{MAX_QUANTITY}之间的整数")
        else:
            quantities[line.id] = value
    return quantities, errors


@bp.route("/supplier/orders/<int:order_id>/ship", methods=["GET", "POST"])
@login_required
def ship(order_id: int):
    order = queries.get_order_for_shipper(db.session, current_user, order_id)
    form = ShipForm()
    form.carrier.choices = carrier_choices()
    status = 200
    if request.method == "POST":
        quantities, errors = _quantities(order)
        if form.validate() and not errors:
            try:
                parcel = services.ParcelRequest(form.carrier.data, form.tracking_no.data, quantities)
                shipment = services.ship_parcel(db.session, actor=current_user, order_id=order.id, parcel=parcel)
            except DomainError as err:
                db.session.rollback()
                errors.append(err.message)
            else:
                flash(f"已发货：{shipment.carrier_name} {shipment.tracking_no}", "success")
                return redirect(url_for("shipping.ship", order_id=order.id))
        for message in errors:
            flash(message, "error")
        status = 400
    return render_template(
        "fulfillment/shipping/ship.html",
        order=order,
        form=form,
        progress={p.order_line_id: p for p in queries.line_progress(db.session, order)},
        parcels=blocks.parcels_of(order),
        storages=queries.storage_labels(db.session, order),
        open_to_ship=order.status in AWAITING_SHIPMENT,
        entered=request.form,
        page_title=f"发货 · 订单 {order.number}",
    ), status

"""Product requests (商品上架需求) for units, the operator and the cooperative; and the agriculture
officer's recommendations of key-county products."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from catalog import queries
from catalog.forms import ListedForm, ProductRequestForm, ReasonForm
from catalog.services import listings
from catalog.services import requests as product_requests
from mall.accounts.domain import Role
from mall.errors import DomainError
from mall.extensions import db
from mall.pagination import paginate
from mall.redirects import redirect_to_referrer

bp = Blueprint("catalog_requests", __name__)


@bp.route("/product-requests", methods=["GET", "POST"])
@login_required
def request_index():
    if not current_user.unit_id:
        abort(403)
    form = ProductRequestForm()
    if form.validate_on_submit():
        try:
            product_requests.create_request(
                db.session,
                actor=current_user,
                name=form.name.data,
                spec=form.spec.data,
                quantity=form.quantity.data,
                wanted_by=form.wanted_by.data,
                note=form.note.data or "",
            )
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            flash("需求已提交，采购中心将分派供销社对接", "success")
            return redirect(url_for("catalog_requests.request_index"))
    rows = queries.unit_requests(db.session, current_user.unit_id)
    return render_template(
        "catalog/manage/request_index.html",
        form=form,
        rows=rows,
        labels=product_requests.STATUS_LABELS,
        page_title="商品上架需求",
    )


@bp.get("/manage/product-requests")
@login_required
def request_queue():
    if not current_user.has_role(Role.PLATFORM_OPERATOR, Role.COOP_OPERATOR):
        abort(403)
    status = request.args.get("status") or None
    page = paginate(queries.request_queue_select(status), per_page=30)
    return render_template(
        "catalog/manage/request_queue.html",
        page=page,
        labels=product_requests.STATUS_LABELS,
        listed_form=ListedForm(),
        reason_form=ReasonForm(),
        page_title="上架需求处理",
    )


@bp.post("/manage/product-requests/<int:request_id>/assign")
@login_required
def request_assign(request_id: int):
    product_requests.assign_to_coop(db.session, actor=current_user, request_id=request_id)
    flash("已分派供销社对接", "success")
    return redirect(url_for("catalog_requests.request_queue"))


@bp.post("/manage/product-requests/<int:request_id>/listed")
@login_required
def request_listed(request_id: int):
    form = ListedForm()
    product_requests.mark_listed(
        db.session, actor=current_user, request_id=request_id, product_id=form.product_id.data if form.validate() else 0
    )
    flash("已关联上架商品，并通知需求单位", "success")
    return redirect(url_for("catalog_requests.request_queue"))


@bp.post("/manage/product-requests/<int:request_id>/close")
@login_required
def request_close(request_id: int):
    product_requests.close_request(
        db.session, actor=current_user, request_id=request_id, reason=ReasonForm().reason.data or ""
    )
    flash("需求已关闭", "success")
    return redirect(url_for("catalog_requests.request_queue"))


@bp.get("/manage/recommendations")
@login_required
def recommendation_index():
    if not current_user.has_role(Role.AGRI_OFFICER) or not current_user.region_code:
        abort(403)
    page = paginate(queries.recommendable_select(current_user.region_code), per_page=40)
    return render_template("catalog/manage/recommendation_index.html", page=page, page_title="重点帮扶县产品推荐")


@bp.post("/manage/recommendations/<int:product_id>")
@login_required
def recommendation_set(product_id: int):
    on = request.form.get("recommended") == "1"
    listings.set_recommended(db.session, actor=current_user, product_id=product_id, recommended=on)
    flash("已推荐" if on else "已取消推荐", "success")
    return redirect_to_referrer(url_for("catalog_requests.recommendation_index"))

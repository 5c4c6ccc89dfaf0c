"""Supplier onboarding pages: the public application, the applicant's status, the county's and the
platform's queues, and the cooperative onboarding a supplier it serves."""

from __future__ import annotations

import mimetypes

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from catalog import access, queries
from catalog.domain import SUPPLIER_STATUS_LABELS, EntityType, SupplierStatus
from catalog.forms import ReasonForm, RecommendForm, SupplierApplicationForm
from catalog.manage_views import _send
from catalog.models import Supplier, SupplierDocument, SupplierMember
from catalog.services import onboarding
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import DomainError, NotFoundError
from mall.extensions import db
from mall.forms import as_choices
from mall.pagination import paginate
from mall.regions.queries import counties_select

bp = Blueprint("catalog_onboarding", __name__)


def _county_choices():
    counties = db.session.scalars(counties_select(eligible=True)).all()
    return as_choices([("", "请选择注册地所在县"), *((c.code, c.full_name) for c in counties)])


def _submit_application(form: SupplierApplicationForm, *, actor, remote_addr: str | None = None):
    return onboarding.apply(
        db.session,
        actor=actor,
        name=form.name.data or "",
        credit_code=form.credit_code.data or "",
        region_code=form.region_code.data or "",
        entity_type=EntityType(form.entity_type.data),
        contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "",
        address=form.address.data or "",
        intro=form.intro.data or "",
        licences=[(f.stream, f.filename) for f in (form.licences.data or []) if f and f.filename],
        username=(form.username.data or None) if actor is None else None,
        password=form.password.data if actor is None else None,
        remote_addr=remote_addr,
    )


@bp.route("/suppliers/apply", methods=["GET", "POST"])
def supplier_apply():
    form = SupplierApplicationForm()
    form.region_code.choices = _county_choices()
    if form.validate_on_submit():
        if not form.username.data or not form.password.data:
            flash("请设置登录用户名和密码，用于查看审核进度和上架商品", "error")
        else:
            try:
                supplier = _submit_application(form, actor=None, remote_addr=request.remote_addr or "")
            except DomainError as err:
                db.session.rollback()
                flash(err.message, "error")
            else:
                member = db.session.scalar(select(SupplierMember).where(SupplierMember.supplier_id == supplier.id))
                login_user(db.session.get(User, member.user_id))
                flash("入驻申请已提交，等待县级推荐和平台审核", "success")
                return redirect(url_for("catalog_onboarding.application_show"))
    return render_template("catalog/manage/supplier_apply.html", form=form, by_coop=False, page_title="供应商入驻申请")


@bp.get("/supplier/application")
@login_required
def application_show():
    supplier = queries.supplier_for_user(db.session, current_user.id)
    if supplier is None:
        raise NotFoundError("该账号未关联供应商")
    docs = queries.supplier_documents(db.session, supplier.id)
    return render_template("catalog/manage/application_show.html", supplier=supplier, docs=docs, page_title="入驻申请")


@bp.route("/manage/suppliers/new", methods=["GET", "POST"])
@login_required
def supplier_onboard():
    if not current_user.has_role(Role.COOP_OPERATOR):
        abort(403)
    form = SupplierApplicationForm()
    form.region_code.choices = _county_choices()
    if form.validate_on_submit():
        try:
            supplier = _submit_application(form, actor=current_user)
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            flash("已代为提交入驻申请，请上传县级推荐函完成推荐", "success")
            return redirect(url_for("catalog_onboarding.supplier_show", supplier_id=supplier.id))
    return render_template("catalog/manage/supplier_apply.html", form=form, by_coop=True, page_title="代供应商入驻")


def _queue_select(status: SupplierStatus | None):
    stmt = access.supplier_queue_select(current_user, status)
    if stmt is None:
        abort(403)
    return stmt


@bp.get("/manage/suppliers")
@login_required
def supplier_queue():
    status_arg = request.args.get("status") or (
        "recommended" if current_user.has_role(Role.PLATFORM_OPERATOR) else "applied"
    )
    status = SupplierStatus(status_arg) if status_arg in set(SupplierStatus) else None
    page = paginate(_queue_select(status), per_page=30)
    return render_template(
        "catalog/manage/supplier_queue.html",
        page=page,
        status=status,
        status_labels=SUPPLIER_STATUS_LABELS,
        page_title="供应商入驻",
    )


def _visible_supplier(supplier_id: int) -> Supplier:
    """A supplier in the viewer's queue scope (the operator's, the county's, the cooperative's), or 404."""
    supplier = db.session.scalar(_queue_select(None).where(Supplier.id == supplier_id))
    if supplier is None:
        raise NotFoundError("未找到该供应商")
    return supplier


@bp.get("/manage/suppliers/<int:supplier_id>")
@login_required
def supplier_show(supplier_id: int):
    supplier = _visible_supplier(supplier_id)
    docs = queries.supplier_documents(db.session, supplier.id)
    return render_template(
        "catalog/manage/supplier_show.html",
        supplier=supplier,
        docs=docs,
        may_recommend=onboarding.may_recommend(current_user, supplier),
        recommend_form=RecommendForm(),
        reason_form=ReasonForm(),
        page_title=supplier.name,
    )


@bp.post("/manage/suppliers/<int:supplier_id>/recommend")
@login_required
def supplier_recommend(supplier_id: int):
    form = RecommendForm()
    letter = (form.letter.data.stream, form.letter.data.filename) if form.letter.data else None
    onboarding.recommend(db.session, actor=current_user, supplier_id=supplier_id, letter=letter)
    flash("已完成县级推荐，等待平台审核", "success")
    return redirect(url_for("catalog_onboarding.supplier_show", supplier_id=supplier_id))


@bp.post("/manage/suppliers/<int:supplier_id>/decline")
@login_required
def supplier_decline(supplier_id: int):
    onboarding.decline(db.session, actor=current_user, supplier_id=supplier_id, reason=ReasonForm().reason.data or "")
    flash("已退回申请", "success")
    return redirect(url_for("catalog_onboarding.supplier_queue"))


@bp.post("/manage/suppliers/<int:supplier_id>/approve")
@login_required
def supplier_approve(supplier_id: int):
    onboarding.approve(db.session, actor=current_user, supplier_id=supplier_id)
    flash("已审核通过，供应商可以上架商品", "success")
    return redirect(url_for("catalog_onboarding.supplier_queue"))


@bp.get("/manage/suppliers/documents/<int:doc_id>")
@login_required
def supplier_document(doc_id: int):
    doc = db.session.get(SupplierDocument, doc_id)
    if doc is None:
        raise NotFoundError()
    own = queries.supplier_for_user(db.session, current_user.id)
    if own is None or own.id != doc.supplier_id:
        _visible_supplier(doc.supplier_id)
    return _send(doc.path, mimetypes.guess_type(doc.path)[0] or doc.content_type, doc.original_name)

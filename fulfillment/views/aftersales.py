"""After-sales pages: the buyer's form on an accepted order and its cases; the case page with
what the viewer may do (the supplier answers or reports a replacement sent, the buyer escalates
a refusal, the operator rules and settles a refused refund); the lists of each role, with the
operator's arbitration and refund work lists; the case photos, to those who may see the case."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from fulfillment import services
from fulfillment.forms import AnswerForm, CaseForm, DecideForm, NoteForm
from fulfillment.models import AftersalesPhoto
from fulfillment.queries import aftersales as queries
from fulfillment.services.aftersales import CaseRequest
from mall import headers, uploads
from mall.accounts.domain import Role
from mall.bounds import MAX_QUANTITY, parse_int
from mall.errors import DomainError, NotFoundError
from mall.extensions import db
from mall.money import yuan_to_fen
from mall.pagination import paginate
from orders import queries as order_queries
from orders.domain import may_act_on

bp = Blueprint("aftersales", __name__, template_folder="../templates")


def _case_url(case_id: int) -> str:
    return url_for("aftersales.case_show", case_id=case_id)


def _quantities(order) -> dict[int, object]:
    """The quantities typed per order line (`qty-<line id>`); a blank is none, junk is refused."""
    asked: dict[int, object] = {}
    for line in order.lines:
        text = (request.form.get(f"qty-{line.id}") or "").strip()
        if text:
            value = parse_int(text, 0, MAX_QUANTITY)
            asked[line.id] = value if value is not None else -1
    return asked


def _photos(form: CaseForm) -> list[uploads.CheckedUpload]:
    files = [f for f in form.photos.data or [] if f and f.filename]
    return [
        uploads.check_upload(f.stream, f.filename, allowed=uploads.IMAGE_TYPES, max_bytes=uploads.MAX_IMAGE_BYTES)
        for f in files
    ]


@bp.route("/orders/<int:order_id>/aftersales/new", methods=["GET", "POST"])
@login_required
def case_new(order_id: int):
    order = order_queries.get_order_for_buyer(db.session, current_user, order_id)
    form = CaseForm()
    if form.validate_on_submit():
        try:
            request_ = CaseRequest(form.kind.data, _quantities(order), form.reason.data, _photos(form))
            case = services.open_case(db.session, actor=current_user, order_id=order.id, request=request_)
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            flash("售后申请已提交，供应商将在48小时内答复", "success")
            return redirect(_case_url(case.id))
    return render_template(
        "fulfillment/aftersales/case_new.html",
        form=form,
        order=order,
        cases=queries.order_cases(db.session, order.id),
        page_title=f"申请售后 · 订单 {order.number}",
    )


@bp.get("/aftersales")
@login_required
def case_list():
    operator = current_user.has_role(Role.PLATFORM_OPERATOR)
    supplier = order_queries.supplier_of(db.session, current_user)
    if operator:
        stmt = queries.escalated_select()
    elif supplier is not None:
        stmt = queries.supplier_cases_select(supplier.id)
    elif current_user.unit_id is not None:
        stmt = queries.buyer_cases_select(current_user)
    else:
        raise NotFoundError("页面不存在")
    return render_template(
        "fulfillment/aftersales/case_list.html",
        page=paginate(stmt, per_page=20),
        refunds=db.session.scalars(queries.failed_refunds_select().limit(100)).all() if operator else None,
        operator=operator,
        page_title="售后仲裁" if operator else "售后",
    )


@bp.get("/aftersales/<int:case_id>")
@login_required
def case_show(case_id: int):
    case = queries.get_case_for_anyone(db.session, current_user, case_id)
    supplier = order_queries.supplier_of(db.session, current_user)
    return render_template(
        "fulfillment/aftersales/case_show.html",
        case=case,
        as_supplier=supplier is not None and supplier.id == case.supplier_id,
        as_operator=current_user.has_role(Role.PLATFORM_OPERATOR),
        as_buyer=current_user.unit_id == case.unit_id and may_act_on(case.order.purpose, current_user.roles),
        may_replace=services.may_complete_replacement(case),
        answer_form=AnswerForm(formdata=None),
        decide_form=DecideForm(formdata=None),
        note_form=NoteForm(formdata=None),
        page_title=f"售后申请 #{case.id}",
    )


@bp.post("/aftersales/<int:case_id>/answer")
@login_required
def case_answer(case_id: int):
    queries.get_case_for_supplier(db.session, current_user, case_id)  # another's case: 404, whatever was sent
    form = AnswerForm()
    form.validate()
    agree = form.decision.data == "agree"
    if form.decision.data not in ("agree", "refuse"):
        flash("请选择同意或拒绝", "error")
        return redirect(_case_url(case_id))
    services.answer_case(db.session, actor=current_user, case_id=case_id, agree=agree, note=form.note.data or "")
    flash("已同意，退款已提交" if agree else "已拒绝，采购人可申请平台仲裁", "success")
    return redirect(_case_url(case_id))


@bp.post("/aftersales/<int:case_id>/escalate")
@login_required
def case_escalate(case_id: int):
    services.escalate_case(db.session, actor=current_user, case_id=case_id)
    flash("已提交平台仲裁", "success")
    return redirect(_case_url(case_id))


@bp.post("/aftersales/<int:case_id>/decide")
@login_required
def case_decide(case_id: int):
    queries.get_case_for_operator(db.session, current_user, case_id)
    form = DecideForm()
    if not form.validate():
        flash("；".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(_case_url(case_id))
    text = (form.refund.data or "").strip()
    services.decide_case(
        db.session,
        actor=current_user,
        case_id=case_id,
        ruling=form.ruling.data,
        note=form.note.data,
        refund_fen=yuan_to_fen(text) if text else None,
    )
    flash("已裁决", "success")
    return redirect(_case_url(case_id))


@bp.post("/aftersales/<int:case_id>/replaced")
@login_required
def case_replaced(case_id: int):
    services.complete_replacement(db.session, actor=current_user, case_id=case_id)
    flash("已确认换货发出，申请已完结", "success")
    return redirect(_case_url(case_id))


@bp.post("/aftersales/<int:case_id>/refund-settled")
@login_required
def case_refund_settled(case_id: int):
    form = NoteForm()
    form.validate()
    services.settle_refund_by_hand(db.session, actor=current_user, case_id=case_id, note=form.note.data or "")
    flash("已记录人工处理", "success")
    return redirect(_case_url(case_id))


@bp.get("/aftersales/photos/<int:aftersales_photo_id>")
@login_required
def case_photo(aftersales_photo_id: int):
    photo = db.session.get(AftersalesPhoto, aftersales_photo_id)
    if photo is None:
        raise NotFoundError()
    queries.get_case_for_anyone(db.session, current_user, photo.case_id)
    path = uploads.resolve(uploads.app_uploads_root(), photo.path)
    if not path.exists():
        raise NotFoundError()
    return headers.private(send_file(path, mimetype=photo.content_type))

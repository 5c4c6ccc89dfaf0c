"""Pages of acceptance (验收), evaluations (履约评价) and supplier standing: the buyer's acceptance
and evaluation forms, the supplier's evaluations (with its one answer) and scorecard, the platform
operator's standing list and a supplier's standing page with suspend and lift."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from fulfillment import domain
from fulfillment.forms import EvaluationForm, ReplyForm, StandingReasonForm
from fulfillment.models import AcceptancePhoto, LineFulfillment
from fulfillment.queries import acceptance as queries
from fulfillment.queries import scorecards as score_queries
from fulfillment.services import acceptance, evaluations, standing
from mall import clock, headers, uploads
from mall.accounts.domain import Role
from mall.bounds import MAX_QUANTITY, parse_int
from mall.errors import NotFoundError
from mall.extensions import db
from mall.money import format_yuan
from mall.pagination import paginate
from mall.policy.queries import terms_at
from orders import queries as order_queries

bp = Blueprint(
    "fulfillment_acceptance",
    __name__,
    template_folder="../templates",
    static_folder="../static/acceptance",
    static_url_path="/static/fulfillment/acceptance",
)


def _require(*roles: Role) -> None:
    if not current_user.has_role(*roles):
        raise NotFoundError("页面不存在")


# ---- the buyer ---------------------------------------------------------------------------------


@bp.get("/orders/<int:order_id>/acceptance")
@login_required
def acceptance_form(order_id: int):
    order = queries.get_order_for_buyer(db.session, current_user, order_id)
    record, rows = queries.progress(db.session, order.id)
    return render_template(
        "fulfillment/acceptance/acceptance_form.html",
        order=order,
        record=record,
        rows=rows,
        page_title=f"验收订单 {order.number}",
    )


def _number(name: str) -> int | str:
    """A typed quantity (junk is passed on as text, for the rules to refuse in Chinese)."""
    raw = request.form.get(name, "").strip()
    value = parse_int(raw, 0, MAX_QUANTITY)
    return value if value is not None else raw


@bp.post("/orders/<int:order_id>/acceptance")
@login_required
def acceptance_submit(order_id: int):
    order = queries.get_order_for_buyer(db.session, current_user, order_id)
    verdicts = [
        domain.LineVerdict(
            line.id,
            _number(f"accepted-{line.id}"),
            _number(f"rejected-{line.id}") or 0,
            request.form.get(f"reason-{line.id}", "")[: LineFulfillment.reason.type.length],
        )
        for line in order.lines
    ]
    photos = {
        line.id: [(f.stream, f.filename or "") for f in request.files.getlist(f"photos-{line.id}")]
        for line in order.lines
    }
    accepted = acceptance.accept_order(
        db.session, actor=current_user, order_id=order.id, verdicts=verdicts, photos=photos
    )
    record, _ = queries.progress(db.session, accepted.id)
    refund = f"，拒收部分 {format_yuan(record.refund_fen)}将原路退回" if record.refund_fen else ""
    flash(f"订单已验收{refund}", "success")
    return redirect(url_for("orders.order_show", order_id=order.id))


@bp.get("/orders/<int:order_id>/evaluation")
@login_required
def evaluation_form(order_id: int):
    order = queries.get_order_for_buyer(db.session, current_user, order_id)
    evaluation = queries.evaluation_of(db.session, order.id)
    form = EvaluationForm(formdata=None, obj=evaluation)
    return render_template(
        "fulfillment/acceptance/evaluation_form.html",
        order=order,
        evaluation=evaluation,
        record=queries.progress(db.session, order.id)[0],
        form=form,
        now=clock.now(),
        page_title=f"评价订单 {order.number}",
    )


@bp.post("/orders/<int:order_id>/evaluation")
@login_required
def evaluation_submit(order_id: int):
    form = EvaluationForm()
    if not form.validate():
        flash("；".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("fulfillment_acceptance.evaluation_form", order_id=order_id))
    scores = {name: getattr(form, name).data for name in domain.SCORE_LABELS}
    order = queries.get_order_for_buyer(db.session, current_user, order_id)
    act = evaluations.edit_evaluation if queries.evaluation_of(db.session, order.id) else evaluations.evaluate_order
    act(db.session, actor=current_user, order_id=order.id, comment=form.comment.data or "", **scores)
    flash("评价已提交，24小时内可修改", "success")
    return redirect(url_for("orders.order_show", order_id=order.id))


@bp.get("/acceptance/photos/<int:acceptance_photo_id>")
@login_required
def acceptance_photo(acceptance_photo_id: int):
    """A rejection photo: for the order's unit, its supplier and the platform operator."""
    photo = db.session.get(AcceptancePhoto, acceptance_photo_id)
    row = db.session.get(LineFulfillment, photo.order_line_id) if photo else None
    if row is None:
        raise NotFoundError()
    if not current_user.has_role(Role.PLATFORM_OPERATOR):
        supplier = order_queries.supplier_of(db.session, current_user)
        if supplier is not None:
            order_queries.get_order_for_supplier(db.session, supplier.id, row.order_id)
        else:
            queries.get_order_for_buyer(db.session, current_user, row.order_id)
    path = uploads.resolve(uploads.app_uploads_root(), photo.path)
    if not path.exists():
        raise NotFoundError()
    return headers.private(send_file(path, mimetype=photo.content_type))


# ---- the supplier ------------------------------------------------------------------------------


def _own_supplier():
    supplier = order_queries.supplier_of(db.session, current_user)
    if supplier is None:
        raise NotFoundError("页面不存在")
    return supplier


@bp.get("/supplier/evaluations")
@login_required
def supplier_evaluations():
    supplier = _own_supplier()
    page = paginate(queries.supplier_evaluations_select(supplier.id), per_page=20)
    return render_template(
        "fulfillment/acceptance/supplier_evaluations.html",
        page=page,
        numbers=queries.order_numbers(db.session, [e.order_id for e in page.items]),
        reply_form=ReplyForm(formdata=None),
        page_title="履约评价",
    )


@bp.post("/supplier/evaluations/<int:evaluation_id>/reply")
@login_required
def evaluation_reply(evaluation_id: int):
    form = ReplyForm()
    form.validate()
    evaluations.reply_to_evaluation(db.session, actor=current_user, evaluation_id=evaluation_id, reply=form.reply.data)
    flash("已回复该评价", "success")
    return redirect(request.referrer or url_for("fulfillment_acceptance.supplier_evaluations"))


@bp.get("/supplier/scorecard")
@login_required
def supplier_scorecard():
    return _scorecard_page(_own_supplier(), "fulfillment/acceptance/supplier_scorecard.html", "履约评分")


def _scorecard_page(supplier, template: str, title: str, **extra):
    now = clock.now()
    terms = terms_at(db.session, now)
    return render_template(
        template,
        score=score_queries.supplier_score(db.session, supplier, now, terms),
        terms=terms,
        history=score_queries.standing_history(db.session, supplier.id),
        page_title=title,
        **extra,
    )


# ---- the platform operator ---------------------------------------------------------------------


@bp.get("/manage/standing")
@login_required
def standing_list():
    _require(Role.PLATFORM_OPERATOR)
    page = paginate(score_queries.standing_list_select(), per_page=30)
    return render_template(
        "fulfillment/acceptance/standing_list.html",
        page=page,
        standings=score_queries.current_standings(db.session, [s.id for s in page.items]),
        page_title="供应商信用",
    )


@bp.get("/manage/standing/<int:supplier_id>")
@login_required
def standing_show(supplier_id: int):
    _require(Role.PLATFORM_OPERATOR)
    supplier = score_queries.get_supplier_for(db.session, current_user, supplier_id)
    return _scorecard_page(
        supplier,
        "fulfillment/acceptance/standing_show.html",
        f"{supplier.name} 的履约评分",
        form=StandingReasonForm(formdata=None),
    )


@bp.post("/manage/standing/<int:supplier_id>/suspend")
@login_required
def standing_suspend(supplier_id: int):
    form = StandingReasonForm()
    form.validate()
    standing.suspend_supplier(db.session, actor=current_user, supplier_id=supplier_id, reason=form.reason.data)
    flash("已暂停该供应商接单", "success")
    return redirect(url_for("fulfillment_acceptance.standing_show", supplier_id=supplier_id))


@bp.post("/manage/standing/<int:supplier_id>/lift")
@login_required
def standing_lift(supplier_id: int):
    form = StandingReasonForm()
    form.validate()
    standing.lift_suspension(db.session, actor=current_user, supplier_id=supplier_id, reason=form.reason.data)
    flash("已恢复该供应商接单", "success")
    return redirect(url_for("fulfillment_acceptance.standing_show", supplier_id=supplier_id))

"""Payables pages (不得拖欠): the unit admin's and the finance officer's payables by due date
(overdue ones red, with days overdue and late interest), the unit admin's "paid" button, the
arrears per unit, and the supplier's receivables with their ageing."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from fulfillment import services
from fulfillment.queries import payables as queries
from fulfillment.queries.payables import PAYABLE_FILTER_LABELS, PayableFilter
from mall import clock
from mall.accounts.domain import Role
from mall.errors import NotFoundError
from mall.extensions import db
from mall.pagination import paginate
from mall.policy.queries import terms_at
from orders import queries as order_queries

bp = Blueprint("payables", __name__, template_folder="../templates")
VIEWERS = (Role.UNIT_ADMIN, Role.FINANCE_OFFICER, Role.SUPPLIER)


def _require(*roles: Role) -> None:
    if not current_user.has_role(*roles):
        raise NotFoundError("页面不存在")


def _filter() -> PayableFilter | None:
    value = request.args.get("status", "")
    return PayableFilter(value) if value in PayableFilter.__members__.values() else None


@bp.get("/payables")
@login_required
def payable_list():
    _require(*VIEWERS)
    now = clock.now()
    terms = terms_at(db.session, now)
    wanted = _filter()
    page = paginate(queries.payables_select(db.session, current_user, wanted, now), per_page=20)
    supplier = order_queries.supplier_of(db.session, current_user)
    return render_template(
        "fulfillment/payables/payable_list.html",
        page=page,
        rows=[(p, queries.figures(p, now, terms)) for p in page.items],
        wanted=wanted,
        filters=PAYABLE_FILTER_LABELS,
        ageing=queries.supplier_ageing(db.session, supplier.id, now, terms) if supplier else None,
        may_pay=current_user.has_role(Role.UNIT_ADMIN),
        page_title="应收货款" if supplier else "应付货款",
    )


@bp.post("/payables/<int:payable_id>/pay")
@login_required
def payable_pay(payable_id: int):
    payable = services.mark_paid(db.session, actor=current_user, payable_id=payable_id)
    flash(f"已登记订单 {payable.order.number} 的货款付款", "success")
    return redirect(url_for("payables.payable_list"))


@bp.get("/payables/arrears")
@login_required
def arrears_list():
    _require(Role.UNIT_ADMIN, Role.FINANCE_OFFICER)
    now = clock.now()
    return render_template(
        "fulfillment/payables/arrears_list.html",
        arrears=queries.arrears_by_unit(db.session, current_user, now, terms_at(db.session, now)),
        page_title="拖欠情况",
    )

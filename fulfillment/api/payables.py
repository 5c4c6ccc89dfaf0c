"""Payables in the JSON API: a unit admin's and a finance officer's payables (in their scope),
a supplier's receivables, by due date with days overdue and late interest; the unit admin
records a payment."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from fulfillment import services
from fulfillment.domain import PayableStatus
from fulfillment.models import Payable
from fulfillment.queries import payables as queries
from fulfillment.queries.payables import InvalidPayableFilterError, PayableFilter
from mall import clock
from mall.api import PageOut, api_blueprint, api_user, paginated
from mall.api_schema import Auth, PageQuery, documented
from mall.extensions import db
from mall.policy.queries import terms_at

api = api_blueprint("payables_api", __name__)
TAG = "货款支付"


class PayableQuery(PageQuery):
    invalid = InvalidPayableFilterError
    status: PayableFilter | None = Field(None, description="due 待付款（未逾期），overdue 已逾期，paid 已付清")


class PayableOut(BaseModel):
    id: int
    order_id: int
    order_number: str
    unit_id: int
    supplier_id: int
    status: PayableStatus
    amount_fen: int = Field(description="应付金额（验收后保留的货物，售后退款后相应减少）")
    paid_fen: int
    disputed_fen: int = Field(description="售后争议中暂缓支付的金额")
    due_on: date
    overdue: bool
    days_overdue: int
    interest_fen: int = Field(description="逾期利息（已付的与至今应计的）")
    interest_bp_per_day: int = Field(description="日利率（基点，5 即 0.05%）")


class PayablePage(PageOut):
    items: list[PayableOut]


def payable_json(payable: Payable) -> dict:
    now = clock.now()
    seen = queries.figures(payable, now, terms_at(db.session, now))
    return {
        "id": payable.id,
        "order_id": payable.order_id,
        "order_number": payable.order.number,
        "unit_id": payable.unit_id,
        "supplier_id": payable.supplier_id,
        "status": payable.status.value,
        "amount_fen": payable.amount_fen,
        "paid_fen": payable.paid_fen,
        "disputed_fen": payable.disputed_fen,
        "due_on": payable.due_on.isoformat(),
        "overdue": seen.is_overdue,
        "days_overdue": seen.days_overdue,
        "interest_fen": seen.interest_fen,
        "interest_bp_per_day": seen.rate_bp_per_day,
    }


@api.get("/payables")
@documented(TAG, Auth.BEARER, PayablePage)
def payable_list(query: PayableQuery):
    """应付货款（单位管理员、辖区财政部门）或应收货款（供应商），按付款期限排列"""
    stmt = queries.payables_select(db.session, api_user(), query.status, clock.now())
    return paginated(stmt, payable_json, page=query.page, per_page=query.per_page)


@api.post("/payables/<int:payable_id>/pay")
@documented(TAG, Auth.BEARER, PayableOut, errors=(404, 409))
def payable_pay(payable_id: int):
    """单位管理员登记已付款（未争议部分，连同至今的逾期利息）"""
    payable = services.mark_paid(db.session, actor=api_user(), payable_id=payable_id)
    return payable_json(queries.get_payable_for_admin(db.session, api_user(), payable.id))

"""JSON API of acceptance (验收), evaluations (履约评价) and supplier scorecards.

`POST /api/v1/orders/<id>/acceptance` answers the order as `GET /api/v1/orders/<id>` does, whose
answer gains `refund_fen` and `acceptance` here (`ORDER_DETAIL_PARTS`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, Field

from fulfillment import domain
from fulfillment.models import Evaluation, LineFulfillment
from fulfillment.queries import acceptance as queries
from fulfillment.queries import scorecards as score_queries
from fulfillment.services import acceptance, evaluations
from mall import clock
from mall.api import api_blueprint, api_user, iso
from mall.api_schema import AnswerPart, ApiModel, Auth, Id, bounded, documented, text
from mall.bounds import MAX_QUANTITY
from mall.errors import DomainError
from mall.extensions import db
from mall.money import BP_PER_UNIT
from mall.policy.queries import terms_at
from orders.api import ORDER_DETAIL, order_detail_json
from orders.models import Order

api = api_blueprint("fulfillment_acceptance_api", __name__)
ACCEPTANCE = "验收与评价"
MAX_LINES = 500


@api.before_request
def _keep_written_state() -> None:
    db.session().expire_on_commit = False


# ---- acceptance --------------------------------------------------------------------------------


class AcceptanceLineIn(ApiModel):
    order_line_id: Id
    accepted_qty: bounded(0, MAX_QUANTITY, description="验收数量")
    rejected_qty: bounded(0, MAX_QUANTITY, description="拒收数量") = 0
    reason: text(LineFulfillment.reason, description="拒收原因（有拒收时必填）") = ""


class AcceptanceIn(ApiModel):
    lines: list[AcceptanceLineIn] = Field(default_factory=list, max_length=MAX_LINES)


class AcceptanceLineOut(BaseModel):
    order_line_id: int
    accepted_qty: int
    rejected_qty: int
    rejected_fen: int
    reason: str
    photos: int


class AcceptanceOut(BaseModel):
    delivered_at: datetime | None
    acceptance_due_on: date | None
    accepted_at: datetime | None
    auto_accepted: bool
    accepted_by: str | None
    rejected_fen: int
    refund_fen: int
    evaluation_due_on: date | None
    lines: list[AcceptanceLineOut]


@api.post("/orders/<int:order_id>/acceptance")
@documented(ACCEPTANCE, Auth.BEARER, ORDER_DETAIL, errors=(404, 409))
def order_accept(order_id: int, json: AcceptanceIn):
    """验收：逐行填写验收与拒收数量，拒收须写原因

    未提及的订单行按全部验收。拒收部分：公务卡订单原路退款（refund_fen），对公转账订单只按验收部分生成应付货款。
    未送达答 409 not_delivered；已验收或已过期限答 409 acceptance_closed。
    """
    verdicts = [
        domain.LineVerdict(line.order_line_id, line.accepted_qty, line.rejected_qty, line.reason) for line in json.lines
    ]
    order = acceptance.accept_order(db.session, actor=api_user(), order_id=order_id, verdicts=verdicts)
    return order_detail_json(order)


def acceptance_json(order: Order) -> dict | None:
    record, rows = queries.progress(db.session, order.id)
    if record is None or record.delivered_at is None:
        return None
    return {
        "delivered_at": iso(record.delivered_at),
        "acceptance_due_on": record.acceptance_due_on.isoformat() if record.acceptance_due_on else None,
        "accepted_at": iso(record.accepted_at),
        "auto_accepted": record.auto_accepted,
        "accepted_by": record.accepted_by.display_name if record.accepted_by else None,
        "rejected_fen": record.rejected_fen,
        "refund_fen": record.refund_fen,
        "evaluation_due_on": record.evaluation_due_on.isoformat() if record.evaluation_due_on else None,
        "lines": [
            {
                "order_line_id": row.order_line_id,
                "accepted_qty": row.accepted_qty,
                "rejected_qty": row.rejected_qty,
                "rejected_fen": row.rejected_fen,
                "reason": row.reason,
                "photos": len(row.photos),
            }
            for row in rows.values()
        ],
    }


def _refund_fen(order: Order) -> int:
    record, _ = queries.progress(db.session, order.id)
    return record.refund_fen if record is not None else 0


# ---- evaluations -------------------------------------------------------------------------------

Score = bounded(1, 5, description="1-5分")


class EvaluationIn(ApiModel):
    field_errors: ClassVar[dict[str, type[DomainError]]] = {
        name: domain.InvalidScoreError for name in ("quality", "timeliness", "service", "price")
    }
    quality: Score = Field(description="商品质量")
    timeliness: Score = Field(description="配送时效")
    service: Score = Field(description="服务态度")
    price: Score = Field(description="价格合理")
    comment: text(Evaluation.comment, description="评价内容") = ""


class ReplyIn(ApiModel):
    reply: text(Evaluation.supplier_reply, min_length=1, description="供应商回复（仅一次）")


class EvaluationOut(BaseModel):
    id: int
    order_id: int
    supplier_id: int
    quality: int
    timeliness: int
    service: int
    price: int
    comment: str
    is_default: bool
    submitted_at: datetime
    editable_until: datetime
    supplier_reply: str
    replied_at: datetime | None


def evaluation_json(e: Evaluation) -> dict:
    return {
        "id": e.id,
        "order_id": e.order_id,
        "supplier_id": e.supplier_id,
        **vars(e.scores),
        "comment": e.comment,
        "is_default": e.is_default,
        "submitted_at": iso(e.submitted_at),
        "editable_until": iso(e.editable_until),
        "supplier_reply": e.supplier_reply,
        "replied_at": iso(e.replied_at),
    }


@api.post("/orders/<int:order_id>/evaluation")
@documented(ACCEPTANCE, Auth.BEARER, EvaluationOut, status=201, errors=(404, 409))
def order_evaluate(order_id: int, json: EvaluationIn):
    """履约评价：验收后评价期内，四项1-5分与评价内容，每单一次

    已评价答 409 already_evaluated；未验收或已过评价期答 409 evaluation_closed。提交后24小时内可修改（PUT）。
    """
    evaluation = evaluations.evaluate_order(
        db.session, actor=api_user(), order_id=order_id, **json.model_dump(include=set(EvaluationIn.model_fields))
    )
    return evaluation_json(evaluation), 201


@api.put("/orders/<int:order_id>/evaluation")
@documented(ACCEPTANCE, Auth.BEARER, EvaluationOut, errors=(404, 409))
def order_evaluation_edit(order_id: int, json: EvaluationIn):
    """修改评价：提交后24小时内可修改，之后为最终评价（409 evaluation_final）"""
    evaluation = evaluations.edit_evaluation(
        db.session, actor=api_user(), order_id=order_id, **json.model_dump(include=set(EvaluationIn.model_fields))
    )
    return evaluation_json(evaluation)


@api.post("/evaluations/<int:evaluation_id>/reply")
@documented(ACCEPTANCE, Auth.BEARER, EvaluationOut, errors=(404, 409))
def evaluation_reply(evaluation_id: int, json: ReplyIn):
    """供应商回复评价（仅一次，再次回复答 409 already_replied）"""
    evaluation = evaluations.reply_to_evaluation(
        db.session, actor=api_user(), evaluation_id=evaluation_id, reply=json.reply
    )
    return evaluation_json(evaluation)


# ---- scorecards ---------------------------------------------------------------------------------


class MonthScoreOut(BaseModel):
    month: str = Field(description="YYYY-MM")
    score: int | None
    band: str


class ScorecardOut(BaseModel):
    supplier_id: int
    score: int | None = Field(description="0-100；订单不足时为空值（评价不足）")
    band: str = Field(description="按评分所属档次：excellent/good/pass/warning/suspended/insufficient")
    band_label: str
    standing: str = Field(description="当前信用状态（暂停须由平台解除）")
    standing_label: str
    orders: int
    evaluations: int
    default_evaluations: int
    on_time_rate: float | None
    rejection_rate: float | None
    aftersales_rate: float | None
    median_response_hours: float | None
    months: list[MonthScoreOut]


def _rate(bp: int | None) -> float | None:
    return None if bp is None else bp / BP_PER_UNIT


@api.get("/suppliers/<int:supplier_id>/scorecard")
@documented(ACCEPTANCE, Auth.BEARER, ScorecardOut, errors=(404,))
def supplier_scorecard(supplier_id: int):
    """供应商履约评分：近12个月的评价均分、准时送达率、拒收率、售后率与逐月趋势

    供应商账号只能查看本供应商；未入驻或不存在的供应商答 404。
    """
    now = clock.now()
    supplier = score_queries.get_supplier_for(db.session, api_user(), supplier_id)
    score = score_queries.supplier_score(db.session, supplier, now, terms_at(db.session, now))
    card = score.card
    return {
        "supplier_id": supplier.id,
        "score": card.score,
        "band": card.standing.value,
        "band_label": domain.STANDING_LABELS[card.standing],
        "standing": score.standing_value.value,
        "standing_label": score.standing_label,
        "orders": score.orders,
        "evaluations": card.evaluations,
        "default_evaluations": card.default_evaluations,
        "on_time_rate": _rate(card.on_time_rate_bp),
        "rejection_rate": _rate(card.rejection_rate_bp),
        "aftersales_rate": _rate(card.aftersales_rate_bp),
        "median_response_hours": card.median_response_hours,
        "months": [
            {"month": f"{row.month:%Y-%m}", "score": row.score, "band": row.standing.value} for row in score.months
        ],
    }


ORDER_DETAIL_PARTS = (
    AnswerPart("refund_fen", int, _refund_fen, "验收拒收退还的金额（分）"),
    AnswerPart("acceptance", AcceptanceOut | None, acceptance_json, "验收：逐行验收与拒收；未送达为空值"),
)

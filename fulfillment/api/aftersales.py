"""After-sales in the JSON API: the buyer opens a case on an order and escalates a refused one;
the supplier answers (agree or refuse with a note) and reports a replacement sent; the platform
operator rules and settles a refused refund by hand. Anyone outside the case is told 404."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from flask import Flask
from pydantic import BaseModel, Field, StrictBool

from fulfillment import services
from fulfillment.domain import AftersalesKind, AftersalesStatus, CaseRefundStatus, InvalidRulingRefundError, Ruling
from fulfillment.models import AftersalesCase
from fulfillment.queries import aftersales as queries
from mall.api import api_blueprint, api_user, iso
from mall.api_schema import AnswerPart, ApiModel, Auth, Id, bounded, documented, extend_answer, text
from mall.bounds import MAX_AMOUNT_FEN, MAX_QUANTITY
from mall.errors import DomainError
from mall.extensions import db
from orders.domain import InvalidQuantityError

api = api_blueprint("aftersales_api", __name__)
TAG = "售后"
NOTE = text(500)


class CaseLineIn(ApiModel):
    field_errors: ClassVar[dict[str, type[DomainError]]] = {"quantity": InvalidQuantityError}
    order_line_id: Id
    quantity: bounded(1, MAX_QUANTITY, description="售后数量（销售单位）")


class CaseIn(ApiModel):
    kind: AftersalesKind = Field(description="refund 仅退款、return 退货退款、replace 换货")
    lines: list[CaseLineIn] = Field(min_length=1, max_length=100)
    reason: text(500, min_length=1) = Field(description="原因")


class AnswerIn(ApiModel):
    agree: StrictBool = Field(description="true 同意，false 拒绝（须填说明）")
    note: NOTE = Field("", description="说明（拒绝时必填）")


class DecideIn(ApiModel):
    field_errors: ClassVar[dict[str, type[DomainError]]] = {"refund_fen": InvalidRulingRefundError}
    ruling: Ruling = Field(description="for_buyer 支持采购人，for_supplier 支持供应商")
    note: text(500, min_length=1) = Field(description="裁决理由")
    refund_fen: bounded(0, MAX_AMOUNT_FEN) | None = Field(None, description="支持采购人时的退款金额（不填为申请金额）")


class SettleIn(ApiModel):
    note: text(500, min_length=1) = Field(description="人工处理的说明")


class CaseLineOut(BaseModel):
    order_line_id: int
    title: str
    quantity: int


class CaseOut(BaseModel):
    id: int
    order_id: int
    supplier_id: int
    kind: AftersalesKind
    status: AftersalesStatus
    reason: str
    lines: list[CaseLineOut]
    photos: int = Field(description="照片张数")
    opened_at: datetime
    answer_due_at: datetime = Field(description="供应商答复期限，逾期自动转平台仲裁")
    answer: str
    answered_at: datetime | None
    escalated_at: datetime | None
    ruling: Ruling | None
    ruling_note: str
    refund_fen: int = Field(description="申请或同意、裁定的退款金额")
    refund_status: CaseRefundStatus | None
    refund_attempts: int
    refund_retry_at: datetime | None
    closed_at: datetime | None


def case_json(case: AftersalesCase) -> dict:
    return {
        "id": case.id,
        "order_id": case.order_id,
        "supplier_id": case.supplier_id,
        "kind": case.kind.value,
        "status": case.status.value,
        "reason": case.reason,
        "lines": [
            {"order_line_id": line.order_line_id, "title": line.order_line.title, "quantity": line.quantity}
            for line in case.lines
        ],
        "photos": len(case.photos),
        "opened_at": iso(case.opened_at),
        "answer_due_at": iso(case.answer_due_at),
        "answer": case.answer,
        "answered_at": iso(case.answered_at),
        "escalated_at": iso(case.escalated_at),
        "ruling": case.ruling.value if case.ruling else None,
        "ruling_note": case.ruling_note,
        "refund_fen": case.refund_fen,
        "refund_status": case.refund_status.value if case.refund_status else None,
        "refund_attempts": case.refund_attempts,
        "refund_retry_at": iso(case.refund_retry_at),
        "closed_at": iso(case.closed_at),
    }


def _answer(case_id: int) -> dict:
    return case_json(queries.get_case_for_anyone(db.session, api_user(), case_id))


@api.post("/orders/<int:order_id>/aftersales")
@documented(TAG, Auth.BEARER, CaseOut, status=201, errors=(404, 409))
def case_open(order_id: int, json: CaseIn):
    """采购人对已验收订单申请售后（仅退款、退货退款、换货）

    须在售后期限内（生鲜冷藏、冷冻商品按小时，其他按天：aftersales_window_closed），数量不超过已验收数量；
    同一订单行已有处理中的申请答 409 aftersales_case_open。
    """
    lines: dict[int, object] = {}
    for line in json.lines:
        lines[line.order_line_id] = lines.get(line.order_line_id, 0) + line.quantity
    request = services.CaseRequest(json.kind.value, lines, json.reason)
    case = services.open_case(db.session, actor=api_user(), order_id=order_id, request=request)
    return _answer(case.id), 201


@api.get("/aftersales/<int:case_id>")
@documented(TAG, Auth.BEARER, CaseOut, errors=(404,))
def case_show(case_id: int):
    """一件售后申请（采购单位、该供应商或平台运营可见）"""
    return _answer(case_id)


@api.post("/aftersales/<int:case_id>/answer")
@documented(TAG, Auth.BEARER, CaseOut, errors=(404, 409))
def case_answer(case_id: int, json: AnswerIn):
    """供应商答复售后申请：同意（随即退款）或拒绝（须说明）"""
    services.answer_case(db.session, actor=api_user(), case_id=case_id, agree=json.agree, note=json.note)
    return _answer(case_id)


@api.post("/aftersales/<int:case_id>/escalate")
@documented(TAG, Auth.BEARER, CaseOut, errors=(404, 409))
def case_escalate(case_id: int):
    """采购人将被拒绝的售后申请提交平台仲裁"""
    services.escalate_case(db.session, actor=api_user(), case_id=case_id)
    return _answer(case_id)


@api.post("/aftersales/<int:case_id>/decide")
@documented(TAG, Auth.BEARER, CaseOut, errors=(404, 409))
def case_decide(case_id: int, json: DecideIn):
    """平台运营裁决仲裁中的售后申请"""
    services.decide_case(
        db.session,
        actor=api_user(),
        case_id=case_id,
        ruling=json.ruling.value,
        note=json.note,
        refund_fen=json.refund_fen,
    )
    return _answer(case_id)


@api.post("/aftersales/<int:case_id>/replaced")
@documented(TAG, Auth.BEARER, CaseOut, errors=(404, 409))
def case_replaced(case_id: int):
    """供应商确认换货已发出，申请完结"""
    services.complete_replacement(db.session, actor=api_user(), case_id=case_id)
    return _answer(case_id)


@api.post("/aftersales/<int:case_id>/refund-settled")
@documented(TAG, Auth.BEARER, CaseOut, errors=(404, 409))
def case_refund_settled(case_id: int, json: SettleIn):
    """平台运营人工处理被支付机构拒绝的退款"""
    services.settle_refund_by_hand(db.session, actor=api_user(), case_id=case_id, note=json.note)
    return _answer(case_id)


def _order_cases(order, **_: object) -> list[dict]:
    return [case_json(case) for case in queries.order_cases(db.session, order.id)]


def init_app(app: Flask) -> None:
    """The order's answer (`GET /api/v1/orders/<id>`) gains its after-sales cases."""
    extend_answer(app, "order_detail", AnswerPart("aftersales", list[CaseOut], _order_cases, "售后申请（新的在前）"))

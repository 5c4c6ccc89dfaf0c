"""JSON API of acceptance (验收), evaluations (履约评价) and supplier scorecards.

`POST /api/v1/orders/<id>/acceptance` answers the order as `GET /api/v1/orders/<id>` does, whose
answer gains `refund_fen` and `acceptance` here (`ORDER_DETAIL_PARTS`)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from fulfillment import domain
from fulfillment.models import LineFulfillment
from fulfillment.queries import acceptance as queries
from fulfillment.services import acceptance
from mall.api import api_blueprint, api_user, iso
from mall.api_schema import AnswerPart, ApiModel, Auth, Id, bounded, documented, text
from mall.bounds import MAX_QUANTITY
from mall.extensions import db
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


ORDER_DETAIL_PARTS = (
    AnswerPart("refund_fen", int, _refund_fen, "验收拒收退还的金额（分）"),
    AnswerPart("acceptance", AcceptanceOut | None, acceptance_json, "验收：逐行验收与拒收；未送达为 null"),
)

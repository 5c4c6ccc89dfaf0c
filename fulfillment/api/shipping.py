"""Shipping in the JSON API: `POST /api/v1/orders/<id>/shipments` (the supplier, or the cooperative's
operator for the suppliers it serves) and the parts it adds to the order's answer
(`GET /api/v1/orders/<id>`: "shipments" with their timelines, and "delivered_at")."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from pydantic import BaseModel, Field

from fulfillment.domain import (
    SHIPMENT_STATUS_LABELS,
    TRACKING_NO_LENGTH,
    CarrierEventCode,
    ShipmentStatus,
    timeline,
)
from fulfillment.models import Shipment
from fulfillment.queries import shipping as queries
from fulfillment.services import shipping as services
from mall.accounts.domain import Role
from mall.api import api_blueprint, api_user, iso
from mall.api_schema import AnswerPart, ApiModel, Auth, Id, bounded, documented, extend_answer, text
from mall.bounds import MAX_QUANTITY
from mall.extensions import db
from orders.models import Order

api = api_blueprint("shipping_api", __name__)
SHIPPING = "发货与物流"


class ParcelLineIn(ApiModel):
    order_line_id: Id
    quantity: bounded(0, MAX_QUANTITY, description="本包裹中该订单行的数量（0 表示本包裹不含该行）")


class ShipmentIn(ApiModel):
    """一个包裹。三项都须填写；缺少时按业务规则答 400（unknown_carrier、invalid_tracking_no、
    nothing_to_ship），且先核对订单归属：其他供应商的订单一律 404。"""

    carrier: text(20, description="承运商代码：sf、jd、ems、deppon、zto_cold、sf_cold、jd_cold") = ""
    tracking_no: text(TRACKING_NO_LENGTH, description="运单号（须符合承运商的格式）") = ""
    lines: list[ParcelLineIn] = Field(default_factory=list, max_length=200, description="本包裹装的订单行与数量")


class EventOut(BaseModel):
    at: datetime = Field(description="承运商记录的事件时间")
    code: CarrierEventCode = Field(
        description="picked_up 已揽收、in_transit 运输中、out_for_delivery 派送中、delivered 已签收、exception 异常"
    )
    city: str
    note: str = Field(description="说明；异常时为原因")


class ParcelLineOut(BaseModel):
    order_line_id: int
    quantity: int


class ShipmentOut(BaseModel):
    id: int
    carrier: str = Field(description="承运商代码")
    carrier_name: str
    tracking_no: str
    status: ShipmentStatus = Field(
        description="、".join(f"{s.value} {label}" for s, label in SHIPMENT_STATUS_LABELS.items())
    )
    shipped_at: datetime
    delivered_at: datetime | None
    lines: list[ParcelLineOut] = Field(description="本包裹所装的订单行与数量")
    events: list[EventOut] = Field(description="物流轨迹，按事件时间排序")


@api.post("/orders/<int:order_id>/shipments")
@documented(SHIPPING, Auth.BEARER, ShipmentOut, status=201, errors=(404, 409))
def shipment_create(order_id: int, json: ShipmentIn):
    """发货：一张订单可分多个包裹，每个包裹填承运商、运单号与所装的订单行数量

    各包裹累计不能超过订购数量（409 quantity_exceeds_ordered）；冷藏、冷冻商品须用冷链承运商
    （422 cold_chain_required）；运单号格式不符答 400 invalid_tracking_no，已被使用答 409 tracking_no_taken；
    订单不在待发货状态答 409 order_not_shippable。其他供应商的订单答 404。
    """
    quantities: dict[int, object] = {}
    for line in json.lines:
        quantities[line.order_line_id] = quantities.get(line.order_line_id, 0) + line.quantity
    shipment = services.ship_parcel(
        db.session,
        actor=api_user(Role.SUPPLIER, Role.COOP_OPERATOR),
        order_id=order_id,
        parcel=services.ParcelRequest(json.carrier, json.tracking_no, quantities),
    )
    return shipment_json(shipment), 201


def shipment_json(s: Shipment) -> dict:
    return {
        "id": s.id,
        "carrier": s.carrier_code,
        "carrier_name": s.carrier_name,
        "tracking_no": s.tracking_no,
        "status": s.status.value,
        "shipped_at": iso(s.shipped_at),
        "delivered_at": iso(s.delivered_at),
        "lines": [{"order_line_id": line.order_line_id, "quantity": line.quantity} for line in s.lines],
        "events": [
            {"at": iso(e.event_at), "code": e.code.value, "city": e.city, "note": e.note}
            for e in timeline(s.timeline())
        ],
    }


def _shipments(order: Order) -> list[dict]:
    return [shipment_json(s) for s in queries.shipments_of(db.session, order.id)]


def _delivered_at(order: Order) -> str | None:
    record = queries.order_fulfillment(db.session, order.id)
    return iso(record.delivered_at) if record else None


def init_app(app: Flask) -> None:
    app.register_blueprint(api)
    extend_answer(
        app,
        "order_detail",
        AnswerPart("shipments", list[ShipmentOut], _shipments, description="包裹与物流轨迹（发货后才有）"),
    )
    extend_answer(
        app,
        "order_detail",
        AnswerPart("delivered_at", datetime | None, _delivered_at, description="全部包裹签收的时间；未送达为空值"),
    )

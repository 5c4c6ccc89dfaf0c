"""The carriers' webhook: signatures, redelivered events, events out of order, unknown tracking
numbers, and the last parcel signed for delivering the order."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from fulfillment.carrier_secrets import secret_for
from fulfillment.domain import SIGNATURE_HEADER, CarrierEventCode, ShipmentStatus, sign
from fulfillment.models import CarrierEvent, OrderFulfillment, Shipment
from mall import clock
from mall.accounts.models import User
from mall.extensions import db
from mall.notifications import Notification
from orders.domain import OrderStatus
from orders.models import Order, OrderStatusChange
from tests.api.test_api_contract import bearer
from tests.factories import make_order, ship_order

_base: list[datetime] = []


@pytest.fixture(autouse=True)
def _fixed_base(app):
    _base[:] = [clock.now().replace(microsecond=0)]


def moment(hours: float) -> datetime:
    """A time `hours` after the test started (the same instant each time it is asked)."""
    return _base[0] + timedelta(hours=hours)


def payload(shipment: Shipment, code: CarrierEventCode, at: datetime, event_id: str, city: str = "兰州") -> bytes:
    body = {
        "event_id": event_id,
        "tracking_no": shipment.tracking_no,
        "code": code.value,
        "event_at": at.isoformat(),
        "city": city,
        "note": f"{city}{code.value}",
    }
    return json.dumps(body, ensure_ascii=False).encode()


def post(client, carrier: str, body: bytes, signature: str | None = "sign"):
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        signature = sign(secret_for(current_app.config, carrier), body)
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    return client.post(f"/webhooks/carrier/{carrier}", data=body, headers=headers)


def events_of(shipment_id: int) -> int:
    return db.session.scalar(select(func.count(CarrierEvent.id)).where(CarrierEvent.shipment_id == shipment_id))


@pytest.fixture
def parcel(app):
    order = make_order(quantities=(4,))
    shipment = ship_order(order, carrier_code="sf")
    db.session.commit()
    return shipment


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, "sha256=deadbeef", "other-carrier"],
    ids=["missing", "empty", "wrong", "short", "another carrier's secret"],
)
def test_a_missing_or_bad_signature_is_refused_and_nothing_is_stored(app, client, parcel, signature):
    body = payload(parcel, CarrierEventCode.PICKED_UP, moment(1), "EV-1")
    if signature == "other-carrier":
        signature = sign(secret_for(current_app.config, "jd"), body)
    answer = post(client, "sf", body, signature)
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (401, "bad_signature")
    assert events_of(parcel.id) == 0
    assert db.session.get(Shipment, parcel.id).status is ShipmentStatus.CREATED


def test_a_signed_event_is_stored_and_a_changed_body_is_not(app, client, parcel):
    body = payload(parcel, CarrierEventCode.PICKED_UP, moment(1), "EV-1")
    tampered = body.replace("兰州".encode(), "济南".encode())
    assert post(client, "sf", tampered, sign(secret_for(current_app.config, "sf"), body)).status_code == 401
    answer = post(client, "sf", body)
    assert answer.status_code == 200
    assert answer.get_json() | {"shipment_id": 0} == {
        "received": True,
        "stored": True,
        "shipment_id": 0,
        "status": "picked_up",
        "order_delivered": False,
    }
    assert events_of(parcel.id) == 1


def test_the_same_event_id_twice_is_stored_once(app, client, parcel):
    body = payload(parcel, CarrierEventCode.IN_TRANSIT, moment(2), "EV-7")
    first, second = post(client, "sf", body), post(client, "sf", body)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.get_json()["stored"], second.get_json()["stored"]) == (True, False)
    assert events_of(parcel.id) == 1


def test_an_unknown_tracking_number_is_404_and_logged(app, client, parcel, caplog):
    body = payload(parcel, CarrierEventCode.PICKED_UP, moment(1), "EV-9").replace(
        parcel.tracking_no.encode(), b"SF9999999999999"
    )
    with caplog.at_level(logging.WARNING, logger="fulfillment"):
        answer = post(client, "sf", body)
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (404, "unknown_tracking_no")
    assert any("SF9999999999999" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert db.session.scalar(select(func.count(CarrierEvent.id))) == 0


def test_an_unknown_carrier_and_a_malformed_event_are_refused(app, client, parcel):
    assert post(client, "ups", b"{}", "sha256=00").status_code == 404
    body = json.dumps({"event_id": "E1", "tracking_no": parcel.tracking_no, "code": "lost"}).encode()
    answer = post(client, "sf", body)
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (400, "invalid_carrier_event")
    assert post(client, "sf", b"not json").status_code == 400
    assert events_of(parcel.id) == 0


def test_events_out_of_order_show_in_event_time_and_the_last_signature_delivers_the_order(app, client):
    # given an order of 4 and 2 shipped in two parcels, the buyer watching through the API
    order = make_order(quantities=(4, 2))
    first = ship_order(order, {order.lines[0].id: 4}, carrier_code="sf")
    second = ship_order(order, {order.lines[1].id: 2}, carrier_code="jd")
    buyer = bearer(db.session.get(User, order.buyer_id))
    db.session.commit()
    plan = [
        (CarrierEventCode.PICKED_UP, 1, "定西"),
        (CarrierEventCode.IN_TRANSIT, 9, "兰州"),
        (CarrierEventCode.OUT_FOR_DELIVERY, 30, "济南"),
        (CarrierEventCode.DELIVERED, 33, "济南"),
    ]
    # when the first parcel's events arrive backwards
    for i, (code, hours, city) in reversed(list(enumerate(plan))):
        assert post(client, "sf", payload(first, code, moment(hours), f"A{i}", city)).status_code == 200
    # then its status is delivered, its timeline in event time, and the order still only shipped
    detail = client.get(f"/api/v1/orders/{order.id}", headers=buyer).get_json()
    timeline = detail["shipments"][0]["events"]
    assert [(e["code"], e["city"]) for e in timeline] == [(c.value, city) for c, _, city in plan]
    assert datetime.fromisoformat(timeline[0]["at"]) == moment(1)
    assert detail["shipments"][0]["status"] == "delivered"
    assert (detail["status"], detail["delivered_at"]) == ("shipped", None)
    # when the second parcel is signed for (its only event)
    answer = post(client, "jd", payload(second, CarrierEventCode.DELIVERED, moment(40), "B0", "济南"))
    # then the order is delivered at that signature, its acceptance window runs, the buyer is told
    assert answer.get_json()["order_delivered"] is True
    db.session.expire_all()
    assert db.session.get(Order, order.id).status is OrderStatus.DELIVERED
    record = db.session.get(OrderFulfillment, order.id)
    assert record.delivered_at == moment(40)
    assert record.acceptance_due_on == clock.local(moment(40)).date() + timedelta(days=7)
    texts = db.session.scalars(select(Notification.text).where(Notification.user_id == order.buyer_id)).all()
    assert texts == [f"订单 {order.number} 已全部送达，请在 {record.acceptance_due_on:%Y-%m-%d} 前完成验收"]
    # and a late copy of an earlier event changes nothing
    late = post(client, "jd", payload(second, CarrierEventCode.IN_TRANSIT, moment(20), "B1", "郑州"))
    assert late.get_json()["status"] == "delivered"
    assert db.session.get(Order, order.id).status is OrderStatus.DELIVERED


def test_an_exception_keeps_the_reason_and_the_parcel_moves_on(app, client, parcel):
    post(client, "sf", payload(parcel, CarrierEventCode.PICKED_UP, moment(1), "E1"))
    body = json.loads(payload(parcel, CarrierEventCode.EXCEPTION, moment(5), "E2"))
    body["note"] = "运输延误：干线车辆晚点"
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert post(client, "sf", raw).get_json()["status"] == "exception"
    assert post(client, "sf", payload(parcel, CarrierEventCode.IN_TRANSIT, moment(30), "E3")).get_json()["status"] == (
        "in_transit"
    )
    notes = db.session.scalars(select(CarrierEvent.note).where(CarrierEvent.event_id == "E2")).all()
    assert notes == ["运输延误：干线车辆晚点"]


# ---- deliveries racing on PostgreSQL -------------------------------------------------------------


def post_together(app, calls: list[tuple[str, bytes]]) -> list[dict]:
    """Post each (carrier, body) from its own thread and test client, all at once."""
    start = threading.Barrier(len(calls), timeout=30)

    def one(call: tuple[str, bytes]) -> dict:
        carrier, body = call
        with app.app_context():
            signature = sign(secret_for(app.config, carrier), body)
            client = app.test_client()
            start.wait()
            answer = client.post(
                f"/webhooks/carrier/{carrier}",
                data=body,
                headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature},
            )
            return answer.get_json()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


@pytest.mark.postgresql
def test_one_event_delivered_five_times_at_once_is_stored_once(app, parcel):
    body = payload(parcel, CarrierEventCode.PICKED_UP, moment(1), "EV-RACE")
    answers = post_together(app, [("sf", body)] * 5)
    assert sorted(a["stored"] for a in answers) == [False, False, False, False, True]
    assert events_of(parcel.id) == 1


@pytest.mark.postgresql
def test_two_last_parcels_signed_at_once_deliver_the_order_once(app):
    order = make_order(quantities=(4, 2))
    first = ship_order(order, {order.lines[0].id: 4}, carrier_code="sf")
    second = ship_order(order, {order.lines[1].id: 2}, carrier_code="jd")
    order_id, buyer_id = order.id, order.buyer_id
    db.session.commit()
    answers = post_together(
        app,
        [
            ("sf", payload(first, CarrierEventCode.DELIVERED, moment(30), "R1", "济南")),
            ("jd", payload(second, CarrierEventCode.DELIVERED, moment(31), "R2", "济南")),
        ],
    )
    assert sorted(a["order_delivered"] for a in answers) == [False, True]
    db.session.expire_all()
    assert db.session.get(Order, order_id).status is OrderStatus.DELIVERED
    notes = db.session.scalars(select(OrderStatusChange.note).where(OrderStatusChange.order_id == order_id)).all()
    assert notes.count("全部包裹已签收") == 1
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == buyer_id)) == 1
    assert db.session.get(OrderFulfillment, order_id).delivered_at == moment(31)

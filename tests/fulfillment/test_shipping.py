"""Shipping an order in parcels: the service's rules, the supplier's scope, the API's contract
(`POST /api/v1/orders/<id>/shipments`, the order's "shipments" and "delivered_at"), and two
shippers of one order racing on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from catalog.domain import Storage
from catalog.models import Supplier
from fulfillment.domain import ShipmentStatus
from fulfillment.models import LineFulfillment, Shipment
from fulfillment.services import shipping
from fulfillment.services.shipping import ParcelRequest
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import DomainError
from mall.extensions import db
from mall.notifications import Notification
from orders.domain import OrderStatus
from orders.models import Order, OrderStatusChange
from tests.api.test_api_contract import bearer
from tests.factories import make_order, make_product, make_supplier, make_supplier_user, make_user

SF_NO = "SF1234567890123"


def ship(user, order, quantities, *, carrier="sf", tracking_no=SF_NO):
    return shipping.ship_parcel(
        db.session, actor=user, order_id=order.id, parcel=ParcelRequest(carrier, tracking_no, quantities)
    )


def code_of(call) -> str:
    try:
        call()
    except DomainError as err:
        db.session.rollback()
        return err.code
    return "ok"


def shipped(order) -> dict[int, int]:
    rows = db.session.execute(
        select(LineFulfillment.order_line_id, LineFulfillment.shipped_qty).where(LineFulfillment.order_id == order.id)
    )
    return dict(rows.all())


def test_two_parcels_ship_an_order_partly_then_whole_and_the_buyer_hears_of_each(app):
    # given a placed order of 10 and 4
    order = make_order(quantities=(10, 4))
    supplier_user = make_supplier_user(order.supplier)
    first, second = (line.id for line in order.lines)
    db.session.commit()
    # when the supplier ships 6 of the first line, then the rest in a second parcel
    ship(supplier_user, order, {first: 6})
    assert db.session.get(Order, order.id).status is OrderStatus.PARTLY_SHIPPED
    ship(supplier_user, order, {first: 4, second: 4}, carrier="jd", tracking_no="jdva 12345678901")
    # then everything is in parcels, the order is shipped, each step in its history and notified
    db.session.expire_all()
    assert shipped(order) == {first: 10, second: 4}
    assert db.session.get(Order, order.id).status is OrderStatus.SHIPPED
    parcels = db.session.scalars(select(Shipment).where(Shipment.order_id == order.id).order_by(Shipment.id)).all()
    assert [(p.carrier_code, p.tracking_no, p.status) for p in parcels] == [
        ("sf", SF_NO, ShipmentStatus.CREATED),
        ("jd", "JDVA12345678901", ShipmentStatus.CREATED),
    ]
    notes = [
        h.note for h in db.session.scalars(select(OrderStatusChange).where(OrderStatusChange.order_id == order.id))
    ]
    assert notes[-2:] == [f"发货：顺丰速运 {SF_NO}", "发货：京东物流 JDVA12345678901"]
    texts = db.session.scalars(select(Notification.text).where(Notification.user_id == order.buyer_id)).all()
    assert texts == [
        f"订单 {order.number} 已发货：顺丰速运 运单号 {SF_NO}",
        f"订单 {order.number} 已发货：京东物流 运单号 JDVA12345678901",
    ]


def test_shipping_more_than_ordered_is_refused_and_changes_nothing(app):
    # given an order of 10 with 6 already shipped
    order = make_order(quantities=(10,))
    user = make_supplier_user(order.supplier)
    line = order.lines[0].id
    db.session.commit()
    ship(user, order, {line: 6})
    # when the supplier tries to ship 5 more
    code = code_of(lambda: ship(user, order, {line: 5}, tracking_no="SF1234567890999"))
    # then it is refused: still 6 shipped, one parcel
    assert code == "quantity_exceeds_ordered"
    db.session.expire_all()
    assert shipped(order) == {line: 6}
    assert db.session.scalar(select(func.count(Shipment.id)).where(Shipment.order_id == order.id)) == 1


@pytest.mark.parametrize(
    ("carrier", "tracking_no", "code"),
    [
        ("sf", "SF12", "invalid_tracking_no"),
        ("ups", SF_NO, "unknown_carrier"),
        ("sf", SF_NO, "cold_chain_required"),
    ],
)
def test_a_bad_parcel_is_refused_with_its_code(app, carrier, tracking_no, code):
    # given a placed order of frozen goods
    supplier = make_supplier()
    frozen = make_product(supplier=supplier, storage=Storage.FROZEN)
    order = make_order(supplier=supplier, products=[frozen], quantities=(3,))
    user = make_supplier_user(supplier)
    db.session.commit()
    # when shipped with a wrong carrier or number, then refused, nothing stored
    assert code_of(lambda: ship(user, order, {order.lines[0].id: 3}, carrier=carrier, tracking_no=tracking_no)) == code
    assert db.session.scalar(select(func.count(Shipment.id))) == 0
    # and a cold-chain carrier takes it
    ship(user, order, {order.lines[0].id: 3}, carrier="zto_cold", tracking_no="75 123456789012")
    assert db.session.get(Order, order.id).status is OrderStatus.SHIPPED


def test_another_suppliers_order_is_not_found_and_the_cooperative_ships_for_those_it_serves(app):
    # given an order of a supplier served by the cooperative, another supplier and a coop operator
    served = make_supplier(served_by_coop=True)
    order = make_order(supplier=served, quantities=(2,))
    stranger = make_supplier_user()
    coop = make_user(Role.COOP_OPERATOR)
    db.session.commit()
    # when the other supplier tries, then 404; when the cooperative ships, it is shipped
    assert code_of(lambda: ship(stranger, order, {order.lines[0].id: 2})) == "not_found"
    ship(coop, order, {order.lines[0].id: 2})
    assert db.session.get(Order, order.id).status is OrderStatus.SHIPPED


def test_a_cancelled_order_is_not_shipped_and_a_tracking_number_names_one_parcel(app):
    order = make_order(quantities=(5,), status=OrderStatus.CANCELLED)
    other = make_order(quantities=(5,))
    user = make_supplier_user(order.supplier)
    other_user = make_supplier_user(other.supplier)
    db.session.commit()
    assert code_of(lambda: ship(user, order, {order.lines[0].id: 5})) == "order_not_shippable"
    ship(other_user, other, {other.lines[0].id: 2})
    assert code_of(lambda: ship(other_user, other, {other.lines[0].id: 2})) == "tracking_no_taken"
    assert shipped(other) == {other.lines[0].id: 2}


# ---- the API -----------------------------------------------------------------------------------


def test_api_ships_a_parcel_and_the_order_answer_shows_it(app, client):
    # given a placed order of two lines, its supplier and its buyer
    order = make_order(quantities=(3, 2))
    supplier_headers = bearer(make_supplier_user(order.supplier))
    buyer_headers = bearer(db.session.get(User, order.buyer_id))
    first, second = (line.id for line in order.lines)
    db.session.commit()
    # when the supplier posts a parcel with the first line
    body = {"carrier": "sf", "tracking_no": SF_NO, "lines": [{"order_line_id": first, "quantity": 3}]}
    answer = client.post(f"/api/v1/orders/{order.id}/shipments", json=body, headers=supplier_headers)
    # then 201 with the parcel, no events yet; the buyer's order shows it, not yet delivered
    assert answer.status_code == 201, answer.get_json()
    created = answer.get_json()
    assert (created["status"], created["events"], created["carrier"]) == ("created", [], "sf")
    detail = client.get(f"/api/v1/orders/{order.id}", headers=buyer_headers).get_json()
    assert detail["status"] == "partly_shipped"
    assert detail["delivered_at"] is None
    assert [(s["id"], s["tracking_no"], s["lines"]) for s in detail["shipments"]] == [
        (created["id"], SF_NO, [{"order_line_id": first, "quantity": 3}])
    ]
    # and shipping the second line twice over is refused with its code
    over = {"carrier": "sf", "tracking_no": "SF1234567890124", "lines": [{"order_line_id": second, "quantity": 3}]}
    refused = client.post(f"/api/v1/orders/{order.id}/shipments", json=over, headers=supplier_headers)
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "quantity_exceeds_ordered")


def test_api_refuses_strangers_and_bad_bodies(app, client):
    order = make_order(quantities=(3,))
    stranger = bearer(make_supplier_user())
    buyer = bearer(db.session.get(User, order.buyer_id))
    own = bearer(make_supplier_user(db.session.get(Supplier, order.supplier_id)))
    db.session.commit()
    url = f"/api/v1/orders/{order.id}/shipments"
    body = {"carrier": "sf", "tracking_no": SF_NO, "lines": [{"order_line_id": order.lines[0].id, "quantity": 1}]}
    assert client.post(url, json=body, headers=stranger).status_code == 404
    assert client.post(url, json=body, headers=buyer).status_code == 403
    no_lines = client.post(url, json=body | {"lines": []}, headers=own)
    assert no_lines.status_code == 400
    zero = client.post(url, json=body | {"lines": [{"order_line_id": order.lines[0].id, "quantity": 0}]}, headers=own)
    assert zero.get_json()["error"]["code"] == "nothing_to_ship"
    negative = client.post(
        url, json=body | {"lines": [{"order_line_id": order.lines[0].id, "quantity": -1}]}, headers=own
    )
    assert negative.status_code == 400
    foreign_line = client.post(url, json=body | {"lines": [{"order_line_id": 999_999, "quantity": 1}]}, headers=own)
    assert foreign_line.get_json()["error"]["code"] == "unknown_order_line"
    assert db.session.scalar(select(func.count(Shipment.id))) == 0


# ---- two shippers at once on PostgreSQL ----------------------------------------------------------


@pytest.mark.postgresql
def test_shippers_racing_on_one_line_never_ship_more_than_ordered(app):
    # given an order of 10 of a supplier the cooperative serves: the supplier's account and the
    # cooperative's operator post eight parcels of 3 at once
    order = make_order(supplier=make_supplier(served_by_coop=True), quantities=(10,))
    users = [make_supplier_user(order.supplier).id, make_user(Role.COOP_OPERATOR).id]
    order_id, line = order.id, order.lines[0].id
    db.session.commit()
    start = threading.Barrier(8, timeout=30)

    def one(i: int) -> str:
        with app.app_context():
            user = db.session.get(User, users[i % 2])
            target = db.session.get(Order, order_id)
            start.wait()
            return code_of(lambda: ship(user, target, {line: 3}, tracking_no=f"SF{i:013d}"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(8)))
    # then three parcels went out and the five others were refused: 9 shipped, never more than 10
    assert sorted(results) == ["ok"] * 3 + ["quantity_exceeds_ordered"] * 5
    db.session.expire_all()
    assert shipped(order) == {line: 9}
    assert db.session.scalar(select(func.count(Shipment.id)).where(Shipment.order_id == order.id)) == 3
    assert db.session.get(Order, order.id).status is OrderStatus.PARTLY_SHIPPED

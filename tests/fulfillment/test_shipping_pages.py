"""Shipping pages: the supplier's waiting-to-ship list with the buyer's wish and lateness, the ship
form, and the parcels' timelines on the buyer's and the supplier's order pages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from catalog.domain import Storage
from fulfillment.domain import CarrierEventCode
from fulfillment.models import Shipment
from mall import clock
from mall.accounts.models import User
from mall.extensions import db
from orders.domain import OrderStatus
from orders.models import Order
from tests.factories import (
    add_carrier_event,
    login,
    make_order,
    make_product,
    make_supplier,
    make_supplier_user,
    ship_order,
)


def test_the_waiting_list_shows_own_orders_by_wished_date_with_lateness(app, client):
    # given two orders of the supplier, one wished three days ago, and another supplier's order
    supplier = make_supplier()
    late = make_order(supplier=supplier, delivery_on=clock.today() - timedelta(days=3))
    soon = make_order(supplier=supplier, delivery_on=clock.today() + timedelta(days=2))
    foreign = make_order()
    user = make_supplier_user(supplier)
    db.session.commit()
    login(client, user)
    # when the supplier opens the list
    page = client.get("/supplier/shipping")
    html = page.get_data(as_text=True)
    # then its orders are listed, the late one first and marked, the other supplier's not at all
    assert page.status_code == 200
    assert html.index(late.number) < html.index(soon.number)
    assert "晚 3 天" in html
    assert foreign.number not in html


def test_the_ship_form_ships_a_parcel_and_refuses_bad_input_in_chinese(app, client):
    # given a placed order of 5 chilled goods
    supplier = make_supplier()
    chilled = make_product(supplier=supplier, storage=Storage.CHILLED)
    order = make_order(supplier=supplier, products=[chilled], quantities=(5,))
    user = make_supplier_user(supplier)
    line = order.lines[0].id
    db.session.commit()
    login(client, user)
    url = f"/supplier/orders/{order.id}/ship"
    assert "确认发货" in client.get(url).get_data(as_text=True)
    # when the quantity is not a number, or the carrier has no cold chain, then 400, nothing shipped
    bad = client.post(url, data={"carrier": "zto_cold", "tracking_no": "75 123456789012", f"qty-{line}": "五"})
    assert bad.status_code == 400
    assert "发货数量须为0至" in bad.get_data(as_text=True)
    warm = client.post(url, data={"carrier": "sf", "tracking_no": "SF1234567890123", f"qty-{line}": "5"})
    assert warm.status_code == 400
    assert "须由冷链承运商配送" in warm.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Shipment.id))) == 0
    # when it is shipped with a cold-chain carrier
    done = client.post(url, data={"carrier": "zto_cold", "tracking_no": "75 123456789012", f"qty-{line}": "5"})
    # then the order is shipped and the page lists the parcel
    assert done.status_code == 302
    assert db.session.get(Order, order.id).status is OrderStatus.SHIPPED
    assert "751234567890" in client.get(url).get_data(as_text=True)


def test_another_suppliers_ship_page_is_not_found(app, client):
    order = make_order()
    user = make_supplier_user()
    db.session.commit()
    login(client, user)
    assert client.get(f"/supplier/orders/{order.id}/ship").status_code == 404
    data = {"carrier": "sf", "tracking_no": "SF1234567890123", f"qty-{order.lines[0].id}": "1"}
    assert client.post(f"/supplier/orders/{order.id}/ship", data=data).status_code == 404
    assert db.session.scalar(select(func.count(Shipment.id))) == 0


def test_the_order_pages_show_each_parcels_stepper_and_timeline(app, client):
    # given an order in transit: picked up in 定西, then a delay reported in 兰州
    order = make_order(quantities=(4,))
    parcel = ship_order(order, carrier_code="sf")
    add_carrier_event(parcel, CarrierEventCode.PICKED_UP, at=clock.now() - timedelta(hours=20), city="定西")
    add_carrier_event(
        parcel,
        CarrierEventCode.EXCEPTION,
        at=clock.now() - timedelta(hours=2),
        city="兰州",
        note="运输延误：干线车辆晚点",
    )
    supplier_user = make_supplier_user(order.supplier)
    buyer = db.session.get(User, order.buyer_id)
    db.session.commit()
    # when the buyer opens the order
    login(client, buyer)
    html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    # then the parcel's stepper stops at 已揽收 with the problem, the events newest first
    assert "物流跟踪" in html and parcel.tracking_no in html
    assert 'class="step problem">已揽收' in html
    assert html.index("运输延误：干线车辆晚点") < html.index("【定西】")
    # and the supplier's order page shows the same parcel
    login(client, supplier_user)
    supplier_html = client.get(f"/supplier/orders/{order.id}").get_data(as_text=True)
    assert "发货与物流" in supplier_html and parcel.tracking_no in supplier_html


def test_a_placed_order_tells_the_buyer_it_waits_and_the_supplier_to_ship(app, client):
    order = make_order(delivery_on=clock.today() - timedelta(days=1))
    supplier_user = make_supplier_user(order.supplier)
    buyer = db.session.get(User, order.buyer_id)
    db.session.commit()
    login(client, buyer)
    assert "已逾期 1 天" in client.get(f"/orders/{order.id}").get_data(as_text=True)
    login(client, supplier_user)
    assert f"/supplier/orders/{order.id}/ship" in client.get(f"/supplier/orders/{order.id}").get_data(as_text=True)

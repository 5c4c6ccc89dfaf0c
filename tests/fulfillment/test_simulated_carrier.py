"""The simulated carrier: it posts each parcel's planned events to the webhook as the simulation
clock reaches them, signed like a real carrier, until the parcel (and the order) is delivered —
through the test client, and once over real HTTP to a live server run by the jobs loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.serving import make_server

from fulfillment.carrier_secrets import CONFIG_KEY
from fulfillment.domain import NO_INCIDENTS, ShipmentStatus
from fulfillment.models import CarrierEvent, Shipment
from fulfillment.services import tracking
from mall import clock, jobs
from mall.extensions import db
from orders.domain import OrderStatus
from orders.models import Order
from tests.factories import make_order, make_region, make_shopper, make_supplier, make_unit, ship_order


def client_poster(client):
    calls: list[int] = []

    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        path = url.split("://", 1)[1].split("/", 1)[1]
        status = client.post("/" + path, data=body, headers=headers).status_code
        calls.append(status)
        return status

    post.calls = calls
    return post


def far_order() -> Order:
    """An order from Ruoqiang (Xinjiang) to Jinan, shipped now with SF."""
    make_region("652824", longitude=88.17, latitude=39.02)
    make_region("370102", longitude=117.04, latitude=36.67)
    supplier = make_supplier(region_code="652824")
    buyer = make_shopper(unit=make_unit(region_code="370102"))
    order = make_order(supplier=supplier, buyer=buyer, quantities=(3,))
    ship_order(order, carrier_code="sf")
    return order


def run(poster) -> int:
    return tracking.run_simulated_carrier(
        db.session,
        base_url="http://mall.test",
        secrets=current_app.config[CONFIG_KEY],
        poster=poster,
        rates=NO_INCIDENTS,
    )


def test_the_parcel_moves_only_as_the_clock_advances_and_ends_delivered(app, client):
    # given a parcel from Xinjiang to Shandong handed over just now
    order = far_order()
    db.session.commit()
    poster = client_poster(client)
    # when the carrier runs before anything is due, then nothing is posted
    assert run(poster) == 0
    # when the clock moves a day: it was picked up and is on its way, not yet delivered
    clock.advance(db.session, days=1)
    db.session.commit()
    first_day = run(poster)
    parcel = db.session.scalar(select(Shipment).where(Shipment.order_id == order.id))
    db.session.refresh(parcel)
    assert first_day >= 2
    assert parcel.status in (ShipmentStatus.IN_TRANSIT, ShipmentStatus.PICKED_UP)
    # when the clock moves ten more days
    clock.advance(db.session, days=10)
    db.session.commit()
    rest = run(poster)
    # then every planned event reached the webhook, signed (all 200), and the order is delivered
    assert rest >= 2 and set(poster.calls) == {200}
    db.session.expire_all()
    assert db.session.get(Shipment, parcel.id).status is ShipmentStatus.DELIVERED
    assert db.session.get(Order, order.id).status is OrderStatus.DELIVERED
    stored = db.session.scalar(select(func.count(CarrierEvent.id)).where(CarrierEvent.shipment_id == parcel.id))
    assert stored == first_day + rest
    # and running again posts nothing more
    assert run(poster) == 0


def test_a_refused_event_stops_the_parcel_for_this_round(app, client):
    order = far_order()
    db.session.commit()
    clock.advance(db.session, days=11)
    db.session.commit()
    answers = iter([200, 503])
    posted: list[int] = []

    def flaky(url, body, headers):
        status = next(answers, 200)
        posted.append(status)
        return (
            client.post("/" + url.split("/", 3)[3], data=body, headers=headers).status_code if status == 200 else status
        )

    assert run(flaky) == 1
    assert posted == [200, 503]  # the parcel's later events wait for the next round
    assert db.session.get(Order, order.id).status is OrderStatus.SHIPPED
    assert run(client_poster(client)) >= 2
    assert db.session.get(Order, order.id).status is OrderStatus.DELIVERED


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app served over real HTTP on a free loopback port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_the_jobs_loop_delivers_through_the_real_webhook_over_http(app, live_server):
    # given a shipped order, the simulated carrier switched on and pointed at the live server
    order = far_order()
    db.session.commit()
    app.config.update(SIMULATED_CARRIER=True, MALL_BASE_URL=live_server)
    # when the clock moves 12 days (`flask clock advance --days 12`) and the jobs loop runs
    clock.advance(db.session, days=12)
    db.session.commit()
    results = jobs.run_due_jobs(db.session)
    # then the carrier's events went over HTTP to the webhook and the order is delivered
    assert results["fulfillment.simulated_carrier"] >= 4
    db.session.expire_all()
    assert db.session.get(Order, order.id).status is OrderStatus.DELIVERED
    cities = db.session.scalars(select(CarrierEvent.city).order_by(CarrierEvent.event_at)).all()
    assert cities[0] == "若羌县" and cities[-1] == "历下区"

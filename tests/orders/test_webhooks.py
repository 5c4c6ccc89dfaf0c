"""`POST /webhooks/stripe`: verified before any work, applied once, reconciling payments with
events taken from localstripe itself."""

import pytest
from sqlalchemy import func, select

from catalog.models import Product
from mall import clock
from mall.extensions import db
from orders import payments
from orders.domain import OrderStatus, PaymentStatus
from orders.models import Order, StripeEvent, UnitAddress
from orders.services import CheckoutRequest, checkout
from tests.factories import make_cart_line, make_payment_card, make_product, make_shopper
from tests.orders.stripe_support import signed


class Unheard:
    """The real gateway, except that the mall never hears a charge's outcome (as if the request
    died after calling Stripe): only the webhook can tell it."""

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def charge(self, **kwargs):
        return payments.ChargeResult("processing", self.real.charge(**kwargs).payment_intent_id)


@pytest.fixture
def unsettled(app):
    """A card checkout whose payment outcome only the webhook will bring."""
    buyer = make_shopper()
    rice = make_product(stock_qty=10, price_fen=6_800)
    make_cart_line(buyer, rice, quantity=2)
    db.session.commit()
    real = app.extensions["payment_gateway"]
    app.extensions["payment_gateway"] = Unheard(real)
    return {"buyer": buyer, "rice": rice, "real": real}


def place(buyer) -> None:
    address = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == buyer.unit_id))
    request = CheckoutRequest(address_id=address, payment_mode="card", expected_total_fen=13_600)
    checkout(db.session, actor=buyer, request=request, idempotency_key="k")


def post(client, body: bytes, signature: str):
    return client.post("/webhooks/stripe", data=body, headers={"Stripe-Signature": signature})


def the_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


def test_a_success_event_from_stripe_pays_the_order_once(app, client, unsettled, stripe):
    # given a payment the mall has not heard back about
    make_payment_card(unsettled["buyer"].unit)
    db.session.commit()
    place(unsettled["buyer"])
    assert the_order().payment_status is PaymentStatus.PROCESSING
    # when localstripe's payment_intent.succeeded arrives, signed, five times
    body, signature = signed(stripe.events("payment_intent.succeeded")[0], app.config["STRIPE_WEBHOOK_SECRET"])
    outcomes = [post(client, body, signature).get_json()["outcome"] for _ in range(5)]
    # then it is applied once
    assert outcomes == ["attempt_succeeded"] + ["duplicate"] * 4
    order = the_order()
    assert (order.status, order.payment_status, order.paid_fen) == (OrderStatus.PLACED, PaymentStatus.PAID, 13_600)
    assert db.session.get(Product, unsettled["rice"].id).sales_qty == 2
    assert db.session.scalar(select(func.count(StripeEvent.id))) == 1


def test_a_failure_event_cancels_the_order_and_releases_its_stock(app, client, unsettled, stripe):
    make_payment_card(unsettled["buyer"].unit, payment_method_id="pm_card_chargeCustomerFail")
    db.session.commit()
    place(unsettled["buyer"])
    body, signature = signed(stripe.events("payment_intent.payment_failed")[0], app.config["STRIPE_WEBHOOK_SECRET"])
    assert post(client, body, signature).get_json()["outcome"] == "attempt_failed"
    order = the_order()
    assert (order.status, order.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.FAILED)
    assert db.session.get(Product, unsettled["rice"].id).stock_qty == 10


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body, sig: (body, sig.replace("v1=", "v1=0")),  # wrong signature
        lambda body, sig: (body.replace(b"succeeded", b"succeeded "), sig),  # body changed after signing
        lambda body, sig: (body, ""),  # no signature
        lambda body, sig: (body, "t=1700000000,v1=" + sig.split("v1=")[1]),  # replayed long after
    ],
)
def test_a_bad_signature_answers_400_and_changes_nothing(app, client, unsettled, stripe, tamper):
    make_payment_card(unsettled["buyer"].unit)
    db.session.commit()
    place(unsettled["buyer"])
    body, signature = tamper(*signed(stripe.events("payment_intent.succeeded")[0], app.config["STRIPE_WEBHOOK_SECRET"]))
    response = post(client, body, signature)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "webhook_signature_invalid"
    assert the_order().payment_status is PaymentStatus.PROCESSING
    assert db.session.scalar(select(func.count(StripeEvent.id))) == 0


@pytest.mark.parametrize(("ahead", "status"), [(301, 400), (3_600, 400), (240, 200), (-240, 200)])
def test_a_signature_dated_beyond_five_minutes_either_way_is_refused(app, client, ahead, status):
    # given an event signed with the right secret, dated `ahead` seconds from now
    event = {"id": f"evt_ahead_{ahead}", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}
    at = int(clock.real_now().timestamp()) + ahead
    # when it arrives
    response = post(client, *signed(event, app.config["STRIPE_WEBHOOK_SECRET"], at=at))
    # then only a timestamp within 300 s of now, before or after, is accepted
    assert response.status_code == status
    assert db.session.scalar(select(func.count(StripeEvent.id))) == (1 if status == 200 else 0)


def test_a_signature_made_with_another_secret_is_refused(app, client):
    body, signature = signed({"id": "evt_x", "type": "payment_intent.succeeded"}, "whsec_someone_else")
    assert post(client, body, signature).status_code == 400


def test_other_events_and_unknown_payments_are_recorded_and_ignored(app, client):
    secret = app.config["STRIPE_WEBHOOK_SECRET"]
    customer = {"id": "evt_1", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}
    stranger = {
        "id": "evt_2",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": "pi_unknown", "amount": 100, "metadata": {"attempt_id": "999"}}},
    }
    assert post(client, *signed(customer, secret)).get_json()["outcome"] == "ignored"
    assert post(client, *signed(stranger, secret)).get_json()["outcome"] == "unknown_payment"
    assert db.session.scalar(select(func.count(StripeEvent.id))) == 2


@pytest.mark.parametrize("attempt_id", ["abc", "²", "99999999999999999999", "2147483648", "-1", "0", None])
def test_a_signed_event_naming_no_attempt_of_ours_is_acknowledged_and_changes_nothing(
    app, client, unsettled, stripe, caplog, attempt_id
):
    # given a payment still waiting for Stripe's word, whose PaymentIntent the mall never recorded
    make_payment_card(unsettled["buyer"].unit)
    db.session.commit()
    place(unsettled["buyer"])
    event = stripe.events("payment_intent.succeeded")[0]
    obj = event["data"]["object"]
    obj["id"] = "pi_never_recorded"
    obj["metadata"] = {} if attempt_id is None else {"attempt_id": attempt_id}
    # when Stripe sends it, signed
    response = post(client, *signed(event, app.config["STRIPE_WEBHOOK_SECRET"]))
    # then it is acknowledged (Stripe retries anything else for days), logged, and nothing moves
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "unknown_payment"
    assert the_order().payment_status is PaymentStatus.PROCESSING
    if attempt_id is not None:
        assert "is not an id" in caplog.text

"""Races on PostgreSQL with real threads, each with its own app context, session and connection:
the last units of stock, one Idempotency-Key sent many times, two buyers checking out one unit
cart, one order cancelled twice at once, one webhook delivered five times at once, two admins
deciding one approval at once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from catalog.models import Product
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import DomainError
from mall.extensions import db
from orders import payments, services
from orders.domain import OrderStatus, PaymentStatus
from orders.models import Checkout, Order, OrderStatusChange, Refund, StripeEvent, UnitAddress
from orders.services import CheckoutRequest
from tests.factories import (
    login,
    make_cart_line,
    make_product,
    make_purchase_settings,
    make_shopper,
    make_user,
)
from tests.orders.stripe_support import signed

pytestmark = pytest.mark.postgresql


def run_together(app, n: int, work) -> list:
    """Run work(i) in n threads started at once; each returns its result or its error code."""
    start = threading.Barrier(n)

    def one(i: int):
        with app.app_context():
            start.wait()
            try:
                return work(i)
            except DomainError as err:
                db.session.rollback()
                return err.code

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def checkout_as(user_id: int, *, total: int, key: str, mode: str = "card"):
    user = db.session.get(User, user_id)
    address = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == user.unit_id))
    request = CheckoutRequest(address_id=address, payment_mode=mode, expected_total_fen=total)
    return services.checkout(db.session, actor=user, request=request, idempotency_key=key).id


def test_fifty_units_racing_for_the_last_ten_units_buy_exactly_ten(app, stripe):
    # given ten bags left and fifty units, each with one bag in its cart and a 公务卡
    rice = make_product(title="陇南大米 5kg", stock_qty=10, price_fen=6_800)
    buyers = [make_shopper(card=True) for _ in range(50)]
    for buyer in buyers:
        make_cart_line(buyer, rice, quantity=1)
    db.session.commit()
    ids = [b.id for b in buyers]
    # when all fifty check out at once
    results = run_together(app, 50, lambda i: checkout_as(ids[i], total=6_800, key=f"race-{i}") and "ok")
    # then exactly ten are sold and paid, the rest are told the stock ran out
    assert results.count("ok") == 10
    assert results.count("stock_insufficient") == 40
    db.session.expire_all()
    assert db.session.execute(select(Product.stock_qty, Product.sales_qty).where(Product.id == rice.id)).one() == (
        0,
        10,
    )
    paid = db.session.scalar(select(func.count(Order.id)).where(Order.payment_status == PaymentStatus.PAID))
    assert paid == 10 == len(stripe.charges())


def test_one_key_sent_twenty_times_at_once_makes_one_order_set_and_one_charge(app, stripe):
    buyer = make_shopper(card=True)
    make_cart_line(buyer, make_product(stock_qty=100), quantity=3)
    make_cart_line(buyer, make_product(stock_qty=100), quantity=1)
    db.session.commit()
    buyer_id = buyer.id
    results = run_together(app, 20, lambda i: checkout_as(buyer_id, total=4 * 2_680, key="same-click"))
    assert len(set(results)) == 1 and isinstance(results[0], int)
    assert db.session.scalar(select(func.count(Checkout.id))) == 1
    assert db.session.scalar(select(func.count(Order.id))) == 2
    assert [c["amount"] for c in stripe.charges()] == [4 * 2_680]


def test_two_buyers_checking_out_one_unit_cart_at_once_place_it_once(app):
    first = make_shopper()
    second = make_user(unit=first.unit)
    make_cart_line(first, make_product(), quantity=2)
    db.session.commit()
    ids = (first.id, second.id)
    results = run_together(app, 2, lambda i: checkout_as(ids[i], total=5_360, key=f"buyer-{i}", mode="transfer"))
    assert "cart_empty" in results and sum(isinstance(r, int) for r in results) == 1
    assert db.session.scalar(select(func.count(Order.id))) == 1


def test_an_order_cancelled_twice_at_once_is_refunded_once(app, stripe):
    buyer = make_shopper(card=True)
    product = make_product(stock_qty=20)
    make_cart_line(buyer, product, quantity=4)
    db.session.commit()
    checkout_as(buyer.id, total=4 * 2_680, key="paid")
    order_id, buyer_id = db.session.scalar(select(Order.id)), buyer.id

    def cancel(_: int) -> str:
        services.cancel_order(db.session, actor=db.session.get(User, buyer_id), order_id=order_id)
        return "ok"

    results = run_together(app, 2, cancel)
    assert sorted(results) == ["ok", "order_not_cancellable"]
    assert db.session.scalar(select(func.count(Refund.id))) == 1
    assert [r["amount"] for r in stripe.refunds()] == [4 * 2_680]
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock_qty == 20


def test_one_webhook_delivered_five_times_at_once_is_applied_once(app, stripe):
    # given a card payment whose outcome the mall has not recorded yet
    buyer = make_shopper(card=True)
    make_cart_line(buyer, make_product(), quantity=1)
    db.session.commit()
    real = app.extensions["payment_gateway"]

    class Unheard:
        def __getattr__(self, name):
            return getattr(real, name)

        def charge(self, **kwargs):
            result = real.charge(**kwargs)
            return payments.ChargeResult("processing", result.payment_intent_id)

    app.extensions["payment_gateway"] = Unheard()
    checkout_as(buyer.id, total=2_680, key="unheard")
    app.extensions["payment_gateway"] = real
    body, signature = signed(stripe.events("payment_intent.succeeded")[0], app.config["STRIPE_WEBHOOK_SECRET"])
    # when localstripe's event arrives five times at once
    responses = run_together(
        app,
        5,
        lambda i: (
            app.test_client()
            .post("/webhooks/stripe", data=body, headers={"Stripe-Signature": signature})
            .get_json()["outcome"]
        ),
    )
    # then it is applied once: the order is paid, with one history entry for it
    assert sorted(responses) == ["attempt_succeeded"] + ["duplicate"] * 4
    order = db.session.scalars(select(Order)).one()
    assert (order.status, order.payment_status) == (OrderStatus.PLACED, PaymentStatus.PAID)
    assert db.session.scalar(select(func.count(StripeEvent.id))) == 1
    paid_entries = select(func.count(OrderStatusChange.id)).where(
        OrderStatusChange.payment_status == PaymentStatus.PAID
    )
    assert db.session.scalar(paid_entries) == 1


def test_a_double_click_on_the_checkout_page_places_one_order_set_and_charges_once(app, stripe):
    # given a buyer on the checkout page, whose form carries one idempotency key
    buyer = make_shopper(card=True)
    make_cart_line(buyer, make_product(stock_qty=10), quantity=2)
    db.session.commit()
    address = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == buyer.unit_id))
    form = {"address_id": address, "payment_mode": "card", "expected_total_fen": 5_360, "idempotency_key": "page-key"}
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        login(client, buyer)
    # when both clicks arrive at once
    locations = run_together(app, 2, lambda i: clients[i].post("/checkout", data=form).headers["Location"])
    # then both land on the same orders, placed and charged once
    assert locations[0] == locations[1]
    assert db.session.scalar(select(func.count(Checkout.id))) == 1
    assert [c["amount"] for c in stripe.charges()] == [5_360]


def pending_approval(mode: str, *, admins: int = 2) -> tuple[int, list[int]]:
    """A buyer's checkout waiting for approval (threshold ¥0) and other admins of the unit."""
    buyer = make_shopper(card=True)
    make_purchase_settings(buyer.unit, approval_threshold_fen=0)
    deciders = [make_user(Role.UNIT_ADMIN, unit=buyer.unit) for _ in range(admins)]
    make_cart_line(buyer, make_product(stock_qty=10), quantity=2)
    db.session.commit()
    return checkout_as(buyer.id, total=5_360, key="approval", mode=mode), [a.id for a in deciders]


def test_admins_approving_and_rejecting_at_once_decide_once(app):
    # given a purchase waiting for approval, on transfer terms, and six other admins
    checkout_id, admins = pending_approval("transfer", admins=6)

    def decide(i: int) -> str:
        admin = db.session.get(User, admins[i])
        decide_with = services.approve_checkout if i % 2 == 0 else services.reject_checkout
        return decide_with(db.session, actor=admin, checkout_id=checkout_id).approval_status.value

    # when three approve and three reject at the same moment
    results = run_together(app, 6, decide)
    # then exactly one decision stands, and the checkout, its order and the stock agree with it
    assert results.count("approval_not_pending") == 5
    (outcome,) = (r for r in results if r != "approval_not_pending")
    db.session.expire_all()
    decided = db.session.get(Checkout, checkout_id)
    order = db.session.scalars(select(Order).where(Order.checkout_id == checkout_id)).one()
    product = db.session.get(Product, order.lines[0].product_id)
    assert decided.approval_status.value == outcome
    assert decided.decided_by_id == admins[results.index(outcome)]
    if outcome == "approved":
        assert (order.status, product.stock_qty, product.sales_qty) == (OrderStatus.PLACED, 8, 2)
    else:
        assert (order.status, product.stock_qty, product.sales_qty) == (OrderStatus.CANCELLED, 10, 0)
    assert (
        db.session.scalar(select(func.count(OrderStatusChange.id)).where(OrderStatusChange.order_id == order.id)) == 2
    )


def test_two_admins_approving_a_card_purchase_at_once_charge_it_once(app, stripe):
    checkout_id, admins = pending_approval("card")
    results = run_together(
        app,
        2,
        lambda i: (
            services.approve_checkout(
                db.session, actor=db.session.get(User, admins[i]), checkout_id=checkout_id
            ).approval_status.value
        ),
    )
    assert sorted(results) == ["approval_not_pending", "approved"]
    assert [c["amount"] for c in stripe.charges()] == [5_360]
    db.session.expire_all()
    assert db.session.scalars(select(Order.payment_status)).one() is PaymentStatus.PAID

"""Checkout, payment and what follows, through the services against localstripe: the split per
supplier, transfer and card payment, declined cards, approval, cancellation with refunds,
partial refunds, Idempotency-Key replays, and the jobs for held stock and pending refunds."""

import pytest
from sqlalchemy import func, select

from catalog.models import Product, SearchOutbox
from mall import clock
from mall.accounts.domain import Role
from mall.errors import NotFoundError
from mall.extensions import db
from orders import domain, payments, services
from orders.domain import AttemptStatus, OrderStatus, PaymentStatus, Purpose, ReservationStatus
from orders.models import (
    CartLine,
    Checkout,
    Order,
    PaymentAttempt,
    PaymentCard,
    Refund,
    StockReservation,
    UnitAddress,
)
from orders.services import CheckoutRequest
from tests.factories import (
    make_cart_line,
    make_product,
    make_purchase_settings,
    make_shopper,
    make_supplier,
    make_unit,
    make_user,
)


def address_of(buyer) -> int:
    return db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == buyer.unit_id))


def place(buyer, *, total: int, mode: str = "card", key: str = "key-1", **extra) -> Checkout:
    request = CheckoutRequest(address_id=address_of(buyer), payment_mode=mode, expected_total_fen=total, **extra)
    return services.checkout(db.session, actor=buyer, request=request, idempotency_key=key)


def orders_of(checkout: Checkout) -> list[Order]:
    return db.session.scalars(select(Order).where(Order.checkout_id == checkout.id).order_by(Order.id)).all()


def stock(product: Product) -> tuple[int, int]:
    row = db.session.execute(select(Product.stock_qty, Product.sales_qty).where(Product.id == product.id)).one()
    return tuple(row)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def basket(app):
    """A buyer with a 公务卡 and a cart holding goods of two suppliers, for canteen and union."""
    buyer = make_shopper(card=True, display_name="王晓梅")
    potatoes, oil = make_supplier(name="定西市安定区薯源农业科技有限公司"), make_supplier(name="陇南市武都区油橄榄公司")
    noodles = make_product(supplier=potatoes, title="定西宽粉条", price_fen=4_990, stock_qty=50)
    starch = make_product(supplier=potatoes, title="定西马铃薯淀粉", price_fen=1_250, stock_qty=50)
    olive = make_product(supplier=oil, title="武都橄榄油 500ml", price_fen=12_800, stock_qty=50)
    make_cart_line(buyer, noodles, quantity=3)
    make_cart_line(buyer, starch, quantity=2)
    make_cart_line(buyer, olive, quantity=1)
    make_cart_line(buyer, noodles, quantity=4, purpose=Purpose.UNION)
    db.session.commit()
    total = 7 * 4_990 + 2 * 1_250 + 12_800
    return {"buyer": buyer, "products": (noodles, starch, olive), "suppliers": (potatoes, oil), "total": total}


def test_one_checkout_makes_one_order_per_supplier_and_purpose_with_exact_totals(basket, stripe):
    # when the buyer checks out by card
    checkout = place(basket["buyer"], total=basket["total"])
    # then three orders: potatoes/canteen, potatoes/union, oil/canteen — all paid by one charge
    orders = orders_of(checkout)
    potatoes, oil = basket["suppliers"]
    assert sorted((o.supplier_id, o.purpose, o.total_fen) for o in orders) == sorted(
        [
            (potatoes.id, Purpose.CANTEEN, 3 * 4_990 + 2 * 1_250),
            (potatoes.id, Purpose.UNION, 4 * 4_990),
            (oil.id, Purpose.CANTEEN, 12_800),
        ]
    )
    assert sum(o.total_fen for o in orders) == checkout.total_fen == basket["total"]
    for order in orders:
        assert order.total_fen == sum(line.line_total_fen for line in order.lines)
        assert (order.status, order.payment_status, order.paid_fen) == (
            OrderStatus.PLACED,
            PaymentStatus.PAID,
            order.total_fen,
        )
    assert [(c["amount"], c["currency"]) for c in stripe.charges()] == [(basket["total"], "cny")]
    # and the stock is sold, the cart empty
    noodles, starch, olive = basket["products"]
    assert [stock(p) for p in basket["products"]] == [(43, 7), (48, 2), (49, 1)]
    assert count(CartLine) == 0


def test_sales_of_a_paid_checkout_reach_the_search_index(basket, stripe):
    place(basket["buyer"], total=basket["total"])
    queued = set(db.session.scalars(select(SearchOutbox.product_id)))
    assert {p.id for p in basket["products"]} <= queued


def test_order_lines_snapshot_the_name_and_price_at_checkout(basket):
    checkout = place(basket["buyer"], total=basket["total"], mode="transfer")
    noodles = basket["products"][0]
    noodles.title, noodles.price_fen = "改名后的粉条", 9_999
    db.session.commit()
    line = next(line for o in orders_of(checkout) for line in o.lines if line.product_id == noodles.id)
    assert (line.title, line.unit_price_fen) == ("定西宽粉条", 4_990)


def test_a_transfer_checkout_is_placed_with_a_payable_and_no_charge(basket, stripe):
    checkout = place(basket["buyer"], total=basket["total"], mode="transfer")
    assert {(o.status, o.payment_status) for o in orders_of(checkout)} == {
        (OrderStatus.PLACED, PaymentStatus.AWAITING_TRANSFER)
    }
    assert stripe.charges() == []
    assert count(PaymentAttempt) == 0


def test_an_expected_total_that_differs_creates_nothing(basket):
    with pytest.raises(domain.ExpectedTotalMismatchError):
        place(basket["buyer"], total=basket["total"] - 1)
    db.session.rollback()
    assert (count(Checkout), count(Order), count(CartLine)) == (0, 0, 4)
    assert [stock(p) for p in basket["products"]] == [(50, 0)] * 3


def test_a_price_changed_since_the_cart_must_be_accepted(basket):
    # given the supplier raised a price after the buyer added it
    noodles = basket["products"][0]
    noodles.price_fen = 5_290
    db.session.commit()
    # when the page sends the old total
    with pytest.raises(domain.PriceChangedError) as err:
        place(basket["buyer"], total=basket["total"])
    db.session.rollback()
    # then nothing is created, and the error names the change
    assert err.value.details["changed"][0] == {"product_id": noodles.id, "old_price_fen": 4_990, "price_fen": 5_290}
    assert count(Order) == 0
    # and once the new total is shown and sent, the checkout goes through at the new price
    checkout = place(basket["buyer"], total=basket["total"] + 7 * 300)
    assert checkout.total_fen == basket["total"] + 2_100


def test_a_declined_card_leaves_no_paid_order_releases_stock_and_restores_the_cart(basket, stripe):
    # given the unit's card declines charges (localstripe: pm_card_chargeCustomerFail)
    card = db.session.scalars(select(PaymentCard)).one()
    card.stripe_payment_method_id = "pm_card_chargeCustomerFail"
    db.session.commit()
    # when the buyer checks out
    with pytest.raises(domain.PaymentFailedError):
        place(basket["buyer"], total=basket["total"])
    # then no order is paid, the stock is back and the lines are in the cart again
    orders = db.session.scalars(select(Order)).all()
    assert orders and {(o.status, o.payment_status, o.paid_fen) for o in orders} == {
        (OrderStatus.CANCELLED, PaymentStatus.FAILED, 0)
    }
    assert [stock(p) for p in basket["products"]] == [(50, 0)] * 3
    assert set(db.session.scalars(select(StockReservation.status))) == {ReservationStatus.RELEASED}
    assert sorted(db.session.scalars(select(CartLine.quantity))) == [1, 2, 3, 4]
    assert db.session.scalar(select(PaymentAttempt.failure_code)) == "card_declined"
    assert stripe.charges() == []


def test_checkout_without_a_card_or_address_of_the_unit_is_refused(basket):
    buyer = basket["buyer"]
    other_unit_address = make_shopper().unit_id
    foreign = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == other_unit_address))
    db.session.commit()
    with pytest.raises(NotFoundError):
        services.checkout(
            db.session,
            actor=buyer,
            request=CheckoutRequest(address_id=foreign, payment_mode="card", expected_total_fen=basket["total"]),
            idempotency_key="k",
        )
    db.session.rollback()
    no_card = make_shopper()
    make_cart_line(no_card, basket["products"][0], quantity=1)
    db.session.commit()
    with pytest.raises(domain.PaymentCardMissingError):
        place(no_card, total=4_990)
    db.session.rollback()
    assert count(Order) == 0


def test_stock_runs_out_for_the_second_unit_and_nothing_of_its_checkout_remains(app):
    last = make_product(stock_qty=3)
    first, second = make_shopper(), make_shopper()
    make_cart_line(first, last, quantity=3)
    make_cart_line(second, last, quantity=1)
    db.session.commit()
    place(first, total=3 * 2_680, mode="transfer")
    with pytest.raises(domain.StockInsufficientError):
        place(second, total=2_680, mode="transfer", key="key-2")
    db.session.rollback()
    assert stock(last) == (0, 3)
    assert count(Order) == 1


# ---- idempotency -------------------------------------------------------------------------------


def test_the_same_key_replays_the_first_result_and_another_body_is_a_conflict(basket, stripe):
    first = place(basket["buyer"], total=basket["total"], key="double-click")
    again = place(basket["buyer"], total=basket["total"], key="double-click")
    assert again.id == first.id
    assert count(Checkout) == 1 and len(stripe.charges()) == 1
    with pytest.raises(domain.IdempotencyConflictError):
        place(basket["buyer"], total=basket["total"], key="double-click", mode="transfer")


def test_a_replayed_declined_payment_is_declined_again_without_a_second_attempt(basket):
    card = db.session.scalars(select(PaymentCard)).one()
    card.stripe_payment_method_id = "pm_card_chargeCustomerFail"
    db.session.commit()
    for _ in range(2):
        with pytest.raises(domain.PaymentFailedError):
            place(basket["buyer"], total=basket["total"], key="k-declined")
    assert count(PaymentAttempt) == 1


def test_keys_are_per_user(basket):
    place(basket["buyer"], total=basket["total"], key="shared-key", mode="transfer")
    colleague = make_user(Role.BUYER, unit=basket["buyer"].unit)
    make_cart_line(colleague, basket["products"][2], quantity=1)
    db.session.commit()
    second = place(colleague, total=12_800, key="shared-key", mode="transfer")
    assert count(Checkout) == 2 and second.buyer_id == colleague.id


# ---- approval ----------------------------------------------------------------------------------


@pytest.fixture
def approval(basket):
    make_purchase_settings(basket["buyer"].unit, approval_threshold_fen=50_000)
    admin = make_user(Role.UNIT_ADMIN, unit=basket["buyer"].unit)
    db.session.commit()
    return admin


def test_above_the_threshold_orders_wait_for_the_admin_with_stock_held(basket, approval, stripe):
    checkout = place(basket["buyer"], total=basket["total"])
    assert {(o.status, o.payment_status) for o in orders_of(checkout)} == {
        (OrderStatus.PENDING_APPROVAL, PaymentStatus.UNPAID)
    }
    assert [stock(p) for p in basket["products"]] == [(43, 0), (48, 0), (49, 0)]
    assert stripe.charges() == []
    # when the admin approves, the card is charged and the orders placed
    services.approve_checkout(db.session, actor=approval, checkout_id=checkout.id)
    assert {(o.status, o.payment_status) for o in orders_of(checkout)} == {(OrderStatus.PLACED, PaymentStatus.PAID)}
    assert [c["amount"] for c in stripe.charges()] == [basket["total"]]
    assert [stock(p) for p in basket["products"]] == [(43, 7), (48, 2), (49, 1)]
    with pytest.raises(domain.ApprovalNotPendingError):
        services.approve_checkout(db.session, actor=approval, checkout_id=checkout.id)


def test_a_rejected_purchase_releases_its_stock(basket, approval):
    checkout = place(basket["buyer"], total=basket["total"], mode="transfer")
    services.reject_checkout(db.session, actor=approval, checkout_id=checkout.id, note="超出本月预算")
    assert {(o.status, o.payment_status) for o in orders_of(checkout)} == {
        (OrderStatus.CANCELLED, PaymentStatus.VOIDED)
    }
    assert orders_of(checkout)[0].cancel_reason == "单位管理员未批准：超出本月预算"
    assert [stock(p) for p in basket["products"]] == [(50, 0)] * 3


def test_only_the_units_own_admin_can_decide(basket, approval):
    checkout = place(basket["buyer"], total=basket["total"], mode="transfer")
    other_admin = make_user(Role.UNIT_ADMIN, unit=make_unit())
    db.session.commit()
    for actor in (other_admin, basket["buyer"]):
        with pytest.raises(NotFoundError):
            services.approve_checkout(db.session, actor=actor, checkout_id=checkout.id)


def test_an_approval_not_given_in_three_days_lapses_and_releases_stock(basket, approval):
    checkout = place(basket["buyer"], total=basket["total"], mode="transfer")
    assert services.release_expired_holds(db.session) == 0
    clock.advance(db.session, days=3, minutes=1)
    db.session.commit()
    assert services.release_expired_holds(db.session) == 1
    assert {o.status for o in orders_of(checkout)} == {OrderStatus.CANCELLED}
    assert [stock(p) for p in basket["products"]] == [(50, 0)] * 3
    assert services.release_expired_holds(db.session) == 0  # twice changes nothing


# ---- cancelling and refunds --------------------------------------------------------------------


def test_cancelling_a_paid_order_before_shipment_releases_stock_and_refunds_in_full(basket, stripe):
    # given a paid checkout of three orders
    checkout = place(basket["buyer"], total=basket["total"])
    oil_order = next(o for o in orders_of(checkout) if o.supplier_id == basket["suppliers"][1].id)
    # when the buyer cancels the olive oil order
    services.cancel_order(db.session, actor=basket["buyer"], order_id=oil_order.id, reason="食堂改菜单")
    # then its stock is back, Stripe refunded exactly its amount, and the others are untouched
    order = db.session.get(Order, oil_order.id)
    assert (order.status, order.payment_status, order.refunded_fen) == (
        OrderStatus.CANCELLED,
        PaymentStatus.REFUNDED,
        12_800,
    )
    assert [(r["amount"], r["status"]) for r in stripe.refunds()] == [(12_800, "succeeded")]
    assert stock(basket["products"][2]) == (50, 0)
    assert [line.refunded_fen for line in order.lines] == [12_800]
    assert [h.note for h in order.history][-1] == "已退款 ¥128.00 至公务卡（订单取消，全额退款）"
    assert {o.status for o in orders_of(checkout) if o.id != order.id} == {OrderStatus.PLACED}


def test_cancelling_a_transfer_order_voids_the_payable(basket):
    checkout = place(basket["buyer"], total=basket["total"], mode="transfer")
    order = orders_of(checkout)[0]
    services.cancel_order(db.session, actor=basket["buyer"], order_id=order.id)
    order = db.session.get(Order, order.id)
    assert (order.status, order.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.VOIDED)


def test_a_shipped_order_cannot_be_cancelled(basket):
    checkout = place(basket["buyer"], total=basket["total"])
    order = orders_of(checkout)[0]
    order.status = OrderStatus.SHIPPED  # fulfillment's move, done by hand here
    db.session.commit()
    with pytest.raises(domain.OrderNotCancellableError):
        services.cancel_order(db.session, actor=basket["buyer"], order_id=order.id)
    db.session.rollback()
    assert count(Refund) == 0


def test_another_units_buyer_cannot_cancel(basket):
    checkout = place(basket["buyer"], total=basket["total"], mode="transfer")
    outsider = make_shopper()
    db.session.commit()
    with pytest.raises(NotFoundError):
        services.cancel_order(db.session, actor=outsider, order_id=orders_of(checkout)[0].id)


def test_partial_refunds_are_spread_over_lines_and_never_exceed_what_was_paid(basket, stripe):
    # given a paid order of two lines (¥149.70 and ¥25.00)
    checkout = place(basket["buyer"], total=basket["total"])
    order = next(o for o in orders_of(checkout) if o.purpose is Purpose.CANTEEN and len(o.lines) == 2)
    # when ¥10.00 then the rest are refunded
    services.refund_order(db.session, order_id=order.id, amount_fen=1_000, reason="破损一袋")
    order = db.session.get(Order, order.id)
    assert order.payment_status is PaymentStatus.PARTIALLY_REFUNDED
    assert sorted(line.refunded_fen for line in order.lines) == [143, 857]
    with pytest.raises(domain.RefundExceedsPaidError):
        services.refund_order(db.session, order_id=order.id, amount_fen=order.total_fen, reason="超额")
    db.session.rollback()
    services.refund_order(db.session, order_id=order.id, amount_fen=order.total_fen - 1_000, reason="整单退货")
    order = db.session.get(Order, order.id)
    assert (order.payment_status, order.refunded_fen) == (PaymentStatus.REFUNDED, order.total_fen)
    assert sum(line.refunded_fen for line in order.lines) == order.total_fen
    assert sorted(r["amount"] for r in stripe.refunds()) == sorted([1_000, order.total_fen - 1_000])


def test_finance_marks_a_transfer_paid_within_its_region_only(basket):
    checkout = place(basket["buyer"], total=basket["total"], mode="transfer")
    order = orders_of(checkout)[0]
    finance = make_user(Role.FINANCE_OFFICER, region_code="370100")
    elsewhere = make_user(Role.FINANCE_OFFICER, region_code="620000")
    db.session.commit()
    with pytest.raises(NotFoundError):
        services.mark_transfer_paid(db.session, actor=elsewhere, order_id=order.id)
    paid = services.mark_transfer_paid(db.session, actor=finance, order_id=order.id)
    assert (paid.payment_status, paid.paid_fen) == (PaymentStatus.PAID, paid.total_fen)
    with pytest.raises(domain.TransferNotDueError):
        services.mark_transfer_paid(db.session, actor=finance, order_id=order.id)


# ---- payments that time out --------------------------------------------------------------------


class SilentGateway:
    """Creates the PaymentIntent at localstripe but never hears back (a timeout), optionally
    after confirming it there (the money moved, the mall did not learn it)."""

    def __init__(self, real, *, confirm: bool, reveal_intent: bool):
        self.real, self.confirm, self.reveal_intent = real, confirm, reveal_intent

    def __getattr__(self, name):
        return getattr(self.real, name)

    def charge(self, *, amount_fen, customer_id, payment_method_id, idempotency_key, metadata):
        client = self.real.client.v1.payment_intents
        intent = client.create(
            params={
                "amount": amount_fen,
                "currency": "cny",
                "customer": customer_id,
                "payment_method": payment_method_id,
                "metadata": {k: str(v) for k, v in metadata.items()},
            }
        )
        if self.confirm:
            client.confirm(intent.id)
        if not self.reveal_intent:
            raise payments.GatewayUnavailableError("read timed out")
        return payments.ChargeResult("processing", intent.id)


def test_a_payment_that_times_out_keeps_stock_held_then_is_cancelled_and_released(app, basket, stripe):
    # given a gateway that never answers after creating the PaymentIntent
    app.extensions["payment_gateway"] = SilentGateway(
        app.extensions["payment_gateway"], confirm=False, reveal_intent=True
    )
    checkout = place(basket["buyer"], total=basket["total"])
    # then the orders wait with the stock held
    assert {o.payment_status for o in orders_of(checkout)} == {PaymentStatus.PROCESSING}
    assert stock(basket["products"][0]) == (43, 0)
    assert services.release_expired_holds(db.session) == 0
    # when the hold expires, the job cancels the payment at Stripe and releases the stock
    clock.advance(db.session, minutes=16)
    db.session.commit()
    assert services.release_expired_holds(db.session) == 1
    assert {(o.status, o.payment_status) for o in orders_of(checkout)} == {
        (OrderStatus.CANCELLED, PaymentStatus.FAILED)
    }
    assert stock(basket["products"][0]) == (50, 0)
    assert [pi["status"] for pi in stripe.list("payment_intents")] == ["canceled"]


def test_a_timed_out_payment_that_had_succeeded_is_settled_as_paid_by_the_job(app, basket, stripe):
    app.extensions["payment_gateway"] = SilentGateway(
        app.extensions["payment_gateway"], confirm=True, reveal_intent=True
    )
    checkout = place(basket["buyer"], total=basket["total"])
    clock.advance(db.session, minutes=16)
    db.session.commit()
    services.release_expired_holds(db.session)
    assert {(o.status, o.payment_status) for o in orders_of(checkout)} == {(OrderStatus.PLACED, PaymentStatus.PAID)}
    assert stock(basket["products"][0]) == (43, 7)


def test_a_charge_the_mall_gave_up_on_is_refunded_when_its_success_arrives(app, basket, stripe):
    # given a payment whose PaymentIntent the mall never learned (the request died)
    real = app.extensions["payment_gateway"]
    app.extensions["payment_gateway"] = SilentGateway(real, confirm=True, reveal_intent=False)
    checkout = place(basket["buyer"], total=basket["total"])
    # when the hold expires the mall gives up: orders cancelled, stock released
    clock.advance(db.session, minutes=16)
    db.session.commit()
    services.release_expired_holds(db.session)
    assert db.session.scalar(select(PaymentAttempt.status)) is AttemptStatus.FAILED
    # and when Stripe's success event arrives after all, the whole charge goes back
    app.extensions["payment_gateway"] = real
    event = stripe.events("payment_intent.succeeded")[0]
    outcome = services.apply_stripe_event(
        db.session,
        payments.GatewayEvent(
            id=event["id"],
            type=event["type"],
            object_id=event["data"]["object"]["id"],
            metadata=event["data"]["object"]["metadata"],
            amount_fen=event["data"]["object"]["amount"],
        ),
    )
    assert outcome == "attempt_failed"
    assert db.session.scalar(select(PaymentAttempt.status)) is AttemptStatus.REFUNDED
    assert [(r["amount"], r["status"]) for r in stripe.refunds()] == [(basket["total"], "succeeded")]
    assert {o.payment_status for o in orders_of(checkout)} == {PaymentStatus.FAILED}


def test_a_refund_stripe_did_not_answer_is_retried_by_the_job_once(app, basket, stripe):
    # given a paid order and a gateway that times out on refunds
    checkout = place(basket["buyer"], total=basket["total"])
    order = orders_of(checkout)[0]
    real = app.extensions["payment_gateway"]

    class RefundTimeout:
        def __getattr__(self, name):
            return getattr(real, name)

        def refund(self, **kwargs):
            raise payments.GatewayUnavailableError("timeout")

    app.extensions["payment_gateway"] = RefundTimeout()
    services.cancel_order(db.session, actor=basket["buyer"], order_id=order.id)
    assert db.session.scalar(select(Refund.status)) is domain.RefundStatus.PENDING
    # when Stripe is back and the job runs (after a minute)
    app.extensions["payment_gateway"] = real
    clock.advance(db.session, minutes=2)
    db.session.commit()
    assert services.retry_pending_refunds(db.session) == 1
    assert services.retry_pending_refunds(db.session) == 0
    assert [r["amount"] for r in stripe.refunds()] == [order.total_fen]
    assert db.session.get(Order, order.id).payment_status is PaymentStatus.REFUNDED

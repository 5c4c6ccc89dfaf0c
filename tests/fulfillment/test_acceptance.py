"""验收: per-line acceptance with its money (a card order refunded through Stripe, a transfer
order's payable for the goods kept), stock back for goods that keep, the window and the jobs
loop's automatic acceptance, and refusals that change nothing."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from catalog.domain import Storage
from catalog.models import Product
from fulfillment import domain
from fulfillment.models import LineFulfillment, OrderFulfillment, Payable
from fulfillment.services import acceptance
from mall import clock, jobs
from mall.accounts.models import User
from mall.errors import DomainError
from mall.extensions import db
from orders import services as order_services
from orders.domain import OrderStatus, PaymentMode, PaymentStatus
from orders.models import Order, OrderStatusChange, UnitAddress
from tests.factories import (
    deliver_order,
    make_cart_line,
    make_order,
    make_product,
    make_shopper,
    make_supplier,
    ship_order,
)

MAY_FIRST = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def verdicts(*items):
    return [domain.LineVerdict(*item) for item in items]


def two_line_products():
    supplier = make_supplier()
    noodles = make_product(supplier=supplier, price_fen=333, stock_qty=50)
    dates = make_product(supplier=supplier, price_fen=1_250, stock_qty=50)
    return noodles, dates


def paid_by_card(buyer, products, quantities) -> Order:
    """An order placed and charged through the checkout (a real Stripe payment to refund)."""
    for product, quantity in zip(products, quantities, strict=True):
        make_cart_line(buyer, product, quantity=quantity)
    address = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == buyer.unit_id))
    total = sum(p.price_fen * q for p, q in zip(products, quantities, strict=True))
    request = order_services.CheckoutRequest(address_id=address, payment_mode="card", expected_total_fen=total)
    checkout = order_services.checkout(db.session, actor=buyer, request=request, idempotency_key="accept-card")
    return db.session.scalar(select(Order).where(Order.checkout_id == checkout.id))


def delivered(order: Order, at: datetime | None = None) -> Order:
    ship_order(order)
    deliver_order(order, at=at)
    db.session.commit()
    return order


def test_a_card_order_partly_rejected_is_refunded_the_rejected_goods_through_stripe(app, stripe):
    # given a card order of 10 × ¥3.33 and 4 × ¥12.50 (¥83.30 paid), delivered
    buyer = make_shopper(card=True)
    noodles, dates = two_line_products()
    order = delivered(paid_by_card(buyer, (noodles, dates), (10, 4)))
    first, second = order.lines
    assert order.paid_fen == 8_330 and len(stripe.charges()) == 1
    # when the buyer rejects 3 bags of noodles and 1 box of dates
    accepted = acceptance.accept_order(
        db.session,
        actor=buyer,
        order_id=order.id,
        verdicts=verdicts((first.id, 7, 3, "受潮结块"), (second.id, 3, 1, "外箱破损")),
    )
    # then 3 × 333 + 1 × 1,250 = 2,249 fen come back through Stripe, the rest is kept
    assert accepted.status is OrderStatus.ACCEPTED
    assert [r["amount"] for r in stripe.refunds()] == [2_249]
    assert (accepted.refunded_fen, accepted.payment_status) == (2_249, PaymentStatus.PARTIALLY_REFUNDED)
    record = db.session.get(OrderFulfillment, order.id)
    assert (record.rejected_fen, record.refund_fen, record.auto_accepted) == (2_249, 2_249, False)
    assert record.accepted_by_id == buyer.id
    rows = {r.order_line_id: r for r in db.session.scalars(select(LineFulfillment))}
    assert (rows[first.id].accepted_qty, rows[first.id].rejected_qty, rows[first.id].rejected_fen) == (7, 3, 999)
    assert (rows[second.id].rejected_fen, rows[second.id].reason) == (1_250, "外箱破损")
    # and the refused goods, which keep, are back on sale: 50 - 10 + 3 and 50 - 4 + 1
    stock = dict(db.session.execute(select(Product.id, Product.stock_qty)).all())
    assert (stock[noodles.id], stock[dates.id]) == (43, 47)
    assert db.session.scalar(select(func.count(Payable.id))) == 0


def test_a_transfer_order_partly_rejected_owes_the_goods_kept_after_the_policy_term(app):
    # given a transfer order of 10 × ¥3.33 and 4 × ¥12.50, delivered on 1 May (Beijing)
    clock.travel_to(db.session, MAY_FIRST)
    noodles, dates = two_line_products()
    order = make_order(products=(noodles, dates), quantities=(10, 4), payment_mode=PaymentMode.TRANSFER)
    buyer = db.session.get(User, order.buyer_id)
    delivered(order)
    first, second = order.lines
    # when the buyer rejects 3 bags of noodles the same day
    acceptance.accept_order(db.session, actor=buyer, order_id=order.id, verdicts=verdicts((first.id, 7, 3, "受潮结块")))
    # then nothing is refunded (nothing was paid) and the payable is 8,330 - 999 = 7,331 fen,
    # due 30 days after acceptance: 31 May
    payable = db.session.scalar(select(Payable).where(Payable.order_id == order.id))
    assert (payable.amount_fen, payable.term_days, payable.accepted_on) == (7_331, 30, date(2026, 5, 1))
    assert payable.due_on == date(2026, 5, 31)
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert (order.status, order.refunded_fen, order.payment_status) == (
        OrderStatus.ACCEPTED,
        0,
        PaymentStatus.AWAITING_TRANSFER,
    )
    assert db.session.get(OrderFulfillment, order.id).rejected_fen == 999


def test_refused_chilled_goods_are_written_off_not_restocked(app):
    supplier = make_supplier()
    beef = make_product(supplier=supplier, storage=Storage.CHILLED, stock_qty=20)
    order = delivered(make_order(products=(beef,), quantities=(5,), supplier=supplier))
    buyer = db.session.get(User, order.buyer_id)
    acceptance.accept_order(
        db.session, actor=buyer, order_id=order.id, verdicts=verdicts((order.lines[0].id, 3, 2, "温度超标"))
    )
    assert db.session.scalar(select(Product.stock_qty).where(Product.id == beef.id)) == 20


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ((7, 2, "少两袋"), "invalid_acceptance"),  # 7 + 2 is not the 10 delivered
        ((7, 3, " "), "rejection_reason_required"),
        ((-1, 11, "x"), "invalid_quantity"),
    ],
)
def test_a_bad_verdict_is_refused_and_nothing_changes(app, line, code):
    order = delivered(make_order(quantities=(10,)))
    buyer = db.session.get(User, order.buyer_id)
    with pytest.raises(DomainError) as err:
        acceptance.accept_order(
            db.session, actor=buyer, order_id=order.id, verdicts=verdicts((order.lines[0].id, *line))
        )
    assert err.value.code == code
    db.session.rollback()
    assert db.session.get(Order, order.id).status is OrderStatus.DELIVERED
    assert db.session.get(OrderFulfillment, order.id).accepted_at is None


def test_an_order_not_yet_delivered_or_of_another_unit_cannot_be_accepted(app):
    order = make_order()
    ship_order(order)
    db.session.commit()
    buyer = db.session.get(User, order.buyer_id)
    with pytest.raises(DomainError) as err:
        acceptance.accept_order(db.session, actor=buyer, order_id=order.id, verdicts=[])
    assert err.value.code == "not_delivered"
    deliver_order(order)
    db.session.commit()
    with pytest.raises(DomainError) as err:
        acceptance.accept_order(db.session, actor=make_shopper(), order_id=order.id, verdicts=[])
    assert err.value.code == "not_found"


def test_the_jobs_loop_accepts_after_the_window_and_records_it_as_automatic(app):
    # given an order delivered on 1 May (Beijing): the window ends 8 May 23:59:59
    clock.travel_to(db.session, MAY_FIRST)
    order = delivered(make_order(quantities=(4,), payment_mode=PaymentMode.TRANSFER))
    assert db.session.get(OrderFulfillment, order.id).acceptance_due_on == date(2026, 5, 8)
    # when the clock reaches 8 May 23:00 the job leaves it
    clock.travel_to(db.session, datetime(2026, 5, 8, 15, 0, tzinfo=UTC))
    db.session.commit()
    assert acceptance.auto_accept_due(db.session) == 0
    # and on 9 May it accepts it in full, by no one
    clock.travel_to(db.session, datetime(2026, 5, 8, 16, 1, tzinfo=UTC))
    db.session.commit()
    assert jobs.run_due_jobs(db.session)["fulfillment.auto_accept"] == 1  # the jobs loop's round
    assert acceptance.auto_accept_due(db.session) == 0  # once
    record = db.session.get(OrderFulfillment, order.id)
    assert (record.auto_accepted, record.accepted_by_id, record.rejected_fen) == (True, None, 0)
    assert record.evaluation_due_on == date(2026, 5, 24)
    assert db.session.get(Order, order.id).status is OrderStatus.ACCEPTED
    payable = db.session.scalar(select(Payable).where(Payable.order_id == order.id))
    assert (payable.amount_fen, payable.due_on) == (order.total_fen, date(2026, 6, 8))
    notes = db.session.scalars(select(OrderStatusChange.note).where(OrderStatusChange.order_id == order.id)).all()
    assert notes[-1] == "逾期未验收，系统自动验收"
    # and the buyer, too late, is told so
    with pytest.raises(DomainError) as err:
        acceptance.accept_order(db.session, actor=db.session.get(User, order.buyer_id), order_id=order.id, verdicts=[])
    assert err.value.code == "acceptance_closed"


def test_the_buyer_cannot_accept_after_the_window_even_before_the_job_ran(app):
    clock.travel_to(db.session, MAY_FIRST)
    order = delivered(make_order())
    clock.travel_to(db.session, datetime(2026, 5, 9, 1, 0, tzinfo=UTC))
    db.session.commit()
    with pytest.raises(DomainError) as err:
        acceptance.accept_order(db.session, actor=db.session.get(User, order.buyer_id), order_id=order.id, verdicts=[])
    assert err.value.code == "acceptance_closed"


def test_a_transfer_paid_before_acceptance_gets_the_rejected_goods_back_and_owes_nothing(app):
    # given a transfer order of 10 × ¥26.80 that finance marked paid before delivery
    order = make_order(quantities=(10,), payment_mode=PaymentMode.TRANSFER)
    order.paid_fen, order.payment_status = order.total_fen, PaymentStatus.PAID
    delivered(order)
    # when 4 are rejected, ¥107.20 goes back to the unit's account and nothing more is owed
    acceptance.accept_order(
        db.session,
        actor=db.session.get(User, order.buyer_id),
        order_id=order.id,
        verdicts=verdicts((order.lines[0].id, 6, 4, "规格不符")),
    )
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert (order.refunded_fen, order.payment_status) == (10_720, PaymentStatus.PARTIALLY_REFUNDED)
    payable = db.session.scalar(select(Payable).where(Payable.order_id == order.id))
    assert (payable.amount_fen, payable.status) == (0, domain.PayableStatus.PAID)

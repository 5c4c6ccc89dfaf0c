"""售后: a case opened on accepted goods within the window of their storage, the supplier's answer,
escalation by the buyer or by the clock, the operator's ruling, and the money back through the
order's payment mode — never more than was paid, and a refund the payment service refuses
retried with back-off until it succeeds or a person settles it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from catalog.domain import Storage
from catalog.models import Supplier
from fulfillment import services
from fulfillment.domain import AftersalesStatus, CaseRefundStatus, PayableStatus
from fulfillment.models import AftersalesCase, Payable
from fulfillment.services import CaseRequest
from mall import clock, jobs
from mall.accounts.domain import Role
from mall.errors import DomainError, NotFoundError
from mall.extensions import db
from mall.notifications import Notification
from mall.units.models import Unit
from orders import payments
from orders import services as order_services
from orders.domain import AttemptStatus, PaymentMode, PaymentStatus, RefundStatus
from orders.models import Order, PaymentAttempt, Refund, UnitAddress
from orders.payments import RefundResult
from tests.factories import (
    accept_order,
    deliver_order,
    make_accepted_order,
    make_cart_line,
    make_payment_card,
    make_product,
    make_shopper,
    make_supplier,
    make_supplier_user,
    make_user,
    ship_order,
)


@pytest.fixture
def world(app):
    supplier = make_supplier()
    buyer = make_shopper()
    # two lines: 10 boxes at ¥26.80 (¥268.00) and 4 at ¥26.80 (¥107.20), paid ¥375.20 by card
    order = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(10, 4))
    people = {
        "buyer": buyer,
        "supplier": make_supplier_user(supplier),
        "operator": make_user(Role.PLATFORM_OPERATOR),
        "other_supplier": make_supplier_user(make_supplier()),
        "outsider": make_shopper(),
    }
    db.session.commit()
    return order, people


def open_refund(order, buyer, quantities, kind="refund", reason="到货后发现发霉"):
    lines = {order.lines[i].id: q for i, q in quantities.items()}
    return services.open_case(db.session, actor=buyer, order_id=order.id, request=CaseRequest(kind, lines, reason))


def refused_with(code, action):
    with pytest.raises(DomainError) as err:
        action()
    db.session.rollback()
    assert err.value.code == code


def test_an_agreed_refund_pays_back_the_goods_share_and_closes_the_case(world):
    order, people = world
    case = open_refund(order, people["buyer"], {0: 3})
    # three of ten boxes of a ¥268.00 line are worth ¥80.40; the supplier has 48 hours
    assert (case.status, case.refund_fen) == (AftersalesStatus.OPEN, 8_040)
    assert case.answer_due_at == case.opened_at + timedelta(hours=48)
    services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=True)
    db.session.expire_all()
    case = db.session.get(AftersalesCase, case.id)
    assert (case.status, case.refund_status) == (AftersalesStatus.CLOSED, CaseRefundStatus.SUCCEEDED)
    order = db.session.get(Order, order.id)
    assert (order.refunded_fen, order.payment_status) == (8_040, PaymentStatus.PARTIALLY_REFUNDED)
    assert db.session.get(Refund, case.refund_id).amount_fen == 8_040
    texts = db.session.scalars(select(Notification.text).where(Notification.unit_id == order.unit_id)).all()
    assert any("已退款 ¥80.40" in t for t in texts)


def test_a_case_asks_no_more_than_was_accepted_and_one_case_per_line_at_a_time(world):
    order, people = world
    refused_with("aftersales_quantity_exceeds_accepted", lambda: open_refund(order, people["buyer"], {1: 5}))
    open_refund(order, people["buyer"], {1: 2})
    refused_with("aftersales_case_open", lambda: open_refund(order, people["buyer"], {1: 1}))
    refused_with("aftersales_note_required", lambda: open_refund(order, people["buyer"], {0: 1}, reason="  "))
    refused_with("invalid_input", lambda: open_refund(order, people["buyer"], {0: 1}, kind="swap"))
    assert (
        db.session.scalar(select(AftersalesCase.id).where(AftersalesCase.order_id == order.id).limit(2).offset(1))
        is None
    )


def test_the_window_depends_on_storage_fresh_goods_close_after_48_hours(app):
    supplier = make_supplier()
    buyer = make_shopper()
    fish = make_product(supplier=supplier, storage=Storage.CHILLED)
    flour = make_product(supplier=supplier, storage=Storage.AMBIENT)
    order = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(2, 2), products=(fish, flour))
    db.session.commit()
    clock.advance(db.session, hours=49)
    db.session.commit()
    # the chilled fish is past its 48 hours; the flour has 7 days
    refused_with("aftersales_window_closed", lambda: open_refund(order, buyer, {0: 1}))
    assert open_refund(order, buyer, {1: 1}).status is AftersalesStatus.OPEN
    clock.advance(db.session, days=8)
    db.session.commit()
    refused_with("aftersales_window_closed", lambda: open_refund(order, buyer, {1: 1}))


def test_refused_then_escalated_then_ruled_for_the_buyer_with_a_smaller_refund(world):
    order, people = world
    case = open_refund(order, people["buyer"], {0: 2}, kind="return")
    refused_with(
        "aftersales_note_required",
        lambda: services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=False),
    )
    services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=False, note="包装完好，不予退货")
    # the supplier cannot answer twice; the buyer escalates
    refused_with(
        "aftersales_case_changed",
        lambda: services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=True),
    )
    services.escalate_case(db.session, actor=people["buyer"], case_id=case.id)
    refused_with(
        "invalid_ruling_refund",
        lambda: services.decide_case(
            db.session, actor=people["operator"], case_id=case.id, ruling="for_buyer", note="部分支持", refund_fen=5_361
        ),
    )
    services.decide_case(
        db.session, actor=people["operator"], case_id=case.id, ruling="for_buyer", note="部分支持", refund_fen=3_000
    )
    db.session.expire_all()
    case = db.session.get(AftersalesCase, case.id)
    assert (case.status, case.refund_fen, case.refund_status) == (
        AftersalesStatus.CLOSED,
        3_000,
        CaseRefundStatus.SUCCEEDED,
    )
    assert db.session.get(Order, order.id).refunded_fen == 3_000


def test_an_unanswered_case_escalates_after_48_hours_with_the_clock(world):
    order, people = world
    case = open_refund(order, people["buyer"], {0: 1})
    clock.advance(db.session, hours=47)
    db.session.commit()
    assert services.escalate_overdue_cases(db.session) == 0
    clock.advance(db.session, hours=2)
    db.session.commit()
    # the jobs loop escalates it once
    assert jobs.run_due_jobs(db.session)["fulfillment.escalate_overdue_cases"] == 1
    assert services.escalate_overdue_cases(db.session) == 0
    db.session.expire_all()
    case = db.session.get(AftersalesCase, case.id)
    assert (case.status, case.escalated_by_id) == (AftersalesStatus.ESCALATED, None)
    operator_notes = db.session.scalars(select(Notification.text).where(Notification.user_id == people["operator"].id))
    assert any("逾期未答复" in t for t in operator_notes)
    # ruled for the supplier: nothing is refunded and the case closes
    services.decide_case(db.session, actor=people["operator"], case_id=case.id, ruling="for_supplier", note="证据不足")
    db.session.expire_all()
    assert db.session.get(AftersalesCase, case.id).status is AftersalesStatus.CLOSED
    assert db.session.get(Order, order.id).refunded_fen == 0


def test_another_supplier_unit_or_a_non_operator_is_told_not_found(world):
    order, people = world
    case = open_refund(order, people["buyer"], {0: 1})
    refused_with("not_found", lambda: open_refund(order, people["outsider"], {0: 1}))
    with pytest.raises(NotFoundError):
        services.answer_case(db.session, actor=people["other_supplier"], case_id=case.id, agree=True)
    with pytest.raises(NotFoundError):
        services.escalate_case(db.session, actor=people["outsider"], case_id=case.id)
    with pytest.raises(NotFoundError):
        services.decide_case(db.session, actor=people["supplier"], case_id=case.id, ruling="for_buyer", note="x")


def test_only_those_who_may_act_on_the_orders_purpose_escalate_its_case(world):
    # given: a canteen order's case refused by the supplier; the unit's union officer sees the order
    order, people = world
    case = open_refund(order, people["buyer"], {0: 1})
    services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=False, note="货物完好")
    union_officer = make_user(Role.UNION_OFFICER, unit=people["buyer"].unit)
    db.session.commit()
    # when / then: the union officer may not escalate it (welfare orders only); the buyer may
    refused_with(
        "purpose_not_allowed", lambda: services.escalate_case(db.session, actor=union_officer, case_id=case.id)
    )
    assert db.session.get(AftersalesCase, case.id).status is AftersalesStatus.REFUSED
    services.escalate_case(db.session, actor=people["buyer"], case_id=case.id)
    assert db.session.get(AftersalesCase, case.id).status is AftersalesStatus.ESCALATED


def test_a_refund_never_exceeds_what_is_left_to_refund(world):
    order, people = world
    case = open_refund(order, people["buyer"], {0: 10})  # ¥268.00 asked back
    # meanwhile ¥200.00 of the order was refunded another way
    from orders import services as order_services

    order_services.refund_order(db.session, order_id=order.id, amount_fen=20_000, reason="协商退款")
    refused_with(
        "refund_exceeds_paid",
        lambda: services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=True),
    )
    db.session.expire_all()
    assert db.session.get(AftersalesCase, case.id).status is AftersalesStatus.OPEN  # nothing changed
    assert db.session.get(Order, order.id).refunded_fen == 20_000


def test_a_transfer_order_s_payable_holds_the_disputed_amount_and_shrinks_on_refund(app):
    supplier = make_supplier()
    buyer = make_shopper()
    order = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(10,), payment_mode=PaymentMode.TRANSFER)
    supplier_user = make_supplier_user(supplier)
    db.session.commit()
    case = open_refund(order, buyer, {0: 4})  # ¥107.20 of ¥268.00
    payable = db.session.scalar(select(Payable).where(Payable.order_id == order.id))
    assert (payable.amount_fen, payable.disputed_fen) == (26_800, 10_720)
    services.answer_case(db.session, actor=supplier_user, case_id=case.id, agree=True)
    db.session.expire_all()
    payable = db.session.get(Payable, payable.id)
    assert (payable.amount_fen, payable.disputed_fen, payable.status) == (16_080, 0, PayableStatus.DUE)
    assert db.session.get(AftersalesCase, case.id).refund_status is CaseRefundStatus.SUCCEEDED
    assert db.session.get(Order, order.id).refunded_fen == 0  # no money moved: less is owed


# ---- a refund the payment service refuses --------------------------------------------------------


class Refusing:
    """A payment gateway that refuses refunds until told otherwise (the rest is the real one's)."""

    def __init__(self, real):
        self.real, self.refuse, self.calls = real, True, 0

    def __getattr__(self, name):
        return getattr(self.real, name)

    def find_refund(self, **_):
        return None

    def refund(self, *, payment_intent_id, amount_fen, idempotency_key, metadata):
        self.calls += 1
        if self.refuse:
            raise payments.GatewayRejectedError("charge_already_refunded", code="charge_disputed")
        return RefundResult(f"re_{self.calls}", "succeeded")


def charged_by_card(order):
    """The order's charge as the checkout records it (the gateway double answers the refund)."""
    card = make_payment_card(db.session.get(Unit, order.unit_id))
    db.session.add(
        PaymentAttempt(
            checkout_id=order.checkout_id,
            idempotency_key=f"pay-{order.id}",
            amount_fen=order.total_fen,
            status=AttemptStatus.SUCCEEDED,
            card_id=card.id,
            stripe_payment_intent_id=f"pi_aftersales_{order.id}",
            created_at=clock.now(),
        )
    )
    db.session.commit()


def test_a_refused_refund_is_retried_with_back_off_and_listed_until_it_succeeds(app, world):
    order, people = world
    charged_by_card(order)
    gateway = app.extensions["payment_gateway"] = Refusing(app.extensions["payment_gateway"])
    case = open_refund(order, people["buyer"], {0: 1})
    services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=True)
    db.session.expire_all()
    case = db.session.get(AftersalesCase, case.id)
    assert (case.status, case.refund_status, case.refund_attempts) == (
        AftersalesStatus.AGREED,
        CaseRefundStatus.FAILED,
        1,
    )
    assert case.refund_retry_at == db.session.get(Refund, case.refund_id).completed_at + timedelta(minutes=5)
    assert db.session.get(Order, order.id).refunded_fen == 0  # the claim was given back
    from fulfillment.queries import aftersales as queries

    assert [c.id for c in db.session.scalars(queries.failed_refunds_select())] == [case.id]
    # not yet time: nothing is tried; after 5 minutes it is tried and refused again (wait 10)
    assert services.retry_failed_refunds(db.session) == 0
    clock.advance(db.session, minutes=5, seconds=1)
    db.session.commit()
    assert services.retry_failed_refunds(db.session) == 1
    db.session.expire_all()
    case = db.session.get(AftersalesCase, case.id)
    assert (case.refund_status, case.refund_attempts, gateway.calls) == (CaseRefundStatus.FAILED, 2, 2)
    # the gateway accepts: the next retry pays and the case leaves the work list
    gateway.refuse = False
    clock.advance(db.session, minutes=10, seconds=1)
    db.session.commit()
    assert services.retry_failed_refunds(db.session) == 1
    db.session.expire_all()
    case = db.session.get(AftersalesCase, case.id)
    assert (case.status, case.refund_status) == (AftersalesStatus.CLOSED, CaseRefundStatus.SUCCEEDED)
    assert db.session.get(Refund, case.refund_id).status is RefundStatus.SUCCEEDED
    assert db.session.get(Order, order.id).refunded_fen == 2_680
    assert list(db.session.scalars(queries.failed_refunds_select())) == []


def test_a_person_may_settle_a_refused_refund_by_hand(app, world):
    order, people = world
    charged_by_card(order)
    app.extensions["payment_gateway"] = Refusing(app.extensions["payment_gateway"])
    case = open_refund(order, people["buyer"], {1: 1})
    services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=True)
    refused_with(
        "aftersales_note_required",
        lambda: services.settle_refund_by_hand(db.session, actor=people["operator"], case_id=case.id, note=""),
    )
    services.settle_refund_by_hand(db.session, actor=people["operator"], case_id=case.id, note="已线下转账退回")
    db.session.expire_all()
    case = db.session.get(AftersalesCase, case.id)
    assert (case.status, case.refund_status) == (AftersalesStatus.CLOSED, CaseRefundStatus.SETTLED_BY_HAND)
    refused_with(
        "aftersales_refund_not_failed",
        lambda: services.settle_refund_by_hand(db.session, actor=people["operator"], case_id=case.id, note="再次"),
    )


def test_a_card_order_paid_through_stripe_is_refunded_through_stripe(app, stripe):
    # a real checkout charges the unit's 公务卡 on localstripe; the order is shipped and accepted
    product = make_product(price_fen=4_500, stock_qty=20)
    buyer = make_shopper(card=True)
    supplier_user = make_supplier_user(db.session.get(Supplier, product.supplier_id))
    make_cart_line(buyer, product, quantity=4)
    db.session.commit()
    address = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == buyer.unit_id))
    request = order_services.CheckoutRequest(address_id=address, payment_mode="card", expected_total_fen=18_000)
    checkout = order_services.checkout(db.session, actor=buyer, request=request, idempotency_key="aftersales-stripe")
    order = db.session.scalar(select(Order).where(Order.checkout_id == checkout.id))
    ship_order(order)
    accept_order(deliver_order(order), by=buyer)
    db.session.commit()
    # one of four bags is asked back and agreed: ¥45.00 goes back to the card through Stripe
    case = open_refund(order, buyer, {0: 1})
    services.answer_case(db.session, actor=supplier_user, case_id=case.id, agree=True)
    assert [(r["amount"], r["status"]) for r in stripe.refunds()] == [(4_500, "succeeded")]
    db.session.expire_all()
    assert db.session.get(AftersalesCase, case.id).refund_status is CaseRefundStatus.SUCCEEDED
    assert db.session.get(Order, order.id).refunded_fen == 4_500

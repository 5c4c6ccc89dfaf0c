"""Two acceptances (and two evaluations) of one order at once, on PostgreSQL with real threads:
exactly one wins, the other is told it was already done, and the money moves once."""

import pytest
from sqlalchemy import func, select

from fulfillment import domain
from fulfillment.models import Evaluation, LineFulfillment, Payable
from fulfillment.services import acceptance, evaluations
from mall.accounts.models import User
from mall.extensions import db
from orders.domain import OrderStatus, PaymentMode
from orders.models import Order, OrderStatusChange
from tests.factories import deliver_order, make_order, ship_order
from tests.orders.test_concurrency import run_together

pytestmark = pytest.mark.postgresql


def test_two_acceptances_racing_accept_once(app):
    # given a delivered transfer order of 10
    order = make_order(quantities=(10,), payment_mode=PaymentMode.TRANSFER)
    ship_order(order)
    deliver_order(order)
    db.session.commit()
    order_id, buyer_id, line_id = order.id, order.buyer_id, order.lines[0].id

    # when two people of the unit accept it at once, one rejecting 2 and one accepting all
    def accept(i: int) -> str:
        rejected = 2 if i == 0 else 0
        verdict = domain.LineVerdict(line_id, 10 - rejected, rejected, "破损" if rejected else "")
        acceptance.accept_order(db.session, actor=db.session.get(User, buyer_id), order_id=order_id, verdicts=[verdict])
        return "ok"

    results = run_together(app, 2, accept)
    # then exactly one wins; one payable, one history line, the winner's verdict kept
    assert sorted(results) == ["acceptance_closed", "ok"]
    db.session.expire_all()
    assert db.session.get(Order, order_id).status is OrderStatus.ACCEPTED
    assert db.session.scalar(select(func.count(Payable.id))) == 1
    accepted_changes = select(func.count(OrderStatusChange.id)).where(
        OrderStatusChange.order_id == order_id, OrderStatusChange.status == OrderStatus.ACCEPTED
    )
    assert db.session.scalar(accepted_changes) == 1
    row = db.session.get(LineFulfillment, line_id)
    payable = db.session.scalar(select(Payable))
    assert payable.amount_fen == order.total_fen - row.rejected_fen
    assert row.rejected_qty in (0, 2)


def test_two_evaluations_racing_record_one(app):
    order = make_order(quantities=(3,))
    ship_order(order)
    deliver_order(order)
    db.session.commit()
    acceptance.accept_order(db.session, actor=db.session.get(User, order.buyer_id), order_id=order.id, verdicts=[])
    order_id, buyer_id = order.id, order.buyer_id

    def rate(i: int) -> str:
        evaluations.evaluate_order(
            db.session,
            actor=db.session.get(User, buyer_id),
            order_id=order_id,
            quality=5 - i,
            timeliness=5,
            service=5,
            price=5,
        )
        return "ok"

    assert sorted(run_together(app, 2, rate)) == ["already_evaluated", "ok"]
    assert db.session.scalar(select(func.count(Evaluation.id))) == 1

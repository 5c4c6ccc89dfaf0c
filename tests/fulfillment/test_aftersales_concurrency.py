"""After-sales races on PostgreSQL with real threads (each its own app context, session and
connection): two refunds of one order agreed at once never return more than was paid, and one
goods line asked back twice at once makes one case."""

import pytest
from sqlalchemy import func, select

from fulfillment import services
from fulfillment.domain import AftersalesStatus
from fulfillment.models import AftersalesCase
from fulfillment.services import CaseRequest
from mall.accounts.models import User
from mall.extensions import db
from orders.models import Order, Refund
from tests.factories import make_accepted_order, make_aftersales_case, make_shopper, make_supplier, make_supplier_user
from tests.orders.test_concurrency import run_together

pytestmark = pytest.mark.postgresql


def test_two_refunds_agreed_at_once_never_return_more_than_was_paid(app):
    supplier = make_supplier()
    buyer = make_shopper()
    # paid ¥375.20: ten boxes (¥268.00) and four (¥107.20)
    order = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(10, 4))
    members = [make_supplier_user(supplier).id, make_supplier_user(supplier).id]
    db.session.commit()
    request = CaseRequest("refund", {order.lines[0].id: 10}, "整箱发霉")
    first = services.open_case(db.session, actor=buyer, order_id=order.id, request=request)
    # a second case for the same goods, as two requests that passed their checks together would leave
    second = make_aftersales_case(order, {0: 10})
    db.session.commit()
    cases = [first.id, second.id]

    def agree(i: int):
        actor = db.session.get(User, members[i])
        services.answer_case(db.session, actor=actor, case_id=cases[i], agree=True)
        return "ok"

    # when both suppliers' staff agree at the same moment (¥268.00 each, ¥536.00 > ¥375.20)
    results = run_together(app, 2, agree)
    # then one refund is paid and the other is refused; the loser's case is unchanged
    assert sorted(results) == ["ok", "refund_exceeds_paid"]
    db.session.expire_all()
    assert db.session.get(Order, order.id).refunded_fen == 26_800
    assert db.session.scalar(select(func.sum(Refund.amount_fen)).where(Refund.order_id == order.id)) == 26_800
    statuses = sorted(db.session.get(AftersalesCase, i).status for i in cases)
    assert statuses == sorted([AftersalesStatus.CLOSED, AftersalesStatus.OPEN])


def test_one_line_asked_back_twice_at_once_makes_one_case(app):
    supplier = make_supplier()
    buyer = make_shopper()
    order = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(10,))
    db.session.commit()
    line_id, buyer_id = order.lines[0].id, buyer.id

    def ask(_: int):
        actor = db.session.get(User, buyer_id)
        request = CaseRequest("return", {line_id: 8}, "规格不符")
        return services.open_case(db.session, actor=actor, order_id=order.id, request=request) and "ok"

    results = run_together(app, 2, ask)
    assert sorted(results) == ["aftersales_quantity_exceeds_accepted", "ok"]
    assert db.session.scalar(select(func.count(AftersalesCase.id)).where(AftersalesCase.order_id == order.id)) == 1

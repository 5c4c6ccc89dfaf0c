"""履约评价: within the window after acceptance, once per order, editable for 24 hours then final,
answered once by the supplier; the default recorded by the jobs loop after the window; the
dashboard's reminder; the API's contract."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from fulfillment.models import Evaluation, OrderFulfillment
from fulfillment.services import evaluations
from mall import clock, jobs
from mall.accounts.models import User
from mall.errors import DomainError
from mall.extensions import db
from orders.domain import OrderStatus
from orders.models import Order
from tests.api.test_api_contract import bearer
from tests.factories import login, make_accepted_order, make_shopper, make_supplier_user

MAY_FIRST = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
SCORES = {"quality": 4, "timeliness": 3, "service": 5, "price": 4}


def accepted_on_may_first():
    clock.travel_to(db.session, MAY_FIRST)
    order = make_accepted_order()
    db.session.commit()
    return order, db.session.get(User, order.buyer_id)


def code_of(call) -> str:
    with pytest.raises(DomainError) as err:
        call()
    db.session.rollback()
    return err.value.code


def test_an_evaluation_is_given_once_edited_for_24_hours_then_final(app):
    order, buyer = accepted_on_may_first()
    evaluation = evaluations.evaluate_order(db.session, actor=buyer, order_id=order.id, comment="粉条很筋道", **SCORES)
    assert (evaluation.scores.values(), evaluation.is_default) == ((4, 3, 5, 4), False)
    assert db.session.get(Order, order.id).status is OrderStatus.EVALUATED
    assert code_of(lambda: evaluations.evaluate_order(db.session, actor=buyer, order_id=order.id, **SCORES)) == (
        "already_evaluated"
    )
    # 23 hours later it may still change
    clock.advance(db.session, hours=23)
    db.session.commit()
    changed = evaluations.edit_evaluation(
        db.session, actor=buyer, order_id=order.id, comment="改为满意", **{**SCORES, "timeliness": 5}
    )
    assert (changed.timeliness, changed.comment) == (5, "改为满意")
    # after 24 hours it is final
    clock.advance(db.session, hours=1, minutes=1)
    db.session.commit()
    assert code_of(lambda: evaluations.edit_evaluation(db.session, actor=buyer, order_id=order.id, **SCORES)) == (
        "evaluation_final"
    )
    assert db.session.get(Evaluation, evaluation.id).timeliness == 5


def test_scores_out_of_range_are_refused_and_nothing_changes(app):
    order, buyer = accepted_on_may_first()
    for bad in (0, 6, "5", True, None):
        assert (
            code_of(
                lambda bad=bad: evaluations.evaluate_order(
                    db.session, actor=buyer, order_id=order.id, **{**SCORES, "price": bad}
                )
            )
            == "invalid_score"
        )
    assert db.session.scalar(select(func.count(Evaluation.id))) == 0


def test_the_supplier_answers_once(app):
    order, buyer = accepted_on_may_first()
    evaluation = evaluations.evaluate_order(db.session, actor=buyer, order_id=order.id, **SCORES)
    supplier_user = make_supplier_user(order.supplier)
    other_supplier = make_supplier_user()
    db.session.commit()
    assert (
        code_of(
            lambda: evaluations.reply_to_evaluation(
                db.session, actor=other_supplier, evaluation_id=evaluation.id, reply="谢谢"
            )
        )
        == "not_found"
    )
    answered = evaluations.reply_to_evaluation(
        db.session, actor=supplier_user, evaluation_id=evaluation.id, reply="感谢评价"
    )
    assert (answered.supplier_reply, answered.replied_by_id) == ("感谢评价", supplier_user.id)
    assert (
        code_of(
            lambda: evaluations.reply_to_evaluation(
                db.session, actor=supplier_user, evaluation_id=evaluation.id, reply="再次"
            )
        )
        == "already_replied"
    )


def test_after_the_window_the_default_is_recorded_and_the_buyer_is_too_late(app):
    # given an order accepted on 1 May: evaluations close 16 May 23:59:59 Beijing
    order, buyer = accepted_on_may_first()
    assert db.session.get(OrderFulfillment, order.id).evaluation_due_on == date(2026, 5, 16)
    clock.travel_to(db.session, datetime(2026, 5, 16, 15, 0, tzinfo=UTC))  # 23:00 Beijing
    db.session.commit()
    assert evaluations.record_default_evaluations(db.session) == 0
    clock.travel_to(db.session, datetime(2026, 5, 16, 16, 1, tzinfo=UTC))  # 00:01 on the 17th
    db.session.commit()
    assert code_of(lambda: evaluations.evaluate_order(db.session, actor=buyer, order_id=order.id, **SCORES)) == (
        "evaluation_closed"
    )
    assert jobs.run_due_jobs(db.session)["fulfillment.default_evaluations"] == 1  # the jobs loop's round
    assert evaluations.record_default_evaluations(db.session) == 0
    default = db.session.scalar(select(Evaluation).where(Evaluation.order_id == order.id))
    assert (default.scores.values(), default.is_default, default.submitted_by_id) == ((5, 5, 5, 5), True, None)
    assert db.session.get(Order, order.id).status is OrderStatus.EVALUATED
    assert code_of(lambda: evaluations.edit_evaluation(db.session, actor=buyer, order_id=order.id, **SCORES)) == (
        "evaluation_final"
    )


def test_the_dashboard_reminds_the_buyer_of_orders_to_evaluate(app, client):
    order, buyer = accepted_on_may_first()
    clock.advance(db.session, days=12)
    db.session.commit()
    login(client, buyer)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "待评价订单" in page and order.number in page and "还剩 3 天" in page
    evaluations.evaluate_order(db.session, actor=buyer, order_id=order.id, **SCORES)
    assert "待评价订单" not in client.get("/dashboard").get_data(as_text=True)


def test_the_evaluation_api(app, client):
    order, buyer = accepted_on_may_first()
    headers = bearer(buyer)
    stranger = bearer(make_shopper())
    supplier = bearer(make_supplier_user(order.supplier))
    db.session.commit()
    url = f"/api/v1/orders/{order.id}/evaluation"
    assert client.post(url, json=SCORES, headers=stranger).status_code == 404
    bad = client.post(url, json={**SCORES, "quality": 9}, headers=headers)
    assert (bad.status_code, bad.get_json()["error"]["code"]) == (400, "invalid_score")
    created = client.post(url, json={**SCORES, "comment": "好"}, headers=headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["quality"], body["comment"], body["is_default"]) == (4, "好", False)
    again = client.post(url, json=SCORES, headers=headers)
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "already_evaluated")
    edited = client.put(url, json={**SCORES, "price": 5}, headers=headers)
    assert (edited.status_code, edited.get_json()["price"]) == (200, 5)
    reply_url = f"/api/v1/evaluations/{body['id']}/reply"
    assert client.post(reply_url, json={"reply": "谢谢"}, headers=headers).status_code == 404
    answered = client.post(reply_url, json={"reply": "谢谢"}, headers=supplier)
    assert (answered.status_code, answered.get_json()["supplier_reply"]) == (200, "谢谢")
    assert client.post(reply_url, json={"reply": "再谢"}, headers=supplier).status_code == 409
    assert datetime.fromisoformat(body["editable_until"]) - datetime.fromisoformat(body["submitted_at"]) == timedelta(
        hours=24
    )

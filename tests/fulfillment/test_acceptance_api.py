"""The acceptance and evaluation API's contract: shapes, codes, and another unit's ids as 404."""

from sqlalchemy import select

from fulfillment.models import OrderFulfillment
from mall.accounts.models import User
from mall.extensions import db
from tests.api.test_api_contract import bearer
from tests.factories import deliver_order, make_order, make_shopper, ship_order


def delivered_order(**kwargs):
    order = make_order(**kwargs)
    ship_order(order)
    deliver_order(order)
    return order


def test_acceptance_answers_the_order_accepted_with_its_refund(app, client):
    order = delivered_order(quantities=(10, 4))
    first, second = order.lines
    headers = bearer(db.session.get(User, order.buyer_id))
    db.session.commit()
    body = {"lines": [{"order_line_id": first.id, "accepted_qty": 8, "rejected_qty": 2, "reason": "霉变"}]}
    response = client.post(f"/api/v1/orders/{order.id}/acceptance", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    # two of ten at ¥26.80 each come back
    assert (answer["status"], answer["refund_fen"], answer["refunded_fen"]) == ("accepted", 5_360, 5_360)
    lines = {line["order_line_id"]: line for line in answer["acceptance"]["lines"]}
    assert (lines[first.id]["rejected_qty"], lines[first.id]["reason"]) == (2, "霉变")
    assert (lines[second.id]["accepted_qty"], lines[second.id]["rejected_qty"]) == (4, 0)
    assert answer["acceptance"]["auto_accepted"] is False
    # and the order's own answer shows the same
    again = client.get(f"/api/v1/orders/{order.id}", headers=headers).get_json()
    assert again["refund_fen"] == 5_360 and again["acceptance"]["rejected_fen"] == 5_360


def test_acceptance_refusals_keep_the_error_shape_and_change_nothing(app, client):
    order = delivered_order(quantities=(10,))
    line = order.lines[0]
    headers = bearer(db.session.get(User, order.buyer_id))
    stranger = bearer(make_shopper())
    pending = make_order()
    db.session.commit()
    url = f"/api/v1/orders/{order.id}/acceptance"
    cases = [
        (
            url,
            {"lines": [{"order_line_id": line.id, "accepted_qty": 9, "rejected_qty": 1}]},
            headers,
            400,
            "rejection_reason_required",
        ),
        (
            url,
            {"lines": [{"order_line_id": line.id, "accepted_qty": 5, "rejected_qty": 1, "reason": "x"}]},
            headers,
            400,
            "invalid_acceptance",
        ),
        (url, {"lines": [{"order_line_id": line.id, "accepted_qty": "ten"}]}, headers, 400, None),
        (url, {"lines": []}, stranger, 404, "not_found"),
        (
            f"/api/v1/orders/{pending.id}/acceptance",
            {"lines": []},
            bearer(db.session.get(User, pending.buyer_id)),
            409,
            "not_delivered",
        ),
    ]
    for target, body, who, status, code in cases:
        response = client.post(target, json=body, headers=who)
        assert response.status_code == status, (body, response.get_json())
        if code:
            assert response.get_json()["error"]["code"] == code
    assert db.session.scalar(select(OrderFulfillment.accepted_at).where(OrderFulfillment.order_id == order.id)) is None
    assert client.post(url, json={"lines": []}, headers=headers).status_code == 200
    second = client.post(url, json={"lines": []}, headers=headers)
    assert (second.status_code, second.get_json()["error"]["code"]) == (409, "acceptance_closed")

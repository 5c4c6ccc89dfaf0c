"""The after-sales and payables JSON API: the issue's shapes, the error codes, and 404 for
another unit's or another supplier's ids on every route."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fulfillment.models import AftersalesCase
from mall import clock
from mall.accounts import services as account_services
from mall.accounts.domain import Role
from mall.extensions import db
from orders.domain import PaymentMode
from tests.factories import (
    make_accepted_order,
    make_shopper,
    make_supplier,
    make_supplier_user,
    make_user,
)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {account_services.issue_api_token(db.session, user=user)}"}


@pytest.fixture
def world(app):
    supplier = make_supplier()
    buyer = make_shopper()
    admin = make_user(Role.UNIT_ADMIN, unit=buyer.unit)
    order = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(10, 4))
    transfer = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(5,), payment_mode=PaymentMode.TRANSFER)
    people = {
        "buyer": buyer,
        "admin": admin,
        "supplier": make_supplier_user(supplier),
        "operator": make_user(Role.PLATFORM_OPERATOR),
        "other_supplier": make_supplier_user(make_supplier()),
        "outsider": make_shopper(),
        "other_admin": make_user(Role.UNIT_ADMIN),
        "finance": make_user(Role.FINANCE_OFFICER, region_code="370102"),
        "far_finance": make_user(Role.FINANCE_OFFICER, region_code="621102"),
    }
    db.session.commit()
    return {"order": order, "transfer": transfer, "users": people} | {k: bearer(v) for k, v in people.items()}


def later(world, days: int) -> dict:
    """The clock moved on: tokens are issued afresh (they last 30 days)."""
    clock.advance(db.session, days=days)
    db.session.commit()
    return world | {k: bearer(v) for k, v in world["users"].items()}


def open_case(client, world, auth="buyer", **body):
    order = world["order"]
    payload = {
        "kind": "refund",
        "lines": [{"order_line_id": order.lines[0].id, "quantity": 2}],
        "reason": "霉变",
    } | body
    return client.post(f"/api/v1/orders/{order.id}/aftersales", json=payload, headers=world[auth])


def test_a_case_is_opened_answered_escalated_and_decided_with_the_issue_shapes(client, world):
    opened = open_case(client, world)
    assert opened.status_code == 201
    case = opened.get_json()
    assert (case["kind"], case["status"], case["refund_fen"]) == ("refund", "open", 5_360)
    assert case["lines"][0]["quantity"] == 2 and case["answer_due_at"]
    refused = client.post(f"/api/v1/aftersales/{case['id']}/answer", json={"agree": False}, headers=world["supplier"])
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (400, "aftersales_note_required")
    answered = client.post(
        f"/api/v1/aftersales/{case['id']}/answer",
        json={"agree": False, "note": "非质量问题"},
        headers=world["supplier"],
    )
    assert answered.get_json()["status"] == "refused"
    escalated = client.post(f"/api/v1/aftersales/{case['id']}/escalate", headers=world["buyer"])
    assert escalated.get_json()["status"] == "escalated"
    decided = client.post(
        f"/api/v1/aftersales/{case['id']}/decide",
        json={"ruling": "for_buyer", "note": "照片显示霉变", "refund_fen": 5_000},
        headers=world["operator"],
    )
    body = decided.get_json()
    assert (body["status"], body["ruling"], body["refund_fen"], body["refund_status"]) == (
        "closed",
        "for_buyer",
        5_000,
        "succeeded",
    )
    detail = client.get(f"/api/v1/orders/{world['order'].id}", headers=world["buyer"]).get_json()
    assert [(c["id"], c["status"], c["refund_fen"]) for c in detail["aftersales"]] == [(case["id"], "closed", 5_000)]
    again = client.post(
        f"/api/v1/aftersales/{case['id']}/decide",
        json={"ruling": "for_buyer", "note": "再裁"},
        headers=world["operator"],
    )
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "aftersales_case_changed")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "swap"}, "invalid_input"),
        ({"lines": []}, "invalid_input"),
        ({"lines": [{"order_line_id": 1, "quantity": 0}]}, "invalid_input"),
        ({"reason": ""}, "invalid_input"),
        ({"lines": [{"order_line_id": 2**31, "quantity": 1}]}, "invalid_input"),
        ({"lines": [{"order_line_id": 2**31 - 1, "quantity": 1}]}, "unknown_order_line"),
    ],
)
def test_a_bad_case_body_is_refused_and_nothing_is_stored(client, world, body, code):
    response = open_case(client, world, **body)
    assert response.status_code in (400, 404) and response.get_json()["error"]["code"] == code
    assert db.session.scalar(select(func.count(AftersalesCase.id))) == 0


def test_a_case_past_the_window_is_refused(client, world):
    response = open_case(client, later(world, 8))
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "aftersales_window_closed")


def test_another_unit_or_supplier_is_told_not_found_on_every_route(client, world):
    assert open_case(client, world, auth="outsider").status_code == 404
    case_id = open_case(client, world).get_json()["id"]
    routes = [
        ("get", f"/api/v1/aftersales/{case_id}", None, "outsider"),
        ("get", f"/api/v1/aftersales/{case_id}", None, "other_supplier"),
        ("post", f"/api/v1/aftersales/{case_id}/answer", {"agree": True}, "other_supplier"),
        ("post", f"/api/v1/aftersales/{case_id}/answer", {"agree": True}, "buyer"),
        ("post", f"/api/v1/aftersales/{case_id}/escalate", None, "outsider"),
        ("post", f"/api/v1/aftersales/{case_id}/decide", {"ruling": "for_buyer", "note": "x"}, "supplier"),
        ("post", f"/api/v1/aftersales/{case_id}/replaced", None, "other_supplier"),
        ("post", f"/api/v1/aftersales/{case_id}/refund-settled", {"note": "x"}, "supplier"),
    ]
    for method, url, body, who in routes:
        response = getattr(client, method)(url, json=body, headers=world[who])
        assert response.status_code == 404, (method, url, who)
    assert client.get(f"/api/v1/aftersales/{case_id}", headers=world["supplier"]).status_code == 200


def test_payables_by_status_in_each_scope(client, world):
    transfer = world["transfer"]
    due = client.get("/api/v1/payables?status=due", headers=world["admin"]).get_json()
    assert [
        (i["order_id"], i["amount_fen"], i["days_overdue"], i["interest_fen"], i["disputed_fen"]) for i in due["items"]
    ] == [(transfer.id, 13_400, 0, 0, 0)]
    assert due["items"][0]["due_on"] == (clock.local(clock.now()).date() + timedelta(days=30)).isoformat()
    assert client.get("/api/v1/payables?status=overdue", headers=world["admin"]).get_json()["items"] == []
    assert client.get("/api/v1/payables", headers=world["other_admin"]).get_json()["items"] == []
    assert len(client.get("/api/v1/payables", headers=world["finance"]).get_json()["items"]) == 1
    assert client.get("/api/v1/payables", headers=world["far_finance"]).get_json()["items"] == []
    assert len(client.get("/api/v1/payables", headers=world["supplier"]).get_json()["items"]) == 1
    assert client.get("/api/v1/payables", headers=world["other_supplier"]).get_json()["items"] == []
    bad = client.get("/api/v1/payables?status=late", headers=world["admin"])
    assert (bad.status_code, bad.get_json()["error"]["code"]) == (400, "invalid_payable_filter")


def test_a_late_payable_shows_red_figures_and_the_admin_pays_it_once(client, world):
    payable_id = client.get("/api/v1/payables", headers=world["admin"]).get_json()["items"][0]["id"]
    world = later(world, 40)
    item = client.get("/api/v1/payables?status=overdue", headers=world["admin"]).get_json()["items"][0]
    # ¥134.00 late 10 days at 0.05 %/day: 13400 × 10 × 5 / 10000 = 67 fen
    assert (item["overdue"], item["days_overdue"], item["interest_fen"]) == (True, 10, 67)
    assert client.post(f"/api/v1/payables/{payable_id}/pay", headers=world["other_admin"]).status_code == 404
    assert client.post(f"/api/v1/payables/{payable_id}/pay", headers=world["supplier"]).status_code == 404
    paid = client.post(f"/api/v1/payables/{payable_id}/pay", headers=world["admin"]).get_json()
    assert (paid["status"], paid["paid_fen"], paid["interest_fen"], paid["days_overdue"]) == ("paid", 13_400, 67, 10)
    again = client.post(f"/api/v1/payables/{payable_id}/pay", headers=world["admin"])
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "payable_changed")
    assert [
        i["id"] for i in client.get("/api/v1/payables?status=paid", headers=world["supplier"]).get_json()["items"]
    ] == [payable_id]

"""The orders JSON API: cart, addresses, checkout with an Idempotency-Key, orders; the documented
shapes, the error codes, and 404 for another unit's ids on every route."""

import pytest
from sqlalchemy import func, select

from mall.accounts import services as account_services
from mall.accounts.domain import Role
from mall.extensions import db
from orders.models import Checkout, Order, UnitAddress
from tests.factories import (
    make_cart_line,
    make_product,
    make_shopper,
    make_supplier,
    make_user,
)


@pytest.fixture(autouse=True)
def _empty_stripe(stripe):
    return stripe


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {account_services.issue_api_token(db.session, user=user)}"}


@pytest.fixture
def shop(app):
    buyer = make_shopper(card=True, display_name="王晓梅")
    outsider = make_shopper(card=True, display_name="张海燕")
    rice = make_product(supplier=make_supplier(), title="陇南大米 5kg", price_fen=6_800, stock_qty=40, min_order_qty=2)
    oil = make_product(supplier=make_supplier(), title="定西胡麻油 5L", price_fen=12_800, stock_qty=40)
    db.session.commit()
    return {
        "buyer": buyer,
        "outsider": outsider,
        "rice": rice,
        "oil": oil,
        "auth": bearer(buyer),
        "other_auth": bearer(outsider),
        "address_id": db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == buyer.unit_id)),
    }


def checkout(client, shop, *, total: int, key: str = "api-key-1", **body):
    payload = {"address_id": shop["address_id"], "payment_mode": "card", "expected_total_fen": total} | body
    return client.post("/api/v1/checkout", json=payload, headers=shop["auth"] | {"Idempotency-Key": key})


def test_cart_items_have_the_issue_shape(client, shop):
    # when the buyer adds rice and oil
    added = client.post(
        "/api/v1/cart/items",
        json={"product_id": shop["rice"].id, "quantity": 2, "purpose": "canteen"},
        headers=shop["auth"],
    )
    client.post(
        "/api/v1/cart/items",
        json={"product_id": shop["oil"].id, "quantity": 1, "purpose": "union"},
        headers=shop["auth"],
    )
    # then the cart lists both with who added them and the total in fen
    assert added.status_code == 201
    cart = client.get("/api/v1/cart", headers=shop["auth"]).get_json()
    assert cart["total_fen"] == 2 * 6_800 + 12_800
    item = cart["items"][0]
    assert {"id", "product_id", "quantity", "purpose", "price_fen", "added_by"} <= set(item)
    assert (item["product_id"], item["quantity"], item["purpose"], item["price_fen"], item["added_by"]) == (
        shop["rice"].id,
        2,
        "canteen",
        6_800,
        "王晓梅",
    )
    # and a change and a removal
    line_id = item["id"]
    assert (
        client.patch(f"/api/v1/cart/items/{line_id}", json={"quantity": 4}, headers=shop["auth"]).get_json()["quantity"]
        == 4
    )
    assert client.delete(f"/api/v1/cart/items/{line_id}", headers=shop["auth"]).status_code == 204
    assert [i["product_id"] for i in client.get("/api/v1/cart", headers=shop["auth"]).get_json()["items"]] == [
        shop["oil"].id
    ]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"product_id": "RICE-AS-TEXT", "quantity": 2, "purpose": "canteen"}, 400, "invalid_input"),
        ({"quantity": 2, "purpose": "canteen"}, 400, "invalid_input"),
        ({"product_id": "RICE", "quantity": True, "purpose": "canteen"}, 400, "invalid_input"),
        ({"product_id": 0, "quantity": 2, "purpose": "canteen"}, 404, "not_found"),
        ({"product_id": "RICE", "quantity": 0, "purpose": "canteen"}, 400, "invalid_quantity"),
        ({"product_id": "RICE", "quantity": 2, "purpose": "gift"}, 400, "invalid_purpose"),
        ({"product_id": "RICE", "quantity": 2, "purpose": "personal"}, 403, "purpose_not_allowed"),
        ({"product_id": "RICE", "quantity": 41, "purpose": "canteen"}, 409, "stock_insufficient"),
    ],
)
def test_bad_cart_input_gets_a_coded_chinese_error_and_changes_nothing(client, shop, body, status, code):
    rice = shop["rice"].id
    body = {
        k: {"RICE": rice, "RICE-AS-TEXT": str(rice)}.get(v, v) if isinstance(v, str) else v for k, v in body.items()
    }
    response = client.post("/api/v1/cart/items", json=body, headers=shop["auth"])
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert client.get("/api/v1/cart", headers=shop["auth"]).get_json()["items"] == []


def test_below_the_minimum_order_is_refused_with_the_minimum(client, shop):
    response = client.post(
        "/api/v1/cart/items",
        json={"product_id": shop["rice"].id, "quantity": 1, "purpose": "canteen"},
        headers=shop["auth"],
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "below_min_order_qty",
        "message": "该商品2箱起订",
        "details": {"min_order_qty": 2},
    }


def test_addresses_list_and_create(client, shop):
    created = client.post(
        "/api/v1/addresses",
        json={
            "label": "工会",
            "recipient": "陈丽娟",
            "phone": "0531-86061234",
            "detail": "济南市历下区省府前街1号工会",
        },
        headers=shop["auth"],
    )
    assert created.status_code == 201 and created.get_json()["is_default"] is False
    items = client.get("/api/v1/addresses", headers=shop["auth"]).get_json()["items"]
    assert [a["label"] for a in items] == ["机关食堂", "工会"]
    bad = client.post(
        "/api/v1/addresses", json={"recipient": "陈丽娟", "phone": "1", "detail": "x"}, headers=shop["auth"]
    )
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_address"


def test_checkout_answers_201_with_one_order_per_supplier(client, shop, stripe):
    make_cart_line(shop["buyer"], shop["rice"], quantity=2)
    make_cart_line(shop["buyer"], shop["oil"], quantity=1)
    db.session.commit()
    response = checkout(client, shop, total=26_400)
    assert response.status_code == 201
    orders = response.get_json()["orders"]
    assert sorted((o["supplier_id"], o["total_fen"]) for o in orders) == sorted(
        [(shop["rice"].supplier_id, 13_600), (shop["oil"].supplier_id, 12_800)]
    )
    assert all({"id", "supplier_id", "total_fen", "status", "payment_status"} <= set(o) for o in orders)
    assert {(o["status"], o["payment_status"]) for o in orders} == {("placed", "paid")}
    assert [c["amount"] for c in stripe.charges()] == [26_400]


def test_the_same_key_replays_and_another_body_conflicts(client, shop, stripe):
    make_cart_line(shop["buyer"], shop["oil"], quantity=1)
    db.session.commit()
    first = checkout(client, shop, total=12_800)
    again = checkout(client, shop, total=12_800)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    conflict = checkout(client, shop, total=12_800, payment_mode="transfer")
    assert conflict.status_code == 409 and conflict.get_json()["error"]["code"] == "idempotency_conflict"
    assert len(stripe.charges()) == 1


@pytest.mark.parametrize(
    ("headers", "body", "status", "code"),
    [
        ({}, {}, 400, "idempotency_key_invalid"),
        ({"Idempotency-Key": "k"}, {"expected_total_fen": 1}, 409, "expected_total_mismatch"),
        ({"Idempotency-Key": "k"}, {"expected_total_fen": "12800"}, 400, "invalid_input"),
        ({"Idempotency-Key": "k"}, {"payment_mode": "cash"}, 400, "invalid_payment_mode"),
        ({"Idempotency-Key": "k"}, {"address_id": 0}, 404, "not_found"),
        ({"Idempotency-Key": "k"}, {"delivery_on": "明天"}, 400, "invalid_delivery_date"),
    ],
)
def test_bad_checkouts_are_refused_with_a_code_and_create_nothing(client, shop, headers, body, status, code):
    make_cart_line(shop["buyer"], shop["oil"], quantity=1)
    db.session.commit()
    payload = {"address_id": shop["address_id"], "payment_mode": "card", "expected_total_fen": 12_800} | body
    response = client.post("/api/v1/checkout", json=payload, headers=shop["auth"] | headers)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert db.session.scalar(select(func.count(Checkout.id))) == 0


def test_a_declined_card_answers_402_payment_failed(client, shop):
    from orders.models import PaymentCard

    card = db.session.scalar(select(PaymentCard).where(PaymentCard.unit_id == shop["buyer"].unit_id))
    card.stripe_payment_method_id = "pm_card_chargeCustomerFail"
    make_cart_line(shop["buyer"], shop["oil"], quantity=1)
    db.session.commit()
    response = checkout(client, shop, total=12_800)
    assert response.status_code == 402
    assert response.get_json()["error"]["code"] == "payment_failed"
    assert db.session.scalar(select(Order.payment_status)).value == "failed"


def test_orders_list_filters_detail_and_cancel(client, shop, stripe):
    # given a card checkout (rice, canteen) and a transfer one (oil, union)
    make_cart_line(shop["buyer"], shop["rice"], quantity=2)
    db.session.commit()
    checkout(client, shop, total=13_600, key="a")
    client.post(
        "/api/v1/cart/items",
        json={"product_id": shop["oil"].id, "quantity": 1, "purpose": "union"},
        headers=shop["auth"],
    )
    checkout(client, shop, total=12_800, key="b", payment_mode="transfer")

    def listed(query: str) -> list[int]:
        return [o["total_fen"] for o in client.get(f"/api/v1/orders?{query}", headers=shop["auth"]).get_json()["items"]]

    assert sorted(listed("")) == [12_800, 13_600]
    assert listed("purpose=union") == [12_800]
    assert listed("status=placed&purpose=canteen") == [13_600]
    assert listed("from=2000-01-01&to=2000-01-02") == []
    bad = client.get("/api/v1/orders?status=lost", headers=shop["auth"])
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_order_filter"
    # the detail has lines, payment and history; cancelling refunds through Stripe
    rice_order = client.get("/api/v1/orders?purpose=canteen", headers=shop["auth"]).get_json()["items"][0]
    detail = client.get(f"/api/v1/orders/{rice_order['id']}", headers=shop["auth"]).get_json()
    assert detail["lines"][0]["title"] == "陇南大米 5kg" and detail["payments"][0]["status"] == "succeeded"
    assert [h["status"] for h in detail["history"]] == ["pending_payment", "placed"]
    cancelled = client.post(
        f"/api/v1/orders/{rice_order['id']}/cancel", json={"reason": "重复下单"}, headers=shop["auth"]
    )
    assert cancelled.get_json()["status"] == "cancelled" and cancelled.get_json()["payment_status"] == "refunded"
    assert [r["amount"] for r in stripe.refunds()] == [13_600]


def test_every_route_answers_404_for_another_units_ids(client, shop):
    # given the buyer's order, its checkout, and a line in the buyer's cart
    make_cart_line(shop["buyer"], shop["rice"], quantity=2)
    db.session.commit()
    placed = checkout(client, shop, total=13_600).get_json()
    order_id, checkout_id = placed["orders"][0]["id"], placed["checkout_id"]
    line_id = make_cart_line(shop["buyer"], shop["oil"], quantity=1).id
    db.session.commit()
    other = shop["other_auth"]
    other_admin = bearer(make_user(Role.UNIT_ADMIN, unit=shop["outsider"].unit))
    # when another unit's buyer (or admin) uses those ids
    answers = [
        client.patch(f"/api/v1/cart/items/{line_id}", json={"quantity": 2}, headers=other),
        client.delete(f"/api/v1/cart/items/{line_id}", headers=other),
        client.get(f"/api/v1/orders/{order_id}", headers=other),
        client.post(f"/api/v1/orders/{order_id}/cancel", headers=other),
        client.post(f"/api/v1/checkouts/{checkout_id}/approve", headers=other_admin),
        client.post(f"/api/v1/checkouts/{checkout_id}/reject", headers=other_admin),
    ]
    # then every answer is 404 without data, and nothing changed
    assert [(r.status_code, r.get_json()) for r in answers] == [
        (404, {"error": {"code": "not_found", "message": message}})
        for message in (
            "购物车中没有该商品",
            "购物车中没有该商品",
            "未找到该订单",
            "未找到该订单",
            "未找到该采购单",
            "未找到该采购单",
        )
    ]
    assert client.get("/api/v1/orders", headers=other).get_json()["items"] == []
    assert client.get("/api/v1/cart", headers=other).get_json()["items"] == []
    assert client.get(f"/api/v1/orders/{order_id}", headers=shop["auth"]).get_json()["status"] == "placed"
    assert [i["quantity"] for i in client.get("/api/v1/cart", headers=shop["auth"]).get_json()["items"]] == [1]


def test_a_foreign_address_is_not_found_at_checkout(client, shop):
    client.post(
        "/api/v1/cart/items",
        json={"product_id": shop["oil"].id, "quantity": 1, "purpose": "canteen"},
        headers=shop["other_auth"],
    )
    response = client.post(
        "/api/v1/checkout",
        json={"address_id": shop["address_id"], "payment_mode": "transfer", "expected_total_fen": 12_800},
        headers=shop["other_auth"] | {"Idempotency-Key": "foreign-address"},
    )
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_the_api_needs_a_token_and_a_unit(client, shop):
    assert client.get("/api/v1/cart").status_code == 401
    supplier = make_user(Role.SUPPLIER)
    unitless = bearer(supplier)
    assert client.get("/api/v1/cart", headers=unitless).status_code == 404
    assert client.get("/api/v1/orders", headers=unitless).get_json()["items"] == []

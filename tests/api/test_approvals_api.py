"""The API keeps the same rules as the pages: the union officer acts on union welfare only
(`purpose_not_allowed`), nobody approves their own checkout (`self_approval_not_allowed`), and
an order of a suspected split purchase says so."""

import pytest
from sqlalchemy import select

from mall.accounts.domain import Role
from mall.extensions import db
from orders.domain import Purpose
from orders.models import CartLine, Order, UnitAddress
from tests.api.test_orders_api import bearer
from tests.factories import (
    make_address,
    make_cart_line,
    make_payment_card,
    make_product,
    make_purchase_settings,
    make_supplier,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.usefixtures("stripe")  # the unit's 公务卡 lives in an emptied localstripe


@pytest.fixture
def unit(app):
    """A unit under a supervising one: an admin, a buyer, a union officer; rice for the canteen
    and oil for the union in the shared cart; approval above ¥500."""
    parent = make_unit(name="济南市人民政府办公厅")
    unit = make_unit(name="济南市机关事务服务中心", parent_id=parent.id)
    make_address(unit)
    make_payment_card(unit)
    make_purchase_settings(unit, approval_threshold_fen=50_000)
    people = {
        "admin": make_user(Role.UNIT_ADMIN, unit=unit),
        "buyer": make_user(Role.BUYER, unit=unit),
        "union": make_user(Role.UNION_OFFICER, unit=unit),
        "supervisor": make_user(Role.UNIT_ADMIN, unit=parent),
    }
    supplier = make_supplier()
    rice = make_product(supplier=supplier, title="陇南大米 5kg", price_fen=6_000, stock_qty=100)
    oil = make_product(supplier=supplier, title="定西胡麻油 5L", price_fen=12_800, stock_qty=100)
    canteen_line = make_cart_line(people["buyer"], rice, quantity=3).id
    union_line = make_cart_line(people["union"], oil, quantity=2, purpose=Purpose.UNION).id
    db.session.commit()
    auth = {name: bearer(user) for name, user in people.items()}
    address = db.session.scalar(select(UnitAddress.id))
    return {
        "people": people,
        "auth": auth,
        "canteen_line": canteen_line,
        "union_line": union_line,
        "address": address,
        "rice": rice,
    }


def checkout(client, unit, who: str, *, total: int, key: str):
    body = {"address_id": unit["address"], "payment_mode": "transfer", "expected_total_fen": total}
    return client.post("/api/v1/checkout", json=body, headers=unit["auth"][who] | {"Idempotency-Key": key})


def test_the_union_officer_cannot_patch_or_delete_a_canteen_line(client, unit):
    union = unit["auth"]["union"]
    answers = [
        client.patch(f"/api/v1/cart/items/{unit['canteen_line']}", json={"quantity": 30}, headers=union),
        client.delete(f"/api/v1/cart/items/{unit['canteen_line']}", headers=union),
    ]
    assert [(r.status_code, r.get_json()["error"]["code"]) for r in answers] == [(403, "purpose_not_allowed")] * 2
    assert db.session.get(CartLine, unit["canteen_line"]).quantity == 3
    patched = client.patch(f"/api/v1/cart/items/{unit['union_line']}", json={"quantity": 4}, headers=union)
    assert (patched.status_code, patched.get_json()["quantity"]) == (200, 4)


def test_the_cart_says_which_lines_the_caller_checks_out(client, unit):
    cart = client.get("/api/v1/cart", headers=unit["auth"]["union"]).get_json()
    assert [(i["purpose"], i["purpose_allowed"]) for i in cart["items"]] == [("canteen", False), ("union", True)]
    assert (cart["total_fen"], cart["checkout_total_fen"]) == (3 * 6_000 + 2 * 12_800, 2 * 12_800)
    cart = client.get("/api/v1/cart", headers=unit["auth"]["buyer"]).get_json()
    assert cart["checkout_total_fen"] == cart["total_fen"]


def test_the_union_officer_checks_out_union_welfare_and_cannot_cancel_canteen_orders(client, unit):
    # when the union officer checks out: the oil only
    placed = checkout(client, unit, "union", total=25_600, key="union-1")
    assert placed.status_code == 201
    assert [o["purpose"] for o in placed.get_json()["orders"]] == ["union"]
    assert [i["purpose"] for i in client.get("/api/v1/cart", headers=unit["auth"]["buyer"]).get_json()["items"]] == [
        "canteen"
    ]
    # and the buyer checks out the rice, which the union officer cannot cancel
    rice_order = checkout(client, unit, "buyer", total=18_000, key="buyer-1").get_json()["orders"][0]["id"]
    refused = client.post(f"/api/v1/orders/{rice_order}/cancel", headers=unit["auth"]["union"])
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, "purpose_not_allowed")
    assert db.session.get(Order, rice_order).status.value == "placed"


def test_nothing_to_check_out_is_refused_with_its_code(client, unit):
    client.delete(f"/api/v1/cart/items/{unit['union_line']}", headers=unit["auth"]["union"])
    refused = checkout(client, unit, "union", total=18_000, key="union-2")
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, "purpose_not_allowed")


def test_nobody_approves_their_own_checkout_through_the_api(client, unit):
    # given the admin's own checkout of the cart, with 13 bags of rice: ¥1,036
    db.session.get(CartLine, unit["canteen_line"]).quantity = 13
    db.session.commit()
    placed = checkout(client, unit, "admin", total=13 * 6_000 + 2 * 12_800, key="admin-1").get_json()
    assert placed["approval_status"] == "pending"
    checkout_id = placed["checkout_id"]
    # when the admin approves or rejects it
    answers = [
        client.post(f"/api/v1/checkouts/{checkout_id}/approve", headers=unit["auth"]["admin"]),
        client.post(f"/api/v1/checkouts/{checkout_id}/reject", json={"note": "x"}, headers=unit["auth"]["admin"]),
    ]
    assert [(r.status_code, r.get_json()["error"]["code"]) for r in answers] == [(403, "self_approval_not_allowed")] * 2
    # then the supervising unit's admin approves it
    approved = client.post(f"/api/v1/checkouts/{checkout_id}/approve", headers=unit["auth"]["supervisor"])
    assert (approved.status_code, approved.get_json()["approval_status"]) == (200, "approved")


def test_an_order_of_a_split_purchase_says_so(client, unit):
    # given the rice (¥180) and two more checkouts of rice, ¥240 each: ¥660 from one supplier in a day
    first = checkout(client, unit, "buyer", total=18_000 + 25_600, key="b1").get_json()
    ids = [first["checkout_id"]]
    for key in ("b2", "b3"):
        client.post(
            "/api/v1/cart/items",
            json={"product_id": unit["rice"].id, "quantity": 4, "purpose": "canteen"},
            headers=unit["auth"]["buyer"],
        )
        ids.append(checkout(client, unit, "buyer", total=24_000, key=key).get_json()["checkout_id"])
    rice_order = next(o["id"] for o in first["orders"] if o["purpose"] == "canteen")
    detail = client.get(f"/api/v1/orders/{rice_order}", headers=unit["auth"]["buyer"]).get_json()
    assert detail["split_purchase"] == {
        "placed_on": detail["split_purchase"]["placed_on"],
        "supplier_id": detail["supplier_id"],
        "purpose": "canteen",
        "checkout_ids": ids,
        "total_fen": 18_000 + 2 * 24_000,
        "threshold_fen": 50_000,
    }
    oil_order = next(o["id"] for o in first["orders"] if o["purpose"] == "union")
    assert client.get(f"/api/v1/orders/{oil_order}", headers=unit["auth"]["buyer"]).get_json()["split_purchase"] is None

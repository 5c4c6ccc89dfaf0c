"""`/api/v1/listings`: create (201, pending), patch, list by status, approve/reject; another
supplier's listing is 404; bad bodies answer 400 with a code."""

import pytest

from mall.accounts.domain import Role
from mall.extensions import db
from tests.factories import PASSWORD, login, make_category, make_product, make_supplier, make_supplier_user, make_user

BODY = {
    "sku": "DX-API-1",
    "title": "定西马铃薯精淀粉 1kg/袋",
    "category": "dried",
    "spec": "1kg/袋",
    "sale_unit": "袋",
    "price_fen": 1_600,
    "stock_qty": 200,
    "origin_county_code": "621102",
    "program": "counterpart",
    "price_evidence_urls": ["https://www.fupin832.com/goods/9"],
}


def token(client, user) -> dict:
    body = client.post("/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}).get_json()
    return {"Authorization": f"Bearer {body['token']}"}


@pytest.fixture
def people(app):
    make_category("dried", "干货")
    supplier = make_supplier(region_code="621102")
    people = {
        "owner": make_supplier_user(supplier),
        "operator": make_user(Role.PLATFORM_OPERATOR),
        "stranger": make_supplier_user(make_supplier(region_code="621102")),
        "buyer": make_user(Role.BUYER),
        "supplier": supplier,
    }
    db.session.commit()
    return people


def test_create_then_approve_through_the_api(client, people):
    owner, operator = token(client, people["owner"]), token(client, people["operator"])
    created = client.post("/api/v1/listings", json=BODY, headers=owner)
    assert created.status_code == 201
    body = created.get_json()
    assert body["status"] == "pending" and body["price_fen"] == 1_600 and body["per_kilo_fen"] == 1_600
    assert body["price_evidence"] == [{"url": "https://www.fupin832.com/goods/9", "document": False, "note": ""}]
    pending = client.get("/api/v1/listings?status=pending", headers=operator).get_json()
    assert [item["id"] for item in pending["items"]] == [body["id"]]
    approved = client.post(f"/api/v1/listings/{body['id']}/approve", headers=operator)
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    assert client.get(f"/api/v1/products/{body['id']}").status_code == 200


def test_patch_a_big_price_change_waits_for_review(client, people):
    owner, operator = token(client, people["owner"]), token(client, people["operator"])
    product_id = client.post("/api/v1/listings", json=BODY, headers=owner).get_json()["id"]
    client.post(f"/api/v1/listings/{product_id}/approve", headers=operator)
    patched = client.patch(f"/api/v1/listings/{product_id}", json={"price_fen": 2_600}, headers=owner).get_json()
    assert patched["sent_to_review"] and patched["price_fen"] == 1_600
    assert patched["pending_change"]["fields"] == ["price_fen"]
    rejected = client.post(f"/api/v1/listings/{product_id}/reject", json={"reason": "涨价无依据"}, headers=operator)
    assert rejected.get_json()["reject_reason"] == "涨价无依据"


def test_reject_without_reason_is_refused(client, people):
    owner, operator = token(client, people["owner"]), token(client, people["operator"])
    product_id = client.post("/api/v1/listings", json=BODY, headers=owner).get_json()["id"]
    response = client.post(f"/api/v1/listings/{product_id}/reject", json={}, headers=operator)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "reason_required"


@pytest.mark.parametrize(
    ("change", "code", "status"),
    [
        ({"price_fen": "16.00"}, "listing_invalid", 400),
        ({"origin_county_code": "652824"}, "unknown_county", 400),
        ({"program": "elsewhere"}, "listing_invalid", 400),
        ({"price_evidence_urls": []}, "price_evidence_required", 400),
        ({"title": None}, "listing_invalid", 400),
    ],
)
def test_bad_listing_bodies(client, people, change, code, status):
    response = client.post("/api/v1/listings", json=BODY | change, headers=token(client, people["owner"]))
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_another_suppliers_listing_is_404_on_every_route(client, people):
    product = make_product(supplier=people["supplier"])
    db.session.commit()
    stranger = token(client, people["stranger"])
    assert client.get(f"/api/v1/listings/{product.id}", headers=stranger).status_code == 404
    assert client.patch(f"/api/v1/listings/{product.id}", json={"stock_qty": 1}, headers=stranger).status_code == 404
    assert client.post(f"/api/v1/listings/{product.id}/delist", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/listings/{product.id}/relist", headers=stranger).status_code == 404
    assert product.id not in [i["id"] for i in client.get("/api/v1/listings", headers=stranger).get_json()["items"]]


def test_roles_are_checked(client, people):
    buyer = token(client, people["buyer"])
    assert client.post("/api/v1/listings", json=BODY, headers=buyer).status_code == 403
    assert client.post("/api/v1/listings/1/approve", headers=token(client, people["owner"])).status_code == 403
    assert client.get("/api/v1/listings?status=nonsense", headers=token(client, people["operator"])).status_code == 400


def test_the_review_queue_of_the_api_is_the_operators_page(client, people):
    # given a new listing, a listing on sale whose price rise waits, and one on sale untouched
    owner, operator = token(client, people["owner"]), token(client, people["operator"])
    titles = ["定西马铃薯精淀粉 1kg/袋", "岷县当归片 1kg/袋", "渭源白条党参 1kg/袋"]
    ids = [
        client.post("/api/v1/listings", json=BODY | {"sku": f"Q-{i}", "title": title}, headers=owner).get_json()["id"]
        for i, title in enumerate(titles)
    ]
    for product_id in ids[1:]:
        client.post(f"/api/v1/listings/{product_id}/approve", headers=operator)
    client.patch(f"/api/v1/listings/{ids[1]}", json={"price_fen": 2_600, "spec": "1.2kg/袋"}, headers=owner)
    # when the operator asks the API for the review queue
    queue = client.get("/api/v1/listings?review=pending", headers=operator).get_json()
    # then it holds what the page holds, with what each change changes
    assert [item["id"] for item in queue["items"]] == ids[:2] and queue["total"] == 2
    change = queue["items"][1]["pending_change"]
    assert queue["items"][1]["status"] == "approved" and queue["items"][1]["price_fen"] == 1_600
    assert change["changes"] == [
        {"field": "price_fen", "label": "价格", "from": 1_600, "to": 2_600},
        {"field": "spec", "label": "规格", "from": "1kg/袋", "to": "1.2kg/袋"},
        {"field": "per_kilo_fen", "label": "每千克/升单价", "from": 1_600, "to": 2_600},
    ]
    login(client, people["operator"])
    page = client.get("/manage/listings").get_data(as_text=True)
    assert titles[0] in page and titles[1] in page and titles[2] not in page
    assert "¥26.00" in page and "1.2kg/袋" in page
    # when the operator approves the change through the API, it applies and leaves the queue
    approved = client.post(f"/api/v1/listings/{ids[1]}/approve", headers=operator).get_json()
    assert approved["price_fen"] == 2_600 and approved["spec"] == "1.2kg/袋" and approved["pending_change"] is None
    queue = client.get("/api/v1/listings?review=pending", headers=operator).get_json()
    assert [item["id"] for item in queue["items"]] == ids[:1]


def test_a_supplier_sees_only_its_own_listings_in_the_review_queue(client, people):
    owner = token(client, people["owner"])
    created = client.post("/api/v1/listings", json=BODY, headers=owner).get_json()["id"]
    assert [i["id"] for i in client.get("/api/v1/listings?review=pending", headers=owner).get_json()["items"]] == [
        created
    ]
    stranger = token(client, people["stranger"])
    assert client.get("/api/v1/listings?review=pending", headers=stranger).get_json()["items"] == []
    assert client.get("/api/v1/listings?review=later", headers=stranger).status_code == 400


def test_approving_through_the_api_a_revision_changed_since_is_refused(client, people):
    owner, operator = token(client, people["owner"]), token(client, people["operator"])
    listing = client.post("/api/v1/listings", json=BODY, headers=owner).get_json()
    seen = listing["revision"]
    client.patch(f"/api/v1/listings/{listing['id']}", json={"price_fen": 9_900}, headers=owner)
    stale = client.post(f"/api/v1/listings/{listing['id']}/approve", json={"revision": seen}, headers=operator)
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "changed_meanwhile"
    bad = client.post(f"/api/v1/listings/{listing['id']}/approve", json={"revision": "1"}, headers=operator)
    assert bad.status_code == 400
    current = client.get(f"/api/v1/listings/{listing['id']}", headers=operator).get_json()
    approved = client.post(
        f"/api/v1/listings/{listing['id']}/approve", json={"revision": current["revision"]}, headers=operator
    ).get_json()
    assert approved["status"] == "approved" and approved["price_fen"] == 9_900

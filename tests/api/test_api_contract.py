"""The API reference a machine checks: every /api/v1 route is in the OpenAPI document (with auth,
schemas and its refusals), the reference page is drawn from it with nothing fetched from elsewhere,
and every body and query argument is held to the bounds of mall.bounds with the API's error shape."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from catalog.models import Product
from mall.accounts import services as account_services
from mall.accounts.domain import Role
from mall.api_docs import openapi_document
from mall.bounds import MAX_ID, MAX_JSON_DEPTH, MAX_QUANTITY, MAX_UNIT_PRICE_FEN
from mall.extensions import db
from mall.json_depth import too_deep
from orders.models import CartLine, Checkout
from tests.factories import make_product, make_shopper, make_supplier, make_supplier_user, make_user

CJK = re.compile(r"[\u4e00-\u9fff]")


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {account_services.issue_api_token(db.session, user=user)}"}


# ---- the document ------------------------------------------------------------------------------


def test_every_api_rule_is_in_the_openapi_document(app):
    paths = openapi_document()["paths"]
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method.lower() not in paths.get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == [], "document these routes with mall.api_schema.documented"


def test_every_operation_declares_its_auth_input_and_refusals(app):
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "POST /api/v1/auth/token 换取的访问令牌",
    }
    operation_ids = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            operation_ids.append(operation["operationId"])
            error = operation["responses"]["400"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorOut"}, f"{method} {path}"
            assert operation["summary"] and CJK.search(operation["summary"]), f"{method} {path} needs a summary"
            if {"bearer": []} in operation["security"] and {} not in operation["security"]:
                assert {"401", "403"} <= set(operation["responses"]), f"{method} {path}"
            for parameter in operation["parameters"]:
                if parameter["in"] == "path":
                    assert parameter["schema"] | {"type": "integer"} == {
                        "type": "integer",
                        "format": "int32",
                        "minimum": 1,
                        "maximum": MAX_ID,
                    }
    assert len(operation_ids) == len(set(operation_ids))
    cart_add = document["paths"]["/api/v1/cart/items"]["post"]
    assert cart_add["security"] == [{"bearer": []}]
    quantity = document["components"]["schemas"]["CartItemIn"]["properties"]["quantity"]
    assert (quantity["type"], quantity["minimum"], quantity["maximum"]) == ("integer", 1, MAX_QUANTITY)
    listing = document["components"]["schemas"]["ListingIn"]["properties"]
    assert listing["spec"]["maxLength"] == 60 and listing["price_fen"]["maximum"] == MAX_UNIT_PRICE_FEN
    checkout = document["paths"]["/api/v1/checkout"]["post"]
    assert {p["name"]: p["in"] for p in checkout["parameters"]} == {"Idempotency-Key": "header"}


def test_the_document_is_served_as_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "/api/v1/listings/{product_id}/approve" in response.get_json()["paths"]


def test_the_reference_page_shows_every_operation_and_fetches_nothing_from_elsewhere(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for path, item in openapi_document()["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in html
    assert "商品上架与审核" in html and "CartItemIn" in html and "integer 1–1000000" in html
    assert "（可为空）" in html and "| null" not in html  # a nullable field reads as such, in Chinese
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html), "the intranet has no internet"
    assert 'href="/api/v1/docs"' in client.get("/").get_data(as_text=True)  # linked from the footer


# ---- bodies: strict types, bounds, the error shape ---------------------------------------------


@pytest.fixture
def people(app):
    supplier = make_supplier(region_code="621102")
    people = {
        "owner": make_supplier_user(supplier),
        "buyer": make_shopper(card=True),
        "operator": make_user(Role.PLATFORM_OPERATOR),
        "product": make_product(supplier=supplier, stock_qty=50),
    }
    db.session.commit()
    return people


LISTING = {
    "sku": "DX-001",
    "title": "定西马铃薯宽粉",
    "category": "dried",
    "spec": "500g/袋",
    "sale_unit": "袋",
    "price_fen": 1_600,
    "stock_qty": 100,
    "origin_county_code": "621102",
    "program": "counterpart",
    "price_evidence_urls": ["https://www.fupin832.com/goods/9"],
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pack_size": "6"}, "pack_size"),
        ({"pack_size": None}, "pack_size"),
        ({"pack_size": [1]}, "pack_size"),
        ({"pack_size": 2.5}, "pack_size"),
        ({"pack_size": True}, "pack_size"),
        ({"stock_qty": 2**63}, "stock_qty"),
        ({"price_fen": 9 * 10**18}, "price_fen"),
        ({"price_fen": MAX_UNIT_PRICE_FEN + 1}, "price_fen"),
        ({"spec": "5" * 5_000}, "spec"),
        ({"sale_unit": "袋" * 9}, "sale_unit"),
        ({"price_evidence_urls": ["https://x.example/" + "a" * 600]}, "price_evidence_urls.0"),
        ({"supplier_id": 2**63}, "supplier_id"),
    ],
)
def test_a_listing_body_out_of_type_or_bounds_is_refused_and_nothing_is_stored(client, people, change, field):
    response = client.post("/api/v1/listings", json=LISTING | change, headers=bearer(people["owner"]))
    error = response.get_json()["error"]
    assert response.status_code in (400, 404)
    assert error["code"] in ("listing_invalid", "not_found")
    assert field in [d["field"] for d in error["details"]]
    assert all(CJK.search(d["message"]) for d in error["details"]) and CJK.search(error["message"])
    assert db.session.scalar(select(func.count(Product.id)).where(Product.sku == "DX-001")) == 0


def test_a_listing_body_within_bounds_is_accepted(client, people):
    response = client.post(
        "/api/v1/listings", json=LISTING | {"pack_size": 2, "min_order_qty": 2}, headers=bearer(people["owner"])
    )
    assert response.status_code == 201 and response.get_json()["pack_size"] == 2


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"product_id": 2**63, "quantity": 1, "purpose": "canteen"}, 404, "not_found"),
        ({"product_id": 10**30, "quantity": 1, "purpose": "canteen"}, 404, "not_found"),
        ({"product_id": "PRODUCT", "quantity": 10**20, "purpose": "canteen"}, 400, "invalid_quantity"),
        ({"product_id": "PRODUCT", "quantity": MAX_QUANTITY + 1, "purpose": "canteen"}, 400, "invalid_quantity"),
        ({"product_id": "PRODUCT", "quantity": 1.0, "purpose": "canteen"}, 400, "invalid_input"),
        ({"product_id": "PRODUCT", "quantity": 1, "purpose": ["canteen"]}, 400, "invalid_purpose"),
    ],
)
def test_cart_ids_and_quantities_beyond_bounds_are_refused(client, people, body, status, code):
    body = {k: people["product"].id if v == "PRODUCT" else v for k, v in body.items()}
    response = client.post("/api/v1/cart/items", json=body, headers=bearer(people["buyer"]))
    assert (response.status_code, response.get_json()["error"]["code"]) == (status, code)
    assert db.session.scalar(select(func.count(CartLine.id))) == 0


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"expected_total_fen": 2**63}, "invalid_input"),
        ({"address_id": 2**64}, "not_found"),
        ({"delivery_on": "9999-12-31"}, "invalid_delivery_date"),
        ({"note": "备" * 201}, "invalid_input"),
    ],
)
def test_checkout_numbers_and_text_beyond_bounds_are_refused(client, people, change, code):
    body = {"address_id": 1, "payment_mode": "card", "expected_total_fen": 0} | change
    response = client.post("/api/v1/checkout", json=body, headers=bearer(people["buyer"]) | {"Idempotency-Key": "k-1"})
    assert response.status_code in (400, 404) and response.get_json()["error"]["code"] == code
    assert db.session.scalar(select(func.count(Checkout.id))) == 0


def test_a_body_nested_beyond_the_bound_is_refused_before_anything_walks_it(client, people):
    for depth in (MAX_JSON_DEPTH + 1, 100_000):
        response = client.post("/api/v1/auth/token", data="[" * depth + "]" * depth, content_type="application/json")
        assert (response.status_code, response.get_json()["error"]["code"]) == (400, "json_too_deep")
    assert too_deep('{"a": [[1]]}', limit=2) and not too_deep('{"a": "[[[["}', limit=1)


# ---- query arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/api/v1/orders?page=922337203685477580", "invalid_page"),
        ("/api/v1/orders?per_page=101", "invalid_page"),
        ("/api/v1/orders?checkout=²", "invalid_order_filter"),
        ("/api/v1/orders?from=9999-12-31", "invalid_order_filter"),
        ("/api/v1/orders?to=2026-02-30", "invalid_order_filter"),
        ("/api/v1/listings?page=922337203685477580", "invalid_page"),
        ("/api/v1/regions?page=922337203685477580", "invalid_page"),
        ("/api/v1/regions?level=town", "invalid_region_filter"),
        ("/api/v1/products?page=922337203685477580", "invalid_filter"),
        ("/api/v1/products?price_max_fen=99999999999999999999", "invalid_filter"),
        ("/api/v1/search?page=1%2B1", "invalid_filter"),
        ("/api/v1/me?debug=1", "invalid_input"),
        ("/api/v1/cart?cart=everyone", "invalid_input"),
    ],
)
def test_query_arguments_out_of_bounds_answer_400_with_the_routes_code(client, people, url, code):
    response = client.get(url, headers=bearer(people["operator"] if "listings" in url else people["buyer"]))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and error["details"][0]["field"] and CJK.search(error["message"])


def test_an_empty_query_argument_means_not_given(client, people):
    response = client.get("/api/v1/orders?status=&from=&page=", headers=bearer(people["buyer"]))
    assert response.status_code == 200 and response.get_json()["page"] == 1


def test_an_answer_that_breaks_its_schema_fails_loudly_while_testing(client, people, monkeypatch):
    import catalog.api

    monkeypatch.setattr(catalog.api, "product_json", lambda product: {"id": str(product.id)})
    assert client.get(f"/api/v1/products/{people['product'].id}").status_code == 500


# ---- ids in URLs -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["0", "00", "007", "2147483648", "9999999999", "99999999999999999999"])
def test_an_id_out_of_range_is_404_even_where_the_path_has_other_methods(client, people, bad):
    operator, buyer = bearer(people["operator"]), bearer(people["buyer"])
    assert client.get(f"/api/v1/listings/{bad}", headers=operator).status_code == 404
    assert client.patch(f"/api/v1/listings/{bad}", json={}, headers=operator).status_code == 404
    assert client.delete(f"/api/v1/cart/items/{bad}", headers=buyer).status_code == 404
    assert client.patch(f"/api/v1/cart/items/{bad}", json={"quantity": 1}, headers=buyer).status_code == 404


def test_the_id_pattern_matches_exactly_one_to_the_bound():
    from mall.routing import one_to

    pattern = re.compile(one_to(MAX_ID) + r"\Z")
    assert [n for n in range(0, 1_200) if pattern.match(str(n))] == list(range(1, 1_200))
    assert pattern.match(str(MAX_ID)) and not pattern.match(str(MAX_ID + 1)) and not pattern.match("01")
    small = re.compile(one_to(42) + r"\Z")
    assert [n for n in range(0, 100) if small.match(str(n))] == list(range(1, 43))

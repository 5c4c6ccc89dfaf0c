"""`GET /api/v1/products` and `/api/v1/products/<id>`: shapes, filters, errors; token auth."""

import pytest

from catalog.domain import SourceProgram
from mall.accounts.domain import Role
from mall.extensions import db
from tests.factories import PASSWORD, make_category, make_eligible_county, make_product, make_supplier, make_user


@pytest.fixture
def products(app):
    dingxi = make_supplier(region_code="621102")
    chengkou = make_supplier(region_code="500229")
    make_eligible_county("500229")
    dried = make_category("dried", "干货")
    grain = make_category("grain-oil", "粮油")
    rows = [
        make_product(supplier=dingxi, category=dried, title="定西土豆宽粉条", price_fen=5_200),
        make_product(supplier=dingxi, category=grain, title="定西马铃薯精淀粉", price_fen=1_600, net_content=1_000),
        make_product(
            supplier=chengkou,
            category=dried,
            title="城口老腊肉",
            price_fen=11_000,
            net_content=1_000,
            origin_county_code="500229",
            origin_province_code="500000",
            program=SourceProgram.NATIONAL_POVERTY,
        ),
    ]
    db.session.commit()
    return rows


def test_products_list_has_the_list_shape_and_money_in_fen(client, products):
    body = client.get("/api/v1/products?sort=price_asc").get_json()
    assert set(body) >= {"items", "page", "per_page", "total"}
    assert body["total"] == 3 and body["page"] == 1
    assert [p["price_fen"] for p in body["items"]] == [1_600, 5_200, 11_000]
    first = body["items"][0]
    assert first["per_kilo_fen"] == 1_600 and first["origin_county_code"] == "621102"
    assert first["province"] == "甘肃省" and first["program"] == "counterpart"


def test_products_list_filters(client, products):
    def titles(query):
        return sorted(p["title"] for p in client.get(f"/api/v1/products?{query}").get_json()["items"])

    assert titles("category=grain-oil") == ["定西马铃薯精淀粉"]
    assert titles("province=500000") == ["城口老腊肉"]
    assert titles("county=621102") == ["定西土豆宽粉条", "定西马铃薯精淀粉"]
    assert titles("program=national_poverty") == ["城口老腊肉"]
    assert titles("price_min_fen=2000&price_max_fen=6000") == ["定西土豆宽粉条"]


@pytest.mark.parametrize(
    "query",
    ["page=-1", "page=0", "per_page=1000", "price_min_fen=900&price_max_fen=100", "sort=random", "price_min_fen=1.5"],
)
def test_bad_parameters_answer_400_with_a_code(client, products, query):
    response = client.get(f"/api/v1/products?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] in {"invalid_filter"} and error["message"]


def test_unknown_product_and_category_are_404_json(client, products):
    response = client.get("/api/v1/products/424242")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/products?category=nothing").status_code == 404


def test_product_detail(client, products):
    body = client.get(f"/api/v1/products/{products[0].id}").get_json()
    assert body["title"] == "定西土豆宽粉条"
    assert body["supplier"]["county_code"] == "621102"
    assert products[1].id in body["similar_ids"]


def test_token_auth_issues_a_token_that_identifies_the_user(client, app):
    user = make_user(Role.BUYER)
    db.session.commit()
    response = client.post("/api/v1/auth/token", json={"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    token = response.get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["username"] == user.username and me["roles"] == ["buyer"]


def test_bad_credentials_and_missing_token_are_401(client, app):
    user = make_user(Role.BUYER)
    db.session.commit()
    bad = client.post("/api/v1/auth/token", json={"username": user.username, "password": "wrong-pass-0"})
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "authentication_failed"
    assert client.get("/api/v1/me").get_json()["error"]["code"] == "authentication_required"
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer forged"}).status_code == 401
    assert client.post("/api/v1/auth/token", data="not json").get_json()["error"]["code"] == "json_required"


def test_unknown_api_route_is_json_404(client, app):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"

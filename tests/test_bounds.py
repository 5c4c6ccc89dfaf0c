"""Bounds on what comes in by query string and body: pages, ids, dates, amounts and JSON depth
answer a clear 4xx (or an empty page that says so), never a 500."""

import io
import time

import pytest
from sqlalchemy import func, select

from catalog.models import Product
from mall import bounds
from mall.accounts import services as account_services
from mall.accounts.domain import Role
from mall.bounds import MAX_JSON_DEPTH, MAX_PAGE, clamp_page, parse_date, parse_id, parse_int
from mall.extensions import db
from mall.json_depth import JsonTooDeepError, too_deep
from mall.money import InvalidAmountError, yuan_to_fen
from orders.domain import MAX_LINE_QTY
from orders.models import UnitPurchaseSettings
from tests.catalog.test_import import GOOD, csv_bytes
from tests.factories import (
    login,
    make_category,
    make_product,
    make_supplier,
    make_supplier_user,
    make_user,
)

HOSTILE_PAGES = ["922337203685477580", "-1", "0", "²", "2.5", "9" * 5000, "abc", ""]


# ---- mall.bounds, pure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), ("0042", 42), ("²", None), ("٣", None), ("-1", None), ("0", None), (" 4", None), ("4.0", None)]
    + [(str(2**31 - 1), 2**31 - 1), (str(2**31), None), ("9" * 5000, None), (7, 7), (True, None), (2**63, None)],
)
def test_parse_id_takes_only_ascii_digits_within_the_databases_range(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("text", "page"),
    [
        ("3", 3),
        ("-1", 1),
        ("0", 1),
        ("²", 1),
        ("", 1),
        ("abc", 1),
        ("922337203685477580", MAX_PAGE),
        ("9" * 5000, MAX_PAGE),
    ],
)
def test_a_page_for_pages_that_never_refuse(text, page):
    assert clamp_page(text) == page


def test_parse_int_never_builds_a_huge_number():
    assert parse_int("1" + "0" * 100_000, 0, 10) is None  # int() would refuse 4,300+ digits with a ValueError


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "2026-02-30", "2026-1-1", "２０２６-01-01", "20260101"])
def test_dates_outside_the_mall_or_not_iso_are_none(text):
    assert parse_date(text) is None


def test_a_line_quantity_stays_within_the_quantity_bound():
    assert MAX_LINE_QTY <= bounds.MAX_QUANTITY


def test_a_typed_amount_beyond_the_bound_is_refused_at_once():
    started = time.monotonic()
    for text in ("1e999990", "1e1000000", "-1e30", "100000000.01"):
        with pytest.raises(InvalidAmountError):
            yuan_to_fen(text)
    assert time.monotonic() - started < 1  # "1e999990" used to take 20 s to become an int
    assert yuan_to_fen("100000000") == bounds.MAX_AMOUNT_FEN


# ---- pages ---------------------------------------------------------------------------------------


@pytest.fixture
def world(app):
    make_category("dried", "干货")
    supplier = make_supplier(region_code="621102")
    for _ in range(3):
        make_product(supplier=supplier)
    users = {
        "buyer": make_user(Role.BUYER),
        "operator": make_user(Role.PLATFORM_OPERATOR),
        "supplier": make_supplier_user(supplier),
        "finance": make_user(Role.FINANCE_OFFICER, region_code="370000"),
        "agri": make_user(Role.AGRI_OFFICER, region_code="371300"),
        "coop": make_user(Role.COOP_OPERATOR),
    }
    users["admin"] = make_user(Role.UNIT_ADMIN, unit=users["buyer"].unit)
    db.session.commit()
    return users


LIST_PAGES = [
    ("buyer", "/orders"),
    ("admin", "/manage/users"),
    ("operator", "/units"),
    ("operator", "/manage/users"),
    ("operator", "/manage/suppliers"),
    ("operator", "/manage/product-requests"),
    ("coop", "/manage/product-requests"),
    ("agri", "/manage/recommendations"),
    ("supplier", "/supplier/listings"),
    ("supplier", "/supplier/orders"),
    ("finance", "/finance/transfers"),
]
STOREFRONT_PAGES = ["/products", "/search", "/categories/dried", "/provinces/620000", "/counties/621102"]


@pytest.mark.parametrize(("who", "path"), LIST_PAGES)
def test_list_pages_take_any_page_number_and_say_when_it_is_past_the_end(client, world, who, path):
    login(client, world[who])
    for page in HOSTILE_PAGES:
        response = client.get(path, query_string={"page": page})
        assert response.status_code == 200, (path, page)
    past = client.get(path, query_string={"page": "922337203685477580"}).get_data(as_text=True)
    assert "已超出最后一页" in past and "回到第一页" in past


@pytest.mark.parametrize("path", STOREFRONT_PAGES)
def test_storefront_lists_refuse_page_numbers_they_cannot_mean_with_a_message(client, world, path):
    for page in HOSTILE_PAGES[:-1]:
        response = client.get(path, query_string={"page": page})
        assert response.status_code == 400, (path, page)
        assert "页码应为正整数" in response.get_data(as_text=True)
    past = client.get(path, query_string={"page": str(MAX_PAGE)})
    assert past.status_code == 200 and "已超出最后一页：共 3 条" in past.get_data(as_text=True)


def test_storefront_price_filters_beyond_any_amount_are_refused_at_once(client, world):
    started = time.monotonic()
    response = client.get("/products", query_string={"price_min": "1e999990"})
    assert response.status_code == 400 and time.monotonic() - started < 2
    assert client.get("/api/v1/products", query_string={"price_min_fen": "9" * 5000}).status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"checkout": "²"}, "结算单编号应为正整数"),
        ({"checkout": "99999999999999999999"}, "结算单编号应为正整数"),
        ({"from": "9999-12-31"}, "日期格式应为 YYYY-MM-DD，且在2000-01-01至2099-12-31之间"),
        ({"to": "9999-12-31"}, "日期格式应为 YYYY-MM-DD"),
        ({"from": "0001-01-01"}, "日期格式应为 YYYY-MM-DD"),
    ],
)
@pytest.mark.parametrize(("who", "path"), [("buyer", "/orders"), ("supplier", "/supplier/orders")])
def test_order_filters_out_of_bounds_get_a_chinese_message(client, world, who, path, query, message):
    login(client, world[who])
    response = client.get(path, query_string=query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/orders", "/api/v1/listings", "/api/v1/regions"])
@pytest.mark.parametrize("page", ["922337203685477580", str(MAX_PAGE + 1), "²", "-1"])
def test_api_lists_refuse_pages_beyond_the_bound(client, world, path, page):
    token = account_services.issue_api_token(db.session, user=world["operator" if "listings" in path else "buyer"])
    response = client.get(path, query_string={"page": page}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_page"


# ---- forms ---------------------------------------------------------------------------------------


def test_a_threshold_of_ten_to_the_twenty_yuan_is_refused_in_chinese(client, world):
    login(client, world["admin"])
    response = client.post(
        "/unit/purchase-settings",
        data={
            "approval_threshold": "1" + "0" * 20,
            "invoice_title": "济南市机关事务服务中心",
            "invoice_tax_id": world["admin"].unit.credit_code,
        },
    )
    assert response.status_code == 200 and "金额不能超过¥100,000,000.00" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(UnitPurchaseSettings.unit_id))) == 0


def test_a_product_request_for_ten_to_the_twenty_bags_is_refused_in_chinese(client, world):
    login(client, world["buyer"])
    response = client.post("/product-requests", data={"name": "沂蒙山小米", "quantity": "1" + "0" * 20})
    assert response.status_code == 200 and "须为1至1,000,000之间的整数" in response.get_data(as_text=True)


def test_a_cart_line_of_ten_to_the_twenty_is_refused_in_chinese(client, world):
    login(client, world["buyer"])
    product_id = db.session.scalar(select(Product.id))
    response = client.post(
        "/cart/lines",
        data={"product_id": product_id, "quantity": "1" + "0" * 20, "purpose": "canteen"},
        follow_redirects=True,
    )
    assert "数量须为1至100000的整数" in response.get_data(as_text=True)


@pytest.mark.parametrize("product_id", ["²", "99999999999999999999", "-1"])
def test_a_cart_form_naming_no_product_of_ours_is_404(client, world, product_id):
    login(client, world["buyer"])
    response = client.post("/cart/lines", data={"product_id": product_id, "quantity": "1", "purpose": "canteen"})
    assert response.status_code == 404


# ---- JSON depth ----------------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


def test_depth_is_measured_without_recursion_and_strings_do_not_nest():
    at_limit = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert not too_deep(at_limit) and too_deep("[" + at_limit + "]")
    assert not too_deep('{"note": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"]]]"}')
    assert too_deep(DEEP)


def test_the_apps_json_provider_refuses_deep_bodies(app):
    with pytest.raises(JsonTooDeepError):
        app.json.loads(DEEP)
    assert app.json.loads('{"ok": [[1]]}') == {"ok": [[1]]}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/cart/items"),
        ("post", "/api/v1/listings/1/delist"),  # reads its body with silent=True
        ("patch", "/api/v1/cart/items/1"),
        ("post", "/api/v1/auth/token"),
        ("post", "/webhooks/stripe"),
        ("post", "/login"),  # a page: no JSON read there, but the body is refused all the same
    ],
)
def test_a_body_nested_a_hundred_thousand_levels_is_a_400(client, world, method, path):
    token = account_services.issue_api_token(db.session, user=world["buyer"])
    response = getattr(client, method)(
        path, data=DEEP, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "json_too_deep"


def test_a_deep_body_sent_as_text_is_refused_when_a_route_forces_json(app, world):
    with app.test_request_context("/api/v1/cart/items", method="POST", data=DEEP, content_type="text/plain"):
        from flask import request

        with pytest.raises(JsonTooDeepError):
            request.get_json(force=True, silent=True)


# ---- getters that take ids from bodies -----------------------------------------------------------


@pytest.mark.parametrize("bad", [2**31, 2**63, 10**20, 0, -1, True, 2.5, "1"])
def test_getters_of_ids_from_bodies_answer_not_found_beyond_the_range(world, bad):
    from catalog import access
    from catalog import queries as catalog_queries
    from mall.errors import NotFoundError
    from orders import queries as order_queries
    from orders.queries import approvals

    for lookup in (
        lambda: access.supplier_for_actor(db.session, world["coop"], bad),
        lambda: catalog_queries.get_product_on_sale(db.session, bad),
        lambda: order_queries.product_on_sale(db.session, bad),
        lambda: order_queries.get_address(db.session, unit_id=world["buyer"].unit_id, address_id=bad),
        lambda: approvals.get_checkout_for_approver(db.session, world["admin"], bad),
    ):
        with pytest.raises(NotFoundError):
            lookup()


def test_an_import_for_a_supplier_id_beyond_the_range_is_not_found(client, world):
    token = account_services.issue_api_token(db.session, user=world["coop"])
    response = client.post(
        "/api/v1/listings/import",
        data={"supplier_id": "99999999999999999999", "file": (io.BytesIO(csv_bytes([GOOD])), "goods.csv")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 404

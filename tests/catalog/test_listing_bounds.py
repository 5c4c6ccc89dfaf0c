"""Listing bounds: every text within its column, every number within mall.bounds, refused alike
by the form, the import, the API and the approval, with a message naming the field and its limit."""

import pytest
from sqlalchemy import func, select

from catalog.domain import (
    LISTING_NUMBER_BOUNDS,
    LISTING_TEXT_LIMITS,
    ListingInvalidError,
    ProductStatus,
    check_listing,
)
from catalog.models import ListingChange, Product
from catalog.services import imports, listings
from mall import clock
from mall.accounts.domain import Role
from mall.bounds import MAX_STOCK, MAX_UNIT_PRICE_FEN, column_length
from mall.extensions import db
from tests.catalog.test_import import GOOD, xlsx
from tests.catalog.test_listings import listing
from tests.factories import login, make_category, make_product, make_supplier, make_supplier_user, make_user

HUGE = 9 * 10**18  # fen: fits a BigInteger, far beyond any price


def count_products() -> int:
    return db.session.scalar(select(func.count(Product.id)))


@pytest.fixture
def shop(app):
    make_category("dried", "干货")
    supplier = make_supplier(region_code="621102")
    owner = make_supplier_user(supplier)
    operator = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    return {"supplier": supplier, "owner": owner, "operator": operator}


def test_text_limits_are_the_columns_lengths():
    # the domain never imports models: its table of limits must say what the columns say
    for name, limit in LISTING_TEXT_LIMITS.items():
        if name != "description":  # a Text column: the domain's own limit
            assert column_length(getattr(Product, name)) == limit, name


@pytest.mark.parametrize("name", sorted(LISTING_TEXT_LIMITS))
def test_text_longer_than_its_column_is_refused_naming_the_field_and_limit(name):
    limit = LISTING_TEXT_LIMITS[name]
    with pytest.raises(ListingInvalidError) as err:
        check_listing(listing(**{name: "粉" * (limit + 1)}))
    assert str(limit) in err.value.message
    assert err.value.details == {"field": name, "limit": limit}
    check_listing(listing(**{name: "粉" * limit}))  # the limit itself is fine


@pytest.mark.parametrize("name", sorted(LISTING_NUMBER_BOUNDS))
@pytest.mark.parametrize("bad", ["too_big", 2.5, "6", None, [1], True])
def test_numbers_beyond_bounds_or_not_whole_are_refused(name, bad):
    low, high = LISTING_NUMBER_BOUNDS[name]
    value = high + 1 if bad == "too_big" else bad
    fields = {name: value} | ({"pack_size": 1} if name == "min_order_qty" else {})
    with pytest.raises(ListingInvalidError) as err:
        check_listing(listing(**fields))
    assert err.value.details["field"] == name


def test_a_listing_at_nine_quintillion_fen_is_refused_by_create(shop):
    with pytest.raises(ListingInvalidError) as err:
        listings.create_listing(
            db.session,
            actor=shop["owner"],
            supplier_id=None,
            data=listing(price_fen=HUGE),
            evidence_urls=["https://www.fupin832.com/goods/1"],
        )
    assert "价格不能超过¥100,000.00" in err.value.message
    assert count_products() == 0


def test_and_by_edit(shop):
    product = make_product(supplier=shop["supplier"], category=make_category(), status=ProductStatus.APPROVED)
    db.session.commit()
    with pytest.raises(ListingInvalidError):
        listings.edit_listing(
            db.session, actor=shop["owner"], product_id=product.id, data=listing(sku=product.sku, price_fen=HUGE)
        )
    db.session.rollback()
    assert db.session.get(Product, product.id).price_fen == 2_680
    assert db.session.scalar(select(func.count(ListingChange.id))) == 0


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"价格（元）": "90000000000000000"}, "价格（元）", "金额不能超过"),
        ({"价格（元）": "100000.01"}, "价格（元）", "价格不能超过"),
        ({"库存": "1" + "0" * 20}, "库存", "超出允许范围"),
        ({"库存": str(MAX_STOCK + 1)}, "库存", "库存不能超过"),
        ({"购买倍数": "9" * 5000}, "购买倍数", "超出允许范围"),
        ({"规格": "袋" * 5000}, "规格", "不能超过60个字"),
        ({"销售单位": "箱" * 9}, "销售单位", "不能超过8个字"),
    ],
)
def test_and_by_import_with_the_row_and_column(shop, change, column, message):
    rows = imports.read_rows(xlsx([GOOD | change]), "goods.xlsx")
    result = imports.run_import(db.session, actor=shop["owner"], rows=rows, supplier_id=None, good_rows_only=False)
    assert not result.written and count_products() == 0
    assert [(e.row, e.column) for e in result.errors] == [(2, column)]
    assert message in result.errors[0].message


def test_and_by_approval_of_a_listing_stored_beyond_the_bound(shop):
    pending = make_product(supplier=shop["supplier"], price_fen=HUGE, status=ProductStatus.PENDING)
    db.session.commit()
    with pytest.raises(ListingInvalidError):
        listings.approve_listing(db.session, actor=shop["operator"], product_id=pending.id)
    db.session.rollback()
    assert db.session.get(Product, pending.id).status is ProductStatus.PENDING


def test_and_by_approval_of_a_change_beyond_the_bound(shop):
    on_sale = make_product(supplier=shop["supplier"])
    db.session.add(
        ListingChange(
            product_id=on_sale.id,
            proposed={"price_fen": HUGE},
            fields=["price_fen"],
            submitted_by_id=shop["owner"].id,
            submitted_at=clock.now(),
        )
    )
    db.session.commit()
    with pytest.raises(ListingInvalidError):
        listings.approve_listing(db.session, actor=shop["operator"], product_id=on_sale.id)
    db.session.rollback()
    assert db.session.get(Product, on_sale.id).price_fen == 2_680


FORM = {
    "sku": "DX-9",
    "title": "定西土豆宽粉条",
    "category": "dried",
    "spec": "2.5kg/箱",
    "sale_unit": "箱",
    "price": "52.00",
    "stock_qty": "300",
    "min_order_qty": "1",
    "pack_size": "1",
    "origin_county_code": "621102",
    "program": "counterpart",
    "storage": "ambient",
    "shelf_life_days": "365",
    "net_content_unit": "g",
    "evidence_url": "https://www.fupin832.com/goods/1",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("stock_qty", "1" + "0" * 20, "须为0至10,000,000之间的整数"),
        ("min_order_qty", "1" + "0" * 20, "须为1至1,000,000之间的整数"),
        ("pack_size", "1" + "0" * 20, "须为1至1,000,000之间的整数"),
        ("shelf_life_days", "1" + "0" * 20, "须为1至3,650之间的整数"),
        ("net_content", "1" + "0" * 20, "须为0至10,000,000之间的整数"),
        ("price", "1" + "0" * 20, "金额不能超过"),
        ("price", "100000.01", "金额须在¥0.01至¥100,000.00之间"),
        ("spec", "袋" * 5000, "不能超过60个字"),
        ("sale_unit", "箱" * 9, "不能超过8个字"),
        ("season", "秋" * 41, "不能超过40个字"),
    ],
)
def test_the_listing_form_refuses_out_of_bounds_values_in_chinese(client, shop, field, value, message):
    login(client, shop["owner"])
    response = client.post("/supplier/listings/new", data=FORM | {field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_products() == 0


def test_the_listing_form_still_takes_values_at_the_bounds(client, shop):
    login(client, shop["owner"])
    at_bounds = {"stock_qty": str(MAX_STOCK), "price": str(MAX_UNIT_PRICE_FEN // 100), "spec": "袋" * 58 + "5g"}
    response = client.post("/supplier/listings/new", data=FORM | at_bounds)
    assert response.status_code == 302
    assert db.session.scalar(select(Product.price_fen)) == MAX_UNIT_PRICE_FEN

"""Storefront pages: lists with filters and sorting, product and county pages, bad input."""

import pytest

from catalog.domain import ProductStatus, SourceProgram
from mall.extensions import db
from tests.factories import make_category, make_eligible_county, make_product, make_region, make_supplier


@pytest.fixture
def catalogue(app):
    dingxi = make_supplier(region_code="621102", name="定西市安定区薯源农业科技有限公司")
    chengkou = make_supplier(region_code="500229", name="城口县山地鸡养殖专业合作社")
    make_eligible_county("500229", is_national_key=True, name="城口县")
    grain = make_category("grain-oil", "粮油")
    dried = make_category("dried", "干货")
    products = {
        "potato": make_product(
            supplier=dingxi, category=dried, title="定西土豆宽粉条", price_fen=5_200, net_content=2_500
        ),
        "starch": make_product(
            supplier=dingxi, category=grain, title="定西马铃薯精淀粉", price_fen=1_600, net_content=1_000, sales_qty=40
        ),
        "chicken": make_product(
            supplier=chengkou,
            category=dried,
            title="城口老腊肉",
            price_fen=11_000,
            net_content=1_000,
            sales_qty=12,
            origin_county_code="500229",
            origin_province_code="500000",
            program=SourceProgram.NATIONAL_POVERTY,
        ),
        "hidden": make_product(supplier=dingxi, category=dried, title="待审核的党参", status=ProductStatus.PENDING),
    }
    db.session.commit()
    return products


def test_list_shows_only_approved_products(client, catalogue):
    html = client.get("/products").get_data(as_text=True)
    assert "定西土豆宽粉条" in html and "城口老腊肉" in html
    assert "待审核的党参" not in html


def test_list_filters_by_category_province_county_and_program(client, catalogue):
    assert "城口老腊肉" not in client.get("/categories/grain-oil").get_data(as_text=True)
    assert "定西马铃薯精淀粉" in client.get("/categories/grain-oil").get_data(as_text=True)
    province = client.get("/provinces/500000").get_data(as_text=True)
    assert "城口老腊肉" in province and "定西土豆宽粉条" not in province
    county = client.get("/counties/621102").get_data(as_text=True)
    assert "定西土豆宽粉条" in county and "城口老腊肉" not in county
    program = client.get("/programs/national_poverty").get_data(as_text=True)
    assert "城口老腊肉" in program and "定西土豆宽粉条" not in program
    key = client.get("/key-counties").get_data(as_text=True)
    assert "城口老腊肉" in key and "定西土豆宽粉条" not in key


def _titles_in_order(html: str, titles: list[str]) -> list[str]:
    return sorted(titles, key=lambda t: html.index(t))


def test_sorting_by_price_per_kilo_and_sales(client, catalogue):
    titles = ["定西土豆宽粉条", "定西马铃薯精淀粉", "城口老腊肉"]
    by_price = client.get("/products?sort=price_asc").get_data(as_text=True)
    assert _titles_in_order(by_price, titles) == ["定西马铃薯精淀粉", "定西土豆宽粉条", "城口老腊肉"]
    by_price_desc = client.get("/products?sort=price_desc").get_data(as_text=True)
    assert _titles_in_order(by_price_desc, titles) == ["城口老腊肉", "定西土豆宽粉条", "定西马铃薯精淀粉"]
    # per kg: 粉条 20.80, 淀粉 16.00, 腊肉 110.00
    by_kilo = client.get("/products?sort=per_kilo_asc").get_data(as_text=True)
    assert _titles_in_order(by_kilo, titles) == ["定西马铃薯精淀粉", "定西土豆宽粉条", "城口老腊肉"]
    by_sales = client.get("/products?sort=sales").get_data(as_text=True)
    assert _titles_in_order(by_sales, titles) == ["定西马铃薯精淀粉", "城口老腊肉", "定西土豆宽粉条"]


def test_price_range_in_yuan_filters(client, catalogue):
    html = client.get("/products?price_min=20&price_max=60").get_data(as_text=True)
    assert "定西土豆宽粉条" in html
    assert "定西马铃薯精淀粉" not in html and "城口老腊肉" not in html


def test_pagination_splits_the_list(client, app):
    supplier = make_supplier()
    for n in range(25):
        make_product(supplier=supplier, title=f"渭源白条党参{n:02d}号")
    db.session.commit()
    first = client.get("/products?per_page=20").get_data(as_text=True)
    second = client.get("/products?per_page=20&page=2").get_data(as_text=True)
    assert first.count("渭源白条党参") >= 20 * 2  # title in the link text and the image alt
    assert "共 25 条" in second
    assert second.count('class="product-card"') == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=-1", "页码应为正整数"),
        ("page=abc", "页码应为正整数"),
        ("price_min=50&price_max=10", "最低价格高于最高价格"),
        ("sort=cheapest", "不支持的排序方式"),
        ("price_min=1.234", "最低价格格式不正确"),
        ("program=foreign", "来源类型只能是"),
        ("province=62", "地区代码应为6位数字"),
    ],
)
def test_bad_query_parameters_get_a_clear_message_not_a_500(client, catalogue, query, message):
    response = client.get(f"/products?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/products/999999",
        "/categories/no-such",
        "/counties/999999",
        "/provinces/621102",
        "/programs/foreign",
        "/regions/123",
    ],
)
def test_unknown_ids_are_a_404_page(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "返回首页" in response.get_data(as_text=True)


def test_product_page_shows_origin_certification_supplier_and_same_county_products(client, catalogue):
    product = catalogue["potato"]
    html = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "¥52.00" in html
    assert "每千克 ¥20.80" in html
    assert product.cert_no in html
    assert "定西市安定区薯源农业科技有限公司" in html
    assert "甘肃省 定西市 安定区" in html
    assert "定西马铃薯精淀粉" in html  # similar product of the same county
    assert "城口老腊肉" not in html


def test_pending_product_page_is_not_found(client, catalogue):
    assert client.get(f"/products/{catalogue['hidden'].id}").status_code == 404


def test_product_photo_is_a_generated_svg(client, catalogue):
    response = client.get(f"/products/{catalogue['potato'].id}/photo-0.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "定西土豆宽粉条" in response.get_data(as_text=True)
    assert client.get(f"/products/{catalogue['potato'].id}/photo-7.svg").status_code == 404


def test_county_page_tells_what_it_grows_and_warns_when_not_eligible(client, app):
    make_region("652824", name="若羌县", profile="若羌红枣")
    db.session.commit()
    html = client.get("/counties/652824").get_data(as_text=True)
    assert "若羌红枣" in html
    assert "不能作为脱贫地区农副产品销售" in html


def test_home_shows_featured_regions_and_categories(client, catalogue):
    html = client.get("/").get_data(as_text=True)
    for text in ("甘肃", "重庆", "新疆", "国家重点帮扶县", "本省重点帮扶县", "粮油", "干货", "新品上架"):
        assert text in html


def test_search_finds_titles(client, catalogue):
    html = client.get("/search?q=腊肉").get_data(as_text=True)
    assert "城口老腊肉" in html and "定西土豆宽粉条" not in html

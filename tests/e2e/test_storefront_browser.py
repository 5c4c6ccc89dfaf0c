"""A visitor browses the storefront and a buyer logs in, in a real browser."""

import pytest

from mall.accounts.domain import Role
from mall.extensions import db
from tests.e2e.conftest import SHOTS
from tests.factories import PASSWORD, make_category, make_product, make_supplier, make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(app):
    supplier = make_supplier(name="定西市安定区薯源农业科技有限公司")
    dried = make_category("dried", "干货")
    grain = make_category("grain-oil", "粮油")
    products = [
        make_product(supplier=supplier, category=dried, title=f"定西土豆宽粉条 {n}号", price_fen=4_000 + n * 100)
        for n in range(1, 25)
    ]
    products.append(
        make_product(supplier=supplier, category=grain, title="定西马铃薯精淀粉", price_fen=1_600, net_content=1_000)
    )
    buyer = make_user(Role.BUYER, display_name="王晓梅")
    db.session.commit()
    return {"products": products, "buyer": buyer}


def test_visitor_browses_from_home_to_a_product_and_a_buyer_logs_in(live_server, browser_page, shop):
    page = browser_page
    # given a visitor on the home page
    page.goto(live_server + "/")
    assert page.locator("h1").first.inner_text() == "脱贫地区农副产品馆"
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    # when they open a category, sort by price and go to page 2
    page.get_by_role("link", name="干货", exact=False).first.click()
    page.get_by_role("link", name="价格从低到高").click()
    assert "sort=price_asc" in page.url
    first_card = page.locator(".product-card .title").first.inner_text()
    assert first_card == "定西土豆宽粉条 1号"
    page.get_by_role("link", name="下一页").click()
    assert "page=2" in page.url
    page.screenshot(path=str(SHOTS / "list-page-2.png"), full_page=True)
    # and open a product
    page.locator(".product-card .title").first.click()
    assert "每千克" in page.locator(".buy-box").inner_text()
    assert page.locator(".gallery img").first.evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=str(SHOTS / "product.png"), full_page=True)
    product_url = page.url
    # then a buyer logs in with the form, comes back to the product, and opens the dashboard
    page.get_by_role("link", name="登录").click()
    page.fill("#username", shop["buyer"].username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    assert page.url == product_url
    assert page.locator(".user-name").inner_text() == "王晓梅"
    page.locator(".main-nav").get_by_role("link", name="工作台").click()
    assert page.locator("h1").first.inner_text() == "工作台"
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    assert page.outside_requests == []


def test_bad_filter_in_the_browser_shows_a_message(live_server, browser_page, shop):
    page = browser_page
    page.goto(live_server + "/products?price_min=80&price_max=10")
    assert "最低价格高于最高价格" in page.locator(".flash-error").inner_text()


def test_home_fits_a_phone_screen(live_server, browser_page, shop):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/products")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=str(SHOTS / "mobile-list.png"), full_page=True)
    assert overflow <= 0

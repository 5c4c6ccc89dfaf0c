"""A unit buyer fills the unit cart, checks out, pays with the unit's 公务卡 (through localstripe,
whose webhook comes back to the mall) and reads the order, in a real browser."""

import time

import pytest
import requests
from sqlalchemy import select

from mall.accounts.domain import Role
from mall.extensions import db
from orders.models import StripeEvent
from tests.e2e.conftest import SHOTS
from tests.factories import PASSWORD, make_category, make_product, make_shopper, make_supplier

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(app, stripe):
    buyer = make_shopper(card=True, display_name="王晓梅")
    assert Role.BUYER in buyer.roles
    grain = make_category("grain-oil", "粮油")
    rice = make_product(
        supplier=make_supplier(name="陇南市武都区粮油有限公司"),
        category=grain,
        title="陇南大米 5kg",
        price_fen=6_800,
        stock_qty=40,
        min_order_qty=2,
        sale_unit="袋",
    )
    oil = make_product(
        supplier=make_supplier(name="定西市安定区胡麻油合作社"),
        category=grain,
        title="定西胡麻油 5L",
        price_fen=12_800,
        stock_qty=40,
        sale_unit="桶",
    )
    db.session.commit()
    return {"buyer": buyer, "rice": rice, "oil": oil}


@pytest.fixture
def webhook_to(stripe):
    """Register the mall's webhook with localstripe (POST /_config/webhooks/<id>), and point it
    at a closed port afterwards so later tests' servers never receive these events."""

    def register(url: str, secret: str) -> None:
        response = requests.post(f"{stripe.base}/_config/webhooks/e2e", data={"url": url, "secret": secret}, timeout=5)
        response.raise_for_status()

    yield register
    requests.post(f"{stripe.base}/_config/webhooks/e2e", data={"url": "http://127.0.0.1:9/", "secret": "x"}, timeout=5)


def test_buyer_adds_to_the_unit_cart_checks_out_and_pays_by_card(
    app, live_server, browser_page, shop, stripe, webhook_to
):
    page = browser_page
    webhook_to(live_server + "/webhooks/stripe", app.config["STRIPE_WEBHOOK_SECRET"])
    # given a buyer logged in with the form
    page.goto(live_server + "/login")
    page.fill("#username", shop["buyer"].username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    # when they put rice (canteen) and oil (union welfare) in the unit cart from the product pages
    page.goto(f"{live_server}/products/{shop['rice'].id}")
    page.fill("#cart-quantity", "4")
    page.get_by_role("button", name="加入本单位购物车").click()
    page.goto(f"{live_server}/products/{shop['oil'].id}")
    page.select_option("#cart-purpose", "union")
    page.get_by_role("button", name="加入本单位购物车").click()
    assert "已加入本单位购物车：定西胡麻油 5L × 1" in page.locator(".flash").inner_text()
    assert page.locator(".cart-table").count() == 2  # one table per supplier
    page.screenshot(path=str(SHOTS / "cart.png"), full_page=True)
    # and check out with the unit's 公务卡
    page.get_by_role("link", name="去结算").click()
    assert page.locator("#checkout-total").inner_text() == "¥400.00"
    assert "公务卡 尾号 4242" in page.locator("#checkout-form").inner_text()
    page.screenshot(path=str(SHOTS / "checkout.png"), full_page=True)
    page.get_by_role("button", name="提交订单").click()
    # then two orders (one per supplier) are paid, by one charge
    assert "已生成 2 个订单（按供应商拆分），公务卡支付成功" in page.locator(".flash").inner_text()
    rows = page.locator(".order-table tbody tr")
    assert rows.count() == 2
    assert all("已支付" in text for text in rows.all_inner_texts())
    assert [c["amount"] for c in stripe.charges()] == [40_000]
    page.screenshot(path=str(SHOTS / "orders.png"), full_page=True)
    # and the order page shows its lines, payment and history
    page.get_by_role("link", name=page.locator(".order-table tbody a").last.inner_text()).click()
    detail = page.locator("main").inner_text()
    for text in ("陇南大米 5kg", "¥272.00", "公务卡在线支付", "已支付", "公务卡支付成功", "待发货"):
        assert text in detail
    page.screenshot(path=str(SHOTS / "order.png"), full_page=True)
    # and localstripe's payment_intent.succeeded webhook reached the mall and was applied once
    # (events of an earlier test's payments may still be on their way: only ours count)
    intent = stripe.charges()[0]["id"]
    ours = select(StripeEvent.outcome).where(StripeEvent.object_id == intent)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not db.session.scalars(ours).all():
        time.sleep(0.3)
        db.session.rollback()
    assert db.session.scalars(ours).all() == ["attempt_succeeded"]
    assert page.outside_requests == []

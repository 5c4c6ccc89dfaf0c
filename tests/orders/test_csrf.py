"""With CSRF protection on (as in production): every orders form needs its token; the JSON API
(bearer tokens) and the Stripe webhook (signed) do not."""

import re

import pytest
from sqlalchemy import func, select

from mall.accounts import services as account_services
from mall.extensions import db
from orders.models import CartLine, Order
from tests.factories import login, make_cart_line, make_product, make_shopper


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def shop(app):
    buyer = make_shopper(card=True)
    noodles = make_product(title="定西宽粉条", price_fen=4_990)
    db.session.commit()
    return {"buyer": buyer, "noodles": noodles}


def token_in(html: str) -> str:
    """The first form's CSRF token, as FlaskForm or the post_button macro renders it."""
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    "path",
    ["/cart/lines", "/checkout", "/cart/accept-prices", "/addresses", "/orders/1/cancel", "/unit/approvals/1/approve"],
)
def test_orders_forms_without_a_token_are_refused(client, shop, path):
    login(client, shop["buyer"])
    response = client.post(path, data={"product_id": shop["noodles"].id, "quantity": 2, "purpose": "canteen"})
    assert response.status_code == 400
    assert "页面已过期或表单校验失败，请刷新页面后重试" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CartLine.id))) == 0


def test_the_pages_carry_their_tokens_and_a_checkout_goes_through(client, shop):
    login(client, shop["buyer"])
    product_page = client.get(f"/products/{shop['noodles'].id}").get_data(as_text=True)
    added = client.post(
        "/cart/lines",
        data={
            "csrf_token": token_in(product_page),
            "product_id": shop["noodles"].id,
            "quantity": 2,
            "purpose": "canteen",
        },
    )
    assert added.status_code == 302
    page = client.get("/checkout").get_data(as_text=True)
    form = {
        name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
        for name in ("expected_total_fen", "idempotency_key", "address_id")
    }
    response = client.post("/checkout", data=form | {"payment_mode": "card", "csrf_token": token_in(page)})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Order.id))) == 1


def test_the_api_and_the_webhook_need_no_csrf_token(client, shop):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=1)
    token = account_services.issue_api_token(db.session, user=shop["buyer"])
    db.session.commit()
    cart = client.get("/api/v1/cart", headers={"Authorization": f"Bearer {token}"})
    assert cart.status_code == 200 and cart.get_json()["total_fen"] == 4_990
    webhook = client.post("/webhooks/stripe", data=b"{}", headers={"Stripe-Signature": "t=1,v1=00"})
    assert webhook.status_code == 400
    assert webhook.get_json()["error"]["code"] == "webhook_signature_invalid"

"""Redirects named by the request stay on this site: `?next=`, a form's `next`, the Referer."""

import pytest

from mall.accounts.domain import Role
from mall.extensions import db
from mall.redirects import is_local_path, safe_next
from tests.factories import PASSWORD, login, make_product, make_shopper, make_supplier_user, make_user

LEAVING = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "evil.example",
    "",
    "/" + "a" * 3_000,
]
STAYING = ["/", "/orders", "/checkout?cart=canteen", "/products/12#reviews", "/search?q=%E5%9C%9F%E8%B1%86"]


@pytest.mark.parametrize("target", LEAVING)
def test_a_target_that_could_leave_the_site_is_not_local(target):
    assert not is_local_path(target)
    assert safe_next(target, "/dashboard") == "/dashboard"


@pytest.mark.parametrize("target", STAYING)
def test_a_path_on_this_site_is_kept(target):
    assert is_local_path(target)
    assert safe_next(target, "/dashboard") == target


def test_saving_an_address_never_redirects_off_the_site(client):
    # given a buyer on the address page reached through a crafted link
    buyer = make_shopper()
    db.session.commit()
    login(client, buyer)
    form = {"label": "食堂", "recipient": "王晓梅", "phone": "13800000000", "detail": "济南市历下区1号"}
    # when they save an address
    response = client.post("/addresses?next=https://evil.example/phish", data=form)
    # then they stay in the mall
    assert response.status_code == 302
    assert response.headers["Location"] == "/addresses"


def test_saving_an_address_returns_to_checkout_when_asked(client):
    buyer = make_shopper()
    db.session.commit()
    login(client, buyer)
    form = {"label": "食堂", "recipient": "王晓梅", "phone": "13800000000", "detail": "济南市历下区2号"}
    response = client.post("/addresses?next=/checkout?cart=canteen", data=form)
    assert response.headers["Location"] == "/checkout?cart=canteen"


@pytest.mark.parametrize("target", ["/\\evil.example", "https:evil.example", "//evil.example"])
def test_login_never_redirects_off_the_site(client, target):
    user = make_user(Role.BUYER)
    db.session.commit()
    response = client.post(
        "/login", query_string={"next": target}, data={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_an_action_goes_back_only_to_a_page_of_this_site(client):
    # given a supplier who reaches the delist button from another site's page
    product = make_product()
    supplier_user = make_supplier_user(product.supplier)
    db.session.commit()
    login(client, supplier_user)
    # when they delist their product
    response = client.post(f"/supplier/listings/{product.id}/delist", headers={"Referer": "https://evil.example/x"})
    # then they land on the listing's page, not back on the other site
    assert response.status_code == 302
    assert response.headers["Location"] == f"/supplier/listings/{product.id}"


def test_a_refused_action_goes_back_to_the_page_of_this_site_it_came_from(client):
    buyer = make_user(Role.BUYER)
    db.session.commit()
    login(client, buyer)
    response = client.post("/manage/recommendations/1", headers={"Referer": "http://localhost/orders?page=2"})
    assert response.headers["Location"] == "/orders?page=2"

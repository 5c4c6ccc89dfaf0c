"""The orders pages: the product page's cart form, the cart, checkout (with its hidden
Idempotency-Key), orders with filters, cancelling, approvals, settings, the supplier's and the
finance officer's pages, dashboard panels, and 404 for another unit's ids on every page."""

import re

import pytest
from sqlalchemy import func, select

from mall.accounts.domain import Role
from mall.extensions import db
from orders.domain import OrderStatus, PaymentStatus
from orders.models import CartLine, Checkout, Order, PaymentCard, UnitAddress, UnitPurchaseSettings
from tests.factories import (
    login,
    make_cart_line,
    make_product,
    make_shopper,
    make_supplier,
    make_supplier_user,
    make_user,
)


@pytest.fixture
def shop(app):
    buyer = make_shopper(card=True, display_name="王晓梅")
    supplier = make_supplier(name="定西市安定区薯源农业科技有限公司")
    noodles = make_product(supplier=supplier, title="定西宽粉条", price_fen=4_990, stock_qty=30, min_order_qty=2)
    db.session.commit()
    return {"buyer": buyer, "supplier": supplier, "noodles": noodles}


def form_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)


def checkout_form(client) -> dict:
    html = client.get("/checkout").get_data(as_text=True)
    return {
        "address_id": form_value(html, "address_id"),
        "payment_mode": "card",
        "expected_total_fen": form_value(html, "expected_total_fen"),
        "idempotency_key": form_value(html, "idempotency_key"),
    }


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_product_page_offers_the_unit_cart_to_buyers_only(app, client, shop):
    url = f"/products/{shop['noodles'].id}"
    assert "采购人登录后可将本商品加入本单位购物车" in client.get(url).get_data(as_text=True)
    login(client, shop["buyer"])
    page = client.get(url).get_data(as_text=True)
    assert "加入本单位购物车" in page and 'value="canteen"' in page and 'value="union"' in page
    login(client, make_supplier_user(shop["supplier"]))
    assert "加入本单位购物车" not in client.get(url).get_data(as_text=True)


def test_adding_from_the_product_page_fills_the_shared_cart(client, shop):
    login(client, shop["buyer"])
    response = client.post(
        "/cart/lines", data={"product_id": shop["noodles"].id, "quantity": 3, "purpose": "union"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "已加入本单位购物车：定西宽粉条 × 3" in page
    assert "王晓梅" in page and "工会福利" in page and "¥149.70" in page


def test_an_employee_adds_from_the_product_page_to_a_personal_cart(client, shop):
    employee = make_user(Role.EMPLOYEE, unit=shop["buyer"].unit, display_name="赵明")
    db.session.commit()
    login(client, employee)
    page = client.get(f"/products/{shop['noodles'].id}").get_data(as_text=True)
    assert '<input type="hidden" name="purpose" value="personal">' in page and "加入个人购物车" in page
    response = client.post(
        "/cart/lines",
        data={"product_id": shop["noodles"].id, "quantity": 2, "purpose": "personal"},
        follow_redirects=True,
    )
    assert "已加入个人购物车：定西宽粉条 × 2" in response.get_data(as_text=True)
    assert db.session.scalar(select(CartLine.purpose)).value == "personal"


@pytest.mark.parametrize(
    ("quantity", "message"),
    [("1", "该商品2箱起订"), ("abc", "数量须为1至100000的整数"), ("31", "库存不足：现有30箱")],
)
def test_bad_quantities_get_a_chinese_message_and_add_nothing(client, shop, quantity, message):
    login(client, shop["buyer"])
    response = client.post(
        "/cart/lines",
        data={"product_id": shop["noodles"].id, "quantity": quantity, "purpose": "canteen"},
        headers={"Referer": f"http://localhost/products/{shop['noodles'].id}"},
        follow_redirects=True,
    )
    assert message in response.get_data(as_text=True)
    assert count(CartLine) == 0


def test_checkout_by_card_places_and_pays_and_a_double_click_changes_nothing(client, shop, stripe):
    # given a cart and the checkout page with its hidden key and total
    make_cart_line(shop["buyer"], shop["noodles"], quantity=4)
    db.session.commit()
    login(client, shop["buyer"])
    form = checkout_form(client)
    assert form["expected_total_fen"] == "19960" and len(form["idempotency_key"]) == 32
    # when the buyer clicks submit twice
    first = client.post("/checkout", data=form)
    second = client.post("/checkout", data=form)
    # then one order, paid once, and both clicks land on it
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Checkout) == 1 and len(stripe.charges()) == 1
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "已生成 1 个订单（按供应商拆分），公务卡支付成功" in page and "待发货" in page


def test_a_stale_total_is_refused_with_a_message_and_nothing_is_created(client, shop):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=4)
    db.session.commit()
    login(client, shop["buyer"])
    form = checkout_form(client)
    # another buyer of the unit adds to the cart meanwhile
    make_cart_line(make_user(Role.BUYER, unit=shop["buyer"].unit), make_product(), quantity=1)
    db.session.commit()
    response = client.post(
        "/checkout", data=form, headers={"Referer": "http://localhost/checkout"}, follow_redirects=True
    )
    assert "应付总额与页面显示的不一致（购物车可能已被修改），请核对后重新提交" in response.get_data(as_text=True)
    assert count(Order) == 0 and count(CartLine) == 2


def test_the_checkout_page_sends_back_to_the_cart_until_new_prices_are_accepted(client, shop):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    shop["noodles"].price_fen = 5_200
    db.session.commit()
    login(client, shop["buyer"])
    response = client.get("/checkout", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "部分商品价格已变动，请先在购物车确认新价格" in page and "原价 ¥49.90" in page
    client.post("/cart/accept-prices")
    assert "¥104.00" in client.get("/checkout").get_data(as_text=True)


def test_a_declined_card_returns_the_buyer_to_the_cart_with_the_lines(client, shop):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    card = db.session.scalar(select(PaymentCard))
    card.stripe_payment_method_id = "pm_card_chargeCustomerFail"
    db.session.commit()
    login(client, shop["buyer"])
    response = client.post("/checkout", data=checkout_form(client), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "公务卡支付失败，订单未生效，商品已退回购物车" in page and "定西宽粉条" in page
    assert db.session.scalar(select(Order.payment_status)) is PaymentStatus.FAILED


def test_a_checkout_form_without_an_address_is_shown_again_with_the_error(client, shop):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    db.session.commit()
    login(client, shop["buyer"])
    form = checkout_form(client) | {"address_id": ""}
    response = client.post("/checkout", data=form)
    assert response.status_code == 400 and count(Order) == 0


def test_orders_list_filters_and_the_detail_shows_lines_payment_and_history(client, shop):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    db.session.commit()
    login(client, shop["buyer"])
    client.post("/checkout", data=checkout_form(client))
    order = db.session.scalars(select(Order)).one()
    assert order.number in client.get("/orders?status=placed&purpose=canteen").get_data(as_text=True)
    assert order.number not in client.get("/orders?purpose=union").get_data(as_text=True)
    bad = client.get("/orders?from=2026-02-30")
    assert bad.status_code == 400 and "日期格式应为 YYYY-MM-DD" in bad.get_data(as_text=True)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    for text in (
        "定西宽粉条",
        "¥99.80",
        "公务卡在线支付",
        "已支付",
        "公务卡支付成功",
        "已提交，公务卡支付中",
        "取消订单并全额退款",
    ):
        assert text in page


def test_cancelling_on_the_page_refunds(client, shop, stripe):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    db.session.commit()
    login(client, shop["buyer"])
    client.post("/checkout", data=checkout_form(client))
    order_id = db.session.scalar(select(Order.id))
    page = client.post(f"/orders/{order_id}/cancel", data={"note": "重复采购"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "订单已取消，货款将原路退回" in page and "已退款" in page
    assert [r["amount"] for r in stripe.refunds()] == [9_980]


def test_the_unit_admin_sets_a_threshold_and_approves_on_the_page(client, shop, stripe):
    admin = make_user(Role.UNIT_ADMIN, unit=shop["buyer"].unit)
    db.session.commit()
    login(client, admin)
    client.post(
        "/unit/purchase-settings",
        data={
            "approval_threshold": "50.00",
            "invoice_title": "济南市机关事务服务中心",
            "invoice_tax_id": shop["buyer"].unit.credit_code,
        },
    )
    assert db.session.scalar(select(UnitPurchaseSettings.approval_threshold_fen)) == 5_000
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    db.session.commit()
    login(client, shop["buyer"])
    placed = client.post("/checkout", data=checkout_form(client), follow_redirects=True).get_data(as_text=True)
    assert "金额超过审批额度，待单位管理员审批" in placed
    login(client, admin)
    checkout_id = db.session.scalar(select(Checkout.id))
    assert f"结算单 #{checkout_id}" in client.get("/unit/approvals").get_data(as_text=True)
    client.post(f"/unit/approvals/{checkout_id}/approve")
    assert db.session.scalar(select(Order.status)) is OrderStatus.PLACED
    assert [c["amount"] for c in stripe.charges()] == [9_980]


def test_bad_settings_input_is_refused_with_a_message(client, shop):
    admin = make_user(Role.UNIT_ADMIN, unit=shop["buyer"].unit)
    db.session.commit()
    login(client, admin)
    page = client.post(
        "/unit/purchase-settings",
        data={"approval_threshold": "12.345", "invoice_title": "济南", "invoice_tax_id": "123"},
        headers={"Referer": "http://localhost/unit/purchase-settings"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "金额格式不正确（最多两位小数）" in page
    assert count(UnitPurchaseSettings) == 0


def test_the_supplier_sees_its_own_orders_only(client, shop):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    other = make_product(supplier=make_supplier(), title="别家的核桃")
    make_cart_line(shop["buyer"], other, quantity=1)
    db.session.commit()
    login(client, shop["buyer"])
    client.post("/checkout", data=checkout_form(client))
    mine = db.session.scalar(select(Order).where(Order.supplier_id == shop["supplier"].id))
    theirs = db.session.scalar(select(Order).where(Order.supplier_id != shop["supplier"].id))
    supplier_user = make_supplier_user(shop["supplier"])
    db.session.commit()
    login(client, supplier_user)
    page = client.get("/supplier/orders").get_data(as_text=True)
    assert mine.number in page and theirs.number not in page
    assert "定西宽粉条" in client.get(f"/supplier/orders/{mine.id}").get_data(as_text=True)
    assert client.get(f"/supplier/orders/{theirs.id}").status_code == 404


def test_the_finance_officer_confirms_transfers_of_its_region(client, shop):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    db.session.commit()
    login(client, shop["buyer"])
    client.post("/checkout", data=checkout_form(client) | {"payment_mode": "transfer"})
    order = db.session.scalars(select(Order)).one()
    finance = make_user(Role.FINANCE_OFFICER, region_code="370000")
    db.session.commit()
    login(client, finance)
    assert order.number in client.get("/finance/transfers").get_data(as_text=True)
    page = client.post(f"/finance/transfers/{order.id}/paid", follow_redirects=True).get_data(as_text=True)
    assert f"已确认订单 {order.number} 的对公转账到账" in page
    db.session.expire_all()
    assert db.session.get(Order, order.id).payment_status is PaymentStatus.PAID


def test_dashboards_show_the_orders_panels(client, shop):
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    db.session.commit()
    login(client, shop["buyer"])
    assert "本单位购物车：1 项，合计" in client.get("/dashboard").get_data(as_text=True)
    login(client, make_user(Role.UNIT_ADMIN, unit=shop["buyer"].unit))
    assert "单位公务卡：公务卡 尾号 4242" in client.get("/dashboard").get_data(as_text=True)
    login(client, make_supplier_user(shop["supplier"]))
    assert "待发货订单：" in client.get("/dashboard").get_data(as_text=True)
    login(client, make_user(Role.FINANCE_OFFICER, region_code="370000"))
    assert "辖区内待确认到账的对公转账订单" in client.get("/dashboard").get_data(as_text=True)


def test_every_page_answers_404_for_another_units_ids(client, shop):
    # given the buyer's order (transfer, pending approval) and a cart line
    make_cart_line(shop["buyer"], shop["noodles"], quantity=2)
    db.session.add(
        UnitPurchaseSettings(
            unit_id=shop["buyer"].unit_id,
            approval_threshold_fen=0,
            invoice_title="x",
            invoice_tax_id="",
            updated_at=shop["buyer"].created_at,
        )
    )
    db.session.commit()
    login(client, shop["buyer"])
    client.post("/checkout", data=checkout_form(client) | {"payment_mode": "transfer"})
    order = db.session.scalars(select(Order)).one()
    line_id = make_cart_line(shop["buyer"], shop["noodles"], quantity=2).id
    db.session.commit()
    outsider = make_shopper()
    other_admin = make_user(Role.UNIT_ADMIN, unit=outsider.unit)
    other_finance = make_user(Role.FINANCE_OFFICER, region_code="620000")
    other_supplier = make_supplier_user()
    db.session.commit()
    # when other units' people use those ids
    login(client, outsider)
    answers = [
        client.post(f"/cart/lines/{line_id}", data={"quantity": 5}),
        client.post(f"/cart/lines/{line_id}/delete"),
        client.get(f"/orders/{order.id}"),
        client.post(f"/orders/{order.id}/cancel"),
    ]
    login(client, other_admin)
    answers += [
        client.post(f"/unit/approvals/{order.checkout_id}/approve"),
        client.post(f"/unit/approvals/{order.checkout_id}/reject"),
    ]
    login(client, other_supplier)
    answers.append(client.get(f"/supplier/orders/{order.id}"))
    login(client, other_finance)
    answers.append(client.post(f"/finance/transfers/{order.id}/paid"))
    # then every page answers 404, and nothing changed
    assert [r.status_code for r in answers] == [404] * 8
    assert all("王晓梅" not in r.get_data(as_text=True) for r in answers)
    db.session.expire_all()
    assert db.session.get(Order, order.id).status is OrderStatus.PENDING_APPROVAL
    assert db.session.get(CartLine, line_id).quantity == 2
    assert count(UnitAddress) == 2

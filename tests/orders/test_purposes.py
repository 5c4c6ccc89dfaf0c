"""Purpose and role in the shared unit cart: the union officer (工会经办人) changes, removes, checks
out and cancels union welfare only; the canteen buyer's lines and orders are left alone, on the
services and on the pages."""

import pytest
from sqlalchemy import func, select

from catalog.models import Product
from mall.accounts.domain import Role
from mall.extensions import db
from orders import domain, services
from orders.domain import OrderStatus, PaymentStatus, Purpose
from orders.models import CartLine, Checkout, Order, UnitAddress
from orders.services import CheckoutRequest
from tests.factories import login, make_cart_line, make_product, make_shopper, make_supplier, make_user


def place(user, *, total: int, mode: str = "transfer", key: str = "key-1") -> Checkout:
    address = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == user.unit_id))
    request = CheckoutRequest(address_id=address, payment_mode=mode, expected_total_fen=total)
    return services.checkout(db.session, actor=user, request=request, idempotency_key=key)


def cart_lines() -> list[tuple[str, Purpose, int]]:
    rows = db.session.execute(
        select(Product.title, CartLine.purpose, CartLine.quantity)
        .join(Product, Product.id == CartLine.product_id)
        .order_by(CartLine.id)
    )
    return [tuple(row) for row in rows]


@pytest.fixture
def unit_cart(app):
    """One unit's cart: the canteen buyer's rice and the union officer's festival oil."""
    buyer = make_shopper(card=True, display_name="王晓梅")
    union = make_user(Role.UNION_OFFICER, unit=buyer.unit, display_name="陈丽娟")
    supplier = make_supplier(name="陇南市武都区粮油有限公司")
    rice = make_product(supplier=supplier, title="陇南大米 5kg", price_fen=6_800, stock_qty=50)
    oil = make_product(supplier=supplier, title="定西胡麻油 5L", price_fen=12_800, stock_qty=50)
    canteen_line = make_cart_line(buyer, rice, quantity=3)
    union_line = make_cart_line(union, oil, quantity=2, purpose=Purpose.UNION)
    db.session.commit()
    return {
        "buyer": buyer,
        "union": union,
        "rice": rice,
        "oil": oil,
        "canteen_line": canteen_line.id,
        "union_line": union_line.id,
    }


# ---- services ----------------------------------------------------------------------------------


def test_the_union_officer_cannot_change_or_remove_a_canteen_line(unit_cart):
    union = unit_cart["union"]
    with pytest.raises(domain.PurposeNotAllowedError):
        services.update_cart_line(db.session, actor=union, line_id=unit_cart["canteen_line"], quantity=30)
    db.session.rollback()
    with pytest.raises(domain.PurposeNotAllowedError):
        services.remove_cart_line(db.session, actor=union, line_id=unit_cart["canteen_line"])
    db.session.rollback()
    assert cart_lines() == [("陇南大米 5kg", Purpose.CANTEEN, 3), ("定西胡麻油 5L", Purpose.UNION, 2)]


def test_the_union_officer_changes_and_removes_union_lines(unit_cart):
    union = unit_cart["union"]
    services.update_cart_line(db.session, actor=union, line_id=unit_cart["union_line"], quantity=5)
    assert cart_lines()[1] == ("定西胡麻油 5L", Purpose.UNION, 5)
    services.remove_cart_line(db.session, actor=union, line_id=unit_cart["union_line"])
    assert cart_lines() == [("陇南大米 5kg", Purpose.CANTEEN, 3)]


def test_the_union_officer_checks_out_the_union_lines_and_leaves_the_canteens(unit_cart):
    # when the union officer checks out what they may: the oil
    checkout = place(unit_cart["union"], total=2 * 12_800)
    # then one union order is placed and the buyer's rice stays in the cart, its stock untouched
    orders = db.session.scalars(select(Order).where(Order.checkout_id == checkout.id)).all()
    assert [(o.purpose, o.total_fen, o.buyer_id) for o in orders] == [(Purpose.UNION, 25_600, unit_cart["union"].id)]
    assert cart_lines() == [("陇南大米 5kg", Purpose.CANTEEN, 3)]
    assert db.session.scalar(select(Product.stock_qty).where(Product.id == unit_cart["rice"].id)) == 50
    # and the buyer checks out the rice afterwards
    place(unit_cart["buyer"], total=3 * 6_800, key="key-2")
    assert cart_lines() == []


def test_the_whole_carts_total_is_not_the_union_officers_to_pay(unit_cart):
    with pytest.raises(domain.ExpectedTotalMismatchError):
        place(unit_cart["union"], total=3 * 6_800 + 2 * 12_800)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_a_cart_of_canteen_lines_only_is_refused_to_the_union_officer(unit_cart):
    services.remove_cart_line(db.session, actor=unit_cart["union"], line_id=unit_cart["union_line"])
    with pytest.raises(domain.PurposeNotAllowedError):
        place(unit_cart["union"], total=3 * 6_800)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Checkout.id))) == 0
    assert cart_lines() == [("陇南大米 5kg", Purpose.CANTEEN, 3)]


def test_a_buyer_checks_out_both_purposes_as_before(unit_cart):
    checkout = place(unit_cart["buyer"], total=3 * 6_800 + 2 * 12_800)
    purposes = db.session.scalars(select(Order.purpose).where(Order.checkout_id == checkout.id).order_by(Order.id))
    assert list(purposes) == [Purpose.CANTEEN, Purpose.UNION]
    assert cart_lines() == []


def test_the_union_officer_cannot_cancel_a_canteen_order_but_cancels_union_ones(unit_cart):
    # given the buyer's canteen order and union order
    checkout = place(unit_cart["buyer"], total=3 * 6_800 + 2 * 12_800)
    canteen, union_order = db.session.scalars(
        select(Order).where(Order.checkout_id == checkout.id).order_by(Order.id)
    ).all()
    # when the union officer cancels both
    with pytest.raises(domain.PurposeNotAllowedError):
        services.cancel_order(db.session, actor=unit_cart["union"], order_id=canteen.id)
    db.session.rollback()
    services.cancel_order(db.session, actor=unit_cart["union"], order_id=union_order.id)
    # then only the union order is cancelled
    db.session.expire_all()
    assert db.session.get(Order, canteen.id).status is OrderStatus.PLACED
    assert (db.session.get(Order, union_order.id).status, db.session.get(Order, union_order.id).payment_status) == (
        OrderStatus.CANCELLED,
        PaymentStatus.VOIDED,
    )


def test_accepting_new_prices_touches_only_the_users_lines(unit_cart):
    # given both prices raised
    for product in (unit_cart["rice"], unit_cart["oil"]):
        product.price_fen += 100
    db.session.commit()
    # when the union officer accepts the new prices
    assert services.accept_cart_prices(db.session, actor=unit_cart["union"]) == 1
    # then the oil's seen price is the new one; the buyer still has to see the rice's
    seen = db.session.execute(select(CartLine.purpose, CartLine.seen_price_fen).order_by(CartLine.id)).all()
    assert [tuple(row) for row in seen] == [(Purpose.CANTEEN, 6_800), (Purpose.UNION, 12_900)]


# ---- pages -------------------------------------------------------------------------------------


def test_the_cart_page_leaves_the_canteen_lines_to_the_buyers(client, unit_cart):
    login(client, unit_cart["union"])
    page = client.get("/cart").get_data(as_text=True)
    assert "由其他采购人处理" in page
    assert f"/cart/lines/{unit_cart['union_line']}/delete" in page
    assert f"/cart/lines/{unit_cart['canteen_line']}/delete" not in page
    assert f'action="/cart/lines/{unit_cart["canteen_line"]}' not in page
    assert '您可结算 <b class="price">¥256.00</b>' in page


def test_the_union_officers_forms_cannot_change_a_canteen_line(client, unit_cart):
    login(client, unit_cart["union"])
    line = unit_cart["canteen_line"]
    changed = client.post(f"/cart/lines/{line}", data={"quantity": 30}, follow_redirects=True)
    removed = client.post(f"/cart/lines/{line}/delete", follow_redirects=True)
    for response in (changed, removed):
        assert "您的角色不能" in response.get_data(as_text=True) and "食堂食材" in response.get_data(as_text=True)
    assert cart_lines()[0] == ("陇南大米 5kg", Purpose.CANTEEN, 3)


def test_the_union_officers_checkout_page_shows_and_takes_only_union_welfare(client, unit_cart):
    # given the union officer on the checkout page
    login(client, unit_cart["union"])
    page = client.get("/checkout").get_data(as_text=True)
    assert 'name="expected_total_fen" type="hidden" value="25600"' in page
    assert "定西胡麻油 5L" in page and "陇南大米 5kg" not in page
    assert "其他用途的商品不在本次结算中" in page
    # when they submit it
    form = {
        "address_id": db.session.scalar(select(UnitAddress.id)),
        "payment_mode": "transfer",
        "expected_total_fen": "25600",
        "idempotency_key": "page-key",
    }
    client.post("/checkout", data=form)
    # then the oil is ordered and the rice stays for the buyer
    assert db.session.scalars(select(Order.purpose)).all() == [Purpose.UNION]
    assert cart_lines() == [("陇南大米 5kg", Purpose.CANTEEN, 3)]


def test_a_cart_with_nothing_of_the_union_officers_sends_them_back_with_a_reason(client, unit_cart):
    services.remove_cart_line(db.session, actor=unit_cart["union"], line_id=unit_cart["union_line"])
    login(client, unit_cart["union"])
    page = client.get("/checkout", follow_redirects=True).get_data(as_text=True)
    assert "购物车中没有您的角色可以结算的商品" in page
    assert "没有您可结算的商品" in page


def test_the_order_page_offers_cancelling_only_for_the_users_purposes(client, unit_cart):
    # given the buyer's canteen and union orders
    checkout = place(unit_cart["buyer"], total=3 * 6_800 + 2 * 12_800)
    canteen, union_order = db.session.scalars(
        select(Order.id).where(Order.checkout_id == checkout.id).order_by(Order.id)
    ).all()
    login(client, unit_cart["union"])
    # then the canteen order has no cancel button, and posting the form changes nothing
    assert "取消订单" not in client.get(f"/orders/{canteen}").get_data(as_text=True)
    assert "取消订单" in client.get(f"/orders/{union_order}").get_data(as_text=True)
    page = client.post(f"/orders/{canteen}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "您的角色不能取消“食堂食材”用途的商品或订单" in page
    db.session.expire_all()
    assert db.session.get(Order, canteen).status is OrderStatus.PLACED

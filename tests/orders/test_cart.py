"""Cart services: the unit's shared cart, purposes, quantity rules, price changes, addresses,
settings and saved cards."""

import pytest
from sqlalchemy import func, select

from catalog.domain import ProductStatus
from mall.accounts.domain import Role
from mall.errors import NotFoundError, PermissionDeniedError
from mall.extensions import db
from orders import domain, queries, services
from orders.domain import CartKind, Purpose
from orders.models import CartLine, PaymentCard, UnitAddress
from tests.factories import make_product, make_unit, make_user


@pytest.fixture
def unit_buyers(app):
    unit = make_unit(name="济南市机关事务服务中心")
    first = make_user(Role.BUYER, unit=unit, display_name="王晓梅")
    second = make_user(Role.BUYER, unit=unit, display_name="李建国")
    db.session.commit()
    return first, second


def test_the_cart_is_shared_by_the_buyers_of_one_unit_and_shows_who_added_what(unit_buyers):
    # given two buyers of one unit
    first, second = unit_buyers
    rice, oil = make_product(title="陇南大米 5kg"), make_product(title="定西胡麻油 5L")
    db.session.commit()
    # when each adds a product
    services.add_to_cart(db.session, actor=first, product_id=rice.id, quantity=2, purpose="canteen")
    services.add_to_cart(db.session, actor=second, product_id=oil.id, quantity=1, purpose="union")
    # then both see one cart with both lines and who added them
    for buyer in unit_buyers:
        summary = queries.cart_summary(db.session, buyer, CartKind.UNIT)
        assert [(line.product.title, line.added_by.display_name, line.purpose) for line in summary.lines] == [
            ("陇南大米 5kg", "王晓梅", Purpose.CANTEEN),
            ("定西胡麻油 5L", "李建国", Purpose.UNION),
        ]
    assert summary.total_fen == 3 * 2_680


def test_adding_the_same_product_for_the_same_purpose_raises_the_quantity(unit_buyers):
    buyer = unit_buyers[0]
    rice = make_product()
    db.session.commit()
    services.add_to_cart(db.session, actor=buyer, product_id=rice.id, quantity=2, purpose="canteen")
    line = services.add_to_cart(db.session, actor=buyer, product_id=rice.id, quantity=3, purpose="canteen")
    services.add_to_cart(db.session, actor=buyer, product_id=rice.id, quantity=1, purpose="union")
    assert line.quantity == 5
    assert db.session.scalar(select(func.count(CartLine.id))) == 2


def test_quantities_respect_minimum_order_and_stock(unit_buyers):
    buyer = unit_buyers[0]
    flour = make_product(min_order_qty=5, stock_qty=8, sale_unit="袋")
    db.session.commit()
    with pytest.raises(domain.BelowMinimumOrderError):
        services.add_to_cart(db.session, actor=buyer, product_id=flour.id, quantity=4, purpose="canteen")
    db.session.rollback()
    services.add_to_cart(db.session, actor=buyer, product_id=flour.id, quantity=5, purpose="canteen")
    with pytest.raises(domain.StockInsufficientError):
        services.add_to_cart(db.session, actor=buyer, product_id=flour.id, quantity=4, purpose="canteen")
    db.session.rollback()
    assert db.session.scalar(select(CartLine.quantity)) == 5


def test_quantities_come_in_whole_packs(unit_buyers):
    buyer = unit_buyers[0]
    oil = make_product(title="会宁胡麻油 500ml", pack_size=6, min_order_qty=6, sale_unit="瓶")
    db.session.commit()
    with pytest.raises(domain.PackSizeError):
        services.add_to_cart(db.session, actor=buyer, product_id=oil.id, quantity=8, purpose="canteen")
    db.session.rollback()
    line = services.add_to_cart(db.session, actor=buyer, product_id=oil.id, quantity=12, purpose="canteen")
    assert line.quantity == 12


def test_a_delisted_product_cannot_be_added(unit_buyers):
    gone = make_product(status=ProductStatus.DELISTED)
    db.session.commit()
    with pytest.raises(NotFoundError):
        services.add_to_cart(db.session, actor=unit_buyers[0], product_id=gone.id, quantity=1, purpose="canteen")


def test_an_employee_buys_into_a_personal_cart_that_the_unit_does_not_see(unit_buyers):
    buyer = unit_buyers[0]
    employee = make_user(Role.EMPLOYEE, unit=buyer.unit)
    tea = make_product()
    db.session.commit()
    with pytest.raises(domain.PurposeNotAllowedError):
        services.add_to_cart(db.session, actor=employee, product_id=tea.id, quantity=1, purpose="canteen")
    services.add_to_cart(db.session, actor=employee, product_id=tea.id, quantity=1, purpose="personal")
    assert queries.cart_summary(db.session, employee, CartKind.PERSONAL).total_fen == 2_680
    assert queries.cart_summary(db.session, buyer, CartKind.UNIT).is_empty


def test_another_units_cart_line_is_not_found_for_change_or_removal(unit_buyers):
    buyer = unit_buyers[0]
    outsider = make_user(Role.BUYER, unit=make_unit())
    rice = make_product()
    db.session.commit()
    line = services.add_to_cart(db.session, actor=buyer, product_id=rice.id, quantity=1, purpose="canteen")
    with pytest.raises(NotFoundError):
        services.update_cart_line(db.session, actor=outsider, line_id=line.id, quantity=3)
    with pytest.raises(NotFoundError):
        services.remove_cart_line(db.session, actor=outsider, line_id=line.id)
    db.session.rollback()
    assert db.session.get(CartLine, line.id).quantity == 1


def test_a_changed_price_shows_until_a_buyer_accepts_it(unit_buyers):
    # given a line added at ¥26.80
    buyer = unit_buyers[0]
    rice = make_product(price_fen=2_680)
    db.session.commit()
    services.add_to_cart(db.session, actor=buyer, product_id=rice.id, quantity=2, purpose="canteen")
    # when the supplier raises the price
    rice.price_fen = 2_880
    db.session.commit()
    # then the cart shows the change, at the new price, until a buyer accepts it
    summary = queries.cart_summary(db.session, unit_buyers[1], CartKind.UNIT)
    assert [line.seen_price_fen for line in summary.changed] == [2_680]
    assert summary.total_fen == 5_760
    assert services.accept_cart_prices(db.session, actor=unit_buyers[1]) == 1
    assert queries.cart_summary(db.session, buyer, CartKind.UNIT).changed == []


def test_addresses_belong_to_the_unit_and_the_first_is_the_default(unit_buyers):
    buyer = unit_buyers[0]
    first = services.add_address(
        db.session,
        actor=buyer,
        label="机关食堂",
        recipient="王晓梅",
        phone="13905310001",
        detail="济南市历下区省府前街1号",
    )
    second = services.add_address(
        db.session,
        actor=buyer,
        label="工会",
        recipient="陈丽娟",
        phone="0531-86061234",
        detail="济南市历下区省府前街1号工会",
    )
    assert (first.is_default, second.is_default) == (True, False)
    with pytest.raises(NotFoundError):
        queries.get_address(db.session, unit_id=make_unit().id, address_id=first.id)
    employee = make_user(Role.EMPLOYEE, unit=buyer.unit)
    with pytest.raises(PermissionDeniedError):
        services.add_address(
            db.session, actor=employee, label="", recipient="赵明", phone="13905310002", detail="济南市历下区"
        )


def test_bad_address_input_is_refused_and_nothing_is_saved(unit_buyers):
    with pytest.raises(domain.InvalidAddressError):
        services.add_address(
            db.session, actor=unit_buyers[0], label="", recipient="王晓梅", phone="110", detail="济南市历下区1号"
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(UnitAddress.id))) == 0


def test_only_the_unit_admin_sets_the_threshold_and_invoice_title(unit_buyers):
    buyer = unit_buyers[0]
    admin = make_user(Role.UNIT_ADMIN, unit=buyer.unit)
    db.session.commit()
    with pytest.raises(PermissionDeniedError):
        services.update_purchase_settings(
            db.session, actor=buyer, approval_threshold_fen=0, invoice_title="x单位", invoice_tax_id=""
        )
    settings = services.update_purchase_settings(
        db.session,
        actor=admin,
        approval_threshold_fen=2_000_000,
        invoice_title="济南市机关事务服务中心",
        invoice_tax_id=buyer.unit.credit_code,
    )
    assert settings.approval_threshold_fen == 2_000_000
    assert queries.invoice_for(db.session, buyer.unit) == ("济南市机关事务服务中心", buyer.unit.credit_code)


def test_the_unit_admin_registers_the_official_card_with_stripe_keeping_only_the_last_digits(unit_buyers, stripe):
    # given a unit admin
    admin = make_user(Role.UNIT_ADMIN, unit=unit_buyers[0].unit)
    db.session.commit()
    # when they register the unit's 公务卡
    card = services.register_payment_card(
        db.session,
        actor=admin,
        kind=CartKind.UNIT,
        holder_name="济南市机关事务服务中心",
        card_number="4242 4242 4242 4242",
        exp_month=12,
        exp_year=2030,
        cvc="123",
    )
    # then Stripe holds the card and the mall only its ids and last four digits
    assert (card.owner_key, card.last4, card.label) == (f"unit:{admin.unit_id}", "4242", "公务卡")
    customers = stripe.list("customers")
    assert [c["id"] for c in customers] == [card.stripe_customer_id]
    assert customers[0]["invoice_settings"]["default_payment_method"] == card.stripe_payment_method_id
    with pytest.raises(PermissionDeniedError):
        services.register_payment_card(
            db.session,
            actor=unit_buyers[0],
            kind=CartKind.UNIT,
            holder_name="x",
            card_number="4242424242424242",
            exp_month=12,
            exp_year=2030,
            cvc="123",
        )
    with pytest.raises(domain.InvalidCardError):
        services.register_payment_card(
            db.session,
            actor=admin,
            kind=CartKind.UNIT,
            holder_name="x",
            card_number="4242424242424241",
            exp_month=12,
            exp_year=2030,
            cvc="123",
        )
    assert db.session.scalar(select(func.count(PaymentCard.id))) == 1

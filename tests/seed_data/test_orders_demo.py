"""The orders demo data: every unit has addresses and a 公务卡, and the demo buyers of two units
can check out right after seeding."""

import pytest
from sqlalchemy import func, select

from catalog.domain import ProductStatus
from catalog.models import Product
from mall.accounts.models import User
from mall.extensions import db
from mall.units.models import Unit
from orders import services
from orders.domain import PaymentStatus
from orders.models import Order, PaymentCard, UnitAddress, UnitPurchaseSettings


def test_every_unit_has_two_addresses_and_a_card(seeded):
    units = db.session.scalar(select(func.count(Unit.id)))
    assert db.session.scalar(select(func.count(UnitAddress.id))) == 2 * units
    unit_cards = select(func.count(PaymentCard.id)).where(PaymentCard.user_id.is_(None))
    assert db.session.scalar(unit_cards) == units
    assert set(db.session.scalars(select(PaymentCard.last4))) == {"4242"}


def test_the_demo_unit_has_an_approval_threshold_and_placed_orders(seeded):
    assert db.session.scalar(select(UnitPurchaseSettings.approval_threshold_fen)) == 1_000_000
    statuses = set(db.session.scalars(select(Order.payment_status)))
    assert statuses == {PaymentStatus.AWAITING_TRANSFER, PaymentStatus.PAID}


@pytest.mark.parametrize("username", ["demo-buyer", "demo-buyer-other"])
def test_the_demo_buyers_can_check_out_by_card_right_away(seeded, username):
    # given a demo buyer and a product on sale
    buyer = db.session.scalar(select(User).where(User.username == username))
    product = db.session.scalars(
        select(Product).where(Product.status == ProductStatus.APPROVED, Product.stock_qty >= 10).order_by(Product.id)
    ).first()
    quantity = max(product.min_order_qty, 2)
    services.add_to_cart(db.session, actor=buyer, product_id=product.id, quantity=quantity, purpose="canteen")
    address = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == buyer.unit_id))
    # when they check out with the unit's 公务卡
    checkout = services.checkout(
        db.session,
        actor=buyer,
        request=services.CheckoutRequest(
            address_id=address, payment_mode="card", expected_total_fen=quantity * product.price_fen
        ),
        idempotency_key=f"demo-{username}",
    )
    # then the order is paid
    assert {o.payment_status for o in checkout.orders} == {PaymentStatus.PAID}

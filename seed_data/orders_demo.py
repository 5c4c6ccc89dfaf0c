"""Demo data of the orders package, through its services: every unit's delivery addresses and
公务卡 (a Stripe customer with a saved card, so `demo-buyer` and `demo-buyer-other` can check out
right after `make run`), an approval threshold for the demo unit, the demo employee's own card,
and a few placed orders so the order, supplier and finance pages are not empty.

Cards need localstripe (`make run` starts it before seeding). Without it the cards are skipped
with a warning; a unit admin can register one later on the 公务卡 page.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.domain import ProductStatus
from catalog.models import Product, Supplier
from mall.accounts.models import User
from mall.units.domain import UnitStatus
from mall.units.models import Unit
from orders import domain, services
from orders.domain import AddressInput, CartKind
from orders.models import UnitAddress
from seed_data import accounts

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
SEED = 2026 + 5
DEMO_CARD = "4242424242424242"  # a test card localstripe charges successfully
DEMO_THRESHOLD_FEN = 1_000_000  # the demo unit asks its admin to approve purchases above ¥10,000


def seed_orders_demo(session: Session, progress: Progress) -> dict[str, int]:
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    units = session.scalars(select(Unit).where(Unit.status == UnitStatus.ACTIVE).order_by(Unit.id)).all()
    counts = {"addresses": _addresses(session, progress, fake, units)}
    counts["cards"] = _cards(session, progress, units)
    users = {u.username: u for u in session.scalars(select(User).where(User.username.like("demo-%")))}
    admin = users["demo-unitadmin"]
    services.update_purchase_settings(
        session,
        actor=admin,
        approval_threshold_fen=DEMO_THRESHOLD_FEN,
        invoice_title=admin.unit.name,
        invoice_tax_id=admin.unit.credit_code or "",
    )
    counts["orders"] = _orders(session, progress, users, cards=counts["cards"] > 0)
    return counts


def _addresses(session: Session, progress: Progress, fake: Faker, units: list[Unit]) -> int:
    made = 0
    for i, unit in enumerate(units, 1):
        place = (unit.region.full_name if unit.region else "山东省").replace(" ", "")
        street = f"{fake.street_name()}{fake.random_int(1, 299)}号"
        for label, suffix, name, phone in (
            ("机关食堂", "食堂后勤入口", unit.contact_name or fake.name(), unit.contact_phone or fake.phone_number()),
            ("工会办公室", "办公楼一层工会办公室", fake.name(), fake.phone_number()),
        ):
            services.save_address(
                session,
                unit_id=unit.id,
                actor_id=None,
                data=AddressInput(
                    label=label, recipient=name, phone=phone, detail=f"{place}{street}{unit.name}{suffix}"
                ),
            )
            made += 1
        progress("收货地址", i, len(units))
    return made


def _cards(session: Session, progress: Progress, units: list[Unit]) -> int:
    """Every unit's 公务卡, saved with the payment gateway (localstripe); none if it is down."""
    made = 0
    employee = session.scalar(select(User).where(User.username == "demo-employee"))
    owners = [(unit, None) for unit in units] + ([(employee.unit, employee)] if employee else [])
    for i, (unit, user) in enumerate(owners, 1):
        try:
            services.save_payment_card(
                session,
                unit_id=unit.id,
                user_id=user.id if user else None,
                holder_name=user.display_name if user else unit.name,
                card_number=DEMO_CARD,
                exp_month=12,
                exp_year=2030,
                cvc="123",
            )
        except domain.PaymentUnavailableError:
            session.rollback()
            log.warning("localstripe is not running: demo cards skipped (make run starts it before seeding)")
            return 0
        made += 1
        progress("公务卡", i, len(owners))
    return made


def _orders(session: Session, progress: Progress, users: dict[str, User], *, cards: bool) -> int:
    """A few placed orders: the demo unit's canteen and union purchases on transfer terms, and
    the other unit's canteen purchase paid by card — two of them from the demo supplier."""
    rng = random.Random(SEED)
    demo_supplier = session.scalar(
        select(Supplier.id).where(Supplier.region_code == accounts.DEMO_SUPPLIER_COUNTY).order_by(Supplier.id)
    )
    on_sale = select(Product).where(Product.status == ProductStatus.APPROVED, Product.stock_qty >= 20)
    theirs = session.scalars(on_sale.where(Product.supplier_id == demo_supplier).order_by(Product.id)).all()
    others = session.scalars(on_sale.where(Product.supplier_id != demo_supplier).order_by(Product.id).limit(60)).all()
    plans = [
        ("demo-buyer2", "transfer", [(theirs[0], "canteen"), (rng.choice(others), "canteen")]),
        ("demo-union", "transfer", [(rng.choice(others), "union"), (rng.choice(others), "union")]),
    ]
    if cards:
        plans.append(("demo-buyer-other", "card", [(theirs[-1], "canteen"), (rng.choice(others), "canteen")]))
    placed = 0
    for i, (username, mode, picks) in enumerate(plans, 1):
        buyer = users[username]
        for product, purpose in picks:
            services.add_to_cart(
                session, actor=buyer, product_id=product.id, quantity=max(product.min_order_qty, 4), purpose=purpose
            )
        address = session.scalar(
            select(UnitAddress.id).where(UnitAddress.unit_id == buyer.unit_id).order_by(UnitAddress.id)
        )
        total = sum(max(p.min_order_qty, 4) * p.price_fen for p, _ in picks)
        checkout = services.checkout(
            session,
            actor=buyer,
            request=services.CheckoutRequest(
                address_id=address, payment_mode=mode, expected_total_fen=total, cart=CartKind.UNIT.value
            ),
            idempotency_key=f"demo-seed-{i}",
        )
        placed += len(checkout.orders)
        progress("演示订单", i, len(plans))
    return placed

"""Plain factory functions with Chinese defaults. They flush, never commit."""

from __future__ import annotations

import itertools

from flask import current_app, g
from werkzeug.security import generate_password_hash

from catalog.domain import EntityType, ProductStatus, SourceProgram, Storage, SupplierStatus
from catalog.models import Category, Product, Supplier, SupplierMember
from mall import clock
from mall.accounts.domain import Role
from mall.accounts.models import User, UserRole
from mall.extensions import db
from mall.money import per_kilo_fen
from mall.regions.domain import RegionLevel, level_of, parent_code, province_code
from mall.regions.models import Region
from mall.units.domain import UnitKind, make_credit_code
from mall.units.models import Unit
from orders.domain import CartKind, Purpose
from orders.models import Cart, CartLine, PaymentCard, UnitAddress, UnitPurchaseSettings, owner_key

PASSWORD = "test-pass-2026"
_PASSWORD_HASH = generate_password_hash(PASSWORD)  # scrypt is slow on purpose: hash once
_seq = itertools.count(1)

REGION_NAMES = {
    "620000": "甘肃省",
    "621100": "定西市",
    "621102": "安定区",
    "621121": "通渭县",
    "370000": "山东省",
    "370100": "济南市",
    "370102": "历下区",
    "371300": "临沂市",
    "371321": "沂南县",
    "500000": "重庆市",
    "500200": "重庆市",
    "500229": "城口县",
    "650000": "新疆维吾尔自治区",
    "652800": "巴音郭楞蒙古自治州",
    "652824": "若羌县",
}


def make_region(code: str, **overrides) -> Region:
    """The region and its ancestors (created as needed), with flags from overrides."""
    existing = db.session.get(Region, code)
    if existing is not None:
        for key, value in overrides.items():
            setattr(existing, key, value)
        db.session.flush()
        return existing
    parent = parent_code(code)
    if parent is not None:
        make_region(parent)
    region = Region(
        **(
            {
                "code": code,
                "name": REGION_NAMES.get(code, f"测试地区{code}"),
                "level": level_of(code),
                "parent_code": parent,
                "longitude": 104.6,
                "latitude": 35.6,
                "profile": "马铃薯、中药材",
            }
            | overrides
        )
    )
    db.session.add(region)
    db.session.flush()
    return region


def make_eligible_county(code: str = "621102", **overrides) -> Region:
    return make_region(code, **({"is_poverty_county": True, "is_counterpart": True} | overrides))


def make_unit(*, region_code: str = "370102", **overrides) -> Unit:
    n = next(_seq)
    make_region(region_code)
    unit = Unit(
        **(
            {
                "name": f"济南市测试单位{n}",
                "kind": UnitKind.AGENCY,
                "region_code": region_code,
                "credit_code": make_credit_code(registrar="11", region_code=region_code, serial=f"{n:09d}"),
                "created_at": clock.now(),
            }
            | overrides
        )
    )
    db.session.add(unit)
    db.session.flush()
    return unit


def make_user(*roles: Role, unit: Unit | None = None, region_code: str | None = None, **overrides) -> User:
    n = next(_seq)
    roles = roles or (Role.BUYER,)
    if unit is None and set(roles) & {Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER, Role.EMPLOYEE}:
        unit = make_unit()
    if region_code:
        make_region(region_code)
    user = User(
        **(
            {
                "username": f"user{n}",
                "password_hash": _PASSWORD_HASH,
                "display_name": f"测试用户{n}",
                "unit_id": unit.id if unit else None,
                "region_code": region_code,
                "created_at": clock.now(),
            }
            | overrides
        )
    )
    user.role_rows = [UserRole(role=r) for r in roles]
    db.session.add(user)
    db.session.flush()
    return user


def make_category(slug: str = "dried", name: str = "干货") -> Category:
    category = db.session.query(Category).filter_by(slug=slug).one_or_none()
    if category is None:
        category = Category(slug=slug, name=name, position=next(_seq))
        db.session.add(category)
        db.session.flush()
    return category


def make_supplier(*, region_code: str = "621102", **overrides) -> Supplier:
    n = next(_seq)
    make_eligible_county(region_code) if region_code.startswith("62") else make_region(region_code)
    supplier = Supplier(
        **(
            {
                "name": f"定西市测试农业有限公司{n}",
                "region_code": region_code,
                "credit_code": make_credit_code(registrar="91", region_code=region_code, serial=f"{n:09d}"),
                "entity_type": EntityType.ENTERPRISE,
                "status": SupplierStatus.APPROVED,
                "created_at": clock.now(),
            }
            | overrides
        )
    )
    db.session.add(supplier)
    db.session.flush()
    return supplier


def make_supplier_user(supplier: Supplier | None = None) -> User:
    supplier = supplier or make_supplier()
    user = make_user(Role.SUPPLIER)
    db.session.add(SupplierMember(user_id=user.id, supplier_id=supplier.id))
    db.session.flush()
    return user


def make_product(*, supplier: Supplier | None = None, category: Category | None = None, **overrides) -> Product:
    n = next(_seq)
    supplier = supplier or make_supplier()
    category = category or make_category()
    county = supplier.region_code
    price = overrides.pop("price_fen", 2_680)
    net = overrides.pop("net_content", 2_500)
    now = clock.now()
    product = Product(
        **(
            {
                "supplier_id": supplier.id,
                "sku": f"SKU-{n}",
                "title": f"定西马铃薯粉条{n}",
                "category_id": category.id,
                "spec": "2.5kg/箱",
                "sale_unit": "箱",
                "net_content": net,
                "net_content_unit": "g",
                "price_fen": price,
                "per_kilo_fen": per_kilo_fen(price, net),
                "stock_qty": 100,
                "min_order_qty": 1,
                "origin_county_code": county,
                "origin_province_code": province_code(county),
                "program": SourceProgram.COUNTERPART,
                "cert_no": f"2026-{county}-{n:05d}",
                "storage": Storage.AMBIENT,
                "shelf_life_days": 540,
                "status": ProductStatus.APPROVED,
                "created_at": now,
                "updated_at": now,
            }
            | overrides
        )
    )
    db.session.add(product)
    db.session.flush()
    return product


def login(client, user: User) -> None:
    """Log a test client in as `user` without the form (session injection)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()  # the id and the session version, as Flask-Login stores it
        session["_fresh"] = True
    # Tests hold the app context open, so requests share its `g`, where Flask-Login caches the
    # user it loaded: forget it, or a second login in one test would still see the first user.
    g.pop("_login_user", None)


__all__ = [
    "PASSWORD",
    "RegionLevel",
    "make_region",
    "make_unit",
    "make_user",
    "make_supplier",
    "make_product",
    "make_category",
    "make_supplier_user",
    "make_eligible_county",
    "login",
]


# ---- orders ------------------------------------------------------------------------------------


def make_address(unit: Unit, **overrides) -> UnitAddress:
    address = UnitAddress(
        **(
            {
                "unit_id": unit.id,
                "label": "机关食堂",
                "recipient": "王晓梅",
                "phone": "13905310001",
                "detail": "山东省济南市历下区省府前街1号机关食堂后门",
                "region_code": unit.region_code,
                "is_default": True,
                "created_at": clock.now(),
            }
            | overrides
        )
    )
    db.session.add(address)
    db.session.flush()
    return address


def make_payment_card(
    unit: Unit, *, user: User | None = None, number: str = "4242424242424242", payment_method_id: str | None = None
) -> PaymentCard:
    """A saved card, registered with the test session's localstripe (flushed, never committed).
    `payment_method_id="pm_card_chargeCustomerFail"` gives a card that localstripe declines."""
    saved = current_app.extensions["payment_gateway"].save_card(
        holder_name=unit.name, card_number=number, exp_month=12, exp_year=2030, cvc="123", metadata={}
    )
    kind = CartKind.PERSONAL if user else CartKind.UNIT
    card = PaymentCard(
        owner_key=owner_key(kind, unit_id=unit.id, user_id=user.id if user else None),
        unit_id=unit.id,
        user_id=user.id if user else None,
        label="公务卡" if user is None else "个人银行卡",
        holder_name=unit.name[:40],
        brand=saved.brand,
        last4=saved.last4,
        stripe_customer_id=saved.customer_id,
        stripe_payment_method_id=payment_method_id or saved.payment_method_id,
        created_at=clock.now(),
    )
    db.session.add(card)
    db.session.flush()
    return card


def make_purchase_settings(unit: Unit, *, approval_threshold_fen: int | None = None) -> UnitPurchaseSettings:
    settings = UnitPurchaseSettings(
        unit_id=unit.id,
        approval_threshold_fen=approval_threshold_fen,
        invoice_title=unit.name,
        invoice_tax_id=unit.credit_code or "",
        updated_at=clock.now(),
    )
    db.session.add(settings)
    db.session.flush()
    return settings


def make_cart_line(user: User, product: Product, *, quantity: int = 1, purpose: Purpose = Purpose.CANTEEN) -> CartLine:
    """A line in the user's unit cart (or personal cart, for purpose personal), at today's price."""
    kind = CartKind.PERSONAL if purpose is Purpose.PERSONAL else CartKind.UNIT
    key = owner_key(kind, unit_id=user.unit_id, user_id=user.id)
    cart = db.session.query(Cart).filter_by(owner_key=key).one_or_none()
    now = clock.now()
    if cart is None:
        cart = Cart(
            owner_key=key,
            kind=kind,
            unit_id=user.unit_id,
            user_id=user.id if kind is CartKind.PERSONAL else None,
            created_at=now,
            updated_at=now,
        )
        db.session.add(cart)
        db.session.flush()
    line = CartLine(
        cart_id=cart.id,
        product_id=product.id,
        purpose=purpose,
        quantity=quantity,
        seen_price_fen=product.price_fen,
        added_by_id=user.id,
        added_at=now,
        updated_by_id=user.id,
        updated_at=now,
    )
    db.session.add(line)
    db.session.flush()
    return line


def make_shopper(*, unit: Unit | None = None, card: bool = False, **overrides) -> User:
    """A buyer whose unit has a delivery address (and a 公务卡 when `card`)."""
    unit = unit or make_unit()
    buyer = make_user(Role.BUYER, unit=unit, **overrides)
    if not db.session.query(UnitAddress).filter_by(unit_id=unit.id).count():
        make_address(unit)
    if card:
        make_payment_card(unit)
    return buyer

"""Plain factory functions with Chinese defaults. They flush, never commit."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from flask import current_app, g
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from catalog.domain import EntityType, ProductStatus, SourceProgram, Storage, SupplierStatus
from catalog.models import Category, Product, Supplier, SupplierMember
from fulfillment import domain as fulfillment_domain
from fulfillment.domain import AftersalesKind, AftersalesStatus, CarrierEventCode, PayableStatus, ShipmentStatus
from fulfillment.models import (
    AftersalesCase,
    AftersalesLine,
    CarrierEvent,
    LineFulfillment,
    OrderFulfillment,
    Payable,
    Shipment,
    ShipmentLine,
)
from mall import clock
from mall.accounts.domain import Role
from mall.accounts.models import User, UserRole
from mall.extensions import db
from mall.money import per_kilo_fen
from mall.policy import domain as policy_domain
from mall.policy import queries as policy_queries
from mall.regions.domain import RegionLevel, level_of, parent_code, province_code
from mall.regions.models import Region
from mall.units.domain import UnitKind, make_credit_code
from mall.units.models import Unit
from orders.domain import ApprovalStatus, CartKind, OrderStatus, PaymentMode, PaymentStatus, Purpose
from orders.models import (
    Cart,
    CartLine,
    Checkout,
    Order,
    OrderLine,
    OrderStatusChange,
    PaymentCard,
    UnitAddress,
    UnitPurchaseSettings,
    owner_key,
)

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
                "reviewed_price_fen": price,  # on sale: approved at this price
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


# ---- fulfillment -------------------------------------------------------------------------------
# An order at each step after payment, moved the way the services move it (the rules of
# fulfillment.domain decide quantities, money and deadlines), without Stripe or stock.


def make_order(
    *,
    buyer: User | None = None,
    supplier: Supplier | None = None,
    quantities: Sequence[int] = (10,),
    products: Sequence[Product] = (),
    payment_mode: PaymentMode = PaymentMode.CARD,
    **overrides,
) -> Order:
    """A placed order, paid by card (or awaiting a transfer), one line per quantity."""
    now = clock.now()
    buyer = buyer or make_shopper()
    supplier = supplier or make_supplier()
    products = list(products) or [make_product(supplier=supplier) for _ in quantities]
    lines = [
        OrderLine(
            product_id=p.id,
            title=p.title,
            spec=p.spec,
            sale_unit=p.sale_unit,
            unit_price_fen=p.price_fen,
            quantity=qty,
            line_total_fen=p.price_fen * qty,
            refunded_fen=0,
            added_by_id=buyer.id,
        )
        for p, qty in zip(products, quantities, strict=True)
    ]
    total = sum(line.line_total_fen for line in lines)
    paid = payment_mode is PaymentMode.CARD
    checkout = Checkout(
        unit_id=buyer.unit_id,
        cart_kind=CartKind.UNIT,
        buyer_id=buyer.id,
        payment_mode=payment_mode,
        total_fen=total,
        approval_status=ApprovalStatus.NOT_REQUIRED,
        created_at=now,
    )
    db.session.add(checkout)
    db.session.flush()
    unit = db.session.get(Unit, buyer.unit_id)
    payment_status = PaymentStatus.PAID if paid else PaymentStatus.AWAITING_TRANSFER
    order = Order(
        **(
            {
                "number": f"{clock.local(now):%Y%m%d}{checkout.id:07d}01",
                "checkout_id": checkout.id,
                "unit_id": unit.id,
                "supplier_id": supplier.id,
                "buyer_id": buyer.id,
                "purpose": Purpose.CANTEEN,
                "status": OrderStatus.PLACED,
                "payment_mode": payment_mode,
                "payment_status": payment_status,
                "total_fen": total,
                "paid_fen": total if paid else 0,
                "refunded_fen": 0,
                "ship_to_name": "王晓梅",
                "ship_to_phone": "13905310001",
                "ship_to_address": "山东省济南市历下区省府前街1号机关食堂后门",
                "ship_to_region_code": unit.region_code,
                "delivery_on": clock.today() + timedelta(days=5),
                "invoice_title": unit.name,
                "invoice_tax_id": unit.credit_code or "",
                "created_at": now,
                "placed_at": now,
                "paid_at": now if paid else None,
            }
            | overrides
        )
    )
    order.lines = lines
    _record_status(order, buyer.id, "已下单", now)
    db.session.add(order)
    db.session.flush()
    return order


def _record_status(order: Order, actor_id: int | None, note: str, at: datetime) -> None:
    order.history.append(
        OrderStatusChange(status=order.status, payment_status=order.payment_status, actor_id=actor_id, note=note, at=at)
    )


def _progress(order: Order) -> tuple[OrderFulfillment, dict[int, LineFulfillment]]:
    """The order's fulfillment rows, made on first use (as the first parcel makes them)."""
    record = db.session.get(OrderFulfillment, order.id)
    if record is None:
        record = OrderFulfillment(order_id=order.id, auto_accepted=False, rejected_fen=0, refund_fen=0)
        db.session.add(record)
    rows = {}
    for line in order.lines:
        row = db.session.get(LineFulfillment, line.id)
        if row is None:
            row = LineFulfillment(order_line_id=line.id, order_id=order.id, ordered_qty=line.quantity)
            db.session.add(row)
        rows[line.id] = row
    db.session.flush()
    return record, rows


def ship_order(
    order: Order,
    quantities: Mapping[int, int] | None = None,
    *,
    carrier_code: str = "sf",
    tracking_no: str | None = None,
    by: User | None = None,
    at: datetime | None = None,
) -> Shipment:
    """A parcel of the order: the given quantities by order line id (default: all that is left),
    checked by the shipping rules; the order becomes partly shipped or shipped."""
    at = at or clock.now()
    _, rows = _progress(order)
    progress = [fulfillment_domain.LineProgress(i, r.ordered_qty, r.shipped_qty) for i, r in rows.items()]
    parcel = fulfillment_domain.check_parcel(progress, quantities or {p.order_line_id: p.to_ship for p in progress})
    carrier = fulfillment_domain.carrier_by_code(carrier_code)
    by = by or make_supplier_user(db.session.get(Supplier, order.supplier_id))
    shipment = Shipment(
        order_id=order.id,
        carrier_code=carrier.code,
        tracking_no=tracking_no or carrier.sample_tracking_no(next(_seq)),
        status=ShipmentStatus.CREATED,
        shipped_at=at,
        created_by_id=by.id,
    )
    shipment.lines = [ShipmentLine(order_line_id=i, quantity=q) for i, q in parcel.items()]
    db.session.add(shipment)
    order.status = fulfillment_domain.status_after_parcel(progress, parcel)
    for line_id, qty in parcel.items():
        rows[line_id].shipped_qty += qty
    _record_status(order, by.id, f"{carrier.name} {shipment.tracking_no}", at)
    db.session.flush()
    return shipment


def add_carrier_event(
    shipment: Shipment,
    code: CarrierEventCode,
    *,
    at: datetime | None = None,
    city: str = "济南",
    note: str = "",
    event_id: str | None = None,
) -> CarrierEvent:
    """An event as the webhook stores it; the parcel's status follows its timeline."""
    at = at or clock.now()
    event = CarrierEvent(
        shipment_id=shipment.id,
        carrier_code=shipment.carrier_code,
        event_id=event_id or f"EV-{next(_seq)}",
        code=code,
        city=city,
        note=note,
        event_at=at,
        received_at=clock.now(),
    )
    db.session.add(event)
    db.session.flush()
    db.session.refresh(shipment, ["events"])
    shipment.status = fulfillment_domain.shipment_status(shipment.timeline())
    shipment.delivered_at = fulfillment_domain.delivered_at(shipment.timeline())
    db.session.flush()
    return event


def deliver_order(order: Order, *, at: datetime | None = None) -> Order:
    """Every parcel signed for: the order is delivered and its acceptance window runs."""
    at = at or clock.now()
    shipments = db.session.scalars(select(Shipment).where(Shipment.order_id == order.id)).all()
    for shipment in shipments:
        if shipment.status is not ShipmentStatus.DELIVERED:
            add_carrier_event(shipment, CarrierEventCode.DELIVERED, at=at, note="已签收")
    record, rows = _progress(order)
    progress = [fulfillment_domain.LineProgress(i, r.ordered_qty, r.shipped_qty) for i, r in rows.items()]
    assert fulfillment_domain.is_delivered(progress, [s.status for s in shipments]), "ship every quantity first"
    terms = policy_queries.terms_at(db.session, at)
    record.delivered_at = at
    record.acceptance_due_on = fulfillment_domain.acceptance_due_on(at, terms)
    order.status = OrderStatus.DELIVERED
    _record_status(order, None, "全部包裹已签收", at)
    db.session.flush()
    return order


def accept_order(
    order: Order,
    rejected: Mapping[int, int] | None = None,
    *,
    reason: str = "外箱破损",
    by: User | None = None,
    at: datetime | None = None,
) -> Order:
    """The buyer's acceptance (by nobody: automatic), rejecting the given quantities by order line
    id. The money follows the acceptance rules: a card order is refunded (recorded as done), a
    transfer order gets its payable; the evaluation and after-sales windows start."""
    at = at or clock.now()
    rejected = dict(rejected or {})
    record, rows = _progress(order)
    lines = [
        fulfillment_domain.LineValue(line.id, rows[line.id].shipped_qty, line.line_total_fen, line.refunded_fen)
        for line in order.lines
    ]
    verdicts = fulfillment_domain.check_verdicts(
        lines, [fulfillment_domain.LineVerdict(i, rows[i].shipped_qty - q, q, reason) for i, q in rejected.items()]
    )
    money = fulfillment_domain.acceptance_money(
        lines, verdicts, paid_fen=order.paid_fen, refunded_fen=order.refunded_fen
    )
    terms = policy_queries.terms_at(db.session, at)
    for line in order.lines:
        verdict, row = verdicts[line.id], rows[line.id]
        row.accepted_qty, row.rejected_qty = verdict.accepted_qty, verdict.rejected_qty
        row.rejected_fen, row.reason = money.rejected_fen[line.id], verdict.reason
        line.refunded_fen += money.refund_fen[line.id]
    order.refunded_fen += money.total_refund_fen
    if money.total_refund_fen:
        order.payment_status = (
            PaymentStatus.REFUNDED if order.refunded_fen >= order.paid_fen else PaymentStatus.PARTIALLY_REFUNDED
        )
    storages = [db.session.get(Product, line.product_id).storage for line in order.lines]
    record.accepted_at, record.accepted_by_id, record.auto_accepted = at, by.id if by else None, by is None
    record.rejected_fen, record.refund_fen = money.total_rejected_fen, money.total_refund_fen
    record.evaluation_due_on = fulfillment_domain.evaluation_due_on(at, terms)
    record.aftersales_closes_at = fulfillment_domain.order_aftersales_closes_at(record.delivered_at, storages, terms)
    if order.payment_mode is PaymentMode.TRANSFER:
        term = fulfillment_domain.check_term_days(None, terms)
        db.session.add(
            Payable(
                order_id=order.id,
                unit_id=order.unit_id,
                supplier_id=order.supplier_id,
                amount_fen=money.payable_fen,
                paid_fen=0,
                disputed_fen=0,
                term_days=term,
                accepted_on=policy_domain.beijing_date(at),
                due_on=fulfillment_domain.payable_due_on(at, term),
                status=PayableStatus.DUE,
                interest_paid_fen=0,
                created_at=at,
            )
        )
    order.status = OrderStatus.ACCEPTED
    _record_status(order, by.id if by else None, "已验收" if by else "逾期未验收，系统自动验收", at)
    db.session.flush()
    return order


def make_shipped_order(**overrides) -> Order:
    order = make_order(**overrides)
    ship_order(order)
    return order


def make_delivered_order(**overrides) -> Order:
    return deliver_order(make_shipped_order(**overrides))


def make_accepted_order(*, rejected: Mapping[int, int] | None = None, **overrides) -> Order:
    """An order accepted by its buyer; `rejected` maps line positions (0, 1, …) to quantities."""
    order = make_delivered_order(**overrides)
    buyer = db.session.get(User, order.buyer_id)
    by_id = {order.lines[i].id: q for i, q in (rejected or {}).items()}
    return accept_order(order, by_id, by=buyer)


def make_aftersales_case(
    order: Order,
    quantities: Mapping[int, int] | None = None,
    *,
    kind: AftersalesKind = AftersalesKind.REFUND,
    reason: str = "到货后发现受潮发霉",
    status: AftersalesStatus = AftersalesStatus.OPEN,
    at: datetime | None = None,
) -> AftersalesCase:
    """An after-sales case on an accepted order as the buyer opens it (`quantities` by line
    position, default one unit of the first line), asking back the goods' share of their lines."""
    at = at or clock.now()
    terms = policy_queries.terms_at(db.session, at)
    by_position = dict(quantities or {0: 1})
    lines = {order.lines[i].id: q for i, q in by_position.items()}
    value = sum(
        fulfillment_domain.goods_value_fen(
            fulfillment_domain.LineValue(line.id, line.quantity, line.line_total_fen, line.refunded_fen), lines[line.id]
        )
        for line in order.lines
        if line.id in lines
    )
    case = AftersalesCase(
        order_id=order.id,
        supplier_id=order.supplier_id,
        unit_id=order.unit_id,
        kind=kind,
        status=status,
        reason=reason,
        opened_by_id=order.buyer_id,
        opened_at=at,
        answer_due_at=fulfillment_domain.answer_due_at(at, terms),
        refund_fen=value if kind is not AftersalesKind.REPLACE else 0,
        refund_attempts=0,
    )
    case.lines = [AftersalesLine(order_line_id=i, quantity=q) for i, q in lines.items()]
    db.session.add(case)
    db.session.flush()
    return case

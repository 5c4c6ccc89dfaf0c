"""Cart actions (add, change, remove, accept new prices), the unit's address book, its purchase
settings and its saved 公务卡. One public function per user action, one transaction each.

Every change of a cart first bumps the cart's version with an UPDATE: on PostgreSQL that row
lock queues two buyers editing (or checking out) the same unit cart; on SQLite the write lock
does the same.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog.models import Product
from mall import audit, clock
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import NotFoundError, PermissionDeniedError
from mall.units.domain import check_credit_code
from mall.units.models import Unit
from orders import domain, payments, queries
from orders.domain import AddressInput, CartKind
from orders.models import Cart, CartLine, PaymentCard, UnitAddress, UnitPurchaseSettings, owner_key

log = logging.getLogger(__name__)


def get_or_create_cart(session: Session, user: User, kind: CartKind) -> Cart:
    """The user's cart of that kind. A new (empty) cart is committed on its own: two buyers
    adding their unit's first item at once meet on the unique owner key, and the loser reads
    the winner's cart."""
    cart = queries.find_cart(session, user, kind)
    if cart is not None:
        return cart
    now = clock.now()
    cart = Cart(
        owner_key=queries.cart_owner_key(user, kind),
        kind=kind,
        unit_id=user.unit_id,
        user_id=user.id if kind is CartKind.PERSONAL else None,
        created_at=now,
        updated_at=now,
    )
    session.add(cart)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        cart = queries.find_cart(session, user, kind)
        if cart is None:
            raise
    return cart


def lock_cart(session: Session, cart_id: int, now: datetime) -> None:
    session.execute(
        update(Cart).where(Cart.id == cart_id).values(version=Cart.version + 1, updated_at=now),
        execution_options={"synchronize_session": False},
    )


def lock_cart_of(session: Session, owner: str, now: datetime) -> int | None:
    """lock_cart by the owner key, in the same statement that finds the cart: its id, or None."""
    return session.scalar(
        update(Cart).where(Cart.owner_key == owner).values(version=Cart.version + 1, updated_at=now).returning(Cart.id),
        execution_options={"synchronize_session": False},
    )


def _check_line(product: Product, quantity: int) -> int:
    return domain.check_quantity(
        quantity,
        min_order_qty=product.min_order_qty,
        pack_size=product.pack_size,
        stock_qty=product.stock_qty,
        sale_unit=product.sale_unit,
    )


def add_to_cart(session: Session, *, actor: User, product_id: int, quantity: int, purpose: str) -> CartLine:
    """Put a product in the unit's cart (canteen or union) or in the employee's own cart
    (personal). The same product for the same purpose adds to the existing line. The total
    quantity must respect the minimum order quantity, the pack size and the stock.

    Raises InvalidPurposeError, PurposeNotAllowedError, NotFoundError (product not on sale),
    InvalidQuantityError, BelowMinimumOrderError, PackSizeError, StockInsufficientError.
    """
    chosen = domain.check_purpose(purpose, actor.roles)
    kind = queries.check_cart_kind(actor, domain.cart_kind_for(chosen))
    domain.check_quantity(quantity, min_order_qty=1)
    product = queries.product_on_sale(session, product_id)
    now = clock.now()
    owner = queries.cart_owner_key(actor, kind)
    cart_id = lock_cart_of(session, owner, now)
    if cart_id is None:  # the first line: make the cart, then lock it
        get_or_create_cart(session, actor, kind)
        product = queries.product_on_sale(session, product_id)
        cart_id = lock_cart_of(session, owner, now)
    line = session.scalar(
        select(CartLine).where(
            CartLine.cart_id == cart_id, CartLine.product_id == product.id, CartLine.purpose == chosen
        )
    )
    total = _check_line(product, quantity + (line.quantity if line else 0))
    if line is None:
        line = CartLine(
            cart_id=cart_id,
            product_id=product.id,
            purpose=chosen,
            quantity=total,
            added_by_id=actor.id,
            added_at=now,
        )
        session.add(line)
    line.quantity = total
    line.seen_price_fen = product.price_fen  # the price the product page showed
    line.updated_by_id, line.updated_at = actor.id, now
    product_id = product.id
    session.commit()
    log.info("cart %s: +%s of product %s (%s) by user %s", cart_id, quantity, product_id, chosen, actor.id)
    return line


def update_cart_line(session: Session, *, actor: User, line_id: int, quantity: int) -> CartLine:
    """Change a line's quantity: anyone of the unit whose roles allow the line's purpose (the
    rule of add_to_cart: a union officer leaves the canteen's lines alone). Raises NotFoundError
    for a line of another cart, PurposeNotAllowedError, and the quantity errors of add_to_cart."""
    line = queries.get_cart_line(session, actor, line_id)
    domain.check_purpose_allowed(line.purpose, actor.roles, doing="修改")
    now = clock.now()
    lock_cart(session, line.cart_id, now)
    line.quantity = _check_line(line.product, quantity)
    line.updated_by_id, line.updated_at = actor.id, now
    session.commit()
    log.info("cart line %s: quantity %s by user %s", line_id, quantity, actor.id)
    return line


def remove_cart_line(session: Session, *, actor: User, line_id: int) -> None:
    """Take a line out of the cart, if the user's roles allow its purpose. Raises NotFoundError
    for a line of another cart, PurposeNotAllowedError."""
    line = queries.get_cart_line(session, actor, line_id)
    domain.check_purpose_allowed(line.purpose, actor.roles, doing="移除")
    lock_cart(session, line.cart_id, clock.now())
    session.delete(line)
    session.commit()
    log.info("cart line %s removed by user %s", line_id, actor.id)


def accept_cart_prices(session: Session, *, actor: User, kind: str | None = None) -> int:
    """The buyer has seen the current prices: the seen price of every line they may act on
    (domain.may_act_on) becomes the current one. Returns how many lines changed."""
    cart = queries.find_cart(session, actor, queries.check_cart_kind(actor, kind))
    if cart is None:
        return 0
    now = clock.now()
    lock_cart(session, cart.id, now)
    changed = 0
    mine = domain.partition_by_purpose(queries.cart_lines(session, cart.id), actor.roles).mine
    for line in mine:
        if line.seen_price_fen != line.product.price_fen:
            line.seen_price_fen = line.product.price_fen
            line.updated_by_id, line.updated_at = actor.id, now
            changed += 1
    session.commit()
    log.info("cart %s: %s new prices accepted by user %s", cart.id, changed, actor.id)
    return changed


def restore_lines(session: Session, *, cart_key: str, unit_id: int, user_id: int | None, lines, now: datetime) -> None:
    """Put an order's lines back in the cart they came from (a payment failed): same product,
    purpose, quantity and who added it, merged with what was added since. The caller commits."""
    cart = session.scalar(select(Cart).where(Cart.owner_key == cart_key))
    if cart is None:
        kind = CartKind.PERSONAL if cart_key.startswith("user:") else CartKind.UNIT
        cart = Cart(owner_key=cart_key, kind=kind, unit_id=unit_id, user_id=user_id, created_at=now, updated_at=now)
        session.add(cart)
        session.flush()
    lock_cart(session, cart.id, now)
    for order_line, purpose in lines:
        line = session.scalar(
            select(CartLine).where(
                CartLine.cart_id == cart.id, CartLine.product_id == order_line.product_id, CartLine.purpose == purpose
            )
        )
        if line is None:
            line = CartLine(
                cart_id=cart.id,
                product_id=order_line.product_id,
                purpose=purpose,
                quantity=0,
                seen_price_fen=order_line.unit_price_fen,
                added_by_id=order_line.added_by_id,
                added_at=now,
            )
            session.add(line)
        line.quantity += order_line.quantity
        line.updated_by_id, line.updated_at = order_line.added_by_id, now


# ---- addresses, settings, cards ----------------------------------------------------------------

ADDRESS_ROLES = (Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER)


def add_address(
    session: Session,
    *,
    actor: User,
    label: str,
    recipient: str,
    phone: str,
    detail: str,
    is_default: bool = False,
) -> UnitAddress:
    """Save a delivery address in the unit's address book (buyers, admin, union officer).
    Raises PermissionDeniedError, InvalidAddressError."""
    if actor.unit_id is None or not actor.has_role(*ADDRESS_ROLES):
        raise PermissionDeniedError("只有本单位采购人、管理员或工会经办人可以添加收货地址")
    return save_address(
        session,
        unit_id=actor.unit_id,
        actor_id=actor.id,
        data=AddressInput(label=label, recipient=recipient, phone=phone, detail=detail),
        is_default=is_default,
    )


def save_address(
    session: Session, *, unit_id: int, actor_id: int | None, data: AddressInput, is_default: bool = False
) -> UnitAddress:
    """Add an address to a unit's address book (also used by seeding). The first address, or
    one marked default, becomes the default."""
    clean = domain.check_address(data)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("未找到该单位")
    existing = queries.addresses(session, unit_id)
    make_default = is_default or not existing
    if make_default:
        for other in existing:
            other.is_default = False
    address = UnitAddress(
        unit_id=unit_id,
        label=clean.label,
        recipient=clean.recipient,
        phone=clean.phone,
        detail=clean.detail,
        region_code=unit.region_code,
        is_default=make_default,
        created_by_id=actor_id,
        created_at=clock.now(),
    )
    session.add(address)
    session.commit()
    log.info("address %s added to unit %s", address.id, unit_id)
    return address


def update_purchase_settings(
    session: Session,
    *,
    actor: User,
    approval_threshold_fen: int | None,
    invoice_title: str,
    invoice_tax_id: str,
) -> UnitPurchaseSettings:
    """The unit admin sets the amount above which a purchase needs approval (None: never) and
    the invoice title and tax id. Raises PermissionDeniedError, InvalidSettingsError,
    InvalidCreditCodeError."""
    if actor.unit_id is None or not actor.has_role(Role.UNIT_ADMIN):
        raise PermissionDeniedError("只有单位管理员可以修改采购设置")
    settings = queries.purchase_settings(session, actor.unit_id)
    if settings is None:
        settings = UnitPurchaseSettings(unit_id=actor.unit_id)
        session.add(settings)
    settings.approval_threshold_fen = domain.check_threshold(approval_threshold_fen)
    settings.invoice_title = domain.check_invoice_title(invoice_title)
    settings.invoice_tax_id = check_credit_code(invoice_tax_id)
    settings.updated_by_id, settings.updated_at = actor.id, clock.now()
    audit.record(
        session,
        actor_id=actor.id,
        action="orders.settings",
        target_type="unit",
        target_id=actor.unit_id,
        approval_threshold_fen=settings.approval_threshold_fen,
    )
    session.commit()
    log.info("unit %s settings: threshold=%s", actor.unit_id, settings.approval_threshold_fen)
    return settings


def register_payment_card(
    session: Session,
    *,
    actor: User,
    kind: CartKind,
    holder_name: str,
    card_number: str,
    exp_month: int,
    exp_year: int,
    cvc: str,
) -> PaymentCard:
    """The unit admin registers (or replaces) the unit's 公务卡; an employee their own card for
    personal purchases. Raises PermissionDeniedError, InvalidCardError, PaymentUnavailableError."""
    if actor.unit_id is None:
        raise PermissionDeniedError()
    if kind is CartKind.UNIT and not actor.has_role(Role.UNIT_ADMIN):
        raise PermissionDeniedError("只有单位管理员可以登记单位公务卡")
    if kind is CartKind.PERSONAL and not actor.has_role(Role.EMPLOYEE):
        raise PermissionDeniedError()
    return save_payment_card(
        session,
        unit_id=actor.unit_id,
        user_id=actor.id if kind is CartKind.PERSONAL else None,
        holder_name=holder_name,
        card_number=card_number,
        exp_month=exp_month,
        exp_year=exp_year,
        cvc=cvc,
        actor_id=actor.id,
    )


def save_payment_card(
    session: Session,
    *,
    unit_id: int,
    user_id: int | None,
    holder_name: str,
    card_number: str,
    exp_month: int,
    exp_year: int,
    cvc: str,
    actor_id: int | None = None,
    label: str = "",
) -> PaymentCard:
    """Save a card with the payment gateway (a Stripe customer with the card as its default
    payment method) and keep its ids and last four digits (also used by seeding)."""
    digits = domain.check_card(card_number, exp_month, exp_year, cvc, today=clock.today())
    kind = CartKind.PERSONAL if user_id else CartKind.UNIT
    key = owner_key(kind, unit_id=unit_id, user_id=user_id)
    holder = (holder_name or "").strip()[:40] or "持卡人"
    try:
        saved = payments.gateway().save_card(
            holder_name=holder,
            card_number=digits,
            exp_month=exp_month,
            exp_year=exp_year,
            cvc=cvc,
            metadata={"owner": key},
        )
    except payments.GatewayUnavailableError:
        raise domain.PaymentUnavailableError() from None
    except payments.GatewayRejectedError:
        raise domain.InvalidCardError("发卡行拒绝了该卡，请核对或更换") from None
    card = queries.payment_card(session, key)
    if card is None:
        card = PaymentCard(owner_key=key, unit_id=unit_id, user_id=user_id, created_at=clock.now())
        session.add(card)
    card.label = label or ("公务卡" if kind is CartKind.UNIT else "个人银行卡")
    card.holder_name = holder
    card.brand, card.last4 = saved.brand, saved.last4
    card.stripe_customer_id, card.stripe_payment_method_id = saved.customer_id, saved.payment_method_id
    audit.record(session, actor_id=actor_id, action="orders.card", target_type="card", target_id=key, last4=saved.last4)
    session.commit()
    log.info("card saved for %s (last4 %s)", key, saved.last4)
    return card

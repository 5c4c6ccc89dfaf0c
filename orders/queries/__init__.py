"""Reads of carts, addresses, settings, cards and orders, with getters that check the scope:
another unit's (or another supplier's, or another employee's) id is "not found", never its data.
Approvals and split purchases are read in `orders.queries.approvals`.

Who sees what: the unit's buyers, admin and union officer share the unit cart and see the
unit's canteen and union orders; an employee sees only their personal cart and orders; a
supplier sees the orders placed with it; a finance officer sees transfers due in its region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session, lazyload, selectinload

from catalog.domain import ProductStatus
from catalog.models import Product, Supplier
from catalog.queries import supplier_for_user
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.bounds import is_id
from mall.errors import NotFoundError
from mall.regions import queries as region_queries
from mall.regions.models import Region
from mall.units.models import Unit
from orders import domain
from orders.domain import (
    UNIT_PURPOSES,
    CartKind,
    OrderFilters,
    OrderStatus,
    PaymentMode,
    PaymentStatus,
    Purpose,
)
from orders.models import (
    Cart,
    CartLine,
    Order,
    OrderLine,
    PaymentCard,
    UnitAddress,
    UnitPurchaseSettings,
    owner_key,
)
from orders.queries.approvals import local_day_start

UNIT_CART_ROLES = frozenset({Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER})
PERSONAL_CART_ROLES = frozenset({Role.EMPLOYEE})


def cart_kinds(user: User) -> list[CartKind]:
    """The carts a user may use: the unit's shared cart and/or their own personal cart."""
    if user.unit_id is None:
        return []
    kinds = []
    if user.roles & UNIT_CART_ROLES:
        kinds.append(CartKind.UNIT)
    if user.roles & PERSONAL_CART_ROLES:
        kinds.append(CartKind.PERSONAL)
    return kinds


def default_cart_kind(user: User) -> CartKind | None:
    kinds = cart_kinds(user)
    return kinds[0] if kinds else None


def check_cart_kind(user: User, kind: CartKind | str | None) -> CartKind:
    """The cart a request names (or the user's default), if the user may use it; else not found."""
    if kind is None or kind == "":
        chosen = default_cart_kind(user)
    else:
        chosen = CartKind(kind) if kind in set(CartKind) else None
    if chosen is None or chosen not in cart_kinds(user):
        raise NotFoundError("没有可用的购物车")
    return chosen


def cart_owner_key(user: User, kind: CartKind) -> str:
    return owner_key(kind, unit_id=user.unit_id or 0, user_id=user.id)


def find_cart(session: Session, user: User, kind: CartKind) -> Cart | None:
    return session.scalar(select(Cart).where(Cart.owner_key == cart_owner_key(user, kind)))


def product_on_sale(session: Session, product_id: object) -> Product:
    """A product on sale, its own columns only (what a cart line needs); else not found."""
    product = (
        session.scalar(
            select(Product)
            .where(Product.id == product_id, Product.status == ProductStatus.APPROVED)
            .options(lazyload("*"))
        )
        if is_id(product_id)
        else None
    )
    if product is None:
        raise NotFoundError("商品不存在或已下架")
    return product


def cart_lines(session: Session, cart_id: int) -> list[CartLine]:
    return list(session.scalars(select(CartLine).where(CartLine.cart_id == cart_id).order_by(CartLine.id)))


def get_cart_line(session: Session, user: User, line_id: int) -> CartLine:
    """A line of a cart the user may edit; any other line is not found."""
    line = session.get(CartLine, line_id)
    keys = {cart_owner_key(user, kind) for kind in cart_kinds(user)}
    if line is None or line.cart.owner_key not in keys:
        raise NotFoundError("购物车中没有该商品")
    return line


def cart_line_count(session: Session, user: User, kind: CartKind) -> int:
    return (
        session.scalar(
            select(func.count(CartLine.id))
            .join(Cart, Cart.id == CartLine.cart_id)
            .where(Cart.owner_key == cart_owner_key(user, kind))
        )
        or 0
    )


# ---- addresses, settings, cards -----------------------------------------------------------------


def addresses(session: Session, unit_id: int) -> list[UnitAddress]:
    return list(
        session.scalars(
            select(UnitAddress)
            .where(UnitAddress.unit_id == unit_id)
            .order_by(UnitAddress.is_default.desc(), UnitAddress.id)
        )
    )


def get_address(session: Session, *, unit_id: int, address_id: object) -> UnitAddress:
    address = session.get(UnitAddress, address_id) if is_id(address_id) else None
    if address is None or address.unit_id != unit_id:
        raise NotFoundError("未找到该收货地址")
    return address


def purchase_settings(session: Session, unit_id: int) -> UnitPurchaseSettings | None:
    return session.get(UnitPurchaseSettings, unit_id)


def invoice_for(session: Session, unit: Unit) -> tuple[str, str]:
    """The invoice title (发票抬头) and tax id: the unit's settings, or its name and credit code."""
    return invoice_of(unit, purchase_settings(session, unit.id))


def invoice_of(unit: Unit, settings: UnitPurchaseSettings | None) -> tuple[str, str]:
    if settings is not None:
        return settings.invoice_title, settings.invoice_tax_id
    return unit.name, unit.credit_code or ""


def payment_card(session: Session, key: str) -> PaymentCard | None:
    return session.scalar(select(PaymentCard).where(PaymentCard.owner_key == key))


# ---- orders -----------------------------------------------------------------------------------


def _buyer_scope(user: User) -> ColumnElement[bool]:
    """The orders a unit member may see: the unit's canteen/union orders (buyers, admin, union
    officer) and their own personal orders (employees)."""
    conditions = []
    if user.unit_id is not None and user.roles & UNIT_CART_ROLES:
        conditions.append(and_(Order.unit_id == user.unit_id, Order.purpose.in_(UNIT_PURPOSES)))
    if user.unit_id is not None and user.roles & PERSONAL_CART_ROLES:
        conditions.append(and_(Order.buyer_id == user.id, Order.purpose == Purpose.PERSONAL))
    return or_(*conditions) if conditions else false()


def _filtered(stmt: Select, filters: OrderFilters) -> Select:
    if filters.status:
        stmt = stmt.where(Order.status == filters.status)
    if filters.purpose:
        stmt = stmt.where(Order.purpose == filters.purpose)
    if filters.date_from:
        stmt = stmt.where(Order.created_at >= local_day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(Order.created_at < local_day_start(filters.date_to + timedelta(days=1)))
    if filters.checkout_id:
        stmt = stmt.where(Order.checkout_id == filters.checkout_id)
    return stmt.order_by(Order.created_at.desc(), Order.id.desc())


# What order lists and pages show besides the order's own columns (loaded in one query each).
WITH_PARTIES = (selectinload(Order.supplier), selectinload(Order.unit), selectinload(Order.buyer))


def buyer_orders_select(user: User, filters: OrderFilters) -> Select:
    return _filtered(select(Order).where(_buyer_scope(user)).options(*WITH_PARTIES), filters)


def supplier_orders_select(supplier_id: int, filters: OrderFilters) -> Select:
    return _filtered(select(Order).where(Order.supplier_id == supplier_id).options(*WITH_PARTIES), filters)


def _order_with_details(session: Session, order_id: object) -> Order | None:
    if not isinstance(order_id, int):
        return None
    # populate_existing: a page or API answer right after a change shows the committed state.
    return session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .options(
            *WITH_PARTIES,
            selectinload(Order.lines),
            selectinload(Order.history),
            selectinload(Order.refunds),
        )
        .execution_options(populate_existing=True)
    )


def get_order_for_buyer(session: Session, user: User, order_id: object) -> Order:
    order = _order_with_details(session, order_id)
    if order is None or not session.scalar(select(func.count()).where(Order.id == order.id, _buyer_scope(user))):
        raise NotFoundError("未找到该订单")
    return order


def get_order_for_supplier(session: Session, supplier_id: int | None, order_id: object) -> Order:
    order = _order_with_details(session, order_id)
    if order is None or supplier_id is None or order.supplier_id != supplier_id:
        raise NotFoundError("未找到该订单")
    return order


def checkout_orders(session: Session, checkout_id: int) -> list[Order]:
    return list(
        session.scalars(
            select(Order)
            .where(Order.checkout_id == checkout_id)
            .options(selectinload(Order.supplier))
            .order_by(Order.id)
        )
    )


def _region_units(region_code: str):
    return select(Unit.id).join(Region, Region.code == Unit.region_code).where(region_queries.within(region_code))


def transfers_select(region_code: str, *, awaiting: bool = True) -> Select:
    """Transfer-mode orders of units in a finance officer's region (awaiting payment first)."""
    stmt = (
        select(Order)
        .options(*WITH_PARTIES)
        .where(
            Order.payment_mode == PaymentMode.TRANSFER,
            Order.unit_id.in_(_region_units(region_code)),
            Order.status != OrderStatus.CANCELLED,
        )
    )
    if awaiting:
        stmt = stmt.where(Order.payment_status == PaymentStatus.AWAITING_TRANSFER)
    return stmt.order_by(Order.created_at.desc(), Order.id.desc())


def get_transfer_for_finance(session: Session, user: User, order_id: object) -> Order:
    order = _order_with_details(session, order_id)
    if (
        order is None
        or not user.region_code
        or not user.has_role(Role.FINANCE_OFFICER)
        or not session.scalar(
            select(func.count()).where(Unit.id == order.unit_id, Unit.id.in_(_region_units(user.region_code)))
        )
    ):
        raise NotFoundError("未找到该订单")
    return order


def status_counts(session: Session, stmt: Select) -> dict[OrderStatus, int]:
    sub = stmt.order_by(None).subquery()
    rows = session.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    return {OrderStatus(status): n for status, n in rows}


def supplier_of(session: Session, user: User) -> Supplier | None:
    return supplier_for_user(session, user.id) if user.has_role(Role.SUPPLIER) else None


def order_lines(session: Session, order_id: int) -> list[OrderLine]:
    return list(session.scalars(select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id)))


# ---- the cart as pages and the API show it ---------------------------------------------------------


@dataclass(frozen=True)
class CartGroup:
    supplier: Supplier
    lines: list[CartLine]

    @property
    def total_fen(self) -> int:
        return _total_fen(self.lines)


@dataclass(frozen=True)
class CartSummary:
    kind: CartKind
    version: int
    lines: list[CartLine]
    total_fen: int  # at today's prices
    changed: list[CartLine]  # lines of the user's purposes whose price changed since they last saw it
    groups: list[CartGroup]  # by supplier, as the checkout will split them
    others: list[CartLine]  # lines of purposes the user may not act on (domain.may_act_on)
    checkout_total_fen: int  # what the user's checkout would take: the lines not in `others`

    @property
    def is_empty(self) -> bool:
        return not self.lines


def cart_summary(session: Session, user: User, kind: CartKind, *, checkout_only: bool = False) -> CartSummary:
    """The cart as the user sees it: every line, with the ones of purposes they may not act on
    in `others`. `checkout_only`: as the checkout page shows it, only the lines the user's
    checkout takes (`others` still says what stays behind)."""
    cart = find_cart(session, user, kind)
    every = cart_lines(session, cart.id) if cart else []
    mine, others = domain.partition_by_purpose(every, user.roles)
    lines = mine if checkout_only else every
    groups: dict[int, CartGroup] = {}
    for line in lines:
        groups.setdefault(line.product.supplier_id, CartGroup(line.product.supplier, [])).lines.append(line)
    return CartSummary(
        kind=kind,
        version=cart.version if cart else 0,
        lines=lines,
        total_fen=_total_fen(lines),
        changed=[line for line in mine if line.product.price_fen != line.seen_price_fen],
        groups=list(groups.values()),
        others=others,
        checkout_total_fen=_total_fen(mine),
    )


def _total_fen(lines: list[CartLine]) -> int:
    return sum(line.product.price_fen * line.quantity for line in lines)

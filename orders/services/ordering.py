"""Checkout: a cart becomes one order per supplier and purpose (approval: `approvals`).

A checkout honours an Idempotency-Key: the key is claimed first in the transaction (unique per
user), so a duplicate request waits on it, then replays the first request's result instead of
creating anything; the same key with another request is a conflict. Stock is taken with a
conditional UPDATE (`stock_qty >= wanted`) in product-id order, so concurrent checkouts queue on
the product rows instead of overselling or deadlocking. Prices are re-read, and the total the
page showed must match the server's, or nothing is created.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from catalog.domain import ProductStatus, SupplierStatus
from catalog.models import Product, Supplier
from catalog.search import outbox
from mall import audit, clock
from mall.accounts.models import User
from orders import domain, queries
from orders.domain import (
    AttemptStatus,
    CartKind,
    OrderDraft,
    PaymentMode,
    PricedLine,
    ReservationStatus,
)
from orders.models import (
    CartLine,
    Checkout,
    IdempotencyKey,
    Order,
    OrderLine,
    OrderStatusChange,
    PaymentAttempt,
    PaymentCard,
    StockReservation,
    UnitAddress,
    owner_key,
)
from orders.services import approvals, moves, settlement
from orders.services.cart import lock_cart_of

log = logging.getLogger(__name__)

REPLAY_WAIT_SECONDS = 30.0  # how long a duplicate request waits for the first one's outcome


@dataclass(frozen=True)
class CheckoutRequest:
    """What the buyer chose on the checkout page (or sent to POST /api/v1/checkout)."""

    address_id: int
    payment_mode: str
    expected_total_fen: int
    cart: str | None = None  # "unit" or "personal"; None: the user's first cart
    delivery_on: date | None = None
    note: str = ""

    def fingerprint(self) -> str:
        return domain.request_fingerprint(
            {
                "address_id": self.address_id,
                "payment_mode": self.payment_mode,
                "expected_total_fen": self.expected_total_fen,
                "cart": self.cart or "",
                "delivery_on": self.delivery_on.isoformat() if self.delivery_on else "",
                "note": self.note,
            }
        )


def checkout(session: Session, *, actor: User, request: CheckoutRequest, idempotency_key: str) -> Checkout:
    """Turn the cart into orders, one per supplier and purpose, in one transaction; then, for a
    card payment without approval, charge the unit's 公务卡 (DOMAIN.md; DESIGN.md, Payments).

    Transfer: the orders are placed and a payable is due 30 days after acceptance. Above the
    unit's approval threshold: the orders wait for the unit admin with their stock held. Card:
    the stock is held while the payment runs; a declined card cancels the orders, releases the
    stock and puts the lines back in the cart.

    Only the lines of purposes the user's roles allow are taken (domain.partition_by_purpose):
    the union officer checks out the union welfare lines, the buyers the canteen lines; what
    is not theirs stays in the unit's shared cart. A checkout that stays under the threshold
    but completes a split purchase is flagged to the unit's admins (approvals).

    Raises InvalidIdempotencyKeyError, IdempotencyConflictError, IdempotencyInProgressError,
    NotFoundError (cart or address), CartEmptyError, PurposeNotAllowedError (nothing in the
    cart is the user's to check out), ProductUnavailableError, the quantity
    errors, PriceChangedError, ExpectedTotalMismatchError, InvalidPaymentModeError,
    InvalidDeliveryDateError, PaymentCardMissingError, StockInsufficientError, CartChangedError,
    PaymentFailedError (after committing the failure).
    """
    key = domain.check_idempotency_key(idempotency_key)
    fingerprint = request.fingerprint()
    now = clock.now()
    claim = _claim_key(session, actor.id, key, fingerprint, now)
    if isinstance(claim, Checkout):
        return claim
    placed, attempt, card = _place(session, actor, request, now)
    approvals.flag_split_purchases(session, placed, now)
    claim.checkout_id = placed.id
    if attempt is None:
        claim.completed_at, claim.response_status = now, 201
    facts = (placed.id, placed.unit_id, placed.total_fen, placed.payment_mode, placed.approval_status)
    session.commit()
    log.info("checkout %s: unit=%s total=%s fen mode=%s approval=%s", *facts)
    if attempt is not None:
        settlement.run_payment(session, attempt.id, card)
    return placed


def _claim_key(session: Session, user_id: int, key: str, fingerprint: str, now: datetime) -> IdempotencyKey | Checkout:
    claim = IdempotencyKey(user_id=user_id, key=key, request_hash=fingerprint, created_at=now)
    session.add(claim)
    try:
        session.flush()  # a concurrent request with this key waits here until the first one ends
        return claim
    except IntegrityError:  # the key was used before (or just now, by a request that has ended)
        session.rollback()
    existing = session.scalar(
        select(IdempotencyKey.id).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )
    if existing is None:
        raise domain.IdempotencyInProgressError()
    return _replay(session, existing, fingerprint)


def _replay(session: Session, key_id: int, fingerprint: str) -> Checkout:
    """The first request's result: the same checkout, or the same payment failure."""
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while True:
        row = session.get(IdempotencyKey, key_id, populate_existing=True)
        if row.request_hash != fingerprint:
            raise domain.IdempotencyConflictError()
        if row.completed_at is not None:
            break
        if time.monotonic() > deadline:
            raise domain.IdempotencyInProgressError()
        session.rollback()  # end this read so the next one sees the first request's commit
        time.sleep(0.05)
    if row.response_status == domain.PaymentFailedError.http_status:
        raise domain.PaymentFailedError(checkout_id=row.checkout_id)
    return session.get(Checkout, row.checkout_id)


@dataclass(frozen=True)
class _Plan:
    """What a checkout will write, all checked before anything is written."""

    kind: CartKind
    lines: list[CartLine]  # the cart lines this user checks out
    priced: list[PricedLine]
    drafts: list[OrderDraft]
    total_fen: int
    mode: PaymentMode
    delivery_on: date | None
    address: UnitAddress
    card: PaymentCard | None
    threshold_fen: int | None
    invoice: tuple[str, str]
    state: domain.InitialState


def _place(session: Session, actor: User, request: CheckoutRequest, now: datetime):
    plan = _plan(session, actor, request, now)
    _take_stock(session, plan.priced)
    placed = Checkout(
        unit_id=actor.unit_id,
        cart_kind=plan.kind,
        buyer_id=actor.id,
        payment_mode=plan.mode,
        total_fen=plan.total_fen,
        approval_status=plan.state.approval_status,
        approval_threshold_fen=plan.threshold_fen,
        created_at=now,
    )
    session.add(placed)
    session.flush()  # its id numbers the orders
    for order in _build_orders(plan, placed, actor, request.note, now):
        session.add(order)
    if plan.state.sold:
        _record_sales(session, plan.priced)
    _take_lines_from_cart(session, plan.lines)
    attempt = None
    if plan.card is not None and not plan.state.awaiting_approval:
        attempt = moves.new_attempt(session, placed, plan.card, plan.total_fen, now)
    audit.record(
        session,
        actor_id=actor.id,
        action="checkout.create",
        target_type="checkout",
        target_id=placed.id,
        total_fen=plan.total_fen,
    )
    session.flush()
    return placed, attempt, plan.card


def _plan(session: Session, actor: User, request: CheckoutRequest, now: datetime) -> _Plan:
    """Check everything the checkout depends on: the cart, the address, the payment mode and
    card, the delivery date, current prices against the total the page showed, approval."""
    kind = queries.check_cart_kind(actor, request.cart)
    lines = _lines_to_check_out(session, actor, kind, now)
    address = queries.get_address(session, unit_id=actor.unit_id, address_id=request.address_id)
    mode = domain.check_payment_mode(request.payment_mode, cart_kind=kind)
    delivery_on = domain.check_delivery_on(request.delivery_on, today=clock.today())
    priced = [_priced(session, line) for line in lines]
    drafts = domain.split_orders(priced)
    _check_suppliers_open(session, sorted({draft.supplier_id for draft in drafts}))
    total = domain.checkout_total_fen(drafts)
    domain.check_expected_total(total_fen=total, expected_total_fen=request.expected_total_fen, lines=priced)
    card = None
    if mode is PaymentMode.CARD:
        card = queries.payment_card(session, owner_key(kind, unit_id=actor.unit_id, user_id=actor.id))
        if card is None:
            raise domain.PaymentCardMissingError()
    settings = queries.purchase_settings(session, actor.unit_id)
    threshold = settings.approval_threshold_fen if settings else None
    awaiting_approval = domain.needs_approval(total, threshold, cart_kind=kind)
    return _Plan(
        kind=kind,
        lines=lines,
        priced=priced,
        drafts=drafts,
        total_fen=total,
        mode=mode,
        delivery_on=delivery_on,
        address=address,
        card=card,
        threshold_fen=threshold,
        invoice=queries.invoice_of(actor.unit, settings),
        state=domain.initial_state(mode, awaiting_approval=awaiting_approval, cart_kind=kind),
    )


def _lines_to_check_out(session: Session, actor: User, kind: CartKind, now: datetime) -> list[CartLine]:
    # A second checkout of this cart waits on this lock, then finds the cart empty.
    cart_id = lock_cart_of(session, queries.cart_owner_key(actor, kind), now)
    if cart_id is None:
        raise domain.CartEmptyError()
    # The lines and their products' own columns only (price, stock rules, supplier id), read
    # after the lock so they are the ones this checkout will take.
    in_cart = session.scalars(
        select(CartLine)
        .where(CartLine.cart_id == cart_id)
        .options(joinedload(CartLine.product).lazyload("*"))
        .order_by(CartLine.id)
        .execution_options(populate_existing=True)
    ).all()
    if not in_cart:
        raise domain.CartEmptyError()
    # Each checks out the purposes their roles allow; the others' lines stay in the shared cart.
    lines = domain.partition_by_purpose(in_cart, actor.roles).mine
    if not lines:
        raise domain.PurposeNotAllowedError(domain.NOTHING_TO_CHECK_OUT)
    return lines


def _take_stock(session: Session, priced: list[PricedLine]) -> None:
    """Stock first, in product-id order: concurrent checkouts lock the product rows in the same
    order, so they queue instead of deadlocking, and the guard keeps stock from going negative."""
    titles = {line.product_id: line.title for line in priced}
    for product_id, quantity in domain.quantities_by_product(priced).items():
        taken = session.execute(
            update(Product)
            .where(Product.id == product_id, Product.stock_qty >= quantity, Product.status == ProductStatus.APPROVED)
            .values(stock_qty=Product.stock_qty - quantity),
            execution_options={"synchronize_session": False},
        ).rowcount
        if taken != 1:
            raise domain.StockInsufficientError(f"“{titles[product_id]}”库存不足", product_id=product_id)


def _build_orders(plan: _Plan, placed: Checkout, actor: User, note: str, now: datetime) -> list[Order]:
    """One order per draft (supplier and purpose), with its lines, stock reservations and first
    history entry, in the state the checkout starts in."""
    state, address = plan.state, plan.address
    invoice_title, invoice_tax_id = plan.invoice
    orders = []
    for index, draft in enumerate(plan.drafts, 1):
        order = Order(
            number=domain.order_number(clock.local(now).date(), placed.id, index),
            checkout_id=placed.id,
            unit_id=actor.unit_id,
            supplier_id=draft.supplier_id,
            buyer_id=actor.id,
            purpose=draft.purpose,
            status=state.status,
            payment_mode=plan.mode,
            payment_status=state.payment_status,
            total_fen=draft.total_fen,
            paid_fen=0,
            refunded_fen=0,
            ship_to_name=address.recipient,
            ship_to_phone=address.phone,
            ship_to_address=address.detail,
            ship_to_region_code=address.region_code,
            delivery_on=plan.delivery_on,
            invoice_title=invoice_title,
            invoice_tax_id=invoice_tax_id,
            note=(note or "").strip()[:200],
            created_at=now,
            placed_at=now if state.sold else None,
        )
        _add_lines(order, draft, plan, placed.id, now)
        order.history.append(
            OrderStatusChange(
                status=state.status, payment_status=state.payment_status, actor_id=actor.id, note=state.note, at=now
            )
        )
        orders.append(order)
    return orders


def _add_lines(order: Order, draft: OrderDraft, plan: _Plan, checkout_id: int, now: datetime) -> None:
    """The draft's lines as bought (a snapshot of the product) and the stock each one holds."""
    sold = plan.state.sold
    added_by = {line.id: line.added_by_id for line in plan.lines}
    products = {line.product_id: line.product for line in plan.lines}
    expires_at = None if sold else domain.hold_until(now, awaiting_approval=plan.state.awaiting_approval)
    for line in draft.lines:
        product = products[line.product_id]
        order.lines.append(
            OrderLine(
                product_id=line.product_id,
                title=product.title,
                spec=product.spec,
                sale_unit=product.sale_unit,
                unit_price_fen=line.unit_price_fen,
                quantity=line.quantity,
                line_total_fen=line.total_fen,
                refunded_fen=0,
                added_by_id=added_by[line.cart_line_id],
            )
        )
        order.reservations.append(
            StockReservation(
                checkout_id=checkout_id,
                product_id=line.product_id,
                quantity=line.quantity,
                status=ReservationStatus.COMMITTED if sold else ReservationStatus.HELD,
                expires_at=expires_at,
                created_at=now,
                settled_at=now if sold else None,
            )
        )


def _record_sales(session: Session, priced: list[PricedLine]) -> None:
    """Sold at once: the products' sales count (search ranks by sales, so they are reindexed)."""
    wanted = domain.quantities_by_product(priced)
    for product_id, quantity in wanted.items():
        session.execute(
            update(Product).where(Product.id == product_id).values(sales_qty=Product.sales_qty + quantity),
            execution_options={"synchronize_session": False},
        )
    outbox.enqueue(session, list(wanted))


def _take_lines_from_cart(session: Session, lines: list[CartLine]) -> None:
    """The checked-out lines leave the cart; a line already gone means someone else changed it."""
    ids = [line.id for line in lines]
    if session.execute(delete(CartLine).where(CartLine.id.in_(ids))).rowcount != len(ids):
        raise domain.CartChangedError()


def _check_suppliers_open(session: Session, supplier_ids: list[int]) -> None:
    """Only admitted suppliers take orders: a suspended one (暂停, by the platform operator or its
    scorecard) does not. Read with a share lock, so a suspension committing meanwhile waits for
    this checkout or is seen by it."""
    closed = session.execute(
        select(Supplier.id, Supplier.name)
        .where(Supplier.id.in_(supplier_ids), Supplier.status != SupplierStatus.APPROVED)
        .order_by(Supplier.id)
        .with_for_update(read=True)
    ).first()
    if closed is not None:
        raise domain.SupplierSuspendedError(
            f"供应商“{closed.name}”已暂停接单，请从购物车中移除其商品", supplier_id=closed.id
        )


def _priced(session: Session, line: CartLine) -> PricedLine:
    product = line.product
    if product.status is not ProductStatus.APPROVED:
        raise domain.ProductUnavailableError(f"“{product.title}”已下架，请从购物车中移除", product_id=product.id)
    domain.check_quantity(
        line.quantity, min_order_qty=product.min_order_qty, pack_size=product.pack_size, sale_unit=product.sale_unit
    )
    return PricedLine(
        cart_line_id=line.id,
        product_id=product.id,
        supplier_id=product.supplier_id,
        purpose=line.purpose,
        quantity=line.quantity,
        unit_price_fen=product.price_fen,
        seen_price_fen=line.seen_price_fen,
        title=product.title,
    )


def last_attempt_status(session: Session, checkout_id: int) -> AttemptStatus | None:
    return session.scalar(
        select(PaymentAttempt.status)
        .where(PaymentAttempt.checkout_id == checkout_id)
        .order_by(PaymentAttempt.id.desc())
        .limit(1)
    )

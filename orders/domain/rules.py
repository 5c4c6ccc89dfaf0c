"""Cart line rules (stock, minimum order quantity, pack size), the split of a checkout into one
order per supplier and purpose, the expected-total check, approval, holds, due dates and refunds."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import attrgetter
from typing import Generic, NamedTuple, TypeVar

from mall.accounts.domain import Role
from mall.bounds import MAX_AMOUNT_FEN
from mall.errors import InvalidInputError
from mall.money import split_fen
from orders.domain.errors import (
    BelowMinimumOrderError,
    ExpectedTotalMismatchError,
    InvalidDeliveryDateError,
    InvalidPaymentModeError,
    InvalidPurposeError,
    InvalidQuantityError,
    PackSizeError,
    PriceChangedError,
    PurposeNotAllowedError,
    RefundExceedsPaidError,
    StockInsufficientError,
)
from orders.domain.states import (
    PURPOSE_LABELS,
    ApprovalStatus,
    CartKind,
    OrderStatus,
    PaymentMode,
    PaymentStatus,
    Purpose,
    allowed_purposes,
    card_name,
)

_Item = TypeVar("_Item")


class PurposeSplit(NamedTuple, Generic[_Item]):
    """What `partition_by_purpose` returns: the caller's items and the others."""

    mine: list[_Item]
    others: list[_Item]


# ---- cart line rules ---------------------------------------------------------------------------

MAX_LINE_QTY = 100_000  # a line's own rule, inside mall.bounds.MAX_QUANTITY


def check_quantity(
    quantity: object, *, min_order_qty: int, pack_size: int = 1, stock_qty: int | None = None, sale_unit: str = "件"
) -> int:
    """A cart or order quantity: a whole number, at least the minimum order quantity (起订量),
    a multiple of the pack size (整件), and no more than the stock when `stock_qty` is given.

    Raises InvalidQuantityError, BelowMinimumOrderError, PackSizeError, StockInsufficientError.
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_LINE_QTY:
        raise InvalidQuantityError()
    if quantity < min_order_qty:
        raise BelowMinimumOrderError(f"该商品{min_order_qty}{sale_unit}起订", min_order_qty=min_order_qty)
    if pack_size > 1 and quantity % pack_size:
        raise PackSizeError(f"该商品须按{pack_size}{sale_unit}的整数倍订购", pack_size=pack_size)
    if stock_qty is not None and quantity > stock_qty:
        raise StockInsufficientError(f"库存不足：现有{stock_qty}{sale_unit}", stock_qty=stock_qty)
    return quantity


def check_purpose(purpose: str, roles: Iterable[Role]) -> Purpose:
    """The purpose a user asked for, if their roles allow it. Raises InvalidPurposeError, PurposeNotAllowedError."""
    if purpose not in set(Purpose):
        raise InvalidPurposeError()
    return check_purpose_allowed(Purpose(purpose), roles)


def may_act_on(purpose: Purpose, roles: Iterable[Role]) -> bool:
    """Whether a user with these roles may add, change, remove, check out or cancel goods of this
    purpose: the purposes they may buy for (PURPOSES_BY_ROLE). A union officer handles union
    welfare only; the canteen's food is the buyers' (DOMAIN.md, roles table)."""
    return purpose in allowed_purposes(roles)


def check_purpose_allowed(purpose: Purpose, roles: Iterable[Role], *, doing: str = "采购") -> Purpose:
    """`may_act_on`, or PurposeNotAllowedError naming the purpose and what was refused."""
    if not may_act_on(purpose, roles):
        raise PurposeNotAllowedError(f"您的角色不能{doing}“{PURPOSE_LABELS[purpose]}”用途的商品或订单", purpose=purpose)
    return purpose


def partition_by_purpose(
    items: Iterable[_Item], roles: Iterable[Role], *, purpose: Callable[[_Item], Purpose] = attrgetter("purpose")
) -> PurposeSplit[_Item]:
    """The items (cart lines, orders: anything with a purpose) a user may act on, and the others,
    each in the given order. A shared unit cart holds the buyers' canteen lines and the union
    officer's welfare lines: each checks out their own and leaves the rest (`may_act_on`)."""
    held = frozenset(roles)
    mine: list[_Item] = []
    others: list[_Item] = []
    for item in items:
        (mine if may_act_on(purpose(item), held) else others).append(item)
    return PurposeSplit(mine, others)


# ---- checkout: pricing, split, totals ----------------------------------------------------------


@dataclass(frozen=True)
class PricedLine:
    """A cart line priced at checkout: `unit_price_fen` is the current price, `seen_price_fen`
    the price the buyer last saw (when adding, or when accepting a change)."""

    cart_line_id: int
    product_id: int
    supplier_id: int
    purpose: Purpose
    quantity: int
    unit_price_fen: int
    seen_price_fen: int
    title: str = ""

    @property
    def total_fen(self) -> int:
        return self.unit_price_fen * self.quantity

    @property
    def price_changed(self) -> bool:
        return self.unit_price_fen != self.seen_price_fen


@dataclass(frozen=True)
class OrderDraft:
    supplier_id: int
    purpose: Purpose
    lines: tuple[PricedLine, ...]

    @property
    def total_fen(self) -> int:
        return sum(line.total_fen for line in self.lines)


def split_orders(lines: Sequence[PricedLine]) -> list[OrderDraft]:
    """One order per supplier and purpose (canteen and union spend count to different targets,
    so one order never mixes them), in a stable order. Every line lands in exactly one order."""
    order = list(Purpose)

    def key(line: PricedLine) -> tuple[int, int]:
        return line.supplier_id, order.index(line.purpose)

    return [
        OrderDraft(supplier_id=supplier_id, purpose=order[purpose_index], lines=tuple(group))
        for (supplier_id, purpose_index), group in groupby(sorted(lines, key=key), key=key)
    ]


def checkout_total_fen(drafts: Sequence[OrderDraft]) -> int:
    return sum(d.total_fen for d in drafts)


def check_expected_total(*, total_fen: int, expected_total_fen: int, lines: Sequence[PricedLine]) -> None:
    """The page (or API client) sends the total it showed; the server's total must match, or
    nothing is created. A difference caused by a changed price is `price_changed` (the buyer must
    see and accept the new price); any other difference is `expected_total_mismatch`."""
    if expected_total_fen == total_fen:
        return
    changed = [line for line in lines if line.price_changed]
    if changed:
        raise PriceChangedError(
            total_fen=total_fen,
            changed=[
                {"product_id": line.product_id, "old_price_fen": line.seen_price_fen, "price_fen": line.unit_price_fen}
                for line in changed
            ],
        )
    raise ExpectedTotalMismatchError(total_fen=total_fen, expected_total_fen=expected_total_fen)


def parse_expected_total(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT_FEN:
        raise InvalidInputError(f"expected_total_fen 须为0至{MAX_AMOUNT_FEN}的整数（单位：分）")
    return value


def check_payment_mode(mode: str, *, cart_kind: CartKind) -> PaymentMode:
    """Card or transfer for a unit; an employee's personal purchase is paid by card."""
    if mode not in set(PaymentMode):
        raise InvalidPaymentModeError()
    chosen = PaymentMode(mode)
    if cart_kind is CartKind.PERSONAL and chosen is not PaymentMode.CARD:
        raise InvalidPaymentModeError("个人采购须在线支付")
    return chosen


def needs_approval(total_fen: int, threshold_fen: int | None, *, cart_kind: CartKind) -> bool:
    """A unit may require its admin's approval for purchases above an amount it sets."""
    return cart_kind is CartKind.UNIT and threshold_fen is not None and total_fen > threshold_fen


def quantities_by_product(lines: Sequence[PricedLine]) -> dict[int, int]:
    """How much of each product the lines take, in product-id order: the order in which
    concurrent checkouts take stock, so they queue on the product rows instead of deadlocking."""
    wanted: dict[int, int] = {}
    for line in lines:
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    return dict(sorted(wanted.items()))


@dataclass(frozen=True)
class InitialState:
    """The state a checkout's orders start in, with the note of their first history entry."""

    status: OrderStatus
    payment_status: PaymentStatus
    approval_status: ApprovalStatus
    note: str

    @property
    def sold(self) -> bool:
        """Placed at once (transfer, no approval): the stock is committed and counts as sold."""
        return self.status is OrderStatus.PLACED

    @property
    def awaiting_approval(self) -> bool:
        return self.status is OrderStatus.PENDING_APPROVAL


def initial_state(mode: PaymentMode, *, awaiting_approval: bool, cart_kind: CartKind) -> InitialState:
    """Above the threshold the orders wait for the unit admin; a card payment runs while they wait
    for it; a transfer places them at once, to be paid after acceptance."""
    if awaiting_approval:
        return InitialState(
            OrderStatus.PENDING_APPROVAL, PaymentStatus.UNPAID, ApprovalStatus.PENDING, "已提交，待单位管理员审批"
        )
    if mode is PaymentMode.CARD:
        note = f"已提交，{card_name(cart_kind)}支付中"
        return InitialState(OrderStatus.PENDING_PAYMENT, PaymentStatus.PROCESSING, ApprovalStatus.NOT_REQUIRED, note)
    note = f"已下单，对公转账（验收后{TRANSFER_TERM_DAYS}日内付款）"
    return InitialState(OrderStatus.PLACED, PaymentStatus.AWAITING_TRANSFER, ApprovalStatus.NOT_REQUIRED, note)


def order_number(local_day: date, checkout_id: int, index: int) -> str:
    """订单号: the Beijing date, the checkout and the order's place in it (from 1)."""
    return f"{local_day:%Y%m%d}{checkout_id:07d}{index:02d}"


# How long stock stays held: while the card is charged (the reservation job asks Stripe after
# this), and while the unit admin decides (then the purchase lapses and the stock returns).
CARD_PAYMENT_HOLD = timedelta(minutes=15)
APPROVAL_HOLD = timedelta(days=3)
TRANSFER_TERM_DAYS = 30  # 《保障中小企业款项支付条例》: within 30 days of acceptance


def hold_until(now: datetime, *, awaiting_approval: bool) -> datetime:
    return now + (APPROVAL_HOLD if awaiting_approval else CARD_PAYMENT_HOLD)


def transfer_due_on(accepted_on: date) -> date:
    """A transfer payable is due 30 days after acceptance (DOMAIN.md, pay suppliers promptly)."""
    return accepted_on + timedelta(days=TRANSFER_TERM_DAYS)


def check_delivery_on(delivery_on: date | None, *, today: date) -> date | None:
    if delivery_on is not None and not today < delivery_on <= today + timedelta(days=90):
        raise InvalidDeliveryDateError()
    return delivery_on


# ---- refunds -----------------------------------------------------------------------------------


def check_refund(amount_fen: int, *, paid_fen: int, refunded_fen: int) -> int:
    """A refund is a positive amount no larger than what was paid and not yet refunded."""
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise InvalidInputError("退款金额须为正整数（单位：分）")
    if amount_fen > paid_fen - refunded_fen:
        raise RefundExceedsPaidError(refundable_fen=paid_fen - refunded_fen)
    return amount_fen


def status_after_refund(*, paid_fen: int, refunded_fen: int) -> PaymentStatus:
    return PaymentStatus.REFUNDED if refunded_fen >= paid_fen else PaymentStatus.PARTIALLY_REFUNDED


def prorate_refund_fen(amount_fen: int, refundable_fen: Sequence[int]) -> list[int]:
    """Spread a refund over an order's lines in proportion to what each line can still refund.
    Parts add up to the amount and no part exceeds its line's refundable amount (largest
    remainder: a part gets at most one fen above its floor, and the floor is below the line's
    refundable amount whenever the refund is smaller than the total refundable)."""
    if amount_fen > sum(refundable_fen):
        raise RefundExceedsPaidError(refundable_fen=sum(refundable_fen))
    return split_fen(amount_fen, list(refundable_fen))

"""Rules of unit carts, checkout and payment (DOMAIN.md, "Who uses it" and "After the order").

Pure: plain values in, decisions out; no Flask, SQLAlchemy or Stripe. Owns the purposes, payment
modes, order/payment/reservation states with their transition tables, the cart line rules (stock,
minimum order quantity, pack size), the split of a checkout into one order per supplier (and
purpose), the expected-total check, the approval threshold, refund maths and the error codes.
Money is integer fen; proportional splits go through `mall.money.split_fen`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import groupby

from mall.accounts.domain import Role
from mall.errors import ConflictError, DomainError, InvalidInputError, InvalidTransitionError, PermissionDeniedError
from mall.money import split_fen

# ---- purposes, modes ---------------------------------------------------------------------------


class Purpose(StrEnum):
    CANTEEN = "canteen"  # 食堂食材: counts to the unit's reserved share
    UNION = "union"  # 工会福利: counts to the union standard
    PERSONAL = "personal"  # an employee's own purchase: counts to the unit's annual total


PURPOSE_LABELS = {Purpose.CANTEEN: "食堂食材", Purpose.UNION: "工会福利", Purpose.PERSONAL: "个人采购"}
UNIT_PURPOSES = (Purpose.CANTEEN, Purpose.UNION)


class CartKind(StrEnum):
    UNIT = "unit"  # shared by the unit's buyers
    PERSONAL = "personal"  # one employee's own


class PaymentMode(StrEnum):
    CARD = "card"  # 公务卡: the unit's official card, charged by the server (Stripe)
    TRANSFER = "transfer"  # 对公转账: a payable due 30 days after acceptance


PAYMENT_MODE_LABELS = {PaymentMode.CARD: "公务卡在线支付", PaymentMode.TRANSFER: "对公转账"}


def card_name(cart_kind: CartKind) -> str:
    """What the buyer pays with online: the unit's 公务卡, or an employee's own bank card."""
    return "公务卡" if cart_kind is CartKind.UNIT else "个人银行卡"


# Who may fill which cart, for which purposes.
PURPOSES_BY_ROLE: dict[Role, tuple[Purpose, ...]] = {
    Role.BUYER: UNIT_PURPOSES,
    Role.UNIT_ADMIN: UNIT_PURPOSES,
    Role.UNION_OFFICER: (Purpose.UNION,),
    Role.EMPLOYEE: (Purpose.PERSONAL,),
}


def allowed_purposes(roles: Iterable[Role]) -> list[Purpose]:
    """The purposes a user may buy for, in display order (canteen, union, personal)."""
    held = set(roles)
    allowed = {p for role, purposes in PURPOSES_BY_ROLE.items() if role in held for p in purposes}
    return [p for p in Purpose if p in allowed]


def cart_kind_for(purpose: Purpose) -> CartKind:
    return CartKind.PERSONAL if purpose is Purpose.PERSONAL else CartKind.UNIT


# ---- states ------------------------------------------------------------------------------------


class OrderStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"  # above the unit's threshold: waits for its admin
    PENDING_PAYMENT = "pending_payment"  # the card payment is running (stock held)
    PLACED = "placed"  # paid online, or placed on transfer terms: the supplier ships next
    SHIPPED = "shipped"  # set by fulfillment
    ACCEPTED = "accepted"  # 验收: set by fulfillment
    CANCELLED = "cancelled"


ORDER_STATUS_LABELS = {
    OrderStatus.PENDING_APPROVAL: "待审批",
    OrderStatus.PENDING_PAYMENT: "待支付",
    OrderStatus.PLACED: "待发货",
    OrderStatus.SHIPPED: "已发货",
    OrderStatus.ACCEPTED: "已验收",
    OrderStatus.CANCELLED: "已取消",
}

ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_APPROVAL: frozenset({OrderStatus.PENDING_PAYMENT, OrderStatus.PLACED, OrderStatus.CANCELLED}),
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PLACED, OrderStatus.CANCELLED}),
    OrderStatus.PLACED: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.ACCEPTED}),
    OrderStatus.ACCEPTED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

# Cancelling is allowed before shipment; while a card payment runs, its outcome comes first.
CANCELLABLE = frozenset({OrderStatus.PENDING_APPROVAL, OrderStatus.PLACED})


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PROCESSING = "processing"  # the card is being charged, or the outcome is not known yet
    PAID = "paid"
    FAILED = "failed"
    AWAITING_TRANSFER = "awaiting_transfer"  # 对公转账: due 30 days after acceptance
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"  # cancelled before anything was paid


PAYMENT_STATUS_LABELS = {
    PaymentStatus.UNPAID: "未支付",
    PaymentStatus.PROCESSING: "支付处理中",
    PaymentStatus.PAID: "已支付",
    PaymentStatus.FAILED: "支付失败",
    PaymentStatus.AWAITING_TRANSFER: "待对公转账",
    PaymentStatus.PARTIALLY_REFUNDED: "部分退款",
    PaymentStatus.REFUNDED: "已退款",
    PaymentStatus.VOIDED: "无需支付",
}

PAYMENT_TRANSITIONS: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.UNPAID: frozenset({PaymentStatus.PROCESSING, PaymentStatus.AWAITING_TRANSFER, PaymentStatus.VOIDED}),
    PaymentStatus.PROCESSING: frozenset({PaymentStatus.PAID, PaymentStatus.FAILED}),
    PaymentStatus.PAID: frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}),
    PaymentStatus.PARTIALLY_REFUNDED: frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}),
    PaymentStatus.AWAITING_TRANSFER: frozenset({PaymentStatus.PAID, PaymentStatus.VOIDED}),
    PaymentStatus.FAILED: frozenset(),
    PaymentStatus.REFUNDED: frozenset(),
    PaymentStatus.VOIDED: frozenset(),
}


class ReservationStatus(StrEnum):
    HELD = "held"  # taken from stock while approval or payment runs
    COMMITTED = "committed"  # sold
    RELEASED = "released"  # back in stock (payment failed or timed out, order cancelled)


class AttemptStatus(StrEnum):
    PENDING = "pending"  # written before Stripe is called
    PROCESSING = "processing"  # called; outcome not known (timeout): the reservation job asks Stripe
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"  # succeeded after we had given up on it: refunded whole


SETTLEABLE_ATTEMPTS = (AttemptStatus.PENDING, AttemptStatus.PROCESSING)


class RefundStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ApprovalStatus(StrEnum):
    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


APPROVAL_STATUS_LABELS = {
    ApprovalStatus.NOT_REQUIRED: "无需审批",
    ApprovalStatus.PENDING: "待审批",
    ApprovalStatus.APPROVED: "已批准",
    ApprovalStatus.REJECTED: "未批准",
}


def ensure_order_transition(current: OrderStatus, new: OrderStatus) -> None:
    if new not in ORDER_TRANSITIONS[current]:
        raise InvalidTransitionError(current=current, new=new)


def ensure_payment_transition(current: PaymentStatus, new: PaymentStatus) -> None:
    if new not in PAYMENT_TRANSITIONS[current]:
        raise InvalidTransitionError(current=current, new=new)


# ---- errors (codes are a contract) -------------------------------------------------------------


class InvalidQuantityError(InvalidInputError):
    code, message = "invalid_quantity", "数量须为1至100000之间的整数"


class BelowMinimumOrderError(InvalidInputError):
    code, message = "below_min_order_qty", "数量低于该商品的起订量"


class PackSizeError(InvalidInputError):
    code, message = "not_pack_multiple", "数量须为整件包装数的整数倍"


class StockInsufficientError(ConflictError):
    code, message = "stock_insufficient", "库存不足"


class ProductUnavailableError(ConflictError):
    code, message = "product_unavailable", "商品已下架或不存在"


class PurposeNotAllowedError(PermissionDeniedError):
    code, message = "purpose_not_allowed", "您的角色不能按该用途采购"


class InvalidPurposeError(InvalidInputError):
    code, message = "invalid_purpose", "用途须为 canteen（食堂食材）、union（工会福利）或 personal（个人采购）"


class CartEmptyError(InvalidInputError):
    code, message = "cart_empty", "购物车是空的"


class PriceChangedError(ConflictError):
    code, message = "price_changed", "部分商品价格已变动，请确认新价格后重新提交"


class ExpectedTotalMismatchError(ConflictError):
    code, message = "expected_total_mismatch", "应付总额与页面显示的不一致（购物车可能已被修改），请核对后重新提交"


class InvalidPaymentModeError(InvalidInputError):
    code, message = "invalid_payment_mode", "支付方式须为 card（公务卡）或 transfer（对公转账）"


class PaymentCardMissingError(ConflictError):
    code, message = "payment_card_missing", "尚未登记公务卡，请由单位管理员登记后再支付"


class PaymentFailedError(DomainError):
    code, message, http_status = "payment_failed", "公务卡支付失败，订单未生效，商品已退回购物车", 402


class PaymentUnavailableError(DomainError):
    code, message, http_status = "payment_unavailable", "支付服务暂时不可用，请稍后再试", 503


class PaymentInProgressError(ConflictError):
    code, message = "payment_in_progress", "支付结果确认中，请稍后再操作"


class OrderNotCancellableError(ConflictError):
    code, message = "order_not_cancellable", "订单已发货或已取消，不能取消"


class RefundExceedsPaidError(ConflictError):
    code, message = "refund_exceeds_paid", "退款金额超过可退金额"


class RefundFailedError(DomainError):
    code, message, http_status = "refund_failed", "退款未能完成，请稍后重试", 502


class ApprovalNotPendingError(ConflictError):
    code, message = "approval_not_pending", "该采购单不在待审批状态"


class TransferNotDueError(ConflictError):
    code, message = "transfer_not_awaited", "该订单不是待对公转账状态"


class InvalidIdempotencyKeyError(InvalidInputError):
    code, message = (
        "idempotency_key_invalid",
        "请在 Idempotency-Key 请求头中提供1-100位的字母、数字或 -_.: 组成的幂等键",
    )


class IdempotencyConflictError(ConflictError):
    code, message = "idempotency_conflict", "该幂等键已用于另一笔内容不同的结算请求"


class IdempotencyInProgressError(ConflictError):
    code, message = "idempotency_in_progress", "相同的结算请求仍在处理中，请稍后重试"


class CartChangedError(ConflictError):
    code, message = "cart_changed", "购物车已被本单位其他采购人修改，请刷新后重试"


class InvalidAddressError(InvalidInputError):
    code, message = "invalid_address", "收货地址不完整或格式不正确"


class InvalidDeliveryDateError(InvalidInputError):
    code, message = "invalid_delivery_date", "期望送达日期须在明天至90天之内"


class InvalidSettingsError(InvalidInputError):
    code, message = "invalid_purchase_settings", "采购设置不正确"


class WebhookSignatureError(InvalidInputError):
    code, message = "webhook_signature_invalid", "Webhook 签名校验失败"


# ---- cart line rules ---------------------------------------------------------------------------

MAX_LINE_QTY = 100_000


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
    chosen = Purpose(purpose)
    if chosen not in allowed_purposes(roles):
        raise PurposeNotAllowedError()
    return chosen


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
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError("expected_total_fen 须为非负整数（单位：分）")
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


# ---- idempotency -------------------------------------------------------------------------------

_KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def check_idempotency_key(key: str | None) -> str:
    if not key or not _KEY_RE.match(key):
        raise InvalidIdempotencyKeyError()
    return key


def request_fingerprint(fields: Mapping[str, object]) -> str:
    """A stable digest of what a request asked for: the same key with another body is a conflict."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


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


# ---- addresses and settings --------------------------------------------------------------------

_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


@dataclass(frozen=True)
class AddressInput:
    label: str
    recipient: str
    phone: str
    detail: str


def check_address(data: AddressInput) -> AddressInput:
    """A delivery address: a label (e.g. 机关食堂), a recipient, a mainland mobile or a landline
    with its area code, and a street address of 5-200 characters."""
    clean = AddressInput(
        label=(data.label or "").strip()[:20] or "收货地址",
        recipient=(data.recipient or "").strip(),
        phone=re.sub(r"\s", "", data.phone or ""),
        detail=(data.detail or "").strip(),
    )
    if not 1 <= len(clean.recipient) <= 40:
        raise InvalidAddressError("请填写收货人（不超过40字）")
    if not _PHONE_RE.match(clean.phone):
        raise InvalidAddressError("联系电话须为11位手机号或带区号的固定电话")
    if not 5 <= len(clean.detail) <= 200:
        raise InvalidAddressError("详细地址须为5至200字")
    return clean


def check_threshold(threshold_fen: int | None) -> int | None:
    if threshold_fen is not None and (isinstance(threshold_fen, bool) or threshold_fen < 0):
        raise InvalidSettingsError("审批金额须为不小于0的金额，或留空表示无需审批")
    return threshold_fen


def check_invoice_title(title: str) -> str:
    title = (title or "").strip()
    if not 2 <= len(title) <= 100:
        raise InvalidSettingsError("发票抬头须为2至100字")
    return title


# ---- order list filters ------------------------------------------------------------------------


class InvalidOrderFilterError(InvalidInputError):
    code, message = "invalid_order_filter", "筛选条件不正确"


@dataclass(frozen=True)
class OrderFilters:
    status: OrderStatus | None = None
    purpose: Purpose | None = None
    date_from: date | None = None  # Beijing dates, both ends included
    date_to: date | None = None
    checkout_id: int | None = None


def parse_order_filters(args: Mapping[str, str]) -> OrderFilters:
    """`status`, `purpose`, `from`, `to` (YYYY-MM-DD) and `checkout` from a query string; empty
    values are ignored, anything else unknown is refused with a clear message (never a 500)."""

    def text(name: str) -> str:
        return (args.get(name) or "").strip()

    status, purpose = text("status"), text("purpose")
    if status and status not in set(OrderStatus):
        raise InvalidOrderFilterError("未知的订单状态")
    if purpose and purpose not in set(Purpose):
        raise InvalidOrderFilterError("未知的采购用途")
    try:
        date_from = date.fromisoformat(text("from")) if text("from") else None
        date_to = date.fromisoformat(text("to")) if text("to") else None
    except ValueError:
        raise InvalidOrderFilterError("日期格式应为 YYYY-MM-DD") from None
    if date_from and date_to and date_from > date_to:
        raise InvalidOrderFilterError("起始日期不能晚于结束日期")
    checkout = text("checkout")
    if checkout and not checkout.isdigit():
        raise InvalidOrderFilterError("结算单编号应为数字")
    return OrderFilters(
        status=OrderStatus(status) if status else None,
        purpose=Purpose(purpose) if purpose else None,
        date_from=date_from,
        date_to=date_to,
        checkout_id=int(checkout) if checkout else None,
    )


# ---- saved cards -------------------------------------------------------------------------------


class InvalidCardError(InvalidInputError):
    code, message = "invalid_card", "卡号、有效期或安全码不正确"


def check_card(number: str, exp_month: int, exp_year: int, cvc: str, *, today: date) -> str:
    """A card to save: 16 digits passing the Luhn check, not expired, a 3-digit security code.
    Returns the digits (spaces and dashes removed)."""
    digits = re.sub(r"[\s-]", "", number or "")
    if not re.fullmatch(r"\d{16}", digits) or not re.fullmatch(r"\d{3}", cvc or ""):
        raise InvalidCardError()
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    if total % 10:
        raise InvalidCardError("卡号校验未通过，请核对")
    if not 1 <= exp_month <= 12 or (exp_year, exp_month) < (today.year, today.month) or exp_year > today.year + 20:
        raise InvalidCardError("卡片有效期不正确或已过期")
    return digits

"""Purposes, carts, payment modes, and the states of orders, payments, reservations, payment
attempts, refunds and approvals, with their transition tables and labels."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from mall.accounts.domain import Role
from mall.errors import InvalidTransitionError

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
    # From here on, fulfillment moves the order (DOMAIN.md, "After the order").
    PARTLY_SHIPPED = "partly_shipped"  # some quantities are in parcels, some still to ship
    SHIPPED = "shipped"  # every quantity is in a parcel
    DELIVERED = "delivered"  # every parcel signed for: the acceptance window runs
    ACCEPTED = "accepted"  # 验收 by the buyer or automatically (rejections are recorded per line)
    EVALUATED = "evaluated"  # 履约评价 given, or the default recorded after the window
    CLOSED = "closed"  # the after-sales window has passed with no open case
    CANCELLED = "cancelled"


ORDER_STATUS_LABELS = {
    OrderStatus.PENDING_APPROVAL: "待审批",
    OrderStatus.PENDING_PAYMENT: "待支付",
    OrderStatus.PLACED: "待发货",
    OrderStatus.PARTLY_SHIPPED: "部分发货",
    OrderStatus.SHIPPED: "已发货",
    OrderStatus.DELIVERED: "已送达",
    OrderStatus.ACCEPTED: "已验收",
    OrderStatus.EVALUATED: "已评价",
    OrderStatus.CLOSED: "已完成",
    OrderStatus.CANCELLED: "已取消",
}

ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_APPROVAL: frozenset({OrderStatus.PENDING_PAYMENT, OrderStatus.PLACED, OrderStatus.CANCELLED}),
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PLACED, OrderStatus.CANCELLED}),
    OrderStatus.PLACED: frozenset({OrderStatus.PARTLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.PARTLY_SHIPPED: frozenset({OrderStatus.SHIPPED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.ACCEPTED}),
    OrderStatus.ACCEPTED: frozenset({OrderStatus.EVALUATED}),
    OrderStatus.EVALUATED: frozenset({OrderStatus.CLOSED}),
    OrderStatus.CLOSED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

# Cancelling is allowed before shipment; while a card payment runs, its outcome comes first.
CANCELLABLE = frozenset({OrderStatus.PENDING_APPROVAL, OrderStatus.PLACED})
# The supplier's work: orders with quantities still to put in parcels.
AWAITING_SHIPMENT = frozenset({OrderStatus.PLACED, OrderStatus.PARTLY_SHIPPED})


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

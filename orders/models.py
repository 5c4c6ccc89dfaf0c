"""Tables of carts, addresses, purchase settings, saved cards, checkouts, orders and their lines,
status history, payment attempts, refunds, stock reservations, processed Stripe events and
idempotency keys. Timestamps are set by the services from the `now` they read."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models import Product, Supplier
from mall.accounts.models import User
from mall.extensions import UtcDateTime, db, enum_column
from mall.units.models import Unit
from orders.domain import (
    APPROVAL_STATUS_LABELS,
    ORDER_STATUS_LABELS,
    PAYMENT_MODE_LABELS,
    PAYMENT_STATUS_LABELS,
    PURPOSE_LABELS,
    ApprovalStatus,
    AttemptStatus,
    CartKind,
    OrderStatus,
    PaymentMode,
    PaymentStatus,
    Purpose,
    RefundStatus,
    ReservationStatus,
)


def owner_key(kind: CartKind, *, unit_id: int, user_id: int | None) -> str:
    """'unit:12' for a unit's shared cart or card, 'user:34' for an employee's own."""
    return f"unit:{unit_id}" if kind is CartKind.UNIT else f"user:{user_id}"


class Cart(db.Model):
    __tablename__ = "carts"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique per owner, so two buyers adding their first item at once still share one cart.
    owner_key: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[CartKind] = mapped_column(enum_column(CartKind))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the employee, for a personal cart
    # Bumped by every change and by checkout: the UPDATE also serializes writers of one cart.
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    lines: Mapped[list[CartLine]] = relationship(back_populates="cart", order_by="CartLine.id")


class CartLine(db.Model):
    __tablename__ = "cart_lines"
    __table_args__ = (
        UniqueConstraint("cart_id", "product_id", "purpose"),  # adding again raises the quantity
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose))
    quantity: Mapped[int]
    # The price the buyers last saw (when added, or when they accepted a change): checkout
    # compares it with the current price, and a changed price must be accepted first.
    seen_price_fen: Mapped[int] = mapped_column(BigInteger)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    cart: Mapped[Cart] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)
    # Users load on their own (a few per cart, usually already in the session): joining them
    # would drag in their unit, region and roles for every line.
    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id])

    @property
    def purpose_label(self) -> str:
        return PURPOSE_LABELS[self.purpose]


class UnitAddress(db.Model):
    __tablename__ = "unit_addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    label: Mapped[str] = mapped_column(String(20))  # 机关食堂, 工会办公室…
    recipient: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    detail: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    @property
    def one_line(self) -> str:
        return f"{self.detail}（{self.recipient} {self.phone}）"


class UnitPurchaseSettings(db.Model):
    """A unit's purchase settings: the approval threshold and the invoice title (发票抬头)."""

    __tablename__ = "unit_purchase_settings"
    __table_args__ = (CheckConstraint("approval_threshold_fen >= 0", name="threshold_not_negative"),)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    approval_threshold_fen: Mapped[int | None] = mapped_column(BigInteger)  # None: no approval needed
    invoice_title: Mapped[str] = mapped_column(String(100))
    invoice_tax_id: Mapped[str] = mapped_column(String(18))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PaymentCard(db.Model):
    """A saved card: a unit's 公务卡, or an employee's own card for personal purchases. Only Stripe
    ids and the last four digits are kept; the number never reaches the database or the logs."""

    __tablename__ = "payment_cards"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_key: Mapped[str] = mapped_column(String(40), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    label: Mapped[str] = mapped_column(String(40))
    holder_name: Mapped[str] = mapped_column(String(40))
    brand: Mapped[str] = mapped_column(String(20))
    last4: Mapped[str] = mapped_column(String(4))
    stripe_customer_id: Mapped[str] = mapped_column(String(64))
    stripe_payment_method_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Checkout(db.Model):
    """One checkout of a cart: the set of orders it created (one per supplier and purpose), paid
    together by one card payment, or placed together on transfer terms."""

    __tablename__ = "checkouts"
    __table_args__ = (CheckConstraint("total_fen >= 0", name="total_not_negative"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    cart_kind: Mapped[CartKind] = mapped_column(enum_column(CartKind))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    payment_mode: Mapped[PaymentMode] = mapped_column(enum_column(PaymentMode))
    total_fen: Mapped[int] = mapped_column(BigInteger)
    approval_status: Mapped[ApprovalStatus] = mapped_column(enum_column(ApprovalStatus), index=True)
    approval_threshold_fen: Mapped[int | None] = mapped_column(BigInteger)  # as it was at checkout
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    buyer: Mapped[User] = relationship(foreign_keys=[buyer_id])
    orders: Mapped[list[Order]] = relationship(back_populates="checkout", order_by="Order.id")
    attempts: Mapped[list[PaymentAttempt]] = relationship(order_by="PaymentAttempt.id")

    @property
    def approval_label(self) -> str:
        return APPROVAL_STATUS_LABELS[self.approval_status]


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("total_fen >= 0", name="total_not_negative"),
        CheckConstraint("refunded_fen <= paid_fen", name="refund_within_paid"),
        Index("ix_orders_unit_created", "unit_id", "created_at"),
        Index("ix_orders_supplier_created", "supplier_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(24), unique=True)  # 订单号, set from the id
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), index=True)
    payment_mode: Mapped[PaymentMode] = mapped_column(enum_column(PaymentMode))
    payment_status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus), index=True)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    # Delivery and invoice, copied at checkout: later edits of the address book change nothing here.
    ship_to_name: Mapped[str] = mapped_column(String(40))
    ship_to_phone: Mapped[str] = mapped_column(String(20))
    ship_to_address: Mapped[str] = mapped_column(String(200))
    ship_to_region_code: Mapped[str | None] = mapped_column(String(6))
    delivery_on: Mapped[date | None] = mapped_column(Date)  # 期望送达日期
    invoice_title: Mapped[str] = mapped_column(String(100))
    invoice_tax_id: Mapped[str] = mapped_column(String(18))
    note: Mapped[str] = mapped_column(String(200), default="")
    payment_due_on: Mapped[date | None] = mapped_column(Date)  # transfer: acceptance + 30 days
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    placed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")

    checkout: Mapped[Checkout] = relationship(back_populates="orders")
    # Loaded where a page needs them (queries.py adds the eager loads for lists): checkout and
    # settlement write orders by the dozen and read none of these.
    unit: Mapped[Unit] = relationship()
    supplier: Mapped[Supplier] = relationship()
    buyer: Mapped[User] = relationship(foreign_keys=[buyer_id])
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", order_by="OrderLine.id")
    history: Mapped[list[OrderStatusChange]] = relationship(order_by="OrderStatusChange.id")
    refunds: Mapped[list[Refund]] = relationship(order_by="Refund.id")
    reservations: Mapped[list[StockReservation]] = relationship(order_by="StockReservation.id")

    @property
    def status_label(self) -> str:
        return ORDER_STATUS_LABELS[self.status]

    @property
    def payment_status_label(self) -> str:
        return PAYMENT_STATUS_LABELS[self.payment_status]

    @property
    def payment_mode_label(self) -> str:
        if self.purpose is Purpose.PERSONAL and self.payment_mode is PaymentMode.CARD:
            return "个人银行卡在线支付"
        return PAYMENT_MODE_LABELS[self.payment_mode]

    @property
    def purpose_label(self) -> str:
        return PURPOSE_LABELS[self.purpose]


class OrderLine(db.Model):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("refunded_fen <= line_total_fen", name="refund_within_line"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    # Snapshot of the listing as bought: later edits of the product change nothing here.
    title: Mapped[str] = mapped_column(String(120))
    spec: Mapped[str] = mapped_column(String(60))
    sale_unit: Mapped[str] = mapped_column(String(8))
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int]
    line_total_fen: Mapped[int] = mapped_column(BigInteger)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who put it in the cart

    order: Mapped[Order] = relationship(back_populates="lines")
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])


class OrderStatusChange(db.Model):
    """The order's history: every change of its status or payment status, who did it, and why."""

    __tablename__ = "order_status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus))
    payment_status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)

    actor: Mapped[User | None] = relationship(lazy="joined")

    @property
    def status_label(self) -> str:
        return ORDER_STATUS_LABELS[self.status]

    @property
    def payment_status_label(self) -> str:
        return PAYMENT_STATUS_LABELS[self.payment_status]


class PaymentAttempt(db.Model):
    """One attempt to charge a checkout's card. The row (with its unique idempotency key) is
    committed before Stripe is called, so a retry finds it instead of charging twice."""

    __tablename__ = "payment_attempts"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[AttemptStatus] = mapped_column(enum_column(AttemptStatus), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("payment_cards.id"))
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    failure_code: Mapped[str] = mapped_column(String(60), default="")
    failure_message: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Refund(db.Model):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # None: a whole payment returned because it succeeded after the mall had given up on it.
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("payment_attempts.id"))  # None: a transfer
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    stripe_refund_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class StockReservation(db.Model):
    """Stock taken from a product for an order line: held while approval or payment runs,
    committed when sold, released (back to stock) when payment fails, times out or the order
    is cancelled. Each move is a conditional UPDATE on its status, so it happens once."""

    __tablename__ = "stock_reservations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_stock_reservations_status_expires", "status", "expires_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int]
    status: Mapped[ReservationStatus] = mapped_column(enum_column(ReservationStatus))
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class StripeEvent(db.Model):
    """A webhook event already applied: its id is unique, so a redelivery changes nothing."""

    __tablename__ = "stripe_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(80), unique=True)
    type: Mapped[str] = mapped_column(String(80))
    object_id: Mapped[str] = mapped_column(String(80), default="")
    outcome: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IdempotencyKey(db.Model):
    """A checkout request's Idempotency-Key (per user): the same key with the same request gets
    the first result; with another request, a conflict."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    checkout_id: Mapped[int | None] = mapped_column(ForeignKey("checkouts.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    response_status: Mapped[int | None]  # what the first request answered: 201, or 402 (card declined)


class SplitPurchaseFlag(db.Model):
    """疑似拆分采购: a unit's checkouts of one Beijing day that each stayed under the approval
    threshold while their orders with one supplier for one purpose add up to more
    (orders.domain.suspected_splits). Written when a checkout forms or joins such a group, and
    its admins told; kept as a record even if an order of it is cancelled later."""

    __tablename__ = "split_purchase_flags"
    # One flag per purchase; the constraint's leading unit_id also serves the unit's list.
    __table_args__ = (UniqueConstraint("unit_id", "placed_on", "supplier_id", "purpose"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    placed_on: Mapped[date] = mapped_column(Date)  # the Beijing date of the checkouts
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose))
    total_fen: Mapped[int] = mapped_column(BigInteger)  # the group's orders, when last flagged
    threshold_fen: Mapped[int] = mapped_column(BigInteger)  # the approval threshold they stayed under
    flagged_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    supplier: Mapped[Supplier] = relationship()
    unit: Mapped[Unit] = relationship()
    members: Mapped[list[SplitPurchaseFlagCheckout]] = relationship(
        order_by="SplitPurchaseFlagCheckout.checkout_id", cascade="all, delete-orphan"
    )

    @property
    def checkout_ids(self) -> list[int]:
        return [m.checkout_id for m in self.members]

    @property
    def purpose_label(self) -> str:
        return PURPOSE_LABELS[self.purpose]


class SplitPurchaseFlagCheckout(db.Model):
    """A checkout of a suspected split purchase."""

    __tablename__ = "split_purchase_flag_checkouts"
    flag_id: Mapped[int] = mapped_column(ForeignKey("split_purchase_flags.id", ondelete="CASCADE"), primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), primary_key=True, index=True)

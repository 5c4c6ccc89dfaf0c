"""Tables after payment: parcels (shipments), their lines and carrier events; each order's and each
order line's progress (delivery, acceptance with rejections and photos, deadlines); evaluations;
after-sales cases with their lines and photos; payables; suppliers' standing history and monthly
scorecards. Timestamps are set by the services from the `now` they read.

Uniqueness makes retries safe (a tracking number per carrier, a carrier's event id, one evaluation
and one payable per order); CHECKs keep quantities, scores and money in range even if a service
were wrong; each job's queue has an index that starts with "not done yet" and ends with the due date.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models import Supplier
from fulfillment.domain import (
    AFTERSALES_KIND_LABELS,
    AFTERSALES_STATUS_LABELS,
    CARRIER_CODE_LENGTH,
    CARRIER_EVENT_LABELS,
    CASE_REFUND_STATUS_LABELS,
    CITY_LENGTH,
    EVENT_ID_LENGTH,
    NOTE_LENGTH,
    PAYABLE_STATUS_LABELS,
    RULING_LABELS,
    SHIPMENT_STATUS_LABELS,
    STANDING_LABELS,
    TRACKING_NO_LENGTH,
    AftersalesKind,
    AftersalesStatus,
    CarrierEventCode,
    CaseRefundStatus,
    PayableStatus,
    Ruling,
    Scores,
    ShipmentStatus,
    Standing,
    TimelineEvent,
    all_carriers,
)
from mall.accounts.models import User
from mall.extensions import UtcDateTime, db, enum_column
from orders.models import Order, OrderLine

# ---- progress of orders and lines ----------------------------------------------------------------


class OrderFulfillment(db.Model):
    """An order after payment (one row, made with its first parcel): when it was delivered and
    accepted, by whom or automatically, the money of the rejections, and the deadlines the jobs
    loop watches (acceptance, evaluation, the end of the after-sales window)."""

    __tablename__ = "order_fulfillments"
    __table_args__ = (
        CheckConstraint("rejected_fen >= 0 AND refund_fen >= 0 AND refund_fen <= rejected_fen", name="money_in_range"),
        Index("ix_order_fulfillments_acceptance_queue", "accepted_at", "acceptance_due_on"),
        Index("ix_order_fulfillments_evaluation_queue", "evaluated_at", "evaluation_due_on"),
        Index("ix_order_fulfillments_closing_queue", "closed_at", "aftersales_closes_at"),
    )
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True, autoincrement=False)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the last parcel signed for
    acceptance_due_on: Mapped[date | None] = mapped_column(Date)  # Beijing date, 23:59:59
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None with auto_accepted
    auto_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    rejected_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # the value of the rejected goods
    refund_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # of it, paid back (card orders)
    evaluation_due_on: Mapped[date | None] = mapped_column(Date)
    evaluated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    aftersales_closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the latest line's window
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    order: Mapped[Order] = relationship()
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])


class LineFulfillment(db.Model):
    """An order line after payment: how much is in parcels, and the buyer's acceptance (验收) of it.
    `ordered_qty` copies the order line's quantity so the database itself refuses shipping more."""

    __tablename__ = "line_fulfillments"
    __table_args__ = (
        CheckConstraint("ordered_qty > 0", name="ordered_positive"),
        CheckConstraint("shipped_qty >= 0 AND shipped_qty <= ordered_qty", name="shipped_within_ordered"),
        CheckConstraint(
            "accepted_qty >= 0 AND rejected_qty >= 0 AND accepted_qty + rejected_qty <= shipped_qty",
            name="verdict_within_shipped",
        ),
        CheckConstraint("rejected_fen >= 0", name="rejected_fen_not_negative"),
    )
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), primary_key=True, autoincrement=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    ordered_qty: Mapped[int]
    shipped_qty: Mapped[int] = mapped_column(default=0)
    accepted_qty: Mapped[int] = mapped_column(default=0)
    rejected_qty: Mapped[int] = mapped_column(default=0)
    rejected_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(String(200), default="")  # why goods were rejected

    order_line: Mapped[OrderLine] = relationship()
    photos: Mapped[list[AcceptancePhoto]] = relationship(order_by="AcceptancePhoto.id")


class _Photo:
    """An uploaded photo (files under the instance's uploads folder; the name is ours)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AcceptancePhoto(_Photo, db.Model):
    """A photo of rejected goods, shown with the line's rejection."""

    __tablename__ = "acceptance_photos"
    order_line_id: Mapped[int] = mapped_column(ForeignKey("line_fulfillments.order_line_id"), index=True)


# ---- parcels and carrier events ----------------------------------------------------------------


class Shipment(db.Model):
    """A parcel: an order ships in one or several, each with its carrier and tracking number."""

    __tablename__ = "shipments"
    __table_args__ = (UniqueConstraint("carrier_code", "tracking_no"),)  # a number names one parcel
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    carrier_code: Mapped[str] = mapped_column(String(CARRIER_CODE_LENGTH))
    tracking_no: Mapped[str] = mapped_column(String(TRACKING_NO_LENGTH))
    status: Mapped[ShipmentStatus] = mapped_column(enum_column(ShipmentStatus), index=True)
    shipped_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    order: Mapped[Order] = relationship()
    lines: Mapped[list[ShipmentLine]] = relationship(back_populates="shipment", order_by="ShipmentLine.id")
    events: Mapped[list[CarrierEvent]] = relationship(order_by="(CarrierEvent.event_at, CarrierEvent.id)")

    @property
    def status_label(self) -> str:
        return SHIPMENT_STATUS_LABELS[self.status]

    @property
    def carrier_name(self) -> str:
        return next((c.name for c in all_carriers() if c.code == self.carrier_code), self.carrier_code)

    def timeline(self) -> list[TimelineEvent]:
        return [TimelineEvent(e.event_at, e.code, e.city, e.note) for e in self.events]


class ShipmentLine(db.Model):
    __tablename__ = "shipment_lines"
    __table_args__ = (
        UniqueConstraint("shipment_id", "order_line_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int]

    shipment: Mapped[Shipment] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()


class CarrierEvent(db.Model):
    """What a carrier said about a parcel, stored as received. The carrier's event id is unique
    per carrier, so a redelivered webhook is stored once; the timeline is read in event time."""

    __tablename__ = "carrier_events"
    __table_args__ = (
        UniqueConstraint("carrier_code", "event_id"),
        Index("ix_carrier_events_shipment_at", "shipment_id", "event_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"))
    carrier_code: Mapped[str] = mapped_column(String(CARRIER_CODE_LENGTH))
    event_id: Mapped[str] = mapped_column(String(EVENT_ID_LENGTH))
    code: Mapped[CarrierEventCode] = mapped_column(enum_column(CarrierEventCode))
    city: Mapped[str] = mapped_column(String(CITY_LENGTH), default="")
    note: Mapped[str] = mapped_column(String(NOTE_LENGTH), default="")  # the reason of an exception
    event_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the carrier's time
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)  # ours

    @property
    def label(self) -> str:
        return CARRIER_EVENT_LABELS[self.code]


# ---- evaluations -------------------------------------------------------------------------------

_SCORE_RANGE = " AND ".join(f"{name} BETWEEN 1 AND 5" for name in ("quality", "timeliness", "service", "price"))


class Evaluation(db.Model):
    """履约评价 of an order: four scores and a comment, editable until `editable_until`; a
    default one (the window passed) has no author. The supplier may answer once."""

    __tablename__ = "evaluations"
    __table_args__ = (
        CheckConstraint(_SCORE_RANGE, name="scores_1_to_5"),
        Index("ix_evaluations_supplier_submitted", "supplier_id", "submitted_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)  # one per order
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    quality: Mapped[int]  # 商品质量
    timeliness: Mapped[int]  # 配送时效
    service: Mapped[int]  # 服务态度
    price: Mapped[int]  # 价格合理
    comment: Mapped[str] = mapped_column(String(500), default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    editable_until: Mapped[datetime] = mapped_column(UtcDateTime)
    supplier_reply: Mapped[str] = mapped_column(String(500), default="")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def scores(self) -> Scores:
        return Scores(self.quality, self.timeliness, self.service, self.price)


# ---- after-sales -------------------------------------------------------------------------------


class AftersalesCase(db.Model):
    """售后: a return, refund or replacement asked for some accepted goods; the supplier answers
    by `answer_due_at` or it escalates; the operator rules on escalated cases. The case's money
    goes back through the order's payment mode (`refund_id`), retried with back-off if refused."""

    __tablename__ = "aftersales_cases"
    __table_args__ = (
        CheckConstraint("refund_fen >= 0 AND refund_attempts >= 0", name="refund_in_range"),
        Index("ix_aftersales_cases_answer_queue", "status", "answer_due_at"),
        Index("ix_aftersales_cases_refund_queue", "refund_status", "refund_retry_at"),
        Index("ix_aftersales_cases_supplier_status", "supplier_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[AftersalesKind] = mapped_column(enum_column(AftersalesKind))
    status: Mapped[AftersalesStatus] = mapped_column(enum_column(AftersalesStatus))
    reason: Mapped[str] = mapped_column(String(500))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answer_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answer: Mapped[str] = mapped_column(String(500), default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    escalated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: no answer in time
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ruling: Mapped[Ruling | None] = mapped_column(enum_column(Ruling))
    ruling_note: Mapped[str] = mapped_column(String(500), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    refund_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # agreed or ruled
    refund_status: Mapped[CaseRefundStatus | None] = mapped_column(enum_column(CaseRefundStatus))
    refund_attempts: Mapped[int] = mapped_column(default=0)
    refund_retry_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    order: Mapped[Order] = relationship()
    lines: Mapped[list[AftersalesLine]] = relationship(order_by="AftersalesLine.id")
    photos: Mapped[list[AftersalesPhoto]] = relationship(order_by="AftersalesPhoto.id")

    @property
    def kind_label(self) -> str:
        return AFTERSALES_KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return AFTERSALES_STATUS_LABELS[self.status]

    @property
    def ruling_label(self) -> str:
        return RULING_LABELS[self.ruling] if self.ruling else ""

    @property
    def refund_status_label(self) -> str:
        return CASE_REFUND_STATUS_LABELS[self.refund_status] if self.refund_status else ""


class AftersalesLine(db.Model):
    __tablename__ = "aftersales_lines"
    __table_args__ = (
        UniqueConstraint("case_id", "order_line_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aftersales_cases.id"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int]

    order_line: Mapped[OrderLine] = relationship()


class AftersalesPhoto(_Photo, db.Model):
    __tablename__ = "aftersales_photos"
    case_id: Mapped[int] = mapped_column(ForeignKey("aftersales_cases.id"), index=True)


# ---- payables ----------------------------------------------------------------------------------


class Payable(db.Model):
    """货款: what a transfer-mode unit owes the supplier for an accepted order, due `term_days`
    after acceptance (never more than the policy's maximum). A disputed part is held; the rest
    stays due and, once late, accrues interest at the contract's rate or the policy's."""

    __tablename__ = "payables"
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        CheckConstraint("paid_fen >= 0 AND paid_fen <= amount_fen", name="paid_within_amount"),
        CheckConstraint("disputed_fen >= 0 AND disputed_fen <= amount_fen - paid_fen", name="disputed_within_unpaid"),
        CheckConstraint("term_days > 0", name="term_positive"),
        CheckConstraint("interest_bp_per_day >= 0 AND interest_paid_fen >= 0", name="interest_not_negative"),
        Index("ix_payables_status_due", "status", "due_on"),
        Index("ix_payables_unit_status", "unit_id", "status"),
        Index("ix_payables_supplier_status", "supplier_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)  # one per order
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # the goods kept at acceptance
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    disputed_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # held, not late
    term_days: Mapped[int]  # the contract's payment term (the policy's when it set none)
    interest_bp_per_day: Mapped[int | None]  # the contract's rate; None: the policy year's
    accepted_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[PayableStatus] = mapped_column(enum_column(PayableStatus))
    interest_paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    order: Mapped[Order] = relationship()

    @property
    def status_label(self) -> str:
        return PAYABLE_STATUS_LABELS[self.status]


# ---- supplier standing -------------------------------------------------------------------------


class SupplierStanding(db.Model):
    """A supplier's standing history: each change of band, by the scorecard (no `set_by`) or by
    the operator (a suspension or its lifting, with the reason). The latest row is the standing."""

    __tablename__ = "supplier_standings"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 100", name="score_0_to_100"),
        Index("ix_supplier_standings_supplier_at", "supplier_id", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    standing: Mapped[Standing] = mapped_column(enum_column(Standing))
    score: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(200), default="")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)

    supplier: Mapped[Supplier] = relationship()
    set_by: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        return STANDING_LABELS[self.standing]


class SupplierScorecard(db.Model):
    """A supplier's scorecard as computed for a month (the current month is recomputed until it
    ends): the trend chart and the API's `months` read these rows, never the raw record."""

    __tablename__ = "supplier_scorecards"
    __table_args__ = (
        UniqueConstraint("supplier_id", "month"),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_0_to_100"),
        CheckConstraint("orders >= 0 AND evaluations >= 0 AND default_evaluations >= 0", name="counts_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    month: Mapped[date] = mapped_column(Date)  # its first day
    score: Mapped[int | None]  # None: 评价不足
    standing: Mapped[Standing] = mapped_column(enum_column(Standing))
    orders: Mapped[int]
    evaluations: Mapped[int]
    default_evaluations: Mapped[int]
    # Averages of the four scores in hundredths (4.60 → 460); rates in basis points.
    quality_x100: Mapped[int | None]
    timeliness_x100: Mapped[int | None]
    service_x100: Mapped[int | None]
    price_x100: Mapped[int | None]
    on_time_rate_bp: Mapped[int | None]
    rejection_rate_bp: Mapped[int | None]
    aftersales_rate_bp: Mapped[int | None]
    median_response_minutes: Mapped[int | None]
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing]

"""The states after payment, with their labels and transition tables: a parcel (shipment) and
the carrier events that move it, an after-sales case and its refund, a payable, and a supplier's
standing. The order's own states are in `orders.domain.states` (one machine for the order)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mall.errors import InvalidTransitionError

# ---- shipments and carrier events --------------------------------------------------------------


class ShipmentStatus(StrEnum):
    CREATED = "created"  # handed to the carrier by the supplier, not yet scanned
    PICKED_UP = "picked_up"  # 揽收
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"  # 签收: final
    EXCEPTION = "exception"  # delayed, damaged, delivery failed: the carrier said why


SHIPMENT_STATUS_LABELS = {
    ShipmentStatus.CREATED: "待揽收",
    ShipmentStatus.PICKED_UP: "已揽收",
    ShipmentStatus.IN_TRANSIT: "运输中",
    ShipmentStatus.OUT_FOR_DELIVERY: "派送中",
    ShipmentStatus.DELIVERED: "已签收",
    ShipmentStatus.EXCEPTION: "异常",
}

# Which status may follow which, in event-time order. Carriers skip scans (a same-city parcel
# may go from pick-up straight to delivery), a parcel leaves an exception (re-delivery after a
# failed attempt, onward after a delay), and a parcel back at the depot after a failed attempt is
# in transit again. Signing is final. A step the table does not allow is kept in the timeline
# but does not move the status (a carrier re-sending "picked up" after "in transit").
SHIPMENT_TRANSITIONS: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    ShipmentStatus.CREATED: frozenset(ShipmentStatus) - {ShipmentStatus.CREATED},
    ShipmentStatus.PICKED_UP: frozenset(
        {
            ShipmentStatus.IN_TRANSIT,
            ShipmentStatus.OUT_FOR_DELIVERY,
            ShipmentStatus.DELIVERED,
            ShipmentStatus.EXCEPTION,
        }
    ),
    ShipmentStatus.IN_TRANSIT: frozenset(
        {
            ShipmentStatus.IN_TRANSIT,
            ShipmentStatus.OUT_FOR_DELIVERY,
            ShipmentStatus.DELIVERED,
            ShipmentStatus.EXCEPTION,
        }
    ),
    ShipmentStatus.OUT_FOR_DELIVERY: frozenset(
        {ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED, ShipmentStatus.EXCEPTION}
    ),
    ShipmentStatus.EXCEPTION: frozenset(ShipmentStatus) - {ShipmentStatus.CREATED},
    ShipmentStatus.DELIVERED: frozenset(),
}


class CarrierEventCode(StrEnum):
    PICKED_UP = "picked_up"  # 已揽收
    IN_TRANSIT = "in_transit"  # 运输中, with the city
    OUT_FOR_DELIVERY = "out_for_delivery"  # 派送中
    DELIVERED = "delivered"  # 已签收
    EXCEPTION = "exception"  # 异常, with the reason in the note


CARRIER_EVENT_LABELS = {
    CarrierEventCode.PICKED_UP: "已揽收",
    CarrierEventCode.IN_TRANSIT: "运输中",
    CarrierEventCode.OUT_FOR_DELIVERY: "派送中",
    CarrierEventCode.DELIVERED: "已签收",
    CarrierEventCode.EXCEPTION: "异常",
}

EVENT_STATUS = {code: ShipmentStatus(code.value) for code in CarrierEventCode}

# Events at the same instant are taken in the order a parcel lives them (an exception at the
# moment of delivery is a failed attempt, so it comes before a signature at the same second).
_SAME_TIME_ORDER = {
    CarrierEventCode.PICKED_UP: 0,
    CarrierEventCode.IN_TRANSIT: 1,
    CarrierEventCode.OUT_FOR_DELIVERY: 2,
    CarrierEventCode.EXCEPTION: 3,
    CarrierEventCode.DELIVERED: 4,
}


@dataclass(frozen=True)
class TimelineEvent:
    """One carrier event as the rules see it: when it happened (the carrier's time, not when it
    reached us) and what it says."""

    event_at: datetime
    code: CarrierEventCode
    city: str = ""
    note: str = ""


def timeline(events: Iterable[TimelineEvent]) -> list[TimelineEvent]:
    """The events in event-time order, whatever order they arrived in."""
    return sorted(events, key=lambda e: (e.event_at, _SAME_TIME_ORDER[e.code], e.city, e.note))


def apply_event(status: ShipmentStatus, code: CarrierEventCode) -> ShipmentStatus:
    """The status after one more event in event-time order: moved when the table allows it."""
    new = EVENT_STATUS[code]
    return new if new in SHIPMENT_TRANSITIONS[status] else status


def shipment_status(events: Iterable[TimelineEvent]) -> ShipmentStatus:
    """A parcel's status from its whole timeline, folded in event-time order: the same events
    give the same status in any arrival order, and a signed parcel stays delivered."""
    status = ShipmentStatus.CREATED
    for event in timeline(events):
        status = apply_event(status, event.code)
    return status


def delivered_at(events: Iterable[TimelineEvent]) -> datetime | None:
    """When the parcel was signed for (the first 已签收 in event time), if it was."""
    return next((e.event_at for e in timeline(events) if e.code is CarrierEventCode.DELIVERED), None)


def ensure_shipment_transition(current: ShipmentStatus, new: ShipmentStatus) -> None:
    if new not in SHIPMENT_TRANSITIONS[current]:
        raise InvalidTransitionError(current=current, new=new)


# ---- after-sales -------------------------------------------------------------------------------


class AftersalesKind(StrEnum):
    REFUND = "refund"  # 仅退款: the goods stay with the buyer (spoilt, short)
    RETURN = "return"  # 退货退款: the goods go back, the money comes back
    REPLACE = "replace"  # 换货: the goods go back, new ones come


AFTERSALES_KIND_LABELS = {
    AftersalesKind.REFUND: "仅退款",
    AftersalesKind.RETURN: "退货退款",
    AftersalesKind.REPLACE: "换货",
}


class AftersalesStatus(StrEnum):
    OPEN = "open"  # waiting for the supplier's answer
    AGREED = "agreed"  # the supplier agreed: the remedy is carried out
    REFUSED = "refused"  # the supplier refused, with a reason: the buyer may escalate
    ESCALATED = "escalated"  # the platform operator arbitrates (asked, or no answer in time)
    DECIDED = "decided"  # the operator ruled: the ruling is carried out
    CLOSED = "closed"  # done: refunded, returned or replaced, or the refusal stands
    WITHDRAWN = "withdrawn"  # the buyer withdrew the case


AFTERSALES_STATUS_LABELS = {
    AftersalesStatus.OPEN: "待供应商答复",
    AftersalesStatus.AGREED: "供应商已同意",
    AftersalesStatus.REFUSED: "供应商已拒绝",
    AftersalesStatus.ESCALATED: "平台仲裁中",
    AftersalesStatus.DECIDED: "平台已裁决",
    AftersalesStatus.CLOSED: "已完结",
    AftersalesStatus.WITHDRAWN: "已撤回",
}

AFTERSALES_TRANSITIONS: dict[AftersalesStatus, frozenset[AftersalesStatus]] = {
    AftersalesStatus.OPEN: frozenset(
        {AftersalesStatus.AGREED, AftersalesStatus.REFUSED, AftersalesStatus.ESCALATED, AftersalesStatus.WITHDRAWN}
    ),
    AftersalesStatus.AGREED: frozenset({AftersalesStatus.CLOSED}),
    AftersalesStatus.REFUSED: frozenset({AftersalesStatus.ESCALATED, AftersalesStatus.CLOSED}),
    AftersalesStatus.ESCALATED: frozenset({AftersalesStatus.DECIDED, AftersalesStatus.WITHDRAWN}),
    AftersalesStatus.DECIDED: frozenset({AftersalesStatus.CLOSED}),
    AftersalesStatus.CLOSED: frozenset(),
    AftersalesStatus.WITHDRAWN: frozenset(),
}

# A case still in progress keeps its order from closing.
OPEN_AFTERSALES = frozenset(s for s, exits in AFTERSALES_TRANSITIONS.items() if exits)


class Ruling(StrEnum):
    """The platform operator's decision on an escalated case."""

    FOR_BUYER = "for_buyer"  # the remedy asked for (or a smaller refund the operator sets)
    FOR_SUPPLIER = "for_supplier"  # nothing is owed


RULING_LABELS = {Ruling.FOR_BUYER: "支持采购人", Ruling.FOR_SUPPLIER: "支持供应商"}


class CaseRefundStatus(StrEnum):
    """The money of an after-sales case, paid back through the order's payment mode. A refund the
    payment service refuses is retried with back-off until it succeeds or a person settles it."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # will be retried (rules.refund_retry_at); on the operator's work list
    SETTLED_BY_HAND = "settled_by_hand"  # a person resolved it outside the mall, with a note


CASE_REFUND_STATUS_LABELS = {
    CaseRefundStatus.PENDING: "退款处理中",
    CaseRefundStatus.SUCCEEDED: "已退款",
    CaseRefundStatus.FAILED: "退款失败，等待重试",
    CaseRefundStatus.SETTLED_BY_HAND: "已人工处理",
}

CASE_REFUND_TRANSITIONS: dict[CaseRefundStatus, frozenset[CaseRefundStatus]] = {
    CaseRefundStatus.PENDING: frozenset({CaseRefundStatus.SUCCEEDED, CaseRefundStatus.FAILED}),
    CaseRefundStatus.FAILED: frozenset({CaseRefundStatus.PENDING, CaseRefundStatus.SETTLED_BY_HAND}),
    CaseRefundStatus.SUCCEEDED: frozenset(),
    CaseRefundStatus.SETTLED_BY_HAND: frozenset(),
}


def ensure_aftersales_transition(current: AftersalesStatus, new: AftersalesStatus) -> None:
    if new not in AFTERSALES_TRANSITIONS[current]:
        raise InvalidTransitionError(current=current, new=new)


def ensure_case_refund_transition(current: CaseRefundStatus, new: CaseRefundStatus) -> None:
    if new not in CASE_REFUND_TRANSITIONS[current]:
        raise InvalidTransitionError(current=current, new=new)


# ---- payables ----------------------------------------------------------------------------------


class PayableStatus(StrEnum):
    DUE = "due"  # owed; overdue once its due date has passed (a query, not a state)
    HELD = "held"  # the undisputed part is paid; the disputed part waits for the dispute
    PAID = "paid"  # nothing left to pay


PAYABLE_STATUS_LABELS = {
    PayableStatus.DUE: "待付款",
    PayableStatus.HELD: "争议款暂缓",
    PayableStatus.PAID: "已付清",
}

PAYABLE_TRANSITIONS: dict[PayableStatus, frozenset[PayableStatus]] = {
    PayableStatus.DUE: frozenset({PayableStatus.HELD, PayableStatus.PAID}),
    # the dispute settled: what is still owed falls due again, or is paid at once
    PayableStatus.HELD: frozenset({PayableStatus.DUE, PayableStatus.PAID}),
    PayableStatus.PAID: frozenset(),
}


def ensure_payable_transition(current: PayableStatus, new: PayableStatus) -> None:
    if new not in PAYABLE_TRANSITIONS[current]:
        raise InvalidTransitionError(current=current, new=new)


# ---- supplier standing -------------------------------------------------------------------------


class Standing(StrEnum):
    EXCELLENT = "excellent"  # 优秀
    GOOD = "good"  # 良好
    PASS = "pass"  # 合格
    WARNING = "warning"  # 警告
    SUSPENDED = "suspended"  # 暂停: no new orders until the operator lifts it, with a reason
    INSUFFICIENT = "insufficient"  # 评价不足: too few orders in the period for a score


STANDING_LABELS = {
    Standing.EXCELLENT: "优秀",
    Standing.GOOD: "良好",
    Standing.PASS: "合格",
    Standing.WARNING: "警告",
    Standing.SUSPENDED: "暂停",
    Standing.INSUFFICIENT: "评价不足",
}

# The scorecard moves a supplier between the bands it computes; it may suspend (a score below the
# warning band) but never lifts a suspension. The operator may suspend anyone and lift a
# suspension to any band, each time with a reason; the history keeps both.
SCORECARD_MOVES: dict[Standing, frozenset[Standing]] = {
    **{s: frozenset(Standing) - {s} for s in Standing if s is not Standing.SUSPENDED},
    Standing.SUSPENDED: frozenset(),
}
OPERATOR_MOVES: dict[Standing, frozenset[Standing]] = {
    **{s: frozenset({Standing.SUSPENDED}) for s in Standing if s is not Standing.SUSPENDED},
    Standing.SUSPENDED: frozenset(Standing) - {Standing.SUSPENDED},
}


def ensure_standing_move(current: Standing, new: Standing, *, by_operator: bool) -> None:
    if new not in (OPERATOR_MOVES if by_operator else SCORECARD_MOVES)[current]:
        raise InvalidTransitionError(current=current, new=new)


def blocks_new_orders(standing: Standing) -> bool:
    """暂停 stops new orders (DOMAIN.md: warning → suspension → removal)."""
    return standing is Standing.SUSPENDED

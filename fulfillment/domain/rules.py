"""Rules after payment: what a parcel may hold, the money of an acceptance, the deadlines of
acceptance, evaluation and after-sales, the scores of an evaluation, payables and late interest.

Numbers and windows come from the policy year (`PolicyTerms`), passed in by the caller. Money is
integer fen; a proportional part goes through `mall.money.split_fen`, so parts add up exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from catalog.domain import Storage
from fulfillment.domain.errors import (
    AcceptanceClosedError,
    AftersalesQuantityError,
    AftersalesWindowClosedError,
    EvaluationClosedError,
    EvaluationFinalError,
    InvalidAcceptanceError,
    InvalidDisputeError,
    InvalidScoreError,
    NothingToShipError,
    PaymentTermTooLongError,
    QuantityExceedsOrderedError,
    RejectionReasonRequiredError,
    UnknownOrderLineError,
)
from fulfillment.domain.states import ShipmentStatus
from mall.bounds import MAX_QUANTITY
from mall.money import mul_bp, split_fen
from mall.policy.domain import PolicyTerms, days_after, days_late, deadline, is_past
from orders.domain import InvalidQuantityError, OrderStatus

# ---- shipping ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineProgress:
    """An order line as shipping sees it: what was ordered and what is already in parcels."""

    order_line_id: int
    ordered_qty: int
    shipped_qty: int = 0

    @property
    def to_ship(self) -> int:
        return self.ordered_qty - self.shipped_qty


def _quantity(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
        raise InvalidQuantityError(f"数量须为0至{MAX_QUANTITY}之间的整数")
    return value


def check_parcel(lines: Sequence[LineProgress], parcel: Mapping[int, object]) -> dict[int, int]:
    """The quantities of one parcel, by order line: lines of this order only, whole numbers, and
    never more than ordered counting every earlier parcel. Zero quantities are dropped.

    Raises UnknownOrderLineError, InvalidQuantityError, NothingToShipError, QuantityExceedsOrderedError.
    """
    by_id = {line.order_line_id: line for line in lines}
    wanted = {}
    for line_id, value in parcel.items():
        if line_id not in by_id:
            raise UnknownOrderLineError(order_line_id=line_id)
        if quantity := _quantity(value):
            wanted[line_id] = quantity
    if not wanted:
        raise NothingToShipError()
    for line_id, quantity in wanted.items():
        line = by_id[line_id]
        if quantity > line.to_ship:
            raise QuantityExceedsOrderedError(
                f"发货数量累计超过订购数量：还可发 {line.to_ship}", order_line_id=line_id, remaining=line.to_ship
            )
    return wanted


def status_after_parcel(lines: Sequence[LineProgress], parcel: Mapping[int, int]) -> OrderStatus:
    """The order's status once this parcel is counted: shipped when every quantity is in a parcel."""
    done = all(line.shipped_qty + parcel.get(line.order_line_id, 0) >= line.ordered_qty for line in lines)
    return OrderStatus.SHIPPED if done else OrderStatus.PARTLY_SHIPPED


def is_delivered(lines: Sequence[LineProgress], parcels: Iterable[ShipmentStatus]) -> bool:
    """An order is delivered when every quantity was shipped and every parcel signed for."""
    statuses = list(parcels)
    return (
        bool(statuses)
        and all(line.to_ship == 0 for line in lines)
        and all(s is ShipmentStatus.DELIVERED for s in statuses)
    )


# ---- acceptance --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineValue:
    """An order line's goods and money at acceptance."""

    order_line_id: int
    quantity: int  # delivered (every quantity is shipped before an order is delivered)
    line_total_fen: int
    refunded_fen: int = 0

    @property
    def refundable_fen(self) -> int:
        return self.line_total_fen - self.refunded_fen


@dataclass(frozen=True)
class LineVerdict:
    """The buyer's acceptance of one line: every delivered unit is accepted or rejected."""

    order_line_id: int
    accepted_qty: int
    rejected_qty: int = 0
    reason: str = ""


def check_verdicts(lines: Sequence[LineValue], verdicts: Sequence[LineVerdict]) -> dict[int, LineVerdict]:
    """One verdict per line; a line the buyer did not mention is accepted in full. Accepted plus
    rejected is the delivered quantity, and a rejection needs a reason.

    Raises UnknownOrderLineError, InvalidQuantityError, InvalidAcceptanceError, RejectionReasonRequiredError.
    """
    by_id = {line.order_line_id: line for line in lines}
    given: dict[int, LineVerdict] = {}
    for verdict in verdicts:
        line = by_id.get(verdict.order_line_id)
        if line is None:
            raise UnknownOrderLineError(order_line_id=verdict.order_line_id)
        if verdict.order_line_id in given:
            raise InvalidAcceptanceError("同一订单行只能填写一次", order_line_id=verdict.order_line_id)
        accepted, rejected = _quantity(verdict.accepted_qty), _quantity(verdict.rejected_qty)
        if accepted + rejected != line.quantity:
            raise InvalidAcceptanceError(
                f"验收数量与拒收数量之和须等于送达数量 {line.quantity}", order_line_id=line.order_line_id
            )
        reason = (verdict.reason or "").strip()
        if rejected and not reason:
            raise RejectionReasonRequiredError(order_line_id=line.order_line_id)
        given[line.order_line_id] = LineVerdict(line.order_line_id, accepted, rejected, reason)
    return {
        line.order_line_id: given.get(line.order_line_id) or LineVerdict(line.order_line_id, line.quantity)
        for line in lines
    }


def goods_value_fen(line: LineValue, quantity: int) -> int:
    """What `quantity` units of a line are worth, in proportion to the line's total (largest
    remainder: an exact half fen goes to these units), never more than the line can still refund."""
    share = split_fen(line.line_total_fen, [quantity, line.quantity - quantity])[0]
    return min(share, line.refundable_fen)


@dataclass(frozen=True)
class AcceptanceMoney:
    rejected_fen: dict[int, int]  # by order line: the value of the rejected goods
    refund_fen: dict[int, int]  # by order line: money paid back now (card orders)
    payable_fen: int  # still owed to the supplier for the goods kept (transfer orders)

    @property
    def total_rejected_fen(self) -> int:
        return sum(self.rejected_fen.values())

    @property
    def total_refund_fen(self) -> int:
        return sum(self.refund_fen.values())


def acceptance_money(
    lines: Sequence[LineValue], verdicts: Mapping[int, LineVerdict], *, paid_fen: int, refunded_fen: int
) -> AcceptanceMoney:
    """The money of an acceptance: rejected goods are worth their share of their line; of that,
    what was paid comes back (a card order: all of it), and the goods kept are what the supplier
    is owed, less what it was already paid (a transfer order: the payable shrinks instead).

    Never refunds more than is left: refund <= paid - refunded, and per line <= its refundable.
    """
    rejected = {line.order_line_id: goods_value_fen(line, verdicts[line.order_line_id].rejected_qty) for line in lines}
    total_rejected = sum(rejected.values())
    refundable = max(0, paid_fen - refunded_fen)
    refund_total = min(total_rejected, refundable)
    weights = list(rejected.values())
    parts = split_fen(refund_total, weights) if total_rejected else [0] * len(weights)
    kept = sum(line.refundable_fen for line in lines) - total_rejected
    return AcceptanceMoney(
        rejected_fen=rejected,
        refund_fen=dict(zip(rejected, parts, strict=True)),
        payable_fen=max(0, kept - (refundable - refund_total)),
    )


# ---- deadlines ---------------------------------------------------------------------------------


def acceptance_due_on(delivered_at: datetime, terms: PolicyTerms) -> date:
    """Accept within the window after delivery (7 days: delivered 1 May, due 8 May 23:59:59
    Beijing); after it the jobs loop accepts automatically."""
    return days_after(delivered_at, terms.acceptance_days)


def check_acceptance_open(delivered_at: datetime, now: datetime, terms: PolicyTerms) -> None:
    if is_past(acceptance_due_on(delivered_at, terms), now):
        raise AcceptanceClosedError()


def evaluation_due_on(accepted_at: datetime, terms: PolicyTerms) -> date:
    """Evaluate within the window after acceptance (15 days); after it the default is recorded."""
    return days_after(accepted_at, terms.evaluation_days)


def check_evaluation_open(accepted_at: datetime, now: datetime, terms: PolicyTerms) -> None:
    if is_past(evaluation_due_on(accepted_at, terms), now):
        raise EvaluationClosedError()


def evaluation_editable_until(submitted_at: datetime, terms: PolicyTerms) -> datetime:
    """An evaluation may be changed for a number of hours after it is given, then it is final."""
    return submitted_at + timedelta(hours=terms.evaluation_edit_hours)


def check_evaluation_editable(editable_until: datetime, now: datetime) -> None:
    if now > editable_until:
        raise EvaluationFinalError()


def is_fresh(storage: Storage) -> bool:
    """Chilled and frozen goods have the short after-sales window."""
    return storage in (Storage.CHILLED, Storage.FROZEN)


def aftersales_closes_at(delivered_at: datetime, storage: Storage, terms: PolicyTerms) -> datetime:
    """The end of a line's after-sales window: fresh goods a number of hours after receipt (48),
    other goods at the end of the Beijing day a number of days after it (7)."""
    if is_fresh(storage):
        return delivered_at + timedelta(hours=terms.aftersales_hours_fresh)
    return deadline(days_after(delivered_at, terms.aftersales_days_dry))


def check_aftersales_open(delivered_at: datetime, storage: Storage, now: datetime, terms: PolicyTerms) -> None:
    if now > aftersales_closes_at(delivered_at, storage, terms):
        raise AftersalesWindowClosedError()


def order_aftersales_closes_at(delivered_at: datetime, storages: Iterable[Storage], terms: PolicyTerms) -> datetime:
    """When the last of an order's lines leaves its window: an evaluated order with no open case
    closes after this."""
    return max(aftersales_closes_at(delivered_at, storage, terms) for storage in storages)


def answer_due_at(opened_at: datetime, terms: PolicyTerms) -> datetime:
    """The supplier answers an after-sales case within hours (48), or it escalates."""
    return opened_at + timedelta(hours=terms.supplier_answer_hours)


def check_case_quantities(
    accepted: Mapping[int, int], in_cases: Mapping[int, int], asked: Mapping[int, object]
) -> dict[int, int]:
    """The quantities of an after-sales case by order line: no more than was accepted less what
    earlier cases already cover. Raises UnknownOrderLineError, InvalidQuantityError,
    AftersalesQuantityError."""
    wanted = {}
    for line_id, value in asked.items():
        if line_id not in accepted:
            raise UnknownOrderLineError(order_line_id=line_id)
        if quantity := _quantity(value):
            if quantity > accepted[line_id] - in_cases.get(line_id, 0):
                raise AftersalesQuantityError(order_line_id=line_id)
            wanted[line_id] = quantity
    if not wanted:
        raise AftersalesQuantityError("请至少为一个订单行填写大于0的售后数量")
    return wanted


# Failed refunds are retried after 5 minutes, then 10, 20… never more than 6 hours apart.
REFUND_RETRY_FIRST = timedelta(minutes=5)
REFUND_RETRY_LONGEST = timedelta(hours=6)


def refund_retry_at(failed_at: datetime, attempts: int) -> datetime:
    """When to try a refund again after its `attempts`-th failure (exponential back-off, capped)."""
    wait = REFUND_RETRY_FIRST * 2 ** min(max(attempts - 1, 0), 16)
    return failed_at + min(wait, REFUND_RETRY_LONGEST)


# ---- evaluation scores -------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    """履约评价: 商品质量, 配送时效, 服务态度, 价格合理, each 1-5."""

    quality: int
    timeliness: int
    service: int
    price: int

    def values(self) -> tuple[int, int, int, int]:
        return (self.quality, self.timeliness, self.service, self.price)


SCORE_LABELS = {"quality": "商品质量", "timeliness": "配送时效", "service": "服务态度", "price": "价格合理"}


def check_scores(quality: object, timeliness: object, service: object, price: object) -> Scores:
    """Four whole scores from 1 to 5. Raises InvalidScoreError."""
    values = (quality, timeliness, service, price)
    if any(isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5 for v in values):
        raise InvalidScoreError()
    return Scores(*values)  # type: ignore[arg-type]


def default_scores(terms: PolicyTerms) -> Scores:
    """The evaluation recorded when the buyer lets the window pass ("满意" by default)."""
    s = terms.default_evaluation_score
    return Scores(s, s, s, s)


# ---- payables and late interest ----------------------------------------------------------------


def check_term_days(term_days: int | None, terms: PolicyTerms) -> int:
    """A contract's payment term: the policy's (30 days) unless the contract set one, never more
    than the maximum (60 days, 《保障中小企业款项支付条例》). Raises PaymentTermTooLongError."""
    if term_days is None:
        return terms.payment_term_days
    if (
        isinstance(term_days, bool)
        or not isinstance(term_days, int)
        or not 0 < term_days <= terms.max_payment_term_days
    ):
        raise PaymentTermTooLongError(f"合同付款期限须为1至{terms.max_payment_term_days}天")
    return term_days


def payable_due_on(accepted_at: datetime, term_days: int) -> date:
    """A transfer order's payable falls due `term_days` Beijing days after acceptance."""
    return days_after(accepted_at, term_days)


def check_dispute(disputed_fen: int, *, amount_fen: int, paid_fen: int) -> int:
    """A disputed amount is held back from what is still unpaid. Raises InvalidDisputeError."""
    if (
        isinstance(disputed_fen, bool)
        or not isinstance(disputed_fen, int)
        or not 0 <= disputed_fen <= amount_fen - paid_fen
    ):
        raise InvalidDisputeError()
    return disputed_fen


def overdue_principal_fen(*, amount_fen: int, paid_fen: int, disputed_fen: int) -> int:
    """What is late: the unpaid amount less the disputed part, which is held, not late."""
    return max(0, amount_fen - paid_fen - disputed_fen)


def days_overdue(due_on: date, now: datetime) -> int:
    """Whole Beijing days past the due date (paid on the due date: 0; the day after: 1)."""
    return days_late(due_on, now)


def late_interest_fen(principal_fen: int, days: int, bp_per_day: int) -> int:
    """Simple daily interest on the overdue amount: principal × days × rate, rounded half up to
    the fen once, on the whole (0.05 %/day on ¥100,000.00 for 10 days: ¥500.00). Monotone in days
    and in the principal, so a later payment never owes less."""
    if principal_fen < 0 or days < 0 or bp_per_day < 0:
        raise ValueError("interest needs a non-negative principal, days and rate")
    return mul_bp(principal_fen * days, bp_per_day)

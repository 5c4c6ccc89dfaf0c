"""Rules after payment on hand-computed examples: what a parcel may hold, the money of a partial
acceptance (card and transfer), the windows of acceptance, evaluation and after-sales in Beijing
time, evaluation scores, payment terms and late interest."""

from datetime import UTC, date, datetime, timedelta

import pytest

from catalog.domain import Storage
from fulfillment import domain
from fulfillment.domain import (
    AcceptanceClosedError,
    AftersalesQuantityError,
    AftersalesWindowClosedError,
    EvaluationClosedError,
    EvaluationFinalError,
    InvalidAcceptanceError,
    InvalidDisputeError,
    InvalidScoreError,
    LineProgress,
    LineValue,
    LineVerdict,
    NothingToShipError,
    PaymentTermTooLongError,
    QuantityExceedsOrderedError,
    RejectionReasonRequiredError,
    Scores,
    ShipmentStatus,
    UnknownOrderLineError,
)
from mall.clock import SHANGHAI
from mall.policy.domain import PolicyTerms
from orders.domain import InvalidQuantityError, OrderStatus

TERMS = PolicyTerms()

# ---- shipping ----------------------------------------------------------------------------------

LINES = [LineProgress(11, ordered_qty=10, shipped_qty=4), LineProgress(12, ordered_qty=3)]


def test_a_parcel_holds_what_is_left_to_ship_and_drops_zero_lines():
    assert domain.check_parcel(LINES, {11: 6, 12: 0}) == {11: 6}
    assert domain.status_after_parcel(LINES, {11: 6}) is OrderStatus.PARTLY_SHIPPED
    assert domain.status_after_parcel(LINES, {11: 6, 12: 3}) is OrderStatus.SHIPPED


def test_a_parcel_never_takes_more_than_ordered_counting_earlier_parcels():
    with pytest.raises(QuantityExceedsOrderedError) as raised:
        domain.check_parcel(LINES, {11: 7})
    assert raised.value.details["remaining"] == 6


@pytest.mark.parametrize(
    ("parcel", "error"),
    [
        ({}, NothingToShipError),
        ({11: 0, 12: 0}, NothingToShipError),
        ({99: 1}, UnknownOrderLineError),
        ({11: -1}, InvalidQuantityError),
        ({11: True}, InvalidQuantityError),
        ({11: "2"}, InvalidQuantityError),
    ],
)
def test_a_bad_parcel_is_refused(parcel, error):
    with pytest.raises(error):
        domain.check_parcel(LINES, parcel)


def test_an_order_is_delivered_when_all_is_shipped_and_every_parcel_signed_for():
    shipped = [LineProgress(11, 10, 10), LineProgress(12, 3, 3)]
    assert domain.is_delivered(shipped, [ShipmentStatus.DELIVERED, ShipmentStatus.DELIVERED])
    assert not domain.is_delivered(shipped, [ShipmentStatus.DELIVERED, ShipmentStatus.EXCEPTION])
    assert not domain.is_delivered(LINES, [ShipmentStatus.DELIVERED])  # 6 and 3 still to ship
    assert not domain.is_delivered(shipped, [])


# ---- acceptance money: a hand-computed order -----------------------------------------------------
# 20 boxes of 马铃薯粉条 at ¥26.80 (¥536.00) and 3 bottles of 胡麻油 at ¥89.90 (¥269.70): ¥805.70.
# The buyer rejects 2 boxes (crushed) and 1 bottle (leaking): 2 × 26.80 + 89.90 = ¥143.50.

ORDER = [LineValue(1, quantity=20, line_total_fen=53_600), LineValue(2, quantity=3, line_total_fen=26_970)]
VERDICTS = [LineVerdict(1, accepted_qty=18, rejected_qty=2, reason="外箱压坏"), LineVerdict(2, 2, 1, "漏油")]


def test_partial_rejection_of_a_card_order_refunds_the_rejected_goods():
    verdicts = domain.check_verdicts(ORDER, VERDICTS)
    money = domain.acceptance_money(ORDER, verdicts, paid_fen=80_570, refunded_fen=0)
    assert money.rejected_fen == {1: 5_360, 2: 8_990}
    assert money.refund_fen == {1: 5_360, 2: 8_990}
    assert money.total_refund_fen == 14_350
    assert money.payable_fen == 0  # settled at acceptance: the card paid for what was kept


def test_partial_rejection_of_a_transfer_order_shrinks_the_payable():
    verdicts = domain.check_verdicts(ORDER, VERDICTS)
    money = domain.acceptance_money(ORDER, verdicts, paid_fen=0, refunded_fen=0)
    assert money.total_rejected_fen == 14_350
    assert money.total_refund_fen == 0
    assert money.payable_fen == 66_220  # 805.70 - 143.50


def test_a_transfer_already_paid_is_refunded_like_a_card():
    verdicts = domain.check_verdicts(ORDER, VERDICTS)
    money = domain.acceptance_money(ORDER, verdicts, paid_fen=80_570, refunded_fen=0)
    assert (money.total_refund_fen, money.payable_fen) == (14_350, 0)


def test_a_line_not_mentioned_is_accepted_in_full():
    verdicts = domain.check_verdicts(ORDER, [VERDICTS[0]])
    assert verdicts[2] == LineVerdict(2, accepted_qty=3)


def test_an_uneven_share_rounds_by_largest_remainder():
    # ¥10.01 for 2 bags; rejecting one is worth ¥5.005: the half fen goes to the rejected bag
    line = LineValue(1, quantity=2, line_total_fen=1_001)
    assert domain.goods_value_fen(line, 1) == 501
    assert domain.goods_value_fen(line, 2) == 1_001
    assert domain.goods_value_fen(LineValue(1, 2, 1_001, refunded_fen=600), 2) == 401  # what is left


def test_a_refund_is_capped_by_what_is_left_to_refund_on_the_order():
    verdicts = domain.check_verdicts(ORDER, VERDICTS)
    money = domain.acceptance_money(ORDER, verdicts, paid_fen=80_570, refunded_fen=75_000)
    assert money.total_refund_fen == 5_570
    assert sum(money.refund_fen.values()) == 5_570 and money.refund_fen[1] <= 5_360


@pytest.mark.parametrize(
    ("verdicts", "error"),
    [
        ([LineVerdict(1, 18, 1, "少了")], InvalidAcceptanceError),  # 19 of 20 accounted for
        ([LineVerdict(1, 18, 2, "  ")], RejectionReasonRequiredError),
        ([LineVerdict(1, 20), LineVerdict(1, 20)], InvalidAcceptanceError),
        ([LineVerdict(9, 1)], UnknownOrderLineError),
        ([LineVerdict(1, 21, -1, "多了")], InvalidQuantityError),
    ],
)
def test_an_acceptance_must_account_for_every_delivered_unit(verdicts, error):
    with pytest.raises(error):
        domain.check_verdicts(ORDER, verdicts)


# ---- windows -----------------------------------------------------------------------------------

DELIVERED = datetime(2026, 5, 1, 9, 30, tzinfo=SHANGHAI)


def test_acceptance_is_due_seven_beijing_days_after_delivery_at_2359():
    assert domain.acceptance_due_on(DELIVERED, TERMS) == date(2026, 5, 8)
    domain.check_acceptance_open(DELIVERED, datetime(2026, 5, 8, 23, 59, tzinfo=SHANGHAI), TERMS)
    with pytest.raises(AcceptanceClosedError):
        domain.check_acceptance_open(DELIVERED, datetime(2026, 5, 9, 0, 0, 1, tzinfo=SHANGHAI), TERMS)


def test_a_delivery_late_in_the_utc_evening_counts_from_the_next_beijing_day():
    evening = datetime(2026, 4, 30, 17, 0, tzinfo=UTC)  # 01:00 on 1 May in Beijing
    assert domain.acceptance_due_on(evening, TERMS) == date(2026, 5, 8)


def test_evaluation_is_open_fifteen_days_and_editable_for_a_day():
    accepted = datetime(2026, 5, 8, 10, 0, tzinfo=SHANGHAI)
    assert domain.evaluation_due_on(accepted, TERMS) == date(2026, 5, 23)
    with pytest.raises(EvaluationClosedError):
        domain.check_evaluation_open(accepted, datetime(2026, 5, 24, 0, 0, 1, tzinfo=SHANGHAI), TERMS)
    submitted = datetime(2026, 5, 10, 14, 0, tzinfo=SHANGHAI)
    until = domain.evaluation_editable_until(submitted, TERMS)
    assert until == submitted + timedelta(hours=24)
    domain.check_evaluation_editable(until, until)
    with pytest.raises(EvaluationFinalError):
        domain.check_evaluation_editable(until, until + timedelta(seconds=1))


def test_fresh_goods_have_48_hours_after_receipt_and_dry_goods_seven_days():
    assert domain.aftersales_closes_at(DELIVERED, Storage.CHILLED, TERMS) == DELIVERED + timedelta(hours=48)
    assert domain.aftersales_closes_at(DELIVERED, Storage.FROZEN, TERMS) == DELIVERED + timedelta(hours=48)
    dry = domain.aftersales_closes_at(DELIVERED, Storage.AMBIENT, TERMS)
    assert dry == datetime(2026, 5, 8, 23, 59, 59, tzinfo=SHANGHAI)
    late_for_fresh = DELIVERED + timedelta(hours=49)
    with pytest.raises(AftersalesWindowClosedError):
        domain.check_aftersales_open(DELIVERED, Storage.CHILLED, late_for_fresh, TERMS)
    domain.check_aftersales_open(DELIVERED, Storage.AMBIENT, late_for_fresh, TERMS)
    assert domain.order_aftersales_closes_at(DELIVERED, [Storage.CHILLED, Storage.AMBIENT], TERMS) == dry


def test_the_supplier_answers_within_48_hours():
    opened = datetime(2026, 5, 3, 9, 0, tzinfo=SHANGHAI)
    assert domain.answer_due_at(opened, TERMS) == datetime(2026, 5, 5, 9, 0, tzinfo=SHANGHAI)


def test_a_case_covers_no_more_than_was_accepted_less_earlier_cases():
    accepted, in_cases = {1: 18, 2: 2}, {1: 5}
    assert domain.check_case_quantities(accepted, in_cases, {1: 13, 2: 0}) == {1: 13}
    with pytest.raises(AftersalesQuantityError):
        domain.check_case_quantities(accepted, in_cases, {1: 14})
    with pytest.raises(AftersalesQuantityError):
        domain.check_case_quantities(accepted, in_cases, {2: 0})
    with pytest.raises(UnknownOrderLineError):
        domain.check_case_quantities(accepted, in_cases, {3: 1})


def test_failed_refunds_back_off_to_at_most_six_hours():
    failed = datetime(2026, 5, 3, 9, 0, tzinfo=UTC)
    waits = [domain.refund_retry_at(failed, n) - failed for n in (1, 2, 3, 8, 50)]
    assert waits == [
        timedelta(minutes=5),
        timedelta(minutes=10),
        timedelta(minutes=20),
        timedelta(hours=6),
        timedelta(hours=6),
    ]


# ---- scores --------------------------------------------------------------------------------------


def test_scores_are_whole_numbers_from_one_to_five():
    assert domain.check_scores(5, 4, 3, 1) == Scores(5, 4, 3, 1)
    for bad in [(0, 5, 5, 5), (5, 6, 5, 5), (5, 5, 4.5, 5), (5, 5, 5, True), (5, 5, 5, "5")]:
        with pytest.raises(InvalidScoreError):
            domain.check_scores(*bad)
    assert domain.default_scores(TERMS) == Scores(5, 5, 5, 5)


# ---- payables --------------------------------------------------------------------------------------


def test_a_payable_falls_due_30_days_after_acceptance_unless_the_contract_says_up_to_60():
    accepted = datetime(2026, 5, 8, 16, 30, tzinfo=SHANGHAI)
    assert domain.check_term_days(None, TERMS) == 30
    assert domain.payable_due_on(accepted, 30) == date(2026, 6, 7)
    assert domain.check_term_days(60, TERMS) == 60
    for bad in (61, 0, -5):
        with pytest.raises(PaymentTermTooLongError):
            domain.check_term_days(bad, TERMS)


def test_interest_on_a_hand_computed_late_payable():
    # ¥100,000.00 due on 7 June, ¥20,000.00 of it disputed (held), paid on 17 June: 10 days late
    # on ¥80,000.00 at 0.05 % a day = ¥400.00
    principal = domain.overdue_principal_fen(amount_fen=10_000_000, paid_fen=0, disputed_fen=2_000_000)
    days = domain.days_overdue(date(2026, 6, 7), datetime(2026, 6, 17, 11, 0, tzinfo=SHANGHAI))
    assert (principal, days) == (8_000_000, 10)
    assert domain.late_interest_fen(principal, days, TERMS.late_interest_bp_per_day) == 40_000


def test_interest_rounds_half_up_once_on_the_whole():
    assert domain.late_interest_fen(12_345, 3, 5) == 19  # 18.5175 fen
    assert domain.late_interest_fen(1_000, 1, 5) == 1  # exactly half a fen
    assert domain.late_interest_fen(999, 1, 5) == 0  # 0.4995 fen
    assert domain.days_overdue(date(2026, 6, 7), datetime(2026, 6, 7, 23, 0, tzinfo=SHANGHAI)) == 0


def test_a_dispute_holds_part_of_what_is_unpaid():
    assert domain.check_dispute(2_000, amount_fen=10_000, paid_fen=7_000) == 2_000
    with pytest.raises(InvalidDisputeError):
        domain.check_dispute(3_001, amount_fen=10_000, paid_fen=7_000)

"""The states after payment: every state labelled and in its table, reachable, end states closed;
a parcel's status follows its timeline in event time, whatever order the events arrived in."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fulfillment import domain
from fulfillment.domain import (
    AFTERSALES_TRANSITIONS,
    CASE_REFUND_TRANSITIONS,
    PAYABLE_TRANSITIONS,
    SHIPMENT_TRANSITIONS,
    AftersalesStatus,
    CarrierEventCode,
    CaseRefundStatus,
    PayableStatus,
    ShipmentStatus,
    Standing,
    TimelineEvent,
)
from mall.errors import InvalidTransitionError
from tests.state_tables import reachable

TABLES = [
    (ShipmentStatus, SHIPMENT_TRANSITIONS, domain.SHIPMENT_STATUS_LABELS, ShipmentStatus.CREATED),
    (AftersalesStatus, AFTERSALES_TRANSITIONS, domain.AFTERSALES_STATUS_LABELS, AftersalesStatus.OPEN),
    (CaseRefundStatus, CASE_REFUND_TRANSITIONS, domain.CASE_REFUND_STATUS_LABELS, CaseRefundStatus.PENDING),
    (PayableStatus, PAYABLE_TRANSITIONS, domain.PAYABLE_STATUS_LABELS, PayableStatus.DUE),
]


@pytest.mark.parametrize(("enum", "table", "labels", "start"), TABLES)
def test_every_state_has_a_row_a_label_and_is_reachable_from_the_start(enum, table, labels, start):
    assert set(table) == set(enum) == set(labels)
    assert reachable(table, start) == set(enum)


def test_end_states_have_no_exits():
    assert SHIPMENT_TRANSITIONS[ShipmentStatus.DELIVERED] == frozenset()
    assert {s for s, exits in AFTERSALES_TRANSITIONS.items() if not exits} == {
        AftersalesStatus.CLOSED,
        AftersalesStatus.WITHDRAWN,
    }
    assert {s for s, exits in CASE_REFUND_TRANSITIONS.items() if not exits} == {
        CaseRefundStatus.SUCCEEDED,
        CaseRefundStatus.SETTLED_BY_HAND,
    }
    assert PAYABLE_TRANSITIONS[PayableStatus.PAID] == frozenset()


@pytest.mark.parametrize(
    ("guard", "current", "new"),
    [
        (domain.ensure_shipment_transition, ShipmentStatus.DELIVERED, ShipmentStatus.EXCEPTION),
        (domain.ensure_shipment_transition, ShipmentStatus.IN_TRANSIT, ShipmentStatus.PICKED_UP),
        (domain.ensure_aftersales_transition, AftersalesStatus.OPEN, AftersalesStatus.DECIDED),
        (domain.ensure_aftersales_transition, AftersalesStatus.AGREED, AftersalesStatus.ESCALATED),
        (domain.ensure_aftersales_transition, AftersalesStatus.CLOSED, AftersalesStatus.OPEN),
        (domain.ensure_case_refund_transition, CaseRefundStatus.SUCCEEDED, CaseRefundStatus.FAILED),
        (domain.ensure_payable_transition, PayableStatus.PAID, PayableStatus.DUE),
    ],
)
def test_moves_outside_the_tables_are_refused(guard, current, new):
    with pytest.raises(InvalidTransitionError):
        guard(current, new)


def test_an_after_sales_case_runs_answer_escalation_and_ruling():
    path = [AftersalesStatus.OPEN, AftersalesStatus.REFUSED, AftersalesStatus.ESCALATED, AftersalesStatus.DECIDED]
    for current, new in itertools.pairwise([*path, AftersalesStatus.CLOSED]):
        domain.ensure_aftersales_transition(current, new)
    domain.ensure_aftersales_transition(AftersalesStatus.OPEN, AftersalesStatus.ESCALATED)  # no answer in time
    assert set(path) | {AftersalesStatus.AGREED} == domain.OPEN_AFTERSALES


def test_a_failed_refund_is_retried_or_settled_by_hand():
    assert CASE_REFUND_TRANSITIONS[CaseRefundStatus.PENDING] == {CaseRefundStatus.SUCCEEDED, CaseRefundStatus.FAILED}
    assert CASE_REFUND_TRANSITIONS[CaseRefundStatus.FAILED] == {
        CaseRefundStatus.PENDING,  # the jobs loop tries again
        CaseRefundStatus.SETTLED_BY_HAND,  # a person resolves it
    }


# ---- standing ----------------------------------------------------------------------------------


def test_every_standing_has_a_label_and_only_suspension_blocks_orders():
    assert set(domain.STANDING_LABELS) == set(Standing)
    assert [s for s in Standing if domain.blocks_new_orders(s)] == [Standing.SUSPENDED]


def test_the_scorecard_may_suspend_but_never_lifts_a_suspension():
    domain.ensure_standing_move(Standing.WARNING, Standing.SUSPENDED, by_operator=False)
    for band in set(Standing) - {Standing.SUSPENDED}:
        with pytest.raises(InvalidTransitionError):
            domain.ensure_standing_move(Standing.SUSPENDED, band, by_operator=False)
        domain.ensure_standing_move(Standing.SUSPENDED, band, by_operator=True)  # the operator lifts it
    assert domain.standing_after_scorecard(Standing.SUSPENDED, Standing.EXCELLENT) is Standing.SUSPENDED
    assert domain.standing_after_scorecard(Standing.GOOD, Standing.WARNING) is Standing.WARNING


def test_the_operator_only_suspends_or_lifts():
    with pytest.raises(InvalidTransitionError):
        domain.ensure_standing_move(Standing.GOOD, Standing.EXCELLENT, by_operator=True)


# ---- a parcel's timeline -----------------------------------------------------------------------

T0 = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)


def ev(hours: float, code: CarrierEventCode, city: str = "") -> TimelineEvent:
    return TimelineEvent(event_at=T0 + timedelta(hours=hours), code=code, city=city)


JOURNEY = [
    ev(0, CarrierEventCode.PICKED_UP, "定西"),
    ev(5, CarrierEventCode.IN_TRANSIT, "兰州"),
    ev(30, CarrierEventCode.IN_TRANSIT, "西安"),
    ev(50, CarrierEventCode.OUT_FOR_DELIVERY, "济南"),
    ev(53, CarrierEventCode.EXCEPTION, "济南"),  # failed attempt
    ev(70, CarrierEventCode.OUT_FOR_DELIVERY, "济南"),
    ev(72, CarrierEventCode.DELIVERED, "济南"),
]


def test_a_journey_ends_delivered_at_the_signature_time():
    assert domain.shipment_status(JOURNEY) is ShipmentStatus.DELIVERED
    assert domain.delivered_at(JOURNEY) == T0 + timedelta(hours=72)
    assert domain.shipment_status(JOURNEY[:5]) is ShipmentStatus.EXCEPTION
    assert domain.shipment_status(JOURNEY[:6]) is ShipmentStatus.OUT_FOR_DELIVERY
    assert domain.shipment_status([]) is ShipmentStatus.CREATED


def test_a_late_arriving_earlier_event_does_not_move_the_status_back():
    # the carrier's 兰州 scan arrives after the 西安 one: the parcel is still in transit at 西安
    arrived = [JOURNEY[0], JOURNEY[2], JOURNEY[1]]
    assert domain.shipment_status(arrived) is ShipmentStatus.IN_TRANSIT
    assert [e.city for e in domain.timeline(arrived)] == ["定西", "兰州", "西安"]


def test_a_repeated_pick_up_scan_after_transit_is_kept_but_does_not_move_the_status():
    events = [*JOURNEY[:3], ev(31, CarrierEventCode.PICKED_UP, "西安")]
    assert domain.shipment_status(events) is ShipmentStatus.IN_TRANSIT
    assert len(domain.timeline(events)) == 4


def test_an_exception_after_signing_leaves_the_parcel_delivered():
    assert domain.shipment_status([*JOURNEY, ev(80, CarrierEventCode.EXCEPTION)]) is ShipmentStatus.DELIVERED


@given(st.permutations(JOURNEY))
def test_the_status_and_timeline_do_not_depend_on_arrival_order(arrived):
    assert domain.shipment_status(arrived) is ShipmentStatus.DELIVERED
    assert domain.timeline(arrived) == JOURNEY


@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.sampled_from(list(CarrierEventCode))),
        min_size=1,
        max_size=12,
    ).flatmap(lambda items: st.tuples(st.just(items), st.permutations(items)))
)
def test_any_events_in_any_arrival_order_give_one_status(pair):
    events, shuffled = ([ev(h, code) for h, code in items] for items in pair)
    status = domain.shipment_status(events)
    assert domain.shipment_status(shuffled) is status
    if any(e.code is CarrierEventCode.DELIVERED for e in events):
        assert status is ShipmentStatus.DELIVERED

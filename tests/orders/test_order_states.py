"""The order's one state machine, from checkout to closing (DOMAIN.md, "After the order"): every
state is reachable, the end states have no exits, and a move outside the table is refused."""

import itertools

import pytest

from mall.errors import InvalidTransitionError
from orders import domain
from orders.domain import ORDER_TRANSITIONS, OrderStatus
from tests.state_tables import reachable

TERMINAL = {OrderStatus.CLOSED, OrderStatus.CANCELLED}


def reachable_from(start: OrderStatus) -> set[OrderStatus]:
    return reachable(ORDER_TRANSITIONS, start)


def test_every_state_is_reachable_from_checkout():
    assert reachable_from(OrderStatus.PENDING_APPROVAL) == set(OrderStatus)


def test_every_state_after_placement_is_reachable_from_placed():
    before_placement = {OrderStatus.PENDING_APPROVAL, OrderStatus.PENDING_PAYMENT}
    assert reachable_from(OrderStatus.PLACED) == set(OrderStatus) - before_placement


def test_the_happy_path_runs_placed_to_closed_in_the_table():
    path = [
        OrderStatus.PLACED,
        OrderStatus.PARTLY_SHIPPED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.ACCEPTED,
        OrderStatus.EVALUATED,
        OrderStatus.CLOSED,
    ]
    assert all(new in ORDER_TRANSITIONS[current] for current, new in itertools.pairwise(path))
    assert OrderStatus.SHIPPED in ORDER_TRANSITIONS[OrderStatus.PLACED]  # all in one parcel


def test_end_states_have_no_exits_and_every_other_state_has_one():
    assert {s for s, exits in ORDER_TRANSITIONS.items() if not exits} == TERMINAL


def test_no_state_loops_back():
    for status, exits in ORDER_TRANSITIONS.items():
        assert status not in exits
        assert all(status not in reachable_from(nxt) for nxt in exits)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (current, new)
        for current, new in itertools.product(OrderStatus, OrderStatus)
        if new not in ORDER_TRANSITIONS[current]
    ],
)
def test_a_move_outside_the_table_is_refused(current, new):
    with pytest.raises(InvalidTransitionError):
        domain.ensure_order_transition(current, new)


def test_only_orders_not_yet_shipped_can_be_cancelled():
    shipped_or_later = reachable_from(OrderStatus.PARTLY_SHIPPED) | reachable_from(OrderStatus.SHIPPED)
    assert OrderStatus.CANCELLED not in shipped_or_later
    assert domain.CANCELLABLE.isdisjoint(shipped_or_later)
    assert {OrderStatus.PLACED, OrderStatus.PARTLY_SHIPPED} == domain.AWAITING_SHIPMENT


def test_skipping_delivery_or_acceptance_is_refused():
    for current, new in [
        (OrderStatus.SHIPPED, OrderStatus.ACCEPTED),
        (OrderStatus.PARTLY_SHIPPED, OrderStatus.DELIVERED),
        (OrderStatus.DELIVERED, OrderStatus.EVALUATED),
        (OrderStatus.ACCEPTED, OrderStatus.CLOSED),
        (OrderStatus.PLACED, OrderStatus.DELIVERED),
    ]:
        with pytest.raises(InvalidTransitionError):
            domain.ensure_order_transition(current, new)


def test_every_status_has_a_badge_tone(app):
    # given the order badge macro
    macro = app.jinja_env.get_template("orders/_status_badges.html").module.status_badge

    class Order:
        def __init__(self, status):
            self.status, self.status_label = status, domain.ORDER_STATUS_LABELS[status]

    # then every status renders with a colour and its Chinese label
    for status in OrderStatus:
        html = str(macro(Order(status)))
        assert 'class="badge "' not in html and domain.ORDER_STATUS_LABELS[status] in html

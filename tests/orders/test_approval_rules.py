"""The pure rules of who acts on which purpose, who decides a purchase above the approval
threshold (never the one who placed it), and which purchases look split to stay under it."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mall.accounts.domain import Role
from mall.errors import NotFoundError
from orders import domain
from orders.domain import ApproverKind, PurchasePart, Purpose, SuspectedSplit

# ---- purpose and role --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "purpose", "allowed"),
    [
        ({Role.UNION_OFFICER}, Purpose.UNION, True),
        ({Role.UNION_OFFICER}, Purpose.CANTEEN, False),
        ({Role.BUYER}, Purpose.CANTEEN, True),
        ({Role.BUYER}, Purpose.UNION, True),
        ({Role.UNIT_ADMIN}, Purpose.CANTEEN, True),
        ({Role.EMPLOYEE}, Purpose.UNION, False),
        ({Role.EMPLOYEE}, Purpose.CANTEEN, False),
        ({Role.EMPLOYEE}, Purpose.PERSONAL, True),
        ({Role.BUYER}, Purpose.PERSONAL, False),
        ({Role.UNION_OFFICER, Role.BUYER}, Purpose.CANTEEN, True),
        ({Role.SUPPLIER}, Purpose.UNION, False),
    ],
)
def test_a_user_acts_only_on_the_purposes_they_may_buy_for(roles, purpose, allowed):
    assert domain.may_act_on(purpose, roles) is allowed
    if allowed:
        assert domain.check_purpose_allowed(purpose, roles) is purpose
    else:
        with pytest.raises(domain.PurposeNotAllowedError) as refused:
            domain.check_purpose_allowed(purpose, roles, doing="修改")
        assert refused.value.code == "purpose_not_allowed"
        assert refused.value.message.startswith("您的角色不能修改")


def test_adding_and_acting_on_a_line_follow_one_rule():
    # the union officer may add union lines and not canteen ones: the same answer as acting on them
    for roles in ({Role.UNION_OFFICER}, {Role.BUYER}, {Role.EMPLOYEE}):
        for purpose in Purpose:
            try:
                domain.check_purpose(purpose.value, roles)
                may_add = True
            except domain.PurposeNotAllowedError:
                may_add = False
            assert may_add is domain.may_act_on(purpose, roles)


def test_a_shared_cart_splits_into_the_users_lines_and_the_others_in_order():
    class Line:
        def __init__(self, n, purpose):
            self.n, self.purpose = n, purpose

    lines = [Line(1, Purpose.CANTEEN), Line(2, Purpose.UNION), Line(3, Purpose.CANTEEN), Line(4, Purpose.UNION)]
    mine, others = domain.partition_by_purpose(lines, {Role.UNION_OFFICER})
    assert [line.n for line in mine] == [2, 4]
    assert [line.n for line in others] == [1, 3]
    mine, others = domain.partition_by_purpose(lines, {Role.BUYER})
    assert ([line.n for line in mine], others) == ([1, 2, 3, 4], [])


# ---- who decides -------------------------------------------------------------------------------

UNIT, PARENT, GRANDPARENT, ELSEWHERE = 10, 5, 1, 99


def decide(approver_id=2, *, unit_id=UNIT, roles=(Role.UNIT_ADMIN,), placed_by=1, supervising=PARENT):
    return domain.check_approver(
        approver_id=approver_id,
        approver_unit_id=unit_id,
        approver_roles=set(roles),
        placed_by_id=placed_by,
        unit_id=UNIT,
        supervising_unit_id=supervising,
    )


def test_another_admin_of_the_unit_or_of_its_supervising_unit_decides():
    assert decide(unit_id=UNIT) is ApproverKind.UNIT_ADMIN
    assert decide(unit_id=PARENT) is ApproverKind.SUPERVISING_ADMIN


def test_the_one_who_placed_a_checkout_never_decides_it():
    with pytest.raises(domain.SelfApprovalError) as refused:
        decide(approver_id=1, placed_by=1)
    assert (refused.value.code, refused.value.http_status) == ("self_approval_not_allowed", 403)


@pytest.mark.parametrize(
    ("unit_id", "roles", "supervising"),
    [
        (UNIT, (Role.BUYER,), PARENT),  # a buyer of the unit
        (UNIT, (Role.UNION_OFFICER,), PARENT),
        (ELSEWHERE, (Role.UNIT_ADMIN,), PARENT),  # another unit's admin
        (GRANDPARENT, (Role.UNIT_ADMIN,), PARENT),  # two levels up is not the supervising unit
        (PARENT, (Role.UNIT_ADMIN,), None),  # a unit without a supervising unit
        (None, (Role.UNIT_ADMIN,), PARENT),  # an admin without a unit
    ],
)
def test_anyone_else_is_told_the_checkout_does_not_exist(unit_id, roles, supervising):
    with pytest.raises(NotFoundError):
        decide(unit_id=unit_id, roles=roles, supervising=supervising)


def test_the_supervising_unit_is_asked_only_when_no_other_admin_is_left():
    assert not domain.escalates([1, 2], [1])  # admin 2 decides what admin 1 placed
    assert not domain.escalates([2], [7])  # a buyer's checkout: the admin decides
    assert domain.escalates([1], [1])  # the only admin placed it
    assert domain.escalates([], [7])  # no admin at all
    assert domain.escalates([1, 2], [1, 2])  # a split by both admins


# ---- split purchases ---------------------------------------------------------------------------

DAY = date(2026, 5, 12)
THRESHOLD = 1_000_000  # ¥10,000


def part(checkout_id, amount, *, total=None, day=DAY, supplier=7, purpose=Purpose.CANTEEN):
    return PurchasePart(checkout_id, amount if total is None else total, day, supplier, purpose, amount)


def test_checkouts_under_the_threshold_adding_up_above_it_are_a_suspected_split():
    splits = domain.suspected_splits([part(3, 600_000), part(5, 500_000)], threshold_fen=THRESHOLD)
    assert splits == [SuspectedSplit(DAY, 7, Purpose.CANTEEN, (3, 5), 1_100_000)]


def test_a_sum_equal_to_the_threshold_is_not_a_split_one_fen_more_is():
    assert domain.suspected_splits([part(1, 600_000), part(2, 400_000)], threshold_fen=THRESHOLD) == []
    assert domain.suspected_splits([part(1, 600_000), part(2, 400_001)], threshold_fen=THRESHOLD)[0].total_fen == (
        THRESHOLD + 1
    )


def test_a_checkout_at_the_threshold_counts_and_one_above_it_went_to_approval():
    # given a checkout of exactly the threshold (no approval needed) and one a fen above (approved)
    at_threshold = [part(1, THRESHOLD), part(2, 1)]
    above = [part(1, THRESHOLD + 1), part(2, 500_000), part(3, 400_000)]
    # then the first pair is a split; the approved checkout is left out of the second group
    assert domain.suspected_splits(at_threshold, threshold_fen=THRESHOLD)[0].checkout_ids == (1, 2)
    assert domain.suspected_splits(above, threshold_fen=THRESHOLD) == []


def test_the_checkout_total_decides_what_went_to_approval_the_orders_make_the_sum():
    # checkout 1 paid ¥9,000 to this supplier inside a ¥10,500 checkout: that one was approved
    parts = [part(1, 900_000, total=1_050_000), part(2, 900_000, total=900_000), part(3, 200_000, total=950_000)]
    assert domain.suspected_splits(parts, threshold_fen=THRESHOLD) == [
        SuspectedSplit(DAY, 7, Purpose.CANTEEN, (2, 3), 1_100_000)
    ]


@pytest.mark.parametrize(
    "second",
    [
        part(2, 600_000, supplier=8),  # another supplier
        part(2, 600_000, purpose=Purpose.UNION),  # another purpose
        part(2, 600_000, day=date(2026, 5, 13)),  # the next Beijing day
        part(2, 600_000, purpose=Purpose.PERSONAL),  # an employee's own purchase
    ],
)
def test_other_suppliers_purposes_days_and_personal_purchases_are_other_purchases(second):
    assert domain.suspected_splits([part(1, 600_000), second], threshold_fen=THRESHOLD) == []


def test_without_a_threshold_nothing_is_a_split():
    assert domain.suspected_splits([part(1, 900_000), part(2, 900_000)], threshold_fen=None) == []


def test_every_group_of_a_day_is_reported_in_a_stable_order():
    parts = [
        part(1, 700_000, supplier=9, purpose=Purpose.UNION),
        part(2, 700_000, supplier=9, purpose=Purpose.UNION),
        part(1, 200_000, supplier=4, total=900_000),
        part(3, 900_000, supplier=4),
    ]
    assert [
        (s.supplier_id, s.purpose, s.checkout_ids) for s in domain.suspected_splits(parts, threshold_fen=THRESHOLD)
    ] == [
        (4, Purpose.CANTEEN, (1, 3)),
        (9, Purpose.UNION, (1, 2)),
    ]


@given(
    threshold=st.integers(0, 2_000_000),
    raw=st.lists(
        st.tuples(st.integers(1, 6), st.integers(1, 3), st.sampled_from(list(Purpose)), st.integers(1, 1_500_000)),
        max_size=20,
    ),
)
def test_a_suspected_split_is_exactly_a_group_of_unapproved_checkouts_summing_above_the_threshold(threshold, raw):
    # one order per checkout, supplier and purpose, as checkout makes them; a checkout's total is its orders'
    orders = {(c, s, p): amount for c, s, p, amount in raw}
    totals = {c: sum(a for (cc, _, _), a in orders.items() if cc == c) for c, _, _ in orders}
    parts = [PurchasePart(c, totals[c], DAY, s, p, a) for (c, s, p), a in orders.items()]
    splits = domain.suspected_splits(parts, threshold_fen=threshold)
    flagged = {(s.supplier_id, s.purpose) for s in splits}
    for s in splits:
        assert len(s.checkout_ids) >= 2 and s.total_fen > threshold
        assert all(totals[c] <= threshold for c in s.checkout_ids)
        assert s.total_fen == sum(orders[c, s.supplier_id, s.purpose] for c in s.checkout_ids)
    for supplier, purpose in {(s, p) for _, s, p in orders}:
        group = [a for (c, ss, pp), a in orders.items() if (ss, pp) == (supplier, purpose) and totals[c] <= threshold]
        unflagged = (supplier, purpose) not in flagged
        assert unflagged == (purpose is Purpose.PERSONAL or sum(group) <= threshold or len(group) < 2)

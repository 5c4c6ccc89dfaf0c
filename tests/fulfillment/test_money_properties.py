"""Property tests of the money after payment: an acceptance accounts for every fen and never
refunds more than was paid; late interest grows with the days and the amount; a parcel never
takes more than was ordered; the score stays within 0-100 and rises with better figures."""

from dataclasses import replace

from hypothesis import assume, given
from hypothesis import strategies as st

from fulfillment import domain
from fulfillment.domain import (
    LineProgress,
    LineValue,
    LineVerdict,
    QuantityExceedsOrderedError,
    RatedEvaluation,
    Scores,
)
from mall.policy.domain import PolicyTerms

TERMS = PolicyTerms()


@st.composite
def accepted_orders(draw):
    """An order's lines (with earlier refunds when it was paid), the buyer's verdicts, and what was paid."""
    paid_in_full = draw(st.booleans())  # a card order, or a transfer not yet paid
    lines, verdicts = [], []
    for i in range(draw(st.integers(1, 8))):
        qty = draw(st.integers(1, 500))
        unit = draw(st.integers(1, 500_000))
        total = unit * qty - draw(st.integers(0, unit * qty // 10))  # a discount may make shares uneven
        refunded = draw(st.integers(0, total)) if paid_in_full else 0
        lines.append(LineValue(i, qty, total, refunded))
        rejected = draw(st.integers(0, qty))
        verdicts.append(LineVerdict(i, qty - rejected, rejected, "破损" if rejected else ""))
    paid = sum(line.line_total_fen for line in lines) if paid_in_full else 0
    return lines, verdicts, paid, sum(line.refunded_fen for line in lines)


@given(accepted_orders())
def test_an_acceptance_never_refunds_more_than_paid_and_accounts_for_every_fen(case):
    lines, verdicts, paid, refunded = case
    money = domain.acceptance_money(lines, domain.check_verdicts(lines, verdicts), paid_fen=paid, refunded_fen=refunded)
    assert 0 <= money.total_refund_fen <= paid - refunded
    for line in lines:
        assert 0 <= money.refund_fen[line.order_line_id] <= money.rejected_fen[line.order_line_id]
        assert money.rejected_fen[line.order_line_id] <= line.refundable_fen
    assert money.payable_fen >= 0
    if paid:
        # paid in full: the refund is exactly the rejected goods, nothing more is owed
        assert money.total_refund_fen == money.total_rejected_fen and money.payable_fen == 0
    else:
        # a transfer: goods kept + goods rejected = the order
        assert money.payable_fen + money.total_rejected_fen == sum(line.line_total_fen for line in lines)


@given(qty=st.integers(1, 10_000), total=st.integers(0, 10**9), split=st.integers(0, 10_000))
def test_a_share_of_a_line_is_within_a_fen_of_exact_and_grows_with_the_quantity(qty, total, split):
    rejected = split % (qty + 1)
    line = LineValue(1, qty, total)
    value = domain.goods_value_fen(line, rejected)
    assert abs(value * qty - total * rejected) < qty
    assert domain.goods_value_fen(line, 0) == 0 and domain.goods_value_fen(line, qty) == total
    if rejected < qty:
        assert domain.goods_value_fen(line, rejected + 1) >= value


@given(
    principal=st.integers(0, 10**10),
    days=st.integers(0, 3_650),
    more=st.integers(0, 365),
    bp=st.integers(0, 100),
)
def test_interest_never_falls_as_days_pass_or_the_amount_grows(principal, days, more, bp):
    interest = domain.late_interest_fen(principal, days, bp)
    assert interest >= 0
    assert domain.late_interest_fen(principal, days + more, bp) >= interest
    assert domain.late_interest_fen(principal + more, days, bp) >= interest
    # within half a fen of the exact value
    assert abs(interest * 10_000 - principal * days * bp) <= 5_000


@given(
    amount=st.integers(0, 10**9),
    paid=st.integers(0, 10**9),
    disputed=st.integers(0, 10**9),
)
def test_a_dispute_never_makes_more_overdue(amount, paid, disputed):
    assume(paid <= amount and disputed <= amount - paid)
    held = domain.overdue_principal_fen(amount_fen=amount, paid_fen=paid, disputed_fen=disputed)
    assert held + disputed == amount - paid
    assert held <= domain.overdue_principal_fen(amount_fen=amount, paid_fen=paid, disputed_fen=0)


@given(
    st.lists(st.tuples(st.integers(1, 1_000), st.integers(0, 1_000)), min_size=1, max_size=6),
    st.lists(st.lists(st.integers(0, 400), max_size=6), max_size=6),
)
def test_parcels_never_ship_more_than_ordered(ordered, attempts):
    lines = [LineProgress(i, qty, 0) for i, (qty, _) in enumerate(ordered)]
    for attempt in attempts:
        parcel = {i: q for i, q in enumerate(attempt) if i < len(lines)}
        try:
            taken = domain.check_parcel(lines, parcel)
        except (QuantityExceedsOrderedError, domain.NothingToShipError):
            continue
        lines = [replace(line, shipped_qty=line.shipped_qty + taken.get(line.order_line_id, 0)) for line in lines]
        assert all(0 <= line.shipped_qty <= line.ordered_qty for line in lines)


score_values = st.integers(1, 5)
evaluations = st.lists(
    st.builds(
        RatedEvaluation, st.builds(Scores, score_values, score_values, score_values, score_values), st.booleans()
    ),
    max_size=20,
)


@st.composite
def records(draw):
    orders = draw(st.integers(0, 200))
    promised = draw(st.integers(0, orders))
    return domain.SupplierRecord(
        orders=orders,
        evaluations=draw(evaluations),
        promised=promised,
        on_time=draw(st.integers(0, promised)),
        rejected_orders=draw(st.integers(0, orders)),
        aftersales_orders=draw(st.integers(0, orders)),
        response_hours=draw(st.lists(st.floats(0, 500), max_size=10)),
    )


@given(records())
def test_a_score_is_0_to_100_and_its_band_follows_the_policy(record):
    card = domain.score_supplier(record, TERMS)
    if record.orders < TERMS.score_min_orders:
        assert card.score is None and card.standing is domain.Standing.INSUFFICIENT
    elif card.score is not None:
        assert 0 <= card.score <= 100
        assert card.standing is domain.band_for(card.score, TERMS)


@given(records(), st.integers(1, 50))
def test_fewer_rejections_never_lower_the_score(record, fewer):
    better = replace(record, rejected_orders=max(0, record.rejected_orders - fewer))
    before, after = domain.score_supplier(record, TERMS).score, domain.score_supplier(better, TERMS).score
    if before is not None:
        assert after >= before

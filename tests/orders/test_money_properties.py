"""Property tests of the checkout and refund maths: every fen is accounted for."""

from hypothesis import given
from hypothesis import strategies as st

from orders import domain
from orders.domain import PricedLine, Purpose

lines_strategy = st.lists(
    st.builds(
        lambda supplier, purpose, qty, price: (supplier, purpose, qty, price),
        st.integers(1, 6),
        st.sampled_from(list(Purpose)),
        st.integers(1, 5_000),
        st.integers(1, 2_000_000),
    ),
    min_size=1,
    max_size=40,
)


def priced(raw) -> list[PricedLine]:
    return [
        PricedLine(
            cart_line_id=i,
            product_id=i,
            supplier_id=supplier,
            purpose=purpose,
            quantity=qty,
            unit_price_fen=price,
            seen_price_fen=price,
        )
        for i, (supplier, purpose, qty, price) in enumerate(raw, 1)
    ]


@given(raw=lines_strategy)
def test_split_orders_keeps_every_line_once_and_totals_add_up(raw):
    lines = priced(raw)
    drafts = domain.split_orders(lines)
    placed = [line.cart_line_id for d in drafts for line in d.lines]
    assert sorted(placed) == [line.cart_line_id for line in lines]
    assert domain.checkout_total_fen(drafts) == sum(line.unit_price_fen * line.quantity for line in lines)
    for draft in drafts:
        assert draft.total_fen == sum(line.unit_price_fen * line.quantity for line in draft.lines)
        assert {(line.supplier_id, line.purpose) for line in draft.lines} == {(draft.supplier_id, draft.purpose)}
    keys = [(d.supplier_id, d.purpose) for d in drafts]
    assert len(keys) == len(set(keys))


@given(raw=lines_strategy, delta=st.integers(-10_000, 10_000).filter(bool))
def test_any_other_expected_total_is_refused(raw, delta):
    lines = priced(raw)
    total = domain.checkout_total_fen(domain.split_orders(lines))
    domain.check_expected_total(total_fen=total, expected_total_fen=total, lines=lines)
    try:
        domain.check_expected_total(total_fen=total, expected_total_fen=total + delta, lines=lines)
    except domain.ExpectedTotalMismatchError:
        return
    raise AssertionError("a different expected total was accepted")


@given(
    refundable=st.lists(st.integers(0, 10**8), min_size=1, max_size=30).filter(lambda xs: sum(xs) > 0),
    share=st.floats(0, 1),
)
def test_prorated_refund_parts_add_up_and_never_exceed_a_line(refundable, share):
    amount = int(sum(refundable) * share)
    parts = domain.prorate_refund_fen(amount, refundable)
    assert sum(parts) == amount
    assert all(0 <= part <= limit for part, limit in zip(parts, refundable, strict=True))


@given(paid=st.integers(1, 10**9), refunds=st.lists(st.integers(-5, 10**9), max_size=20))
def test_successive_refunds_never_exceed_what_was_paid(paid, refunds):
    refunded = 0
    for amount in refunds:
        try:
            domain.check_refund(amount, paid_fen=paid, refunded_fen=refunded)
        except (domain.RefundExceedsPaidError, domain.InvalidInputError):
            continue
        refunded += amount
        assert domain.status_after_refund(paid_fen=paid, refunded_fen=refunded) in (
            domain.PaymentStatus.PARTIALLY_REFUNDED,
            domain.PaymentStatus.REFUNDED,
        )
    assert 0 <= refunded <= paid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mall.money import InvalidAmountError, format_yuan, mul_bp, per_kilo_fen, split_fen, yuan_to_fen


@pytest.mark.parametrize(
    ("text", "fen"),
    [("12.30", 1230), ("12.3", 1230), ("1,280.50", 128050), ("¥8", 800), ("0", 0), ("０.５", 50)],
)
def test_yuan_to_fen_parses_what_people_type(text, fen):
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("text", ["12.345", "abc", "", "NaN", "Infinity", "1e3.5", "12.3.4"])
def test_yuan_to_fen_refuses_bad_amounts(text):
    with pytest.raises(InvalidAmountError):
        yuan_to_fen(text)


def test_format_yuan_groups_thousands_and_keeps_sign():
    assert format_yuan(128050) == "¥1,280.50"
    assert format_yuan(5) == "¥0.05"
    assert format_yuan(-1999) == "-¥19.99"
    assert format_yuan(None) == "—"


@pytest.mark.parametrize(("fen", "bp", "expected"), [(1000, 1000, 100), (15, 5000, 8), (-15, 5000, -8), (3, 1, 0)])
def test_mul_bp_rounds_half_up(fen, bp, expected):
    assert mul_bp(fen, bp) == expected


def test_per_kilo_fen_of_a_5kg_bag_and_unknown_content():
    assert per_kilo_fen(6_500, 5_000) == 1_300
    assert per_kilo_fen(1_000, 3_000) == 333
    assert per_kilo_fen(2_000, 3_000) == 667
    assert per_kilo_fen(1_000, 0) is None


@given(total=st.integers(0, 10**10), weights=st.lists(st.integers(1, 10**6), min_size=1, max_size=40))
def test_split_fen_parts_add_up_and_stay_within_one_fen(total, weights):
    parts = split_fen(total, weights)
    assert sum(parts) == total
    assert all(abs(p * sum(weights) - total * w) < sum(weights) for p, w in zip(parts, weights, strict=True))


@given(price=st.integers(1, 10**8), net=st.integers(1, 10**6))
def test_per_kilo_is_the_nearest_fen(price, net):
    value = per_kilo_fen(price, net)
    assert abs(value * net - price * 1000) * 2 <= net


def test_split_fen_refuses_nonsense():
    with pytest.raises(ValueError):
        split_fen(100, [0, 0])
    with pytest.raises(ValueError):
        split_fen(-1, [1])


def test_basis_points_show_as_a_percentage_with_one_decimal():
    from mall.money import format_percent_bp

    assert format_percent_bp(9523) == "95.2%"
    assert format_percent_bp(9525) == "95.3%"
    assert format_percent_bp(10000) == "100.0%"
    assert format_percent_bp(None) == "—"

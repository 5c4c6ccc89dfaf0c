"""The supplier scorecard on hand-computed examples, including a default evaluation weighted less,
the bands of the policy year, too few orders, and the period and months of the trend."""

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from fulfillment import domain
from fulfillment.domain import RatedEvaluation, Scores, Standing, SupplierRecord
from mall.policy.domain import PolicyTerms

TERMS = PolicyTerms()

# Ten orders accepted in the period; two evaluations given and one default (5s at half weight):
#   quality    (4 + 5 + ½·5) / 2.5 = 4.6 → (4.6 - 1) / 4 = 0.90   × 25 % = 22.50
#   timeliness (4 + 3 + ½·5) / 2.5 = 3.8 →                0.70   × 10 % =  7.00
#   service    (5 + 5 + ½·5) / 2.5 = 5.0 →                1.00   × 10 % = 10.00
#   price      (3 + 4 + ½·5) / 2.5 = 3.8 →                0.70   × 10 % =  7.00
#   on time    6 of 8 promised dates                    0.75   × 20 % = 15.00
#   rejection  1 of 10 orders, zero at 20 %: 1 - 0.5 =  0.50   × 10 % =  5.00
#   after-sales 1 of 10 orders:                          0.50   × 10 % =  5.00
#   answer     median 12 h of 48 h: 1 - 0.25 =           0.75   ×  5 % =  3.75
#                                                                score   75.25 → 75, 合格
RECORD = SupplierRecord(
    orders=10,
    evaluations=[
        RatedEvaluation(Scores(4, 4, 5, 3)),
        RatedEvaluation(Scores(5, 3, 5, 4)),
        RatedEvaluation(Scores(5, 5, 5, 5), is_default=True),
    ],
    promised=8,
    on_time=6,
    rejected_orders=1,
    aftersales_orders=1,
    response_hours=[12],
)


def test_the_hand_computed_scorecard():
    card = domain.score_supplier(RECORD, TERMS)
    assert card.averages == {
        "quality": Fraction(46, 10),
        "timeliness": Fraction(38, 10),
        "service": Fraction(5),
        "price": Fraction(38, 10),
    }
    assert (card.score, card.standing) == (75, Standing.PASS)
    assert (card.evaluations, card.default_evaluations) == (3, 1)
    assert (card.on_time_rate_bp, card.rejection_rate_bp, card.aftersales_rate_bp) == (7_500, 1_000, 1_000)
    assert card.median_response_hours == 12


def test_a_default_evaluation_weighs_half_of_a_given_one():
    # at full weight the default 5s would lift quality to 14/3 (part 11/12), timeliness and price
    # to 4 (0.75): 22.92 + 7.5 + 10 + 7.5 + 15 + 5 + 5 + 3.75 = 76.67 → 77
    full = replace(TERMS, default_evaluation_weight_bp=10_000)
    assert domain.score_supplier(RECORD, full).score == 77
    # without it: quality 4.5, timeliness 3.5, service 5, price 3.5 → 73.125 → 73
    without = replace(RECORD, evaluations=RECORD.evaluations[:2])
    assert domain.score_supplier(without, TERMS).score == 73


def test_parts_without_data_are_left_out_and_the_rest_reweighed():
    # no after-sales case, so no answer time: 95 % of the weight remains
    quiet = replace(RECORD, aftersales_orders=0, response_hours=[])
    card = domain.score_supplier(quiet, TERMS)
    assert "response" not in card.parts
    # 22.5 + 7 + 10 + 7 + 15 + 5 + 10 = 76.5 of 95 → 80.526 → 81, 良好
    assert (card.score, card.standing) == (81, Standing.GOOD)


@pytest.mark.parametrize(
    ("score", "band"),
    [(100, Standing.EXCELLENT), (90, Standing.EXCELLENT), (89, Standing.GOOD), (80, Standing.GOOD),
     (79, Standing.PASS), (60, Standing.PASS), (59, Standing.WARNING), (50, Standing.WARNING),
     (49, Standing.SUSPENDED), (0, Standing.SUSPENDED)],
)  # fmt: skip
def test_bands_follow_the_policy_year(score, band):
    assert domain.band_for(score, TERMS) is band


def test_the_bands_are_data():
    stricter = replace(TERMS, band_pass_min=70)
    assert domain.band_for(65, stricter) is Standing.WARNING


def test_too_few_orders_give_no_score_but_evaluation_insufficient():
    card = domain.score_supplier(replace(RECORD, orders=4), TERMS)
    assert (card.score, card.standing) == (None, Standing.INSUFFICIENT)
    assert domain.STANDING_LABELS[card.standing] == "评价不足"


def test_a_poor_record_is_suspended():
    poor = SupplierRecord(
        orders=20,
        evaluations=[RatedEvaluation(Scores(2, 2, 3, 2))] * 5,
        promised=20,
        on_time=8,
        rejected_orders=5,
        aftersales_orders=4,
        response_hours=[60, 70],
    )
    card = domain.score_supplier(poor, TERMS)
    assert card.score is not None and card.score < 50 and card.standing is Standing.SUSPENDED


def test_the_period_is_the_last_twelve_months_and_the_trend_has_one_point_a_month():
    assert domain.period_start(date(2026, 5, 15), 12) == date(2025, 5, 15)
    assert domain.period_start(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert domain.period_start(date(2028, 3, 31), 1) == date(2028, 2, 29)
    months = domain.month_starts(date(2026, 3, 5), 12)
    assert (months[0], months[-1], len(months)) == (date(2025, 4, 1), date(2026, 3, 1), 12)

"""The supplier scorecard (DOMAIN.md, "After the order"): evaluations and the record of the last
months turned into a 0-100 score and a standing band. Weights, bands and the minimum number of
orders are data of the policy year (`PolicyTerms`); nothing here is a constant of its own.

Each part is a share from 0 to 1: an evaluation average maps 1-5 onto 0-1; on-time delivery is
its rate; rejections and after-sales cases score 1 at a rate of zero, falling to 0 at the policy's
"zero at" rate; the median after-sales answer scores 1 when instant, 0 at the answer deadline.
The score is the weighted mean of the parts that have data (a supplier with no after-sales case
is not judged on its answers), × 100, rounded half up. Default evaluations (the buyer let the
window pass) count with the policy's lower weight. Exact arithmetic (fractions) until the end,
so the same record always gives the same score.
"""

from __future__ import annotations

import calendar
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from fulfillment.domain.rules import SCORE_LABELS, Scores
from fulfillment.domain.states import Standing
from mall.money import BP_PER_UNIT
from mall.policy.domain import PolicyTerms


@dataclass(frozen=True)
class RatedEvaluation:
    scores: Scores
    is_default: bool = False


@dataclass(frozen=True)
class SupplierRecord:
    """A supplier's figures over the scorecard's period (queries gather them)."""

    orders: int  # orders accepted in the period: the base of the rates
    evaluations: Sequence[RatedEvaluation] = ()
    promised: int = 0  # of the orders, those with a promised delivery date (the buyer's wish)
    on_time: int = 0  # of those, delivered (signed for) by that Beijing date
    rejected_orders: int = 0  # orders with any quantity rejected at acceptance
    aftersales_orders: int = 0  # orders with an after-sales case
    response_hours: Sequence[float] = ()  # how long the supplier took to answer each case


@dataclass(frozen=True)
class Scorecard:
    score: int | None  # None with too few orders
    standing: Standing
    parts: dict[str, Fraction] = field(default_factory=dict)  # each 0-1, only the parts with data
    averages: dict[str, Fraction] = field(default_factory=dict)  # evaluation averages, 1-5
    evaluations: int = 0
    default_evaluations: int = 0
    on_time_rate_bp: int | None = None
    rejection_rate_bp: int | None = None
    aftersales_rate_bp: int | None = None
    median_response_hours: float | None = None


def _bp(part: int, whole: int) -> int | None:
    return None if whole <= 0 else round(Fraction(part * BP_PER_UNIT, whole))


def evaluation_averages(evaluations: Sequence[RatedEvaluation], terms: PolicyTerms) -> dict[str, Fraction]:
    """Weighted average of each score (1-5): a default evaluation weighs `default_evaluation_weight_bp`
    of a given one. Empty when there is nothing to weigh."""
    weights = [terms.default_evaluation_weight_bp if e.is_default else BP_PER_UNIT for e in evaluations]
    total = sum(weights)
    if not total:
        return {}
    return {
        name: Fraction(sum(w * getattr(e.scores, name) for w, e in zip(weights, evaluations, strict=True)), total)
        for name in SCORE_LABELS
    }


def _falling(rate: Fraction, zero_at_bp: int) -> Fraction:
    return max(Fraction(0), 1 - rate / Fraction(zero_at_bp, BP_PER_UNIT))


def score_parts(
    record: SupplierRecord, terms: PolicyTerms
) -> tuple[dict[str, Fraction], dict[str, Fraction], float | None]:
    """The parts with data (each 0-1), the evaluation averages, and the median answer time."""
    averages = evaluation_averages(record.evaluations, terms)
    parts = {name: (avg - 1) / 4 for name, avg in averages.items()}
    if record.promised:
        parts["on_time"] = Fraction(record.on_time, record.promised)
    if record.orders:
        parts["rejection"] = _falling(Fraction(record.rejected_orders, record.orders), terms.rejection_zero_at_bp)
        parts["aftersales"] = _falling(Fraction(record.aftersales_orders, record.orders), terms.aftersales_zero_at_bp)
    median = statistics.median(record.response_hours) if record.response_hours else None
    if median is not None:
        parts["response"] = max(Fraction(0), 1 - Fraction(median) / terms.supplier_answer_hours)
    return parts, averages, median


def band_for(score: int, terms: PolicyTerms) -> Standing:
    """≥ 90 优秀, 80-90 良好, 60-80 合格, 50-60 警告, < 50 暂停 (the policy year's lower bounds)."""
    for minimum, band in (
        (terms.band_excellent_min, Standing.EXCELLENT),
        (terms.band_good_min, Standing.GOOD),
        (terms.band_pass_min, Standing.PASS),
        (terms.band_warning_min, Standing.WARNING),
    ):
        if score >= minimum:
            return band
    return Standing.SUSPENDED


def score_supplier(record: SupplierRecord, terms: PolicyTerms) -> Scorecard:
    """A supplier's score and band over the period; fewer orders than the policy's minimum → 评价不足."""
    parts, averages, median = score_parts(record, terms)
    weights = terms.score_weights_bp
    weighed = sum(weights[name] for name in parts)
    score = None
    if record.orders >= terms.score_min_orders and weighed:
        exact = Fraction(100 * sum(weights[name] * value for name, value in parts.items()), weighed)
        score = int(exact + Fraction(1, 2))  # half up; the score is never negative
    return Scorecard(
        score=score,
        standing=Standing.INSUFFICIENT if score is None else band_for(score, terms),
        parts=parts,
        averages=averages,
        evaluations=len(record.evaluations),
        default_evaluations=sum(e.is_default for e in record.evaluations),
        on_time_rate_bp=_bp(record.on_time, record.promised),
        rejection_rate_bp=_bp(record.rejected_orders, record.orders),
        aftersales_rate_bp=_bp(record.aftersales_orders, record.orders),
        median_response_hours=median,
    )


def standing_after_scorecard(current: Standing, computed: Standing) -> Standing:
    """The scorecard never lifts a suspension: only the operator does, with a reason."""
    return current if current is Standing.SUSPENDED else computed


def period_start(today: date, months: int) -> date:
    """The first day of the scorecard's period: the same day `months` months earlier (the last
    day of that month when it is shorter: 31 Mar less one month is 28 or 29 Feb)."""
    year, month0 = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month0 + 1, min(today.day, calendar.monthrange(year, month0 + 1)[1]))


def month_starts(today: date, months: int) -> list[date]:
    """The first days of the last `months` months, oldest first, this month last (the trend chart)."""
    current = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(current - months + 1, current + 1)]

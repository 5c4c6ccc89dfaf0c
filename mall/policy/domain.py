"""The rules of one policy year, as a frozen value, and deadlines in Beijing time.

Pure: no Flask or SQLAlchemy. `PolicyTerms` holds every number and date the policy documents set
(DOMAIN.md); its defaults are the demo year 2026. Field names are a contract with the JSON API
(`/api/v1/policy-years/<year>`) and with the `policy_years` table, whose columns carry the same names.
Money is integer fen, ratios and weights basis points (1 % = 100 bp).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta

from mall.clock import SHANGHAI
from mall.errors import InvalidInputError
from mall.money import BP_PER_UNIT


class InvalidPolicyError(InvalidInputError):
    code, message = "invalid_policy_year", "政策年度设置不正确"


@dataclass(frozen=True)
class PolicyTerms:
    year: int = 2026
    # 预留份额: reserved amount >= ratio × canteen food total, and >= last year's reserved amount.
    reserve_ratio_bp: int = 1_000
    not_below_last_year: bool = True
    filing_due: date = date(2026, 3, 20)  # units file their reserved share
    review_due: date = date(2026, 3, 25)  # finance confirms or returns each filing
    task_due: date = date(2026, 10, 31)  # the year's purchase task should be complete
    # 工会: 300 yuan per member a year, or 15 % of the welfare total (either basis meets the standard).
    union_per_member_fen: int = 30_000
    union_percent_bp: int = 1_500
    # 年节慰问 caps per member: a year, 春节, 中秋, any other statutory festival, the birthday gift.
    festival_cap_year_fen: int = 180_000
    festival_cap_spring_fen: int = 50_000
    festival_cap_mid_autumn_fen: int = 40_000
    festival_cap_other_fen: int = 30_000
    birthday_cap_fen: int = 30_000
    # 验收 and 履约评价: windows after delivery and after acceptance; an evaluation stays editable
    # for a while after it is given; a missed one is recorded as the default score, weighted less.
    acceptance_days: int = 7
    evaluation_days: int = 15
    evaluation_edit_hours: int = 24
    default_evaluation_score: int = 5
    default_evaluation_weight_bp: int = 5_000
    # 售后: fresh goods (chilled, frozen) within hours of receipt, other goods within days; the
    # supplier answers a case within hours, or it goes to the platform operator.
    aftersales_hours_fresh: int = 48
    aftersales_days_dry: int = 7
    supplier_answer_hours: int = 48
    # 不得拖欠: a transfer payable falls due this many days after acceptance (a contract may set
    # up to the maximum); late payment accrues simple interest per day on the overdue amount.
    payment_term_days: int = 30
    max_payment_term_days: int = 60
    late_interest_bp_per_day: int = 5
    # The supplier scorecard: over the last months, at least this many orders for a score; the
    # weights of its parts add up to 100 %; a rejection or after-sales rate at the "zero at" level
    # or above earns nothing for that part; the bands' lower bounds (score 0-100).
    score_months: int = 12
    score_min_orders: int = 5
    weight_quality_bp: int = 2_500
    weight_timeliness_bp: int = 1_000
    weight_service_bp: int = 1_000
    weight_price_bp: int = 1_000
    weight_on_time_bp: int = 2_000
    weight_rejection_bp: int = 1_000
    weight_aftersales_bp: int = 1_000
    weight_response_bp: int = 500
    rejection_zero_at_bp: int = 2_000
    aftersales_zero_at_bp: int = 2_000
    band_excellent_min: int = 90
    band_good_min: int = 80
    band_pass_min: int = 60
    band_warning_min: int = 50

    @property
    def score_weights_bp(self) -> dict[str, int]:
        """The scorecard's parts and their weights, in display order."""
        return {name: getattr(self, f"weight_{name}_bp") for name in SCORE_PARTS}


SCORE_PARTS = ("quality", "timeliness", "service", "price", "on_time", "rejection", "aftersales", "response")
DATE_FIELDS = tuple(f.name for f in fields(PolicyTerms) if f.type in ("date", date))
FIELD_NAMES = tuple(f.name for f in fields(PolicyTerms))


def default_terms(year: int) -> PolicyTerms:
    """The demo year's rules carried to `year` (the same month and day for every date)."""
    return carry_to(PolicyTerms(), year)


def carry_to(terms: PolicyTerms, year: int) -> PolicyTerms:
    """A year's rules moved to another year: every number kept, every date on the same month and
    day (29 Feb becomes 28 Feb in a common year)."""
    moved = {name: _same_day_in(getattr(terms, name), year) for name in DATE_FIELDS}
    return replace(terms, year=year, **moved)


def _same_day_in(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return date(year, 2, 28)


def check_terms(terms: PolicyTerms) -> PolicyTerms:
    """A year's rules that make sense together. Raises InvalidPolicyError naming the first problem."""
    problems = [
        (not 2000 <= terms.year <= 2100, "年度须在2000至2100之间"),
        (any(getattr(terms, n).year != terms.year for n in DATE_FIELDS), "各截止日期须在本年度内"),
        (not terms.filing_due <= terms.review_due, "财政确认截止日不能早于填报截止日"),
        (not 0 < terms.reserve_ratio_bp <= BP_PER_UNIT, "预留比例须在0至100%之间"),
        (not 0 < terms.union_percent_bp <= BP_PER_UNIT, "工会福利比例须在0至100%之间"),
        (not 0 < terms.payment_term_days <= terms.max_payment_term_days, "付款期限须为正数且不超过最长期限"),
        (not 1 <= terms.default_evaluation_score <= 5, "默认评价分须为1至5分"),
        (not 0 <= terms.default_evaluation_weight_bp <= BP_PER_UNIT, "默认评价权重须在0至100%之间"),
        (sum(terms.score_weights_bp.values()) != BP_PER_UNIT, "评分各项权重之和须为100%"),
        (min(terms.score_weights_bp.values()) < 0, "评分权重不能为负"),
        (not 0 < terms.rejection_zero_at_bp <= BP_PER_UNIT, "拒收率计零线须在0至100%之间"),
        (not 0 < terms.aftersales_zero_at_bp <= BP_PER_UNIT, "售后率计零线须在0至100%之间"),
        (
            not 100
            >= terms.band_excellent_min
            > terms.band_good_min
            > terms.band_pass_min
            > terms.band_warning_min
            > 0,
            "等级分数线须从优秀到警告依次降低",
        ),
    ]
    for failed, message in problems:
        if failed:
            raise InvalidPolicyError(message)
    return terms


# ---- deadlines in Beijing time -------------------------------------------------------------------


def deadline(day: date) -> datetime:
    """A date's deadline: 23:59:59 Beijing time that day, whatever the server's zone (aware)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)


def beijing_date(moment: datetime) -> date:
    """The calendar date in China at an aware moment (a UTC evening is already the next day there)."""
    return moment.astimezone(SHANGHAI).date()


def is_past(day: date, now: datetime) -> bool:
    """Whether a date's deadline has passed at `now`."""
    return now > deadline(day)


def days_late(day: date, now: datetime) -> int:
    """Whole Beijing days since the deadline (0 until it has passed; 1 on the next day)."""
    return max(0, (beijing_date(now) - day).days)


def days_after(moment: datetime, days: int) -> date:
    """The Beijing date `days` after the date of `moment`: windows counted in days end at that
    date's deadline (delivered on 1 May, 7 days → due 8 May 23:59:59)."""
    return beijing_date(moment) + timedelta(days=days)

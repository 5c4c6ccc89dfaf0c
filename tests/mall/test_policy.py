"""The policy year as data: the demo year's numbers, deadlines in Beijing time, one record per
year read by `terms_for`/`terms_at` (defaults when none is stored), and `ensure_year`."""

from dataclasses import fields, replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from mall import audit
from mall.extensions import db
from mall.policy import queries, services
from mall.policy.domain import (
    FIELD_NAMES,
    InvalidPolicyError,
    PolicyTerms,
    beijing_date,
    carry_to,
    check_terms,
    days_after,
    days_late,
    deadline,
    default_terms,
    is_past,
)
from mall.policy.models import PolicyYear


def test_the_demo_year_holds_the_policy_documents_numbers():
    terms = PolicyTerms()
    assert (terms.year, terms.reserve_ratio_bp, terms.not_below_last_year) == (2026, 1_000, True)
    assert (terms.filing_due, terms.review_due, terms.task_due) == (
        date(2026, 3, 20),
        date(2026, 3, 25),
        date(2026, 10, 31),
    )
    assert (terms.union_per_member_fen, terms.union_percent_bp) == (30_000, 1_500)
    assert (terms.festival_cap_year_fen, terms.festival_cap_spring_fen, terms.festival_cap_mid_autumn_fen) == (
        180_000,
        50_000,
        40_000,
    )
    assert (terms.festival_cap_other_fen, terms.birthday_cap_fen) == (30_000, 30_000)
    assert (terms.acceptance_days, terms.evaluation_days, terms.evaluation_edit_hours) == (7, 15, 24)
    assert (terms.aftersales_hours_fresh, terms.aftersales_days_dry, terms.supplier_answer_hours) == (48, 7, 48)
    assert (terms.payment_term_days, terms.max_payment_term_days, terms.late_interest_bp_per_day) == (30, 60, 5)
    assert (terms.band_excellent_min, terms.band_good_min, terms.band_pass_min, terms.band_warning_min) == (
        90,
        80,
        60,
        50,
    )
    assert check_terms(terms) is terms


def test_another_year_keeps_the_numbers_and_moves_the_dates():
    terms = default_terms(2027)
    assert (terms.year, terms.filing_due, terms.task_due) == (2027, date(2027, 3, 20), date(2027, 10, 31))
    assert terms.reserve_ratio_bp == 1_000
    leap = replace(PolicyTerms(year=2028), filing_due=date(2028, 2, 29))
    assert carry_to(leap, 2029).filing_due == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"weight_quality_bp": 2_600}, "weights add up to 100 %"),
        ({"filing_due": date(2026, 3, 26)}, "filing after review"),
        ({"task_due": date(2027, 1, 1)}, "a date outside the year"),
        ({"payment_term_days": 61}, "term beyond the maximum"),
        ({"band_good_min": 95}, "bands out of order"),
        ({"reserve_ratio_bp": 0}, "no ratio"),
        ({"default_evaluation_score": 6}, "default score outside 1-5"),
    ],
)
def test_rules_that_contradict_each_other_are_refused(change, why):
    with pytest.raises(InvalidPolicyError):
        check_terms(replace(PolicyTerms(), **change))


def test_a_deadline_is_2359_beijing_time_whatever_the_servers_zone():
    due = date(2026, 3, 20)
    assert deadline(due).astimezone(UTC) == datetime(2026, 3, 20, 15, 59, 59, tzinfo=UTC)
    # 23:30 in Beijing is 15:30 UTC: still in time; 00:30 on the 21st in Beijing is 16:30 UTC on the 20th: late
    assert not is_past(due, datetime(2026, 3, 20, 15, 30, tzinfo=UTC))
    assert is_past(due, datetime(2026, 3, 20, 16, 30, tzinfo=UTC))
    assert days_late(due, datetime(2026, 3, 20, 16, 30, tzinfo=UTC)) == 1
    assert days_late(due, datetime(2026, 3, 20, 15, 30, tzinfo=UTC)) == 0


def test_windows_in_days_count_beijing_dates():
    # delivered at 20:00 UTC on 30 April, which is 04:00 on 1 May in Beijing
    delivered = datetime(2026, 4, 30, 20, 0, tzinfo=UTC)
    assert beijing_date(delivered) == date(2026, 5, 1)
    assert days_after(delivered, 7) == date(2026, 5, 8)


def test_the_table_has_one_column_per_term_with_the_same_name():
    columns = {c.name for c in PolicyYear.__table__.columns} - {"created_at", "updated_at", "updated_by_id"}
    assert columns == set(FIELD_NAMES) == {f.name for f in fields(PolicyTerms)}


def test_a_year_without_a_record_reads_the_defaults(app):
    assert queries.terms_for(db.session, 2031) == default_terms(2031)
    assert db.session.scalar(select(func.count()).select_from(PolicyYear)) == 0


def test_ensure_year_carries_the_previous_years_rules(app):
    # given 2025 stored, then changed by the operator
    services.ensure_year(db.session, 2025)
    db.session.get(PolicyYear, 2025).reserve_ratio_bp = 1_500
    db.session.commit()
    # when 2026 is ensured (twice)
    first = services.ensure_year(db.session, 2026)
    again = services.ensure_year(db.session, 2026)
    # then it copies 2025's numbers with its own dates, once, with an audit entry
    assert first is again
    terms = queries.terms_for(db.session, 2026)
    assert (terms.reserve_ratio_bp, terms.filing_due) == (1_500, date(2026, 3, 20))
    assert db.session.scalar(select(func.count()).select_from(PolicyYear)) == 2
    actions = db.session.scalars(select(audit.AuditEvent.action).where(audit.AuditEvent.target_id == "2026")).all()
    assert actions == ["policy_year.created"]


def test_terms_at_reads_the_year_of_the_beijing_date(app):
    services.ensure_year(db.session, 2026)
    db.session.get(PolicyYear, 2026).acceptance_days = 10
    services.ensure_year(db.session, 2027)
    db.session.get(PolicyYear, 2027).acceptance_days = 5
    db.session.commit()
    # 17:00 UTC on 31 December is already 1 January in Beijing
    assert queries.terms_at(db.session, datetime(2026, 12, 31, 15, 0, tzinfo=UTC)).acceptance_days == 10
    assert queries.terms_at(db.session, datetime(2026, 12, 31, 17, 0, tzinfo=UTC)).acceptance_days == 5

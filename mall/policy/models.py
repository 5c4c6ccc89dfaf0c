"""The `policy_years` table: one row per year, one column per field of `PolicyTerms` (same names)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from mall.extensions import UtcDateTime, db
from mall.policy.domain import FIELD_NAMES, PolicyTerms


class PolicyYear(db.Model):
    __tablename__ = "policy_years"
    __table_args__ = (
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_in_range"),
        CheckConstraint("reserve_ratio_bp > 0 AND reserve_ratio_bp <= 10000", name="reserve_ratio_in_range"),
        CheckConstraint("payment_term_days > 0 AND payment_term_days <= max_payment_term_days", name="term_in_range"),
        CheckConstraint("late_interest_bp_per_day >= 0", name="interest_not_negative"),
        CheckConstraint(
            "acceptance_days > 0 AND evaluation_days > 0 AND evaluation_edit_hours >= 0"
            " AND aftersales_hours_fresh > 0 AND aftersales_days_dry > 0 AND supplier_answer_hours > 0",
            name="windows_positive",
        ),
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    reserve_ratio_bp: Mapped[int]
    not_below_last_year: Mapped[bool] = mapped_column(Boolean)
    filing_due: Mapped[date] = mapped_column(Date)
    review_due: Mapped[date] = mapped_column(Date)
    task_due: Mapped[date] = mapped_column(Date)
    union_per_member_fen: Mapped[int] = mapped_column(BigInteger)
    union_percent_bp: Mapped[int]
    festival_cap_year_fen: Mapped[int] = mapped_column(BigInteger)
    festival_cap_spring_fen: Mapped[int] = mapped_column(BigInteger)
    festival_cap_mid_autumn_fen: Mapped[int] = mapped_column(BigInteger)
    festival_cap_other_fen: Mapped[int] = mapped_column(BigInteger)
    birthday_cap_fen: Mapped[int] = mapped_column(BigInteger)
    acceptance_days: Mapped[int]
    evaluation_days: Mapped[int]
    evaluation_edit_hours: Mapped[int]
    default_evaluation_score: Mapped[int]
    default_evaluation_weight_bp: Mapped[int]
    aftersales_hours_fresh: Mapped[int]
    aftersales_days_dry: Mapped[int]
    supplier_answer_hours: Mapped[int]
    payment_term_days: Mapped[int]
    max_payment_term_days: Mapped[int]
    late_interest_bp_per_day: Mapped[int]
    score_months: Mapped[int]
    score_min_orders: Mapped[int]
    weight_quality_bp: Mapped[int]
    weight_timeliness_bp: Mapped[int]
    weight_service_bp: Mapped[int]
    weight_price_bp: Mapped[int]
    weight_on_time_bp: Mapped[int]
    weight_rejection_bp: Mapped[int]
    weight_aftersales_bp: Mapped[int]
    weight_response_bp: Mapped[int]
    rejection_zero_at_bp: Mapped[int]
    aftersales_zero_at_bp: Mapped[int]
    band_excellent_min: Mapped[int]
    band_good_min: Mapped[int]
    band_pass_min: Mapped[int]
    band_warning_min: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def from_terms(cls, terms: PolicyTerms, *, at: datetime, actor_id: int | None = None) -> PolicyYear:
        values = {f.name: getattr(terms, f.name) for f in fields(terms)}
        return cls(**values, created_at=at, updated_at=at, updated_by_id=actor_id)

    def terms(self) -> PolicyTerms:
        return PolicyTerms(**{name: getattr(self, name) for name in FIELD_NAMES})

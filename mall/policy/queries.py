"""Reads of the policy year: the stored rules of a year, or the defaults when none is stored, so a
caller always gets a complete `PolicyTerms` and never falls back to a constant of its own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mall.policy.domain import PolicyTerms, beijing_date, default_terms
from mall.policy.models import PolicyYear


def get_year(session: Session, year: int) -> PolicyYear | None:
    return session.get(PolicyYear, year)


def terms_for(session: Session, year: int) -> PolicyTerms:
    """The rules of `year`: the stored record, or the demo year's defaults carried to that year."""
    stored = get_year(session, year)
    return stored.terms() if stored is not None else default_terms(year)


def terms_at(session: Session, now: datetime) -> PolicyTerms:
    """The rules in force at `now`: those of its Beijing calendar year (1 Jan starts in China)."""
    return terms_for(session, beijing_date(now).year)

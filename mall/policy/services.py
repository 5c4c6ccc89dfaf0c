"""Policy year actions: make sure a year's record exists. Editing a year (with its audit entry)
belongs to the operator's pages and the `/api/v1/policy-years` routes."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mall import audit, clock
from mall.policy import queries
from mall.policy.domain import carry_to, check_terms, default_terms
from mall.policy.models import PolicyYear

log = logging.getLogger(__name__)


def ensure_year(session: Session, year: int, *, actor_id: int | None = None) -> PolicyYear:
    """The record of `year`, created when missing from the previous year's record (its numbers,
    its dates moved by a year) or, with none, from the defaults. Idempotent: of two callers at
    once, one creates the row and the other reads it. Raises InvalidPolicyError."""
    existing = queries.get_year(session, year)
    if existing is not None:
        return existing
    previous = queries.get_year(session, year - 1)
    terms = check_terms(carry_to(previous.terms(), year) if previous is not None else default_terms(year))
    now = clock.now()
    row = PolicyYear.from_terms(terms, at=now, actor_id=actor_id)
    session.add(row)
    audit.record(
        session,
        actor_id=actor_id,
        action="policy_year.created",
        target_type="policy_year",
        target_id=year,
        at=now,
        source=previous.year if previous is not None else "defaults",
    )
    try:
        session.commit()
    except IntegrityError:  # the year is the primary key: another caller created it just now
        session.rollback()
        row = queries.get_year(session, year)
        if row is None:
            raise
        return row
    log.info("policy year %s: created from %s", year, previous.year if previous is not None else "the defaults")
    return row

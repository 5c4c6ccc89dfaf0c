"""Rate limits kept in the database, so every worker and every app server counts the same
attempts (DESIGN.md: rate limits and throttles live in the database).

A limit allows `max_hits` attempts of one key (an address, an account) per `window`; each
attempt is a row. The jobs loop drops rows older than any window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mall import clock
from mall.errors import DomainError
from mall.extensions import UtcDateTime, db

log = logging.getLogger(__name__)
KEEP = timedelta(days=1)  # no window is longer: older rows count for nothing


class RateLimitHit(db.Model):
    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_bucket_key_at", "bucket", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class RateLimitedError(DomainError):
    code, message, http_status = "rate_limited", "操作过于频繁，请稍后再试", 429


@dataclass(frozen=True)
class Limit:
    bucket: str  # what is limited, e.g. "supplier_apply"
    max_hits: int
    window: timedelta

    def __post_init__(self) -> None:
        if self.window > KEEP:
            raise ValueError("a rate-limit window may not be longer than the rows are kept")


def hit(session: Session, limit: Limit, key: str, *, message: str | None = None) -> None:
    """Count one attempt of `key`, committed at once so that it counts even when the action it
    guards is refused and rolled back; call it before the action writes anything. Raises
    RateLimitedError (recording nothing) when the window already holds `max_hits` attempts."""
    now = clock.now()
    key = (key or "unknown")[:80]
    recent = session.scalar(
        select(func.count(RateLimitHit.id)).where(
            RateLimitHit.bucket == limit.bucket, RateLimitHit.key == key, RateLimitHit.at > now - limit.window
        )
    )
    if (recent or 0) >= limit.max_hits:
        session.rollback()
        log.info("rate limited: bucket=%s key=%s", limit.bucket, key)
        raise RateLimitedError(message)
    session.add(RateLimitHit(bucket=limit.bucket, key=key, at=now))
    session.commit()


def purge_old_hits(session: Session) -> int:
    """Job: drop attempts older than any window."""
    removed = session.execute(delete(RateLimitHit).where(RateLimitHit.at <= clock.now() - KEEP)).rowcount
    session.commit()
    return removed or 0

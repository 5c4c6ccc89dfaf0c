"""The audit trail: who did what to which object, and when. Services append; nobody edits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from mall import clock
from mall.extensions import UtcDateTime, db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: object,
    at: datetime | None = None,
    **detail: object,
) -> AuditEvent:
    """Append one audit event inside the caller's transaction (the caller commits)."""
    event = AuditEvent(
        at=at or clock.now(),
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        detail=detail,
    )
    session.add(event)
    return event

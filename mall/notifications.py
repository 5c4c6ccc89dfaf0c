"""Notifications: a short message with a link, for one account or for everyone in a unit.

Services add them inside their own transaction (`notify`); the dashboard shows the recent ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mall import clock
from mall.extensions import UtcDateTime, db


class Notification(db.Model):
    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


def notify(
    session: Session, *, text: str, link: str = "", user_id: int | None = None, unit_id: int | None = None
) -> Notification:
    """Queue a notification in the caller's transaction (the caller commits)."""
    if user_id is None and unit_id is None:
        raise ValueError("a notification needs a user or a unit")
    note = Notification(user_id=user_id, unit_id=unit_id, text=text[:300], link=link, created_at=clock.now())
    session.add(note)
    return note


def recent_for(session: Session, user, limit: int = 10) -> list[Notification]:
    """The account's own notifications and its unit's, newest first."""
    conditions = [Notification.user_id == user.id]
    if user.unit_id:
        conditions.append(Notification.unit_id == user.unit_id)
    return list(
        session.scalars(select(Notification).where(or_(*conditions)).order_by(Notification.id.desc()).limit(limit))
    )

"""Reads about accounts: lists for the operator and for a unit admin, scoped by role."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from mall import clock
from mall.accounts.domain import Role
from mall.accounts.models import ApiToken, User, UserRole
from mall.errors import NotFoundError


def users_select(*, q: str = "", role: Role | None = None, unit_id: int | None = None) -> Select:
    stmt = select(User).order_by(User.id)
    if q.strip():
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.display_name.ilike(like)))
    if role is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if unit_id is not None:
        stmt = stmt.where(User.unit_id == unit_id)
    return stmt


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError()
    return user


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def live_token_counts(session: Session, user_ids: list[int]) -> dict[int, int]:
    """How many unrevoked, unexpired API tokens each of these accounts holds (absent: none)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(ApiToken.user_id, func.count())
        .where(ApiToken.user_id.in_(user_ids), ApiToken.revoked_at.is_(None), ApiToken.expires_at > clock.now())
        .group_by(ApiToken.user_id)
    )
    return dict(rows.all())

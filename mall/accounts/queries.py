"""Reads about accounts: lists for the operator and for a unit admin, scoped by role."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from mall.accounts.domain import Role
from mall.accounts.models import User, UserRole
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

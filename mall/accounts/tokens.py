"""API tokens: issued for a number of days, stored as hashes, revoked by their holder, by a
password change, "log out everywhere" or disabling (mall.accounts.services), or by a unit admin.

A revoked or expired token's row is kept API_TOKEN_KEEP_DAYS after it expired, so its holder is
told why it no longer works (token_revoked, token_expired) rather than that it is unknown.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from mall import audit, clock
from mall.accounts import domain
from mall.accounts.domain import Role
from mall.accounts.models import ApiToken, User
from mall.errors import NotFoundError, PermissionDeniedError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once; only its hash is stored
    expires_at: datetime


def issue_token(session: Session, *, user: User) -> IssuedToken:
    """A new bearer token for the JSON API, valid API_TOKEN_DAYS; only its hash is stored."""
    now = clock.now()
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=current_app.config["API_TOKEN_DAYS"])
    session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), created_at=now, expires_at=expires_at))
    session.commit()
    log.info("api token issued: user=%s", user.id)
    return IssuedToken(token, expires_at)


def issue_api_token(session: Session, *, user: User) -> str:
    """`issue_token`'s token alone (scripts, tests)."""
    return issue_token(session, user=user).token


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(session: Session, token: str) -> User | None:
    """The active user holding this token, or None for a token never issued (or long purged).

    Raises TokenRevokedError (also for a disabled account's token), TokenExpiredError.
    """
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if row is None:
        return None
    domain.check_token(expires_at=row.expires_at, revoked_at=row.revoked_at, now=clock.now())
    if not row.user.is_active_account:
        raise domain.TokenRevokedError()
    return row.user


def revoke_token(session: Session, *, token: str) -> None:
    """The holder revokes the token it presents (`DELETE /api/v1/auth/token`).

    Raises TokenRevokedError when it was revoked already (by another request at the same time).
    """
    revoked = session.execute(
        update(ApiToken)
        .where(ApiToken.token_hash == _token_hash(token), ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    ).rowcount
    if revoked != 1:
        raise domain.TokenRevokedError()
    session.commit()
    log.info("api token revoked by its holder")


def revoke_user_tokens(session: Session, *, actor: User, user_id: int) -> int:
    """Revoke every API token of an account: the platform operator for anyone, a unit admin for the
    accounts it manages (domain.check_unit_admin_over: its unit's buyers and union officers;
    another unit's account is not found). Returns how many were revoked."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError()
    if not actor.has_role(Role.PLATFORM_OPERATOR):
        if not actor.has_role(Role.UNIT_ADMIN):
            raise PermissionDeniedError()
        domain.check_unit_admin_over(actor, user)
    revoked = revoke_all(session, user.id, clock.now())
    audit.record(
        session, actor_id=actor.id, action="user.revoke_tokens", target_type="user", target_id=user.id, count=revoked
    )
    session.commit()
    log.info("api tokens revoked: user=%s by=%s count=%s", user.id, actor.id, revoked)
    return revoked


def revoke_all(session: Session, user_id: int, now: datetime) -> int:
    """Revoke every live token of an account inside the caller's transaction; returns how many."""
    revoked = session.execute(
        update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)
    ).rowcount
    return revoked or 0


def purge(session: Session, now: datetime) -> int:
    """Drop the tokens that expired API_TOKEN_KEEP_DAYS ago or more (the caller commits)."""
    keep = timedelta(days=current_app.config["API_TOKEN_KEEP_DAYS"])
    return session.execute(delete(ApiToken).where(ApiToken.expires_at <= now - keep)).rowcount or 0

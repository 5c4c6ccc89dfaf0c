"""Account actions: log in (throttled), log out, create users, grant roles, manage a unit's buyers.

Each public function is one user action in one transaction. The caller passes the actor. API
tokens are `mall.accounts.tokens` (issue_api_token is re-exported here for scripts and tests).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from mall import audit, clock
from mall.accounts import domain, tokens
from mall.accounts.domain import RecentFailures, Role, ThrottlePolicy
from mall.accounts.models import LoginFailure, User, UserRole
from mall.accounts.tokens import issue_api_token
from mall.bounds import column_length, is_id
from mall.errors import AuthenticationError, LoginThrottledError, NotFoundError, PermissionDeniedError
from mall.regions.models import Region
from mall.units.models import Unit

__all__ = ["issue_api_token"]

log = logging.getLogger(__name__)

# A real hash to compare against when the username is unknown, so the timing of a failed
# login does not reveal whether the account exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0")


def _policy() -> ThrottlePolicy:
    config = current_app.config
    return ThrottlePolicy(
        window=timedelta(seconds=config["LOGIN_WINDOW_SECONDS"]),
        per_pair=config["LOGIN_MAX_FAILURES"],
        per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        per_username=config["LOGIN_MAX_FAILURES_PER_USERNAME"],
    )


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def _recent_failures(session: Session, *, username: str, remote_addr: str, since: datetime) -> RecentFailures:
    same_name, same_addr = LoginFailure.username == username, LoginFailure.remote_addr == remote_addr
    pair, address, name = session.execute(
        select(
            func.count().filter(and_(same_name, same_addr)),
            func.count().filter(same_addr),
            func.count().filter(same_name),
        ).where(LoginFailure.failed_at > since, or_(same_name, same_addr))
    ).one()
    return RecentFailures(pair=pair, address=address, username=name)


def authenticate(session: Session, *, username: str, password: str, remote_addr: str) -> User:
    """Check a username and password (DESIGN.md: hashed passwords, login throttling).

    Throttled per (username, address), per address and per username (domain.ThrottlePolicy), across
    every worker (failures are rows). Raises LoginThrottledError or AuthenticationError; a failure
    is recorded and committed.
    """
    now = clock.now()
    policy = _policy()
    key = (username or "").strip().lower()[: column_length(LoginFailure.username)]
    addr = (remote_addr or "")[: column_length(LoginFailure.remote_addr)]
    recent = _recent_failures(session, username=key, remote_addr=addr, since=now - policy.window)
    limit = domain.throttled_by(recent, policy)
    if limit is not None:
        log.info("login throttled by %s: user=%s addr=%s", limit, key, addr)
        raise LoginThrottledError()
    user = session.scalar(select(User).where(User.username == key))
    if user is None or not user.is_active_account:
        check_password_hash(_DUMMY_HASH, password or "")
        ok = False
    else:
        ok = check_password_hash(user.password_hash, password or "")
    if not ok:
        session.add(LoginFailure(username=key, remote_addr=addr, failed_at=now))
        session.commit()
        log.info("login failed: user=%s addr=%s", key, addr)
        raise AuthenticationError()
    # Only this pair's failures are forgiven: the owner logging in must not reset the count of
    # someone guessing from elsewhere.
    session.execute(delete(LoginFailure).where(LoginFailure.username == key, LoginFailure.remote_addr == addr))
    user.last_login_at = now
    session.commit()
    log.info("login: user=%s", user.id)
    return user


# ---- sessions -------------------------------------------------------------------------------------
# A session cookie carries the account's session version (User.get_id); bumping the version ends
# every cookie issued before. Plain logout bumps it too: the cookie is the only record of a
# session, so a logged-out cookie, replayed, would otherwise still log in. A table of live
# sessions would let one browser log out alone, at the price of a row per login, a lookup per
# request and a purge; for personal accounts often used on shared office computers, ending
# every browser's session at logout is the safer rule, and it costs nothing per request.


def _end_sessions(session: Session, user_id: int) -> None:
    session.execute(update(User).where(User.id == user_id).values(session_version=User.session_version + 1))


def log_out(session: Session, *, user_id: int) -> None:
    """Log out: every session cookie of the account ends, this browser's included (API tokens stay)."""
    _end_sessions(session, user_id)
    session.commit()
    log.info("logout: user=%s", user_id)


def end_other_sessions(session: Session, *, user: User) -> int:
    """ "Log out everywhere": every session ends and every API token is revoked; the caller logs the
    current browser in again under the new version. Returns how many tokens were revoked."""
    now = clock.now()
    _end_sessions(session, user.id)
    revoked = tokens.revoke_all(session, user.id, now)
    audit.record(session, actor_id=user.id, action="user.end_sessions", target_type="user", target_id=user.id)
    session.commit()
    log.info("sessions ended: user=%s tokens=%s", user.id, revoked)
    return revoked


def purge_expired_credentials(session: Session) -> int:
    """Job: drop API tokens API_TOKEN_KEEP_DAYS after they expired (until then a revoked or expired
    token is answered as such, not as unknown) and login failures older than the throttle window."""
    now = clock.now()
    dropped = tokens.purge(session, now)
    failures = session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - _policy().window)).rowcount
    session.commit()
    return dropped + (failures or 0)


def create_user(
    session: Session,
    *,
    actor: User | None,
    username: str,
    password: str,
    display_name: str,
    roles: set[Role],
    unit_id: int | None = None,
    region_code: str | None = None,
    phone: str = "",
    password_hash: str | None = None,
) -> User:
    """Create an account with its roles (the platform operator's action, or seeding when actor is None).

    `password_hash` lets seeding reuse one hash for many demo accounts (scrypt is slow on purpose).
    Raises InvalidUsernameError, WeakPasswordError, UsernameTakenError, MissingScopeError.
    """
    user = add_user(
        session,
        username=username,
        password=password,
        display_name=display_name,
        roles=roles,
        unit_id=unit_id,
        region_code=region_code,
        phone=phone,
        password_hash=password_hash,
    )
    audit.record(
        session,
        actor_id=actor.id if actor else None,
        action="user.create",
        target_type="user",
        target_id=user.id,
        roles=sorted(roles),
    )
    session.commit()
    log.info("user created: %s roles=%s", user.id, sorted(roles))
    return user


def add_user(session, *, username, password, display_name, roles, unit_id, region_code, phone, password_hash):
    """Check and add an account inside the caller's transaction (the caller commits): for services
    that create an account as part of a larger action, such as a supplier's application."""
    username = domain.check_username(username)
    if password_hash is None:
        password_hash = hash_password(domain.check_password(password))
    _check_scope(session, set(roles), unit_id=unit_id, region_code=region_code)
    if session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise domain.UsernameTakenError()
    display_name = (display_name or "").strip()[:40] or username
    user = User(
        username=username,
        password_hash=password_hash,
        display_name=display_name,
        phone=(phone or "").strip(),
        unit_id=unit_id,
        region_code=region_code,
        created_at=clock.now(),
    )
    user.role_rows = [UserRole(role=r) for r in sorted(roles)]
    session.add(user)
    session.flush()
    return user


def _check_scope(session: Session, roles: set[Role], *, unit_id: int | None, region_code: str | None) -> None:
    """The roles' scope is given (domain) and exists: a unit or region typed in is no foreign key error."""
    domain.check_role_scopes(roles, unit_id=unit_id, region_code=region_code)
    if unit_id is not None and (not is_id(unit_id) or session.get(Unit, unit_id) is None):
        raise domain.UnknownScopeError("所属单位不存在")
    if region_code and session.get(Region, region_code) is None:
        raise domain.UnknownScopeError("管辖地区不存在")


def set_roles(
    session: Session, *, actor: User, user_id: int, roles: set[Role], unit_id: int | None, region_code: str | None
) -> User:
    """The platform operator changes an account's roles and scope."""
    _require(actor, Role.PLATFORM_OPERATOR)
    user = _get_user(session, user_id)
    _check_scope(session, roles, unit_id=unit_id, region_code=region_code)
    kept = [row for row in user.role_rows if row.role in roles]  # a kept role keeps its row (one per role)
    user.role_rows = kept + [UserRole(role=r) for r in sorted(roles - {row.role for row in kept})]
    user.unit_id, user.region_code = unit_id, region_code
    audit.record(
        session, actor_id=actor.id, action="user.set_roles", target_type="user", target_id=user.id, roles=sorted(roles)
    )
    session.commit()
    return user


def set_active(session: Session, *, actor: User, user_id: int, active: bool) -> User:
    """Disable or re-enable an account: the platform operator for anyone, a unit admin for its buyers."""
    user = _get_user(session, user_id)
    if not actor.has_role(Role.PLATFORM_OPERATOR):
        domain.check_unit_admin_over(actor, user)
    if user.id == actor.id:
        raise PermissionDeniedError("不能停用自己的账号")
    user.is_active_account = active
    if not active:
        _end_sessions(session, user.id)
        tokens.revoke_all(session, user.id, clock.now())
    audit.record(
        session,
        actor_id=actor.id,
        action="user.enable" if active else "user.disable",
        target_type="user",
        target_id=user.id,
    )
    session.commit()
    return user


def create_unit_member(
    session: Session, *, actor: User, username: str, password: str, display_name: str, roles: set[Role], phone: str = ""
) -> User:
    """A unit admin adds a buyer (or union officer) to its own unit."""
    _require(actor, Role.UNIT_ADMIN)
    if not roles or not roles <= domain.UNIT_ADMIN_GRANTABLE:
        raise domain.RoleNotGrantableError()
    user = add_user(
        session,
        username=username,
        password=password,
        display_name=display_name,
        roles=roles,
        unit_id=actor.unit_id,
        region_code=None,
        phone=phone,
        password_hash=None,
    )
    audit.record(
        session,
        actor_id=actor.id,
        action="user.create",
        target_type="user",
        target_id=user.id,
        roles=sorted(roles),
        unit_id=actor.unit_id,
    )
    session.commit()
    log.info("unit member created: %s unit=%s", user.id, actor.unit_id)
    return user


def change_password(session: Session, *, user: User, current: str, new: str) -> None:
    """The user changes their password: every other session ends and every API token is revoked (the
    caller logs the current browser in again under the new session version).

    Raises AuthenticationError (wrong current password), WeakPasswordError.
    """
    if not check_password_hash(user.password_hash, current or ""):
        raise AuthenticationError("当前密码不正确")
    user.password_hash = hash_password(domain.check_password(new))
    _end_sessions(session, user.id)
    tokens.revoke_all(session, user.id, clock.now())
    audit.record(session, actor_id=user.id, action="user.change_password", target_type="user", target_id=user.id)
    session.commit()


def _get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError()
    return user


def _require(actor: User, *roles: Role) -> None:
    if not actor.has_role(*roles):
        raise PermissionDeniedError()

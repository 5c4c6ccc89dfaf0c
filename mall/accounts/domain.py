"""Roles, their labels and scopes, password and username rules, the login-throttle decision, and
when a session or an API token has ended."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from mall.bounds import parse_id
from mall.errors import AuthenticationError, InvalidInputError, NotFoundError, PermissionDeniedError


class Role(StrEnum):
    BUYER = "buyer"  # 预算单位采购人
    UNIT_ADMIN = "unit_admin"  # 单位管理员
    UNION_OFFICER = "union_officer"  # 工会经办人
    EMPLOYEE = "employee"  # 职工
    SUPPLIER = "supplier"  # 供应商
    COOP_OPERATOR = "coop_operator"  # 供销社运营
    PLATFORM_OPERATOR = "platform_operator"  # 政府采购中心运营
    FINANCE_OFFICER = "finance_officer"  # 财政部门
    AGRI_OFFICER = "agri_officer"  # 农业农村局
    SASAC_OFFICER = "sasac_officer"  # 国资委


ROLE_LABELS: dict[Role, str] = {
    Role.BUYER: "采购人",
    Role.UNIT_ADMIN: "单位管理员",
    Role.UNION_OFFICER: "工会经办人",
    Role.EMPLOYEE: "职工",
    Role.SUPPLIER: "供应商",
    Role.COOP_OPERATOR: "供销社运营",
    Role.PLATFORM_OPERATOR: "采购中心运营",
    Role.FINANCE_OFFICER: "财政部门",
    Role.AGRI_OFFICER: "农业农村局",
    Role.SASAC_OFFICER: "国资委",
}

# Which scope each role needs: a unit, a region, or nothing (platform-wide staff). A supplier's
# scope is its supplier record, which the catalog package links (catalog.models.SupplierMember).
UNIT_ROLES = frozenset({Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER, Role.EMPLOYEE})
REGION_ROLES = frozenset({Role.FINANCE_OFFICER, Role.AGRI_OFFICER, Role.SASAC_OFFICER})
# Roles a unit admin may grant inside its own unit.
UNIT_ADMIN_GRANTABLE = frozenset({Role.BUYER, Role.UNION_OFFICER})

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,39}$")
MIN_PASSWORD_LENGTH = 10


class InvalidUsernameError(InvalidInputError):
    code, message = "invalid_username", "用户名须为3-40位小写字母、数字、点、横线或下划线"


class WeakPasswordError(InvalidInputError):
    code, message = "weak_password", "密码至少10位，且须同时包含字母和数字"


class UsernameTakenError(InvalidInputError):
    code, message, http_status = "username_taken", "用户名已被使用", 409


class MissingScopeError(InvalidInputError):
    code, message = "role_scope_missing", "该角色需要指定所属单位或地区"


class UnknownScopeError(InvalidInputError):
    code, message = "role_scope_unknown", "所属单位或管辖地区不存在"


class RoleNotGrantableError(PermissionDeniedError):
    code, message = "role_not_grantable", "无权授予该角色"


def check_unit_admin_over(actor, user) -> None:
    """A unit admin manages (disables, revokes the API tokens of) its own unit's buyers and union
    officers, never another admin or another unit's account. Another unit's account is "not
    found", never "forbidden": ids of other units reveal nothing. Raises NotFoundError,
    RoleNotGrantableError."""
    if not actor.has_role(Role.UNIT_ADMIN) or actor.unit_id is None or user.unit_id != actor.unit_id:
        raise NotFoundError()
    if not user.roles <= UNIT_ADMIN_GRANTABLE:
        raise RoleNotGrantableError("单位管理员只能管理本单位的采购人和工会经办人")


def check_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise InvalidUsernameError()
    return username


def check_password(password: str) -> str:
    if (
        len(password or "") < MIN_PASSWORD_LENGTH
        or not re.search(r"[A-Za-z]", password)
        or not re.search(r"\d", password)
    ):
        raise WeakPasswordError()
    return password


def check_role_scopes(roles: set[Role], *, unit_id: int | None, region_code: str | None) -> None:
    """A unit role needs a unit; a region role needs a region (DOMAIN.md, roles table)."""
    if roles & UNIT_ROLES and unit_id is None:
        raise MissingScopeError("单位角色（采购人、单位管理员、工会经办人、职工）须指定所属单位")
    if roles & REGION_ROLES and not region_code:
        raise MissingScopeError("财政、农业农村、国资委角色须指定管辖地区")


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failed logins within `window` lock further attempts, counted three ways.

    One (username, address) pair is locked after a few failures: someone guessing one account's
    password from one place. That lock never touches the real user at another address, so
    knowing a username no longer lets anyone lock its owner out (five wrong passwords used to
    lock the account for everyone). An address is locked after more failures over any usernames:
    one machine trying a common password on many accounts. A username is locked only after
    many failures from many addresses (with the pair limit at 5, it takes 10 addresses to reach 50
    in a window): a distributed attack on one account, where locking its owner out too is the
    lesser harm. Behind a reverse proxy the address is the client's only when the proxy is
    trusted (MALL_TRUSTED_PROXIES); otherwise every user would share the proxy's address.
    """

    window: timedelta
    per_pair: int = 5
    per_address: int = 30
    per_username: int = 50


@dataclass(frozen=True)
class RecentFailures:
    """Failed logins within the policy's window: for this username from this address, from this
    address for any username, and for this username from any address."""

    pair: int
    address: int
    username: int


def throttled_by(recent: RecentFailures, policy: ThrottlePolicy) -> str | None:
    """Which limit is reached ("pair", "address" or "username"), or None when the attempt may go on."""
    if recent.pair >= policy.per_pair:
        return "pair"
    if recent.address >= policy.per_address:
        return "address"
    if recent.username >= policy.per_username:
        return "username"
    return None


# ---- sessions and API tokens ------------------------------------------------------------------


class TokenRevokedError(AuthenticationError):
    code, message = "token_revoked", "访问令牌已被吊销，请重新获取"


class TokenExpiredError(AuthenticationError):
    code, message = "token_expired", "访问令牌已过期，请重新获取"


def session_id(user_id: int, session_version: int) -> str:
    """What a session cookie carries for its user: the id and the account's session version, so
    that bumping the version (logout, password change, disabling) ends every earlier session."""
    return f"{user_id}:{session_version}"


def parse_session_id(text: str) -> tuple[int, int] | None:
    """(user id, session version) from a session cookie's value; None for anything malformed,
    including a bare id from before sessions carried a version."""
    user_id, _, version = (text or "").partition(":")
    parsed = parse_id(user_id), parse_id(version)
    return None if None in parsed else parsed


def check_token(*, expires_at: datetime, revoked_at: datetime | None, now: datetime) -> None:
    """A stored API token still grants access: not revoked, not expired (revoked is said first).

    Raises TokenRevokedError, TokenExpiredError.
    """
    if revoked_at is not None:
        raise TokenRevokedError()
    if expires_at <= now:
        raise TokenExpiredError()


def mask_phone(phone: str) -> str:
    """138****5678: full phone numbers are never shown to other parties or logged."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else phone

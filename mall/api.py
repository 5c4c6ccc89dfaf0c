"""The JSON API's shared parts: token auth, the error shape, pagination and argument parsing.

Every package adds its routes with `api_blueprint(name)`: a blueprint under /api/v1 that takes
only bearer tokens (never the session cookie, so CSRF cannot reach it) and answers errors as
`{"error": {"code", "message"}}`. Each route is `documented(...)` (mall.api_schema): its input is
validated and it appears in the OpenAPI document (`/api/v1/openapi.json`, `/api/v1/docs`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Blueprint, g, request
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select

from mall.accounts import services as account_services
from mall.accounts import tokens as account_tokens
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.api_schema import ApiModel, Auth, InvalidPageError, JsonRequiredError, documented, text
from mall.bounds import MAX_PAGE, MAX_PASSWORD_LENGTH, MAX_PER_PAGE, parse_int
from mall.errors import AuthenticationError, PermissionDeniedError
from mall.extensions import csrf, db

__all__ = ["InvalidPageError", "JsonRequiredError", "api_blueprint", "api_user", "paginated"]


class AuthenticationRequiredError(AuthenticationError):
    code, message = "authentication_required", "请提供有效的访问令牌（Authorization: Bearer …）"


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    return header[len("Bearer ") :].strip() if header.startswith("Bearer ") else ""


def _load_token_user() -> None:
    # A revoked or expired token is remembered, not raised: public routes serve it as anonymous,
    # and `api_user` answers with its own code (token_revoked, token_expired).
    g.api_user, g.api_token_error = None, None
    token = _bearer_token()
    if token:
        try:
            g.api_user = account_tokens.user_for_token(db.session, token)
        except AuthenticationError as err:
            g.api_token_error = err


def api_blueprint(name: str, import_name: str) -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix="/api/v1")
    csrf.exempt(bp)
    bp.before_request(_load_token_user)
    return bp


def api_user(*roles: Role):
    """The caller, who must hold a valid token (and one of `roles`, when given)."""
    user = g.get("api_user")
    if user is None:
        raise g.get("api_token_error") or AuthenticationRequiredError()
    if roles and not user.has_role(*roles):
        raise PermissionDeniedError()
    return user


def optional_api_user():
    return g.get("api_user")


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise JsonRequiredError()
    return body


def page_args(default_per_page: int = 20) -> tuple[int, int]:
    """`page` (1..MAX_PAGE) and `per_page` (1..MAX_PER_PAGE) from the query string, refused
    clearly when out of range: a page nobody can mean never reaches a query's OFFSET."""
    page = parse_int(request.args.get("page", "1"), 1, MAX_PAGE)
    per_page = parse_int(request.args.get("per_page", str(default_per_page)), 1, MAX_PER_PAGE)
    if page is None or per_page is None:
        raise InvalidPageError()
    return page, per_page


def paginated(
    stmt: Select, serialize: Callable[[Any], dict], *, page: int, per_page: int, total: int | None = None
) -> dict:
    """`{"items", "page", "per_page", "total"}` for a select of ORM rows (DESIGN.md list shape)."""
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return {"items": [serialize(r) for r in rows], "page": page, "per_page": per_page, "total": total}


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class PageOut(BaseModel):
    """列表的一页：items 与所在位置。"""

    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    total: int = Field(ge=0)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[Role] = Field(description="角色，如 buyer、unit_admin、supplier、platform_operator")
    unit_id: int | None = Field(description="所属预算单位（没有则为空值）")
    region_code: str | None = Field(description="所辖地区代码（财政、农业农村等部门）")


class TokenIn(ApiModel):
    username: text(User.username, min_length=1)
    password: text(MAX_PASSWORD_LENGTH, min_length=1)


class TokenOut(BaseModel):
    token: str = Field(description="访问令牌：此后以 Authorization: Bearer <token> 发送")
    expires_at: datetime = Field(description="令牌失效时间（签发后 API_TOKEN_DAYS 天，默认30天）")
    user: UserOut


class RevokedOut(BaseModel):
    revoked: bool = Field(description="令牌已吊销")


api = api_blueprint("api", __name__)
ACCOUNT = "账户与令牌"


@api.post("/auth/token")
@documented(ACCOUNT, Auth.PUBLIC, TokenOut, errors=(401, 429))
def auth_token(json: TokenIn):
    """以用户名和密码换取访问令牌

    连续输错会被限制（429 login_throttled）。API 从不读取会话 Cookie，因此无需 CSRF 令牌。
    """
    user = account_services.authenticate(
        db.session, username=json.username, password=json.password, remote_addr=request.remote_addr or ""
    )
    issued = account_tokens.issue_token(db.session, user=user)
    return {"token": issued.token, "expires_at": iso(issued.expires_at), "user": user_json(user)}


@api.delete("/auth/token")
@documented(ACCOUNT, Auth.BEARER, RevokedOut)
def auth_token_revoke():
    """吊销本次请求所用的令牌

    吊销后该令牌再用，回答 401 token_revoked；过期的令牌回答 401 token_expired。
    """
    api_user()
    account_tokens.revoke_token(db.session, token=_bearer_token())
    return {"revoked": True}


@api.get("/me")
@documented(ACCOUNT, Auth.BEARER, UserOut)
def me():
    """令牌所属的用户"""
    return user_json(api_user())


def user_json(user) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "unit_id": user.unit_id,
        "region_code": user.region_code,
    }

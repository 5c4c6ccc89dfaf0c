"""The JSON API's shared parts: token auth, the error shape, pagination and argument parsing.

Every package adds its routes with `api_blueprint(name)`: a blueprint under /api/v1 that takes
only bearer tokens (never the session cookie, so CSRF cannot reach it) and answers errors as
`{"error": {"code", "message"}}`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Blueprint, g, jsonify, request
from sqlalchemy import Select, func, select

from mall.accounts import services as account_services
from mall.accounts.domain import Role
from mall.errors import AuthenticationError, InvalidInputError, PermissionDeniedError
from mall.extensions import csrf, db

MAX_PER_PAGE = 100


class InvalidPageError(InvalidInputError):
    code, message = "invalid_page", "分页参数不正确（page 为正整数，per_page 为1-100）"


class JsonRequiredError(InvalidInputError):
    code, message = "json_required", "请求体须为 JSON 对象"


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
            g.api_user = account_services.user_for_token(db.session, token)
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
    """`page` and `per_page` from the query string, refused clearly when out of range."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", default_per_page))
    except ValueError:
        raise InvalidPageError() from None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
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


api = api_blueprint("api", __name__)


@api.post("/auth/token")
def auth_token():
    body = json_body()
    user = account_services.authenticate(
        db.session,
        username=str(body.get("username", "")),
        password=str(body.get("password", "")),
        remote_addr=request.remote_addr or "",
    )
    issued = account_services.issue_token(db.session, user=user)
    return jsonify({"token": issued.token, "expires_at": iso(issued.expires_at), "user": user_json(user)})


@api.delete("/auth/token")
def auth_token_revoke():
    """The holder revokes the token it presents; afterwards it answers 401 token_revoked."""
    api_user()
    account_services.revoke_token(db.session, token=_bearer_token())
    return jsonify({"revoked": True})


@api.get("/me")
def me():
    return jsonify(user_json(api_user()))


def user_json(user) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "unit_id": user.unit_id,
        "region_code": user.region_code,
    }

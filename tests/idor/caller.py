"""The IDOR sweep's caller (tests/idor/test_*.py): the test client as any user of the two worlds
of tests/idor/world.py — a session and a CSRF token for pages, a bearer token for the API — each
answer with the error the app's handlers were given; and a digest of the whole database, so that
any write shows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, g, session
from flask_wtf.csrf import generate_csrf

from mall.accounts import tokens
from mall.errors import NotFoundError, PermissionDeniedError
from mall.extensions import db
from tests.factories import login
from tests.idor.world import (
    World,
)

IGNORED_METHODS = {"HEAD", "OPTIONS"}
ANONYMOUS = "anonymous"
ATTACKING_SIDE, OWNING_SIDE = "B", "A"
# Bodies a careful user would send: every field a route's form or JSON schema may ask for (unknown
# ones are ignored), so a refusal comes from the scope check, not from a missing field.
FORM_BODY = {"quantity": "2", "reason": "价格高于同类产品", "note": "同意采购", "active": "1", "on": "1"}
JSON_BODY = {"quantity": 2, "reason": "价格高于同类产品", "note": "同意采购", "title": "定西土豆粉条（改）"}
SCORES = {"quality": 4, "timeliness": 4, "service": 4, "price": 4}  # an evaluation, and its answer
FORM_BODY |= {name: str(score) for name, score in SCORES.items()} | {"reply": "感谢评价"}
JSON_BODY |= SCORES | {"reply": "感谢评价"}
# Columns a refused request may still write by design: a bearer token's last use.
BOOKKEEPING = {"api_tokens": {"last_used_at"}}


@dataclass
class Answer:
    status: int
    refusal: Exception | None  # the error the request ended in, as the app's handlers saw it
    location: str = ""
    form_error: bool = False  # a page shown again with an error message
    items: int | None = None  # the length of a JSON list's items

    @property
    def verdict(self) -> str:
        if self.status == 404 or isinstance(self.refusal, NotFoundError):
            return "not found"
        if self.status == 401 or (self.status == 302 and self.location.startswith("/login")):
            return "login required"
        if self.status == 403 or isinstance(self.refusal, PermissionDeniedError):
            return "forbidden"
        if self.refusal is not None:
            code = getattr(self.refusal, "code", None)
            return f"{self.status} {type(self.refusal).__name__} {code or ''}".strip()
        return f"{self.status} success" if self.status < 400 else f"{self.status}"

    @property
    def refused(self) -> bool:
        """Refused with an error (a 4xx, or a page's error message after a domain error)."""
        return self.status >= 400 or self.refusal is not None


class Caller:
    """The test client as any user of the world: a session and a CSRF token for pages, a bearer
    token for the API; each answer comes with the error the app's handlers were given."""

    def __init__(self, app: Flask, client, world: World) -> None:
        self.app, self.client = app, client
        self.users = world.users()
        self.tokens = {who: tokens.issue_api_token(db.session, user=user) for who, user in self.users.items()}
        self.who, self.csrf = "", ""
        self.own_products = {  # a form's product field names the requesting side's listing
            label: side.objects["listings"]["approved"].id for label, side in world.sides.items()
        } | {"staff": None, ANONYMOUS: None}
        self.refusals: list[Exception] = []
        _record_refusals(app, self.refusals)

    def act_as(self, who: str) -> None:
        if who == self.who:
            return
        self.who = who
        if who == ANONYMOUS:  # a visitor with a session (and its CSRF token) but no login
            with self.client.session_transaction() as stored:
                stored.clear()
        else:
            login(self.client, self.users[who])
        g.pop("csrf_token", None)
        with self.app.test_request_context():
            self.csrf, raw = generate_csrf(), session["csrf_token"]
        g.pop("csrf_token", None)
        with self.client.session_transaction() as stored:
            stored["csrf_token"] = raw

    def open(self, path: str, method: str, *, own_product: int | None = None, body: dict | None = None) -> Answer:
        g.pop("_login_user", None)  # requests share the test's app context: load the user afresh
        self.refusals.clear()
        kwargs: dict = {}
        if path.startswith("/api/"):
            if self.who != ANONYMOUS:
                kwargs["headers"] = {"Authorization": f"Bearer {self.tokens[self.who]}"}
            if method != "GET":
                kwargs["json"] = JSON_BODY | (body or {})
        elif method != "GET":
            kwargs["data"] = FORM_BODY | {"csrf_token": self.csrf, "product_id": str(own_product or "")} | (body or {})
        return self._answer(self.client.open(path, method=method, **kwargs))

    def send(self, method: str, path: str, kwargs: dict) -> Answer:
        """A request with the caller's credentials and the given body, query or headers."""
        g.pop("_login_user", None)
        self.refusals.clear()
        kwargs = dict(kwargs)
        if path.startswith("/api/"):
            kwargs["headers"] = kwargs.get("headers", {}) | {"Authorization": f"Bearer {self.tokens[self.who]}"}
        elif "data" in kwargs:
            kwargs["data"] = kwargs["data"] | {"csrf_token": self.csrf}
        return self._answer(self.client.open(path, method=method, **kwargs))

    def read(self, path: str) -> str:
        """A page's or an answer's text, "" unless it is a 200 text or JSON response."""
        g.pop("_login_user", None)
        headers = {"Authorization": f"Bearer {self.tokens[self.who]}"} if self.who in self.tokens else {}
        response = self.client.get(path, headers=headers)
        body = response.get_data()
        response.close()
        readable = response.status_code == 200 and (response.is_json or response.mimetype.startswith("text/"))
        return body.decode() if readable else ""

    def _answer(self, response) -> Answer:
        body = response.get_data()  # read files now and let them go
        response.close()
        location = urlsplit(response.headers.get("Location", "")).path
        page = body.decode() if response.mimetype == "text/html" else ""
        form_error = 'class="error"' in page or "flash-error" in page
        found = response.json if response.is_json else None
        items = len(found["items"]) if isinstance(found, dict) and "items" in found else None
        return Answer(response.status_code, self.refusals[-1] if self.refusals else None, location, form_error, items)


def _record_refusals(app: Flask, seen: list[Exception]) -> None:
    """Wrap every registered error handler so the test sees which error a request ended in."""

    def recording(handler):
        @wraps(handler)
        def handle(err):
            seen.append(err)
            return handler(err)

        return handle

    for by_code in app.error_handler_spec.values():
        for handlers in by_code.values():
            for error_class, handler in list(handlers.items()):
                handlers[error_class] = recording(handler)


# ---- what the database holds ---------------------------------------------------------------------


def database_digest() -> dict[str, str]:
    """Each table's rows (minus bookkeeping columns), hashed: any insert, update or delete shows."""
    digest = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name not in BOOKKEEPING.get(table.name, ())]
        rows = db.session.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
        digest[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digest


def changed_tables(before: dict[str, str]) -> list[str]:
    after = database_digest()
    return sorted(t for t in before if before[t] != after[t])

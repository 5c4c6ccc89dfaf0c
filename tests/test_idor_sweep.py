"""The IDOR sweep: every route with an id in its URL, found in app.url_map (a new route is swept
without editing this file), is requested by every user of side B and by the staff who do not
serve it, with the ids of side A's objects (tests/idor_world.py), by every method it takes, with
a valid CSRF token or JSON body.

Each answer must be 404 — or a refusal of the role (403, or a page's "no permission" message)
when the same user gets that refusal for its own side's object too, so the answer never tells
whose object an id names. Nothing in the database may change. The owners (side A's users and the
staff) get 200 on every GET route, so the sweep cannot pass by everything answering 404. A route
whose id the registry cannot map to an object fails: new routes are covered by design.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask, g, session
from flask_wtf.csrf import generate_csrf
from werkzeug.routing import Rule

from mall.accounts import tokens
from mall.errors import NotFoundError, PermissionDeniedError
from mall.extensions import db
from tests.factories import login
from tests.idor_world import World, build_world, kind_for
from tests.walk_world import fill_path, is_id_argument, rule_arguments

IGNORED_METHODS = {"HEAD", "OPTIONS"}
ANONYMOUS = "anonymous"
ATTACKING_SIDE, OWNING_SIDE = "B", "A"
# Bodies a careful user would send: every field a route's form or JSON schema may ask for (unknown
# ones are ignored), so a refusal comes from the scope check, not from a missing field.
FORM_BODY = {"quantity": "2", "reason": "价格高于同类产品", "note": "同意采购", "active": "1", "on": "1"}
JSON_BODY = {"quantity": 2, "reason": "价格高于同类产品", "note": "同意采购", "title": "定西土豆粉条（改）"}
# Columns a refused request may still write by design: a bearer token's last use.
BOOKKEEPING = {"api_tokens": {"last_used_at"}}


@dataclass
class Answer:
    status: int
    refusal: Exception | None  # the error the request ended in, as the app's handlers saw it
    location: str = ""

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

    def open(self, path: str, method: str, *, own_product: int | None = None) -> Answer:
        g.pop("_login_user", None)  # requests share the test's app context: load the user afresh
        self.refusals.clear()
        kwargs: dict = {}
        if path.startswith("/api/"):
            if self.who != ANONYMOUS:
                kwargs["headers"] = {"Authorization": f"Bearer {self.tokens[self.who]}"}
            if method != "GET":
                kwargs["json"] = JSON_BODY
        elif method != "GET":
            kwargs["data"] = FORM_BODY | {"csrf_token": self.csrf, "product_id": str(own_product or "")}
        response = self.client.open(path, method=method, **kwargs)
        response.get_data()
        response.close()
        location = urlsplit(response.headers.get("Location", "")).path
        return Answer(response.status_code, self.refusals[-1] if self.refusals else None, location)


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


@pytest.fixture
def app_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def world(app: Flask, stripe_store) -> World:
    return build_world()


@pytest.fixture
def caller(app: Flask, client, world: World) -> Caller:
    return Caller(app, client, world)


# ---- the routes and the ids they are swept with -------------------------------------------------


@dataclass
class Probe:
    path: str  # the route with the id of one of the owning side's objects
    mirror: str  # the same route with the attacking side's object of the same kind and state
    owners: frozenset[str]  # the roles of the owning side that may act on the object


@dataclass
class Target:
    rule: Rule
    method: str
    probes: list[Probe]
    public_paths: list[str]  # paths anyone may see (the storefront's listings on sale)
    staff: frozenset[str]


def id_rules(app: Flask) -> list[Rule]:
    rules = [r for r in app.url_map.iter_rules() if any(is_id_argument(c, a) for _, c, a in rule_arguments(r))]
    return sorted(rules, key=lambda r: (r.rule, r.endpoint))


def targets(app: Flask, world: World, failures: list[str]) -> list[Target]:
    owner, attacker = world.sides[OWNING_SIDE], world.sides[ATTACKING_SIDE]
    found = []
    for rule in id_rules(app):
        fixed, kinds = {}, {}
        for name, converter, args in rule_arguments(rule):
            if is_id_argument(converter, args):
                kinds[name] = kind_for(rule.endpoint, name)
                if kinds[name] is None:
                    failures.append(
                        f"{rule.rule} ({rule.endpoint}): the sweep cannot map <{name}> to an object; add "
                        f'KINDS["{name}"] = Kind(...) (or ENDPOINT_KINDS) in tests/idor_world.py'
                    )
            elif converter == "int" and "min=" in args:
                fixed[name] = int(args.split("min=")[1].split(",")[0].strip(" )"))
            else:
                failures.append(f"{rule.rule}: the sweep cannot fill <{name}> ({converter})")
        if any(k is None for k in kinds.values()):
            continue
        if len(kinds) != 1:
            failures.append(f"{rule.rule}: several ids in one URL: teach the sweep how they relate")
            continue
        ((name, kind),) = kinds.items()
        own, theirs = kind.make(owner), kind.make(attacker)
        assert len(own) == len(theirs), f"{name}: each side needs the same objects of this kind"
        assert own or kind.public, f"{name}: the world holds no object of this kind"
        probes = [
            Probe(fill_path(rule, fixed | {name: o}), fill_path(rule, fixed | {name: t}), kind.owners(o))
            for o, t in zip(own, theirs, strict=True)
        ]
        public = [fill_path(rule, fixed | {name: p}) for p in (kind.public(owner) if kind.public else [])]
        for method in sorted(rule.methods - IGNORED_METHODS):
            found.append(Target(rule, method, probes, public, kind.staff))
    return found


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


# ---- the sweep -------------------------------------------------------------------------------------


def attackers(world: World, target: Target) -> list[str]:
    side = [f"{who}@{ATTACKING_SIDE}" for who in world.sides[ATTACKING_SIDE].users]
    return [ANONYMOUS, *side] + [f"{who}@staff" for who in world.staff if who not in target.staff]


def sweep(caller: Caller, world: World, target: Target, failures: list[str]) -> int:
    """Outsiders (the other side, staff who do not serve it) with every probe; then the owning
    side's users whose role may not act on the object."""
    sent = 0
    for who in attackers(world, target):
        caller.act_as(who)
        for probe in target.probes:
            sent += _attack(caller, who, target, probe, failures, outsider=True)
    for role in world.sides[OWNING_SIDE].users:
        for probe in (p for p in target.probes if role not in p.owners):
            caller.act_as(f"{role}@{OWNING_SIDE}")
            sent += _attack(caller, f"{role}@{OWNING_SIDE}", target, probe, failures, outsider=False)
    return sent


def _attack(caller: Caller, who: str, target: Target, probe: Probe, failures: list[str], *, outsider: bool) -> int:
    """One request with another's id: an outsider must get 404 (or its role's refusal, the same
    as for its own object); an insider of another role any refusal. Nothing may be written."""
    own_product = caller.own_products[who.rpartition("@")[2]]
    before = database_digest() if target.method != "GET" else None
    answer = caller.open(probe.path, target.method, own_product=own_product)
    where = f"{who} {target.method} {probe.path} ({target.rule.endpoint})"
    if before is not None and (changed := changed_tables(before)):
        failures.append(f"{where}: another's object, yet written: {changed}")
    if answer.verdict == "not found" or (not outsider and answer.refused):
        return 1
    if answer.verdict == "login required" and who == ANONYMOUS:
        return 1
    if answer.verdict != "forbidden" or not outsider:
        failures.append(
            f"{where}: {answer.verdict}, not 404" if outsider else f"{where}: {answer.verdict}, not refused"
        )
    elif "@" in who and not who.endswith("@staff"):  # staff has no side of its own: refused everywhere
        own = caller.open(probe.mirror, target.method, own_product=own_product)
        if own.verdict not in ("forbidden", "not found"):
            failures.append(f"{where}: forbidden here, {own.verdict} on its own {probe.mirror}: answer 404")
    return 1


def owners_see(caller: Caller, world: World, target: Target, failures: list[str]) -> None:
    """Each id of a GET route gets 200 for some user of the owning side or the staff; a public
    object gets 200 for a user of the other side."""
    owners = [f"{who}@{OWNING_SIDE}" for who in world.sides[OWNING_SIDE].users] + [
        f"{who}@staff" for who in target.staff
    ]
    for probe in target.probes if not target.public_paths else []:
        if not any(_seen(caller, who, probe.path) for who in owners):
            failures.append(f"no owner gets 200 on {probe.path} ({target.rule.endpoint})")
    for path in target.public_paths:
        if not _seen(caller, f"buyer@{ATTACKING_SIDE}", path, (200, 302)):  # 302: a cover photo's file
            failures.append(f"a public object answers no 200 on {path} ({target.rule.endpoint})")


def _seen(caller: Caller, who: str, path: str, statuses=(200,)) -> bool:
    caller.act_as(who)
    return caller.open(path, "GET").status in statuses


def test_no_route_answers_or_changes_anything_for_another_units_or_suppliers_ids(app, caller, world):
    # given: every route with an id, each with the owning side's and the attacking side's ids
    failures: list[str] = []
    found = targets(app, world, failures)
    assert len({t.rule.rule for t in found}) > 40  # the walk found the routes
    # when: side B's users and the staff who do not serve the objects request them
    sent = sum(sweep(caller, world, target, failures) for target in found)
    # then: 404 (or the role's own refusal) everywhere, nothing written; the owners still see them
    for target in found:
        if target.method == "GET":
            owners_see(caller, world, target, failures)
    assert sent > 500
    assert failures == [], "\n".join(failures)

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
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask, g, session
from flask_wtf.csrf import generate_csrf
from werkzeug.routing import Rule
from wtforms import StringField
from wtforms.fields.core import UnboundField

from mall.accounts import tokens
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.api_schema import ApiModel
from mall.bounds import MAX_ID
from mall.errors import NotFoundError, PermissionDeniedError
from mall.extensions import db
from mall.forms import ChineseForm
from orders import queries as order_queries
from orders.domain import CartKind
from tests.catalog.test_import import GOOD, csv_bytes
from tests.factories import login, make_cart_line
from tests.idor_world import (
    Side,
    World,
    address,
    build_world,
    checkout,
    kind_for,
    on_sale_listing,
    pending_listing,
    supplier,
    unit,
)
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
        sent += _attack(caller, who, target, target.probes, failures, outsider=True)
    for role in world.sides[OWNING_SIDE].users:
        probes = [p for p in target.probes if role not in p.owners]
        sent += _attack(caller, f"{role}@{OWNING_SIDE}", target, probes, failures, outsider=False)
    return sent


def _attack(caller: Caller, who: str, target: Target, probes: list[Probe], failures: list[str], *, outsider: bool):
    """Requests with another's ids: an outsider must get 404 (or its role's refusal, the same as
    for its own object); an insider of another role any refusal. Nothing may be written."""
    if not probes:
        return 0
    caller.act_as(who)
    own_product = caller.own_products[who.rpartition("@")[2]]
    before = database_digest() if target.method != "GET" else None
    answers = [(probe, caller.open(probe.path, target.method, own_product=own_product)) for probe in probes]
    where = f"{who} {target.method} {target.rule.rule} ({target.rule.endpoint})"
    if before is not None and (changed := changed_tables(before)):
        failures.append(f"{where}: others' objects, yet written: {changed}")
    for probe, answer in answers:
        where = f"{who} {target.method} {probe.path} ({target.rule.endpoint})"
        if answer.verdict == "not found" or (not outsider and answer.refused):
            continue
        if answer.verdict == "login required" and who == ANONYMOUS:
            continue
        if answer.verdict != "forbidden" or not outsider:
            failures.append(f"{where}: {answer.verdict}, " + ("not 404" if outsider else "not refused"))
        elif "@" in who and not who.endswith("@staff"):  # staff has no side of its own: refused everywhere
            own = caller.open(probe.mirror, target.method, own_product=own_product)
            if own.verdict not in ("forbidden", "not found"):
                failures.append(f"{where}: forbidden here, {own.verdict} on its own {probe.mirror}: answer 404")
    return len(probes)


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


# ---- ids in forms, JSON bodies and query strings ------------------------------------------------


@dataclass(frozen=True)
class FieldProbe:
    """A request naming an object in a field. Sent by `who` of the attacking side (or staff) with
    the owning side's object, it is refused as `expect` says: "not found" (404), "refused" (a
    page shows the form's error), "empty" (a list filtered to nothing), "ignored" (the field is
    not the sender's to set: `naming(id)` — what in the database names the object — stays as
    it was); nothing is written unless ignored. Sent with the sender's own object (the control),
    it goes through: the refusal is the field's, not a flaw of the request."""

    who: str
    method: str
    path: str
    send: Callable[[int, Side], dict]  # (the id named, the sender's side) → client.open arguments
    names: Callable[[Side], int]  # the object of a side the field names
    expect: str = "not found"
    naming: Callable[[int], object] | None = None
    control: Callable[[Side], int] | None = None  # the sender's object for the control, if not `names`


_serial = itertools.count(1)


def _listing_fields(side: Side) -> dict:
    return {
        "sku": f"IDOR-FIELD-{next(_serial)}",
        "title": "定西土豆粉条",
        "category": "dried",
        "spec": "2.5kg/箱",
        "sale_unit": "箱",
        "program": "counterpart",
        "origin_county_code": side.supplier.region_code,
    }


def _listing_json(supplier_id: int, side: Side) -> dict:
    extra = {"price_fen": 5_200, "stock_qty": 10, "price_evidence_url": "https://www.fupin832.com/goods/1"}
    return {"json": _listing_fields(side) | extra | {"supplier_id": supplier_id}}


def _listing_form(supplier_id: int, side: Side) -> dict:
    extra = {"price": "52.00", "stock_qty": "10", "storage": "ambient", "net_content_unit": "g"}
    extra |= {"evidence_url": "https://www.fupin832.com/goods/1", "supplier_id": str(supplier_id)}
    return {"data": _listing_fields(side) | extra}


def _import(supplier_id: int, side: Side) -> dict:
    rows = [GOOD | {"商品编码": f"IDOR-IMPORT-{next(_serial)}", "产地县代码": side.supplier.region_code}]
    return {"data": {"file": (io.BytesIO(csv_bytes(rows)), "goods.csv"), "supplier_id": str(supplier_id)}}


def _checkout(address_id: int, side: Side) -> dict:
    body = {"address_id": address_id, "payment_mode": "transfer", "expected_total_fen": _cart_total(side)}
    return {"json": body, "headers": {"Idempotency-Key": f"idor-{next(_serial)}"}}


def _checkout_form(address_id: int, side: Side) -> dict:
    fields = {"address_id": str(address_id), "payment_mode": "transfer", "idempotency_key": f"idor-{next(_serial)}"}
    return {"data": fields | {"expected_total_fen": str(_cart_total(side))}}


def _cart_total(side: Side) -> int:
    """The total the buyer's checkout page shows, with a canteen line put in the cart first when
    an earlier control checked it out."""
    buyer = side.users[Role.BUYER.value]
    cart = order_queries.cart_summary(db.session, buyer, CartKind.UNIT, checkout_only=True)
    if not cart.checkout_total_fen:
        make_cart_line(buyer, side.objects["listings"]["approved"], quantity=2)
        db.session.commit()
        cart = order_queries.cart_summary(db.session, buyer, CartKind.UNIT, checkout_only=True)
    return cart.checkout_total_fen


def _new_member(unit_id: int, side: Side) -> dict:
    account = {"username": f"idor{next(_serial)}", "password": "idor-pass-2026", "display_name": "新采购人"}
    return {"data": account | {"roles": "buyer", "unit_id": str(unit_id)}}


def _members(unit_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(User.id).where(User.unit_id == unit_id).order_by(User.id)))


BUY = {"quantity": 2, "purpose": "canteen"}
FIELD_PROBES: dict[str, FieldProbe] = {
    "api CartItemIn.product_id": FieldProbe(
        "buyer",
        "POST",
        "/api/v1/cart/items",
        lambda i, s: {"json": BUY | {"product_id": i}},
        pending_listing,
        control=on_sale_listing,
    ),
    "form CartAddForm.product_id": FieldProbe(
        "buyer",
        "POST",
        "/cart/lines",
        lambda i, s: {"data": BUY | {"product_id": str(i)}},
        pending_listing,
        control=on_sale_listing,
    ),
    "api CheckoutIn.address_id": FieldProbe("buyer", "POST", "/api/v1/checkout", _checkout, address),
    "form CheckoutForm.address_id": FieldProbe("buyer", "POST", "/checkout", _checkout_form, address, "refused"),
    "api ListingIn.supplier_id": FieldProbe("supplier", "POST", "/api/v1/listings", _listing_json, supplier),
    "form ListingForm.supplier_id": FieldProbe(
        "coop_operator@staff", "POST", "/supplier/listings/new", _listing_form, supplier, "refused"
    ),
    "api ImportForm.supplier_id": FieldProbe("supplier", "POST", "/api/v1/listings/import", _import, supplier),
    "form ImportForm.supplier_id": FieldProbe(
        "coop_operator@staff", "POST", "/supplier/listings/import", _import, supplier, "refused"
    ),
    "api OrderQuery.checkout": FieldProbe(
        "buyer", "GET", "/api/v1/orders", lambda i, s: {"query_string": {"checkout": i}}, checkout, "empty"
    ),
    "form UserCreateForm.unit_id": FieldProbe(
        "unit_admin", "POST", "/manage/users/new", _new_member, unit, "ignored", naming=_members
    ),
}
# Id fields whose object anyone who may send them may name.
OPEN_FIELDS = {
    "form ListedForm.product_id": "a listing on sale, which everyone sees, answers a product request",
    "form UserRolesForm.unit_id": "read only on the platform operator's form (a unit admin's edits no account's unit)",
}


def id_fields() -> set[str]:
    """Every id a request may carry outside its URL: the request models' integer fields bounded
    like ids (1…MAX_ID), the page forms' non-text fields named `…_id`."""
    found = set()
    for model in _subclasses(ApiModel):
        properties = model.model_json_schema().get("properties", {})
        for name, field in model.model_fields.items():
            schema = properties.get(field.alias or name, {})
            bounds = [schema, *schema.get("anyOf", [])]
            if any(b.get("minimum") == 1 and b.get("maximum") == MAX_ID for b in bounds):
                found.add(f"api {model.__qualname__}.{name}")
    for form in _subclasses(ChineseForm):
        for name in dir(form):
            field = getattr(form, name, None)
            if isinstance(field, UnboundField) and name.endswith("_id") and field.field_class is not StringField:
                found.add(f"form {form.__qualname__}.{name}")
    return found


def _subclasses(cls: type) -> set[type]:
    direct = set(cls.__subclasses__())
    return direct.union(*(_subclasses(c) for c in direct))


def probe_field(caller: Caller, world: World, key: str, probe: FieldProbe, failures: list[str]) -> None:
    owner, sender = world.sides[OWNING_SIDE], world.sides[ATTACKING_SIDE]
    who = probe.who if "@" in probe.who else f"{probe.who}@{ATTACKING_SIDE}"
    caller.act_as(who)
    theirs, own = probe.names(owner), (probe.control or probe.names)(sender)
    named_before = probe.naming(theirs) if probe.naming else None
    request = probe.send(theirs, sender)
    before = database_digest()
    answer = caller.send(probe.method, probe.path, request)
    where = f"{key}: {who} {probe.method} {probe.path} naming {theirs}"
    if probe.expect == "ignored":
        if probe.naming(theirs) != named_before:
            failures.append(f"{where}: the other side's object was linked to")
    elif changed := changed_tables(before):
        failures.append(f"{where}: written: {changed}")
    if not _as_expected(probe.expect, answer):
        failures.append(
            f"{where}: {answer.verdict}{' (form error)' if answer.form_error else ''}, expected: {probe.expect}"
        )
    control = caller.send(probe.method, probe.path, probe.send(own, sender))
    if control.refused or control.form_error or (probe.expect == "empty" and not control.items):
        failures.append(f"{key}: the control with the sender's own {own} did not go through: {control.verdict}")


def _as_expected(expect: str, answer: Answer) -> bool:
    return {
        "not found": answer.verdict == "not found",
        "refused": answer.refused or answer.form_error,
        "empty": answer.status == 200 and answer.items == 0,
        "ignored": True,
    }[expect]


def test_ids_in_forms_bodies_and_query_strings_name_only_the_senders_own_objects(app, caller, world):
    # given: every id field of the request models and page forms, each with its probe
    fields = id_fields()
    assert len(fields) >= 8  # the discovery found the fields (a broken one would pass vacuously)
    failures = [
        f"{key}: the sweep has no probe for this id field; add one to FIELD_PROBES (or OPEN_FIELDS, with the reason)"
        for key in sorted(fields - FIELD_PROBES.keys() - OPEN_FIELDS.keys())
    ]
    failures += [f"{key}: probed, yet no longer an id field" for key in sorted(FIELD_PROBES.keys() - fields)]
    # when / then: each field names the other side's object, then the sender's own
    for key, probe in FIELD_PROBES.items():
        probe_field(caller, world, key, probe, failures)
    assert failures == [], "\n".join(failures)

"""Every route, found in app.url_map (a new route is walked without editing this file), as every
role: ids beyond the database's range answer 404; query strings and form fields beyond the bounds
answer below 500, a refused form writes nothing, and nothing beyond a column or a bound is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from mall import clock
from mall.accounts import services as account_services
from mall.bounds import MAX_AMOUNT_FEN, MAX_ID, MAX_QUANTITY, MAX_STOCK, MAX_UNIT_PRICE_FEN
from mall.extensions import db
from mall.units.domain import make_credit_code
from tests.factories import PASSWORD, login
from tests.walk_world import (
    ANONYMOUS,
    Form,
    World,
    build_world,
    fill_path,
    is_id_argument,
    read_page,
    real_values,
    rule_arguments,
)

OUT_OF_RANGE = [2**31, 2**63, 10**20, 0, -1]
IGNORED_METHODS = {"HEAD", "OPTIONS"}


class Agent:
    """The test client acting as one of the world's users: a session for pages, a token for the API."""

    def __init__(self, client, world: World) -> None:
        self.client, self.world = client, world
        self.tokens = {
            who: account_services.issue_api_token(db.session, user=user)
            for who, user in world.users.items()
            if user is not None
        }
        self.who = ANONYMOUS

    def act_as(self, who: str) -> None:
        self.who = who
        if who == ANONYMOUS:
            with self.client.session_transaction() as session:
                session.clear()
        else:
            login(self.client, self.world.users[who])

    def open(self, path: str, method: str = "GET", **kwargs):
        headers = {"Authorization": f"Bearer {self.tokens[self.who]}"} if self.who in self.tokens else {}
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        response.get_data()  # read files now and let them go
        response.close()
        return response


@pytest.fixture
def app_overrides() -> dict:
    # Hundreds of submissions from one address: throttles would refuse them before the bounds do.
    return {"SUPPLIER_APPLY_MAX_PER_ADDRESS": 10_000, "LOGIN_MAX_FAILURES": 10_000}


@pytest.fixture
def agent(app: Flask, client, stripe_store) -> Agent:
    return Agent(client, build_world(app))


# ---- ids beyond the database's range ------------------------------------------------------------


def id_rules(app: Flask):
    for rule in app.url_map.iter_rules():
        arguments = rule_arguments(rule)
        if any(is_id_argument(converter, args) for _, converter, args in arguments):
            yield rule, arguments


def test_ids_beyond_the_databases_range_answer_404_on_every_route_for_every_role(app, agent):
    rules = list(id_rules(app))
    assert len(rules) > 30  # the walk found the routes (a broken discovery would pass vacuously)
    failures = []
    users = list(agent.world.users)
    for u, who in enumerate(users):
        agent.act_as(who)
        for r, (rule, arguments) in enumerate(rules):
            real = (real_values(app, agent.world, rule) or [{}])[0]
            in_range = [MAX_ID] if r % len(users) == u else []  # the largest id a view may look up, by one role
            for bad in [*OUT_OF_RANGE, *in_range]:
                values = {
                    name: bad if is_id_argument(converter, args) else real.get(name, 0)
                    for name, converter, args in arguments
                }
                path = fill_path(rule, values)
                for method in sorted(rule.methods - IGNORED_METHODS):
                    status = agent.open(path, method).status_code
                    allowed = {404, 405} if bad != MAX_ID else set(range(200, 500))  # MAX_ID is a key like any
                    if status not in allowed:
                        failures.append((who, method, path, status))
            agent.act_as(who)  # a route may have logged the user out
    assert failures == [], "\n".join(map(str, failures))


# ---- the bounds feeder: every GET route's query string, every form's fields ---------------------

BOUNDARY = [str(10**20), "-1", "2.5", "²", "字" * 5000, ""]
QUERY_VALUES = [str(10**20), "-1", "²", "字" * 5000, "9999-12-31", "922337203685477580"]
GENERIC_QUERIES = [
    {"page": "922337203685477580"},
    {"page": "-1"},
    {"page": "²"},
    {"per_page": str(10**6)},
    {"from": "9999-12-31"},
    {"to": "0001-01-01"},
    {"checkout": "²"},
]
# Tables a refused request may still write by design: throttles count attempts (logins, public
# applications), and a first cart is committed on its own before its first line is checked.
WRITTEN_ON_REFUSAL = {"login_failures", "rate_limit_hits", "carts"}


@dataclass
class Visit:
    rule: Rule
    path: str
    viewers: list[str] = field(default_factory=list)  # who got an answer below 400
    json: bool = False
    real: bool = True  # its arguments name real objects (else placeholders: nobody need see it)


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    query_args: dict[str, set[str]] = field(default_factory=dict)  # path → argument names its forms and links use
    forms: list[tuple[str, Form]] = field(default_factory=list)  # (who, a form that posts)


def crawl_every_get_route(app: Flask, agent: Agent, failures: list) -> Crawl:
    crawl = Crawl()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods:
            continue
        choices = real_values(app, agent.world, rule)
        if not choices:  # no object of that kind in the world: still visited, with placeholders
            placeholders = {name: 1 if converter == "int" else "x" for name, converter, _ in rule_arguments(rule)}
            crawl.visits.append(_visit(agent, crawl, Visit(rule, fill_path(rule, placeholders), real=False), failures))
            continue
        for values in choices:  # e.g. a region code: the first one some role can see
            visit = _visit(agent, crawl, Visit(rule, fill_path(rule, values)), failures)
            if visit.viewers:
                break
        crawl.visits.append(visit)
    return crawl


def _visit(agent: Agent, crawl: Crawl, visit: Visit, failures: list) -> Visit:
    for who in agent.world.users:
        agent.act_as(who)
        response = agent.open(visit.path)
        if response.status_code >= 500:
            failures.append((who, "GET", visit.path, response.status_code))
        if response.status_code >= 400:
            continue
        visit.viewers.append(who)
        visit.json = response.is_json
        if response.status_code == 200 and response.mimetype == "text/html":
            _read(crawl, who, read_page("http://localhost" + visit.path, response.get_data(as_text=True)))
    return visit


def _read(crawl: Crawl, who: str, page) -> None:
    for path, names in page.link_args.items():
        crawl.query_args.setdefault(path, set()).update(names)
    for form in page.forms:
        if form.method == "get":
            crawl.query_args.setdefault(urlsplit(form.action).path, set()).update(form.fields)
        else:
            crawl.forms.append((who, form))


def feed_query_strings(agent: Agent, crawl: Crawl, failures: list) -> int:
    every_arg = sorted(set().union(*crawl.query_args.values()))
    fed: set[frozenset[str]] = set()  # pages with the same filters (the storefront's lists) are fed once
    sent = 0
    for n, visit in enumerate(v for v in crawl.visits if v.viewers):
        own = frozenset(crawl.query_args.get(urlsplit(visit.path).path, set()))
        # A list (its page links or filters name arguments) gets every generic query; any other
        # page two of them in turn, so each generic query still reaches pages of every kind.
        generic = GENERIC_QUERIES if own or visit.json else [GENERIC_QUERIES[(2 * n + k) % 7] for k in (0, 1)]
        if visit.json:  # the API documents its own arguments: the pages' names, one value each
            queries = generic + [{arg: QUERY_VALUES[i % 6]} for i, arg in enumerate(every_arg)]
        elif own in fed:
            queries = generic + [{arg: QUERY_VALUES[i % 6]} for i, arg in enumerate(sorted(own))]
        else:
            queries = generic + [{arg: v} for arg in sorted(own) for v in QUERY_VALUES]
            fed.add(own)
        for i, query in enumerate(queries):
            who = visit.viewers[i * len(visit.viewers) // len(queries)]  # spread over everyone who sees it
            if who != agent.who:
                agent.act_as(who)
            response = agent.open(visit.path, query_string=query)
            sent += 1
            if response.status_code >= 500:
                shown = {k: v[:30] for k, v in query.items()}
                failures.append((agent.who, "GET", visit.path, shown, response.status_code))
    return sent


def submit_every_form(app: Flask, agent: Agent, crawl: Crawl, failures: list) -> int:
    """Each form (once per endpoint), as it stands and with one field at a time set to each
    boundary value over sensible values for the others, spread over every role that sees it (a
    field only some roles have goes to them); a refused submission writes nothing."""
    submitted = 0
    for seen_by in forms_by_endpoint(app, crawl, failures).values():
        fields = list(dict.fromkeys(n for _, form in seen_by for n in form.fields if n != "csrf_token"))
        trials = [("", "")] + [(name, value) for name in fields for value in BOUNDARY]  # first as it stands
        for i, (name, value) in enumerate(trials):
            having = [(who, form) for who, form in seen_by if not name or name in form.fields]
            who, form = having[i % len(having)]
            agent.act_as(who)  # also after a form that logged out or changed the password
            before = table_counts()
            data = base_values(form) | ({name: [value]} if name else {})
            response = agent.open(form.action, "POST", data=data)
            submitted += 1
            trial = (who, urlsplit(form.action).path, name, value[:30])
            if response.status_code >= 500:
                failures.append((*trial, response.status_code))
            elif refused(agent.client, response):
                changed = {t for t, n in table_counts().items() if n != before[t]} - WRITTEN_ON_REFUSAL
                if changed:
                    failures.append((*trial, "refused, yet written:", sorted(changed)))
    return submitted


def forms_by_endpoint(app: Flask, crawl: Crawl, failures: list) -> dict[str, list[tuple[str, Form]]]:
    """endpoint → [(who, the form as they see it)], one entry per role and set of fields."""
    adapter = app.url_map.bind("localhost")
    found: dict[tuple, list[tuple[str, Form]]] = {}
    for who, form in crawl.forms:
        try:
            endpoint, _ = adapter.match(urlsplit(form.action).path, method="POST")
        except HTTPException as err:
            failures.append((who, "a form posting nowhere", form.action, err.code))
            continue
        seen_by = found.setdefault(endpoint, [])
        if (who, form.signature()) not in {(w, f.signature()) for w, f in seen_by}:
            seen_by.append((who, form))
    return found


def test_values_beyond_the_bounds_never_500_on_any_page_query_or_form(app, agent):
    failures: list = []
    crawl = crawl_every_get_route(app, agent, failures)
    assert len(crawl.visits) == sum("GET" in r.methods for r in app.url_map.iter_rules()) > 40
    failures += [("nobody sees", v.path) for v in crawl.visits if v.real and not v.viewers]
    sent = feed_query_strings(agent, crawl, failures)
    submitted = submit_every_form(app, agent, crawl, failures)
    assert sent > 500 and submitted > 300
    assert failures == [], "\n".join(map(str, failures))
    assert stored_beyond_bounds() == []


# ---- helpers: sensible values, refusals, what the database holds --------------------------------

_serial = iter(range(1, 10**6))


def base_values(form: Form) -> dict[str, list[str]]:
    """What a careful user would send: the page's values, the first choice where none is chosen,
    and a plausible value for each empty field (so the boundary value is what gets refused)."""
    base = {}
    for name, values in form.fields.items():
        kind = form.kinds.get(name, "text")
        if values and any(values):
            base[name] = values
        elif form.choices.get(name):
            base[name] = [next((c for c in form.choices[name] if c), form.choices[name][0])]
        else:
            base[name] = [plausible(name, kind)]
    return base


def plausible(name: str, kind: str) -> str:
    n = next(_serial)
    guesses = {
        "phone": "13905310001",
        "credit_code": make_credit_code(registrar="91", region_code="621102", serial=f"W{n:08d}"),
        "tax_id": make_credit_code(registrar="11", region_code="370102", serial=f"T{n:08d}"),
        "price": "12.80",
        "threshold": "5000",
        "url": "https://www.fupin832.com/goods/9",
        "username": f"walker{n}",
        "current": PASSWORD,
        "password": "walk-pass-2026",
        "new": "walk-pass-2026",
        "card_number": "4242424242424242",
        "cvc": "123",
        "exp_month": "12",
        "exp_year": "2030",
        "detail": "山东省济南市历下区省府前街1号",
        "reason": "价格高于同类产品",
    }
    for key, value in guesses.items():
        if key in name:
            return value
    if kind == "date" or name.endswith("_on") or name.endswith("_by"):
        return (clock.today() + timedelta(days=7)).isoformat()
    if kind == "number" or name.endswith(("_qty", "_size", "_days", "quantity", "_id")) or name == "net_content":
        return "1"
    return "测试内容12345"


def refused(client, response) -> bool:
    """A 4xx, a page shown again with an error, or a redirect carrying an error message."""
    if response.status_code >= 400:
        return True
    if response.status_code == 200:
        body = response.get_data(as_text=True)
        return 'class="error"' in body or "flash-error" in body
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    return any(category == "error" for category, _ in flashes)


def table_counts() -> dict[str, int]:
    tables = db.metadata.sorted_tables
    query = " UNION ALL ".join(f"SELECT '{t.name}', COUNT(*) FROM \"{t.name}\"" for t in tables)
    return dict(db.session.execute(sa.text(query)).all())


# Bounds a stored value must keep beyond its column's type.
DOMAIN_BOUNDS = {
    ("products", "price_fen"): MAX_UNIT_PRICE_FEN,
    ("products", "stock_qty"): MAX_STOCK,
    ("products", "min_order_qty"): MAX_QUANTITY,
    ("products", "pack_size"): MAX_QUANTITY,
    ("cart_lines", "quantity"): MAX_QUANTITY,
    ("product_requests", "quantity"): MAX_QUANTITY,
    ("unit_purchase_settings", "approval_threshold_fen"): MAX_AMOUNT_FEN,
}


def stored_beyond_bounds() -> list[tuple[str, str, object]]:
    """Every stored text within its column's length, every integer within its column's type and
    the domain's bounds: SQLite keeps what PostgreSQL would refuse, so look."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            high, low, measure = None, None, column
            if isinstance(column.type, sa.String) and column.type.length:
                high, measure = column.type.length, sa.func.length(column)
            elif isinstance(column.type, sa.Integer):
                big = isinstance(column.type, sa.BigInteger)
                high = DOMAIN_BOUNDS.get((table.name, column.name), 2**63 - 1 if big else 2**31 - 1)
                low = -(2**63) if big else -(2**31)
            if high is None:
                continue
            top, bottom = db.session.execute(sa.select(sa.func.max(measure), sa.func.min(measure))).one()
            if top is not None and (top > high or (low is not None and bottom < low)):
                found.append((table.name, column.name, top))
    return found

"""The IDOR sweep: every route with an id in its URL, found in app.url_map (a new route is swept
without editing this file), is requested by every user of side B and by the staff who do not
serve it, with the ids of side A's objects (tests/idor/world.py), by every method it takes, with
a valid CSRF token or JSON body.

Each answer must be 404 — or a refusal of the role (403, or a page's "no permission" message)
when the same user gets that refusal for its own side's object too, so the answer never tells
whose object an id names. Nothing in the database may change. The owners (side A's users and the
staff) get 200 on every GET route, so the sweep cannot pass by everything answering 404. A route
whose id the registry cannot map to an object fails: new routes are covered by design. Ids in
forms, bodies and query strings: tests/idor/test_fields.py; what pages show: test_pages.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from werkzeug.routing import Rule

from tests.idor.caller import (
    ANONYMOUS,
    ATTACKING_SIDE,
    IGNORED_METHODS,
    OWNING_SIDE,
    Caller,
    changed_tables,
    database_digest,
)
from tests.idor.world import (
    BODIES,
    World,
    kind_for,
)
from tests.walk_world import fill_path, is_id_argument, rule_arguments

# ---- the routes and the ids they are swept with -------------------------------------------------


@dataclass
class Probe:
    path: str  # the route with the id of one of the owning side's objects
    mirror: str  # the same route with the attacking side's object of the same kind and state
    owners: frozenset[str]  # the roles of the owning side that may act on the object
    body: dict | None = None  # what the route needs besides the id (tests/idor/world.py: BODIES)
    mirror_body: dict | None = None


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
                        f'KINDS["{name}"] = Kind(...) (or ENDPOINT_KINDS) in tests/idor/world.py'
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
        body = BODIES.get(rule.endpoint, lambda _id: None)
        probes = [
            Probe(
                fill_path(rule, fixed | {name: o}), fill_path(rule, fixed | {name: t}), kind.owners(o), body(o), body(t)
            )
            for o, t in zip(own, theirs, strict=True)
        ]
        public = [fill_path(rule, fixed | {name: p}) for p in (kind.public(owner) if kind.public else [])]
        for method in sorted(rule.methods - IGNORED_METHODS):
            found.append(Target(rule, method, probes, public, kind.staff))
    return found


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
    answers = [(p, caller.open(p.path, target.method, own_product=own_product, body=p.body)) for p in probes]
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
            own = caller.open(probe.mirror, target.method, own_product=own_product, body=probe.mirror_body)
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

"""The IDOR sweep for what pages show: no page, list or JSON answer (nor a search) shows another
side's private objects, while each shows to its own side."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Flask

from tests.idor.caller import (
    ANONYMOUS,
    ATTACKING_SIDE,
    OWNING_SIDE,
    Caller,
)
from tests.idor.world import (
    Side,
    kind_for,
    private_marks,
)
from tests.walk_world import fill_path, is_id_argument, rule_arguments

# ---- what pages and lists show --------------------------------------------------------------------

# Values for a page's other URL variables: the storefront's category, county, province, region
# and program pages (what they show is public, but a listing under review must not be on them).
PAGE_VALUES = {"slug": "dried", "program": "counterpart"}


def pages_of(app: Flask, side: Side) -> list[str]:
    """Every GET route (the static folders aside), with the side's own objects and region codes:
    what its users' lists, dashboards and detail pages show."""
    codes = {"code": side.supplier.region_code}
    paths = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint.endswith("static"):
            continue
        values = {}
        for name, converter, args in rule_arguments(rule):
            kind = kind_for(rule.endpoint, name) if is_id_argument(converter, args) else None
            if kind is not None:
                values[name] = (kind.make(side) or (kind.public(side) if kind.public else []) or [None])[0]
            elif converter == "int" and "min=" in args:
                values[name] = int(args.split("min=")[1].split(",")[0].strip(" )"))
            else:
                values[name] = (PAGE_VALUES | codes).get(name)
        if None not in values.values():
            paths.append(fill_path(rule, values))
    return paths


NOTHING = "无此商品甲乙丙"  # a search that finds nothing: how often a page repeats what was searched


def marks_shown(
    caller: Caller, readers: list[str], paths: list[str], marks: dict[str, str], *, search: bool = False
) -> dict[str, set[str]]:
    """what → the "who GET path" where a reader was shown its text. With `search`, a page with a
    search box is also searched for one text of each kind (a search must not find what the
    list would not show); the page repeating the searched words does not count."""
    shown: dict[str, set[str]] = {}
    for who in readers:
        caller.act_as(who)
        for path in paths:
            body = caller.read(path)
            found = {what for what, text in marks.items() if text in body}
            if search and 'name="q"' in body:
                echoes = _shown_count(caller.read(f"{path}?{urlencode({'q': NOTHING})}"), NOTHING)
                for what, text in _one_of_each_kind(marks).items():
                    if _shown_count(caller.read(f"{path}?{urlencode({'q': text})}"), text) > echoes:
                        found.add(what)
            for what in found:
                shown.setdefault(what, set()).add(f"{who} GET {path}")
    return shown


def _shown_count(page: str, searched: str) -> int:
    """How often a page shows the searched text, leaving out its links and fields that carry the
    search on (`?q=…`, a login link's `next=…q%3D…`, `value="…"`)."""
    return re.sub(r'(q=|q%3D|value=")' + re.escape(searched), "", page).count(searched)


def _one_of_each_kind(marks: dict[str, str]) -> dict[str, str]:
    kinds: dict[str, tuple[str, str]] = {}
    for what, text in marks.items():
        kinds.setdefault(what.split()[0], (what, text))
    return dict(kinds.values())


def test_no_page_list_or_answer_shows_another_sides_private_objects(app, caller, world):
    # given: what shows side A's private objects
    owner, other = world.sides[OWNING_SIDE], world.sides[ATTACKING_SIDE]
    marks = private_marks(owner)
    # when: side A's users and the staff open every page of side A; side B's users and a
    # visitor every page of side B
    insiders = [f"{who}@{OWNING_SIDE}" for who in owner.users] + [f"{who}@staff" for who in world.staff]
    outsiders = [ANONYMOUS, *(f"{who}@{ATTACKING_SIDE}" for who in other.users)]
    shown_inside = marks_shown(caller, insiders, pages_of(app, owner), marks)
    on_sale = {"listing on sale": owner.objects["listings"]["approved"].sku}  # public: the check can find it
    shown_outside = marks_shown(caller, outsiders, pages_of(app, other), marks | on_sale, search=True)
    # then: each mark shows somewhere to its own side (the check can see it), never to the other
    assert sorted(set(marks) - set(shown_inside)) == []
    assert {what: sorted(where)[:3] for what, where in shown_outside.items()} == {
        "listing on sale": sorted(shown_outside.get("listing on sale", ["(nowhere)"]))[:3]
    }

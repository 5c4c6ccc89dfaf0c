"""Jinja filters and globals: money, local time, role-aware navigation and page blocks.

Every package plugs into the pages the same way: its `blocks.py` has `init_app(app)`, which calls
`register_nav(app, …)` and `register_block(app, Block(…))` (and `mall.jobs.register_job`). The
registries are the app's own (`app.extensions`), so two apps never share links or blocks and
mall's pages never import the packages that fill them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from mall import clock
from mall.accounts.domain import ROLE_LABELS, Role
from mall.money import format_percent_bp, format_yuan


@dataclass(frozen=True)
class NavLink:
    label: str
    endpoint: str
    roles: frozenset[Role]  # empty: everyone (also anonymous visitors)
    order: int = 50


@dataclass(frozen=True)
class Block:
    """A page block that a package contributes to a slot of a page: the storefront home ("home"),
    a role's part of the dashboard ("dashboard:<role>"), or the product page's buying area
    ("product:actions"). `build(user, **page)` returns the template's context, or None to hide it."""

    slot: str
    title: str
    template: str
    build: Callable[[Any], dict | None]
    order: int = 50


@dataclass
class PageRegistry:
    """One app's navigation links and page blocks."""

    nav: list[NavLink] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def _registry(app: Flask) -> PageRegistry:
    return app.extensions.setdefault("mall.pages", PageRegistry())


def register_nav(app: Flask, label: str, endpoint: str, *roles: Role, order: int = 50) -> None:
    link = NavLink(label, endpoint, frozenset(roles), order)
    nav = _registry(app).nav
    if link in nav:
        raise ValueError(f"navigation link {label} → {endpoint} is registered twice")
    nav.append(link)


def register_block(app: Flask, block: Block) -> None:
    blocks = _registry(app).blocks
    if any((b.slot, b.title) == (block.slot, block.title) for b in blocks):
        raise ValueError(f"block {block.title} is registered twice in slot {block.slot}")
    blocks.append(block)


def nav_links(user, app: Flask | None = None) -> list[NavLink]:
    roles = user.roles if getattr(user, "is_authenticated", False) else frozenset()
    links = _registry(app or current_app).nav
    return sorted((link for link in links if not link.roles or link.roles & roles), key=lambda link: link.order)


def render_blocks(slot: str, user, **page: Any) -> list[tuple[Block, dict]]:
    """The current app's blocks of a slot with their built context, in order; hidden blocks are left
    out. `page` passes what the page is about (e.g. `product=` on the product page) to every builder."""
    out = []
    slot_blocks = (b for b in _registry(current_app).blocks if b.slot == slot)
    for block in sorted(slot_blocks, key=lambda b: b.order):
        context = block.build(user, **page)
        if context is not None:
            out.append((block, context))
    return out


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return clock.local(value).strftime(fmt) if value else "—"


def local_date(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = clock.local(value).date()
    return value.strftime("%Y-%m-%d")


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments replaced (None removes one): for sort and pager links."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = value
    query = urlencode(args)
    return request.path + ("?" + query if query else "")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["yuan"] = format_yuan
    app.jinja_env.filters["percent_bp"] = format_percent_bp
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.globals.update(
        url_with=url_with, role_labels=ROLE_LABELS, Role=Role, nav_links=lambda: nav_links(current_user)
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["static_url"] = lambda filename: url_for("static", filename=filename)


def compile_templates(app: Flask) -> int:
    """Compile every template into Jinja's cache (before gunicorn forks its workers)."""
    names = [n for n in app.jinja_env.list_templates() if n.endswith(".html")]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)

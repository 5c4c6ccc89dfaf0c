"""Every demo role's main pages (its navigation, and one page of each kind linked from there) answer
with the security headers and hold nothing the Content-Security-Policy would refuse."""

import re

import pytest
from flask import g
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from mall.accounts.models import User
from mall.extensions import db
from mall.headers import CONTENT_SECURITY_POLICY
from mall.templating import nav_links
from seed_data.accounts import DEMO_ACCOUNTS
from tests.factories import login
from tests.markup import inline_markup

HREF = re.compile(r'href="(/[^"#]*)"')
SKIPPED_ENDPOINTS = {"static", "accounts.logout"}


def linked_pages(app, html: str, seen: set[str]) -> list[str]:
    """One link per endpoint not yet seen: a product, an order, a listing, a user …"""
    adapter = app.url_map.bind("localhost")
    found = []
    for href in HREF.findall(html):
        path = href.replace("&amp;", "&")
        try:
            endpoint, _ = adapter.match(path.split("?")[0], method="GET")
        except HTTPException:
            continue
        if endpoint not in seen and endpoint not in SKIPPED_ENDPOINTS:
            seen.add(endpoint)
            found.append(path)
    return found


def walk(app, client, user) -> dict[str, int]:
    pages = [app.url_map.bind("localhost").build(link.endpoint) for link in nav_links(user, app)] + [
        "/account/password"
    ]
    seen = {link.endpoint for link in nav_links(user, app)}
    statuses = {}
    for path in pages:
        response = client.get(path)
        statuses[path] = response.status_code
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            assert inline_markup(html) == [], path
            if len(pages) < 60:
                pages.extend(linked_pages(app, html, seen))
        response.close()
    return statuses


@pytest.mark.slow
@pytest.mark.parametrize("username", [a.username for a in DEMO_ACCOUNTS])
def test_each_demo_roles_pages_pass_the_content_security_policy(seeded, username):
    # given a demo account, logged in
    client = seeded.test_client()
    user = db.session.scalar(select(User).where(User.username == username))
    login(client, user)
    g.pop("_login_user", None)
    # when it opens every page of its navigation and one page of each kind linked from them
    statuses = walk(seeded, client, user)
    # then every page answers, with the headers and nothing inline
    assert len(statuses) >= 8
    assert {path: status for path, status in statuses.items() if status != 200} == {}

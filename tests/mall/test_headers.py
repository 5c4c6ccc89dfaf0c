"""Every response carries the security headers; no template holds markup the CSP refuses."""

import pytest

from mall.headers import CONTENT_SECURITY_POLICY
from tests.markup import inline_markup


def test_no_template_has_inline_scripts_styles_or_handlers(app):
    # given every template of every package
    names = [n for n in app.jinja_env.list_templates() if n.endswith((".html", ".svg"))]
    assert len(names) >= 50
    # then none holds an inline script, a style attribute or block, or an on… handler
    found = {name: inline_markup(app.jinja_env.loader.get_source(app.jinja_env, name)[0]) for name in names}
    assert {name: hits for name, hits in found.items() if hits} == {}


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", '<p style="color:red">', '<a onclick="x()">', "<style>"])
def test_the_inline_markup_check_finds_what_the_policy_refuses(text):
    assert inline_markup(text)


@pytest.mark.parametrize(
    "text", ['<script src="/static/js/mall.js" defer></script>', '<script type="application/json">']
)
def test_the_inline_markup_check_lets_files_and_data_through(text):
    assert inline_markup(text) == []


@pytest.mark.parametrize("path", ["/", "/login", "/static/css/mall.css", "/no-such-page", "/api/v1/me"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"

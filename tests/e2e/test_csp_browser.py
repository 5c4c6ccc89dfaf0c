"""In Chromium, every demo role's main pages run under the Content-Security-Policy without a
single violation: the mall's own scripts, styles and images are all files it serves."""

import pytest
from playwright.sync_api import expect

from mall.extensions import db
from seed_data.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from seed_data.demo import seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Chromium reports a refused script or style both as a console error and as an event.
CATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def demo(app):
    @app.get("/_probe/inline")  # a page the policy must refuse, to show the listener hears it
    def inline_probe():
        return '<!doctype html><p style="color:red">x</p><script>document.title = "ran"</script>'

    seed_demo(db.session)
    return app


def violations(page, console: list[str]) -> list[str]:
    return [*console, *page.evaluate("window.__csp || []")]


def test_demo_roles_pages_raise_no_csp_violation_in_chromium(demo, live_server, browser_page):
    page = browser_page
    page.add_init_script(CATCH_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    # given a page with an inline script and style, the browser refuses both, and we hear of it
    page.goto(live_server + "/_probe/inline")
    assert page.title() != "ran" and len(violations(page, console)) >= 2
    console.clear()
    visited: dict[str, list[str]] = {}
    for account in DEMO_ACCOUNTS:
        # when each demo account logs in with the form and opens its navigation, a product and its account page
        page.context.clear_cookies()
        page.goto(live_server + "/login")
        page.fill("#username", account.username)
        page.fill("#password", DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.locator(".user-name")).to_have_count(1, timeout=30_000)  # the dashboard, on a busy machine too
        links = page.eval_on_selector_all(".main-nav a", "links => links.map(a => a.href)")
        page.goto(live_server + "/products")
        product = page.locator(".product-card a").first.get_attribute("href")
        for url in [*links, live_server + product, live_server + "/account/password"]:
            page.goto(url)
            page.wait_for_load_state("load")
            visited.setdefault(account.username, []).append(url)
            # then nothing on the page was refused
            assert violations(page, console) == [], url
    assert len(visited) == len(DEMO_ACCOUNTS) and sum(map(len, visited.values())) >= 60

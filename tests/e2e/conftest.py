"""Browser tests: the app served on loopback in a thread, driven by Debian's Chromium through
Playwright. Without Chromium they skip locally and fail under CI=true (the Makefile installs it)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import IN_CI

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/mall-e2e"))


class _Handler(WSGIRequestHandler):
    # One request at a time (below), so a connection Chromium opens ahead of need and never uses
    # would hold every other request until Chromium dropped it (a page's `load` then timed out on
    # a busy machine): give up on a silent connection after a few seconds instead.
    timeout = 3


@pytest.fixture
def live_server(app):
    # One request at a time: the in-memory SQLite database is a single shared connection.
    server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=_Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser_page():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("Chromium is required under CI=true (make system-deps installs it)")
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        outside: list[str] = []
        page.on(
            "request",
            lambda req: outside.append(req.url) if not req.url.startswith(("http://127.0.0.1", "data:")) else None,
        )
        page.outside_requests = outside  # type: ignore[attr-defined]
        yield page
        browser.close()

"""Per-instance secrets: generated on the first start, kept, private, used by every process of the
instance (localstripe included); production refuses every published default."""

import hashlib
import hmac
import importlib.util
import json
import stat
import threading
import time
import tomllib
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from mall import create_app
from mall.accounts.domain import Role
from mall.config import Config
from mall.extensions import db
from mall.instance_secrets import KNOWN_DEFAULTS
from tests.conftest import ROOT
from tests.factories import make_user

PUBLISHED_SECRET_KEY = "dev-only-secret-change-me"


@pytest.fixture
def unset_secrets(monkeypatch):
    """As if neither SECRET_KEY nor STRIPE_WEBHOOK_SECRET were in the environment."""
    monkeypatch.setattr(Config, "SECRET_KEY", "")
    monkeypatch.setattr(Config, "STRIPE_WEBHOOK_SECRET", "")


@pytest.fixture
def app_overrides(tmp_path, unset_secrets):
    return {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "", "STRIPE_WEBHOOK_SECRET": "", "MALL_ENV": "development"}


def forged_cookie(payload: dict, key: str) -> str:
    forger = Flask("forger")
    forger.secret_key = key
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(payload)


def test_a_session_cookie_signed_with_the_published_key_is_refused(app, client):
    # given a user, and a cookie for them signed with the key printed in the repository
    user = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    client.set_cookie("session", forged_cookie({"_user_id": user.get_id(), "_fresh": True}, PUBLISHED_SECRET_KEY))
    # when it is presented
    response = client.get("/manage/users")
    # then nobody is logged in: the instance signs with its own key
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert app.config["SECRET_KEY"] not in KNOWN_DEFAULTS | {""}


def test_secrets_are_generated_once_into_a_private_file_and_kept(app, tmp_path):
    # given the instance started once
    path = tmp_path / "secrets.toml"
    stored = tomllib.loads(path.read_text())
    # then its secrets are in a file only its owner may read
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stored == {
        "SECRET_KEY": app.config["SECRET_KEY"],
        "STRIPE_WEBHOOK_SECRET": app.config["STRIPE_WEBHOOK_SECRET"],
    }
    assert len(stored["SECRET_KEY"]) >= 48 and stored["STRIPE_WEBHOOK_SECRET"].startswith("whsec_")
    # and a second start (another worker, the jobs loop, a restart) reads the same ones
    again = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert again.config["SECRET_KEY"] == stored["SECRET_KEY"]
    assert again.config["STRIPE_WEBHOOK_SECRET"] == stored["STRIPE_WEBHOOK_SECRET"]


def test_values_from_the_environment_win_and_nothing_is_generated(tmp_path, unset_secrets):
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k" * 40, "STRIPE_WEBHOOK_SECRET": "whsec_" + "w" * 32}
    )
    assert app.config["SECRET_KEY"] == "k" * 40
    assert not (tmp_path / "secrets.toml").exists()


GOOD = {"SECRET_KEY": "a-real-secret-key-of-forty-characters-xx", "STRIPE_WEBHOOK_SECRET": "whsec_" + "s" * 32}


@pytest.mark.parametrize("name", sorted(GOOD))
@pytest.mark.parametrize("value", ["", "short", *sorted(KNOWN_DEFAULTS)])
def test_production_refuses_to_start_with_a_missing_or_published_secret(tmp_path, unset_secrets, name, value):
    with pytest.raises(RuntimeError, match=name):
        create_app({"INSTANCE_PATH": str(tmp_path), "MALL_ENV": "production", **GOOD, name: value})
    assert not (tmp_path / "secrets.toml").exists()


def test_production_starts_with_real_secrets(tmp_path, unset_secrets):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "MALL_ENV": "production", **GOOD})
    assert app.config["SESSION_COOKIE_SECURE"] is True


class Catcher(BaseHTTPRequestHandler):
    received: list[tuple[bytes, str]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Catcher.received.append((body, self.headers["Stripe-Signature"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_localstripe_started_for_make_run_signs_webhooks_with_the_instance_secret(
    tmp_path, unset_secrets, monkeypatch, capsys
):
    # given an instance started for the first time by scripts/serve.py (make run, make localstripe)
    monkeypatch.setattr(Config, "INSTANCE_PATH", str(tmp_path))
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    catcher = HTTPServer(("127.0.0.1", 0), Catcher)
    threading.Thread(target=catcher.serve_forever, daemon=True).start()
    Catcher.received.clear()
    stripe = serve.start_localstripe(
        {"PATH": "/usr/bin:/bin", "STRIPE_API_BASE": "http://127.0.0.1:0"}, web_port=catcher.server_port
    )
    try:
        assert "--webhook-secret" not in stripe.args  # never on a command line that ps shows
        assert stripe.args[stripe.args.index("--port") + 1] == "0"  # a free port, not make run's
        stripe_url = capsys.readouterr().out.strip().splitlines()[-1].rsplit(" ", 1)[-1]
        # when something happens at Stripe
        requests.post(f"{stripe_url}/v1/customers", auth=("sk_test_x", ""), data={"email": "a@b.cn"}, timeout=5)
        deadline = time.monotonic() + 10
        while not Catcher.received and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stripe.terminate()
        stripe.wait(timeout=10)
        stripe.stdout.close()
        catcher.shutdown()
        catcher.server_close()
    # then its webhook is signed with the secret generated into the instance, which the mall checks
    secret = tomllib.loads((tmp_path / "secrets.toml").read_text())["STRIPE_WEBHOOK_SECRET"]
    body, header = Catcher.received[0]
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert parts["v1"] == expected and json.loads(body)["type"] == "customer.created"

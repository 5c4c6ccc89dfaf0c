"""Test set-up: every database test runs on SQLite or PostgreSQL (`--db`, default from
DATABASE_URL / MALL_TEST_DB), each starting from an empty database.

SQLite: a fresh in-memory database per test (`create_all`). PostgreSQL: one database per xdist
worker, tables created once and emptied with TRUNCATE … RESTART IDENTITY CASCADE before each
test. With CI=true an unreachable PostgreSQL fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from catalog import queries as catalog_queries
from mall import create_app
from mall.config import Config
from mall.extensions import db

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parent.parent
TEST_WEBHOOK_SECRET = "whsec_test_mall"  # the test apps' (instance secrets are never generated in tests)


def pytest_addoption(parser: pytest.Parser) -> None:
    env_url = os.environ.get("DATABASE_URL", "")
    default = os.environ.get("MALL_TEST_DB") or ("postgresql" if env_url.startswith("postgresql") else "sqlite")
    parser.addoption("--db", choices=["sqlite", "postgresql"], default=default, help="database for the tests")


def _pg_base_url() -> str:
    env_url = os.environ.get("DATABASE_URL", "")
    return env_url if env_url.startswith("postgresql") else DEFAULT_PG_URL


# One database per test run and xdist worker, dropped at the end: test runs started at the same
# time (several people or agents on one machine) never empty each other's tables. The first
# process sets the run id; xdist workers inherit it through the environment.
RUN_ID = os.environ.setdefault("MALL_TEST_RUN", str(os.getpid()))


def _worker_db_name(worker: str) -> str:
    return f"{sa.make_url(_pg_base_url()).database or 'test'}_mall_{RUN_ID}_{worker}"


def _worker_db_url(worker: str) -> str:
    base = sa.make_url(_pg_base_url())
    name = _worker_db_name(worker)
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def db_kind(request: pytest.FixtureRequest) -> str:
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def database_url(db_kind: str, worker_id: str):
    if db_kind == "sqlite":
        yield "sqlite://"
        return
    try:
        url = _worker_db_url(worker_id)
    except sa.exc.OperationalError as err:
        if IN_CI:
            pytest.exit(f"PostgreSQL is required under CI=true and is unreachable: {err}", returncode=1)
        pytest.skip(f"PostgreSQL unreachable: {err}")
    create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})  # loads every package's models
    engine = sa.create_engine(url)
    try:
        # A fresh schema per test session (the database may be left from an interrupted run).
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        db.metadata.create_all(engine)
    finally:
        engine.dispose()
    yield url
    admin = sa.create_engine(_pg_base_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{_worker_db_name(worker_id)}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def _instance_dir():
    with tempfile.TemporaryDirectory(prefix="mall-test-") as path:
        yield path


def make_test_app(database_url: str, instance_dir: str, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "STRIPE_WEBHOOK_SECRET": TEST_WEBHOOK_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": instance_dir,
        "WTF_CSRF_ENABLED": False,
        "CLOCK_SIMULATION": True,
        "LOGIN_MAX_FAILURES": 5,
        "MALL_ENV": "test",
    }
    if database_url.startswith("postgresql"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": 60, "max_overflow": 10}
    config.update(overrides)
    return create_app(config)


def _empty_tables(engine: sa.Engine) -> None:
    # Only the tables a test wrote to are emptied (one query finds them), with DELETE in reverse
    # dependency order: for a few small tables far cheaper than TRUNCATE, which rewrites files.
    # Ids keep counting up across tests; no test relies on them.
    tables = list(reversed(db.metadata.sorted_tables))
    probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
    with engine.begin() as conn:
        used = set(conn.scalars(sa.text(probe)))
        for table in tables:
            if table.name in used:
                conn.execute(table.delete())


@pytest.fixture
def app_overrides() -> dict:
    """Override in a test module to change the app's configuration (e.g. CSRF on)."""
    return {}


@pytest.fixture
def app(database_url: str, db_kind: str, _instance_dir: str, app_overrides: dict):
    app = make_test_app(database_url, _instance_dir, **app_overrides)
    catalog_queries.storefront_cache.clear()
    with app.app_context():
        if db_kind == "sqlite":
            db.create_all()
        else:
            _empty_tables(db.engine)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture(autouse=True)
def _skip_postgresql_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgresql") and request.config.getoption("--db") != "postgresql":
        pytest.skip("needs PostgreSQL (run with --db=postgresql)")


# ---- orders: localstripe, the Stripe-compatible mock -----------------------------------------


@pytest.fixture(scope="session", autouse=True)
def localstripe_url():
    """One localstripe per test process (each xdist worker), on a free loopback port, its store
    in memory only; every test app talks to it (tests flush it with `stripe_store`)."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "localstripe_server.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    first = proc.stdout.readline().strip() if proc.stdout else ""
    if not first.startswith("localstripe listening on "):
        proc.kill()
        proc.wait()
        pytest.exit(f"localstripe did not start: {first!r}", returncode=1)
    url = first.rsplit(" ", 1)[-1]
    saved = Config.STRIPE_API_BASE
    Config.STRIPE_API_BASE = url
    yield url
    Config.STRIPE_API_BASE = saved
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()


@pytest.fixture
def stripe_store(localstripe_url: str) -> str:
    """An empty localstripe store for this test (`DELETE /_config/data`); returns its URL."""
    request = urllib.request.Request(localstripe_url + "/_config/data", method="DELETE")
    with urllib.request.urlopen(request, timeout=10):
        pass
    return localstripe_url


@pytest.fixture
def stripe(stripe_store: str):
    """Reads what reached localstripe (payments, refunds, events), starting from an empty store."""
    from tests.orders.stripe_support import StripeReader

    reader = StripeReader(stripe_store)
    yield reader
    reader.close()

"""Test set-up: every database test runs on SQLite or PostgreSQL (`--db`, default from
DATABASE_URL / MALL_TEST_DB), each starting from an empty database.

SQLite: a fresh in-memory database per test (`create_all`). PostgreSQL: one database per xdist
worker, tables created once and emptied with TRUNCATE … RESTART IDENTITY CASCADE before each
test. With CI=true an unreachable PostgreSQL fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import tempfile

import pytest
import sqlalchemy as sa
from flask import Flask

from catalog import queries as catalog_queries
from mall import create_app
from mall.extensions import db

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser: pytest.Parser) -> None:
    env_url = os.environ.get("DATABASE_URL", "")
    default = os.environ.get("MALL_TEST_DB") or ("postgresql" if env_url.startswith("postgresql") else "sqlite")
    parser.addoption("--db", choices=["sqlite", "postgresql"], default=default, help="database for the tests")


def _pg_base_url() -> str:
    env_url = os.environ.get("DATABASE_URL", "")
    return env_url if env_url.startswith("postgresql") else DEFAULT_PG_URL


def _worker_db_url(worker: str) -> str:
    base = sa.make_url(_pg_base_url())
    name = f"{base.database or 'test'}_mall_{worker}"
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
def database_url(db_kind: str, worker_id: str) -> str:
    if db_kind == "sqlite":
        return "sqlite://"
    try:
        url = _worker_db_url(worker_id)
    except sa.exc.OperationalError as err:
        if IN_CI:
            pytest.exit(f"PostgreSQL is required under CI=true and is unreachable: {err}", returncode=1)
        pytest.skip(f"PostgreSQL unreachable: {err}")
    engine = sa.create_engine(url)
    try:
        # A fresh schema per test session: models may have changed since the last run.
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        db.metadata.create_all(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def _instance_dir():
    with tempfile.TemporaryDirectory(prefix="mall-test-") as path:
        yield path


def make_test_app(database_url: str, instance_dir: str, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
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
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


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

"""The migrations build exactly the models, from an empty database, on either database."""

import os
import tempfile

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from mall.extensions import db, migrate
from tests.conftest import IN_CI, _pg_base_url, make_test_app


@pytest.fixture
def empty_database_url(db_kind, worker_id):
    if db_kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield "sqlite:///" + os.path.join(tmp, "migrations.db")
        return
    base = sa.make_url(_pg_base_url())
    name = f"{base.database or 'test'}_migrations_{worker_id}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as err:
        if IN_CI:
            pytest.fail(f"PostgreSQL unreachable under CI: {err}")
        pytest.skip("PostgreSQL unreachable")
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def empty_app(empty_database_url, _instance_dir):
    app = make_test_app(empty_database_url, _instance_dir)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_migrations_have_a_single_head(empty_app):
    config = migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_migrations_build_exactly_the_models(empty_app):
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_migrations_leave_the_catalogue_generation_triggers(empty_app):
    """A later migration that rebuilds products, regions or categories (SQLite batch mode copies a
    table and drops the old one) must create the triggers again (catalog.generation)."""
    from catalog.generation import TRIGGER_NAMES

    upgrade()
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            found = conn.scalars(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        else:
            found = conn.scalars(sa.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
        assert set(TRIGGER_NAMES) <= set(found)

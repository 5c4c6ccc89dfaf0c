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

"""The whole demo data set, seeded once per test module (about 4 s on SQLite) against the session's
localstripe (seeding saves every unit's 公务卡)."""

import pytest

from mall.extensions import db
from seed_data.demo import seed_demo
from tests.conftest import _empty_tables, make_test_app


@pytest.fixture(scope="module")
def seeded(database_url, db_kind, _instance_dir, localstripe_url):
    app = make_test_app(database_url, _instance_dir)
    with app.app_context():
        if db_kind == "sqlite":
            db.create_all()
        else:
            _empty_tables(db.engine)
        seed_demo(db.session)
        yield app
        db.session.remove()
        db.engine.dispose()

"""The platform package: the app factory wires configuration, extensions and every package.

`create_app` only wires things up: no I/O, migrations or seeding (those are CLI commands that
`make run` calls). Higher packages (catalog, orders, …) are named in `MALL_PACKAGES` and each
offers `init_app(app)`; they are imported by name so `mall` never imports upward in code. Each
package's `blocks.py` adds its navigation links, page blocks and jobs to the app (mall.templating,
mall.jobs).
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from mall import clock
from mall.config import Config
from mall.extensions import csrf, db, login_manager, migrate
from mall.instance_secrets import fill_secrets
from mall.json_depth import BoundedJSONProvider, refuse_deep_json
from mall.routing import IdConverter

log = logging.getLogger(__name__)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    instance_path = (overrides or {}).get("INSTANCE_PATH") or Config.INSTANCE_PATH
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)
    app.config.from_object(Config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(overrides or {})
    # While testing, every API answer is checked against its documented schema (mall.api_schema).
    app.config.setdefault("API_CHECK_RESPONSES", app.config.get("TESTING", False))
    app.config["INSTANCE_PATH"] = app.instance_path
    if app.config["MALL_TRUSTED_PROXIES"] > 0:
        # The client's address and scheme as the trusted proxies saw them; never more hops than
        # configured, so entries a client writes into X-Forwarded-For itself are ignored. The Host
        # header is the proxy's to pass on, never taken from X-Forwarded-Host.
        hops = app.config["MALL_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.url_map.converters["int"] = IdConverter  # before any route: ids beyond the database's range are 404
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "mall.db")
    _configure_logging(app)
    _check_production(app)
    app.json = BoundedJSONProvider(app)  # readable Chinese out; JSON nested too deep refused on the way in
    app.before_request(refuse_deep_json)

    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    login_manager.init_app(app)
    clock.configure(simulation=app.config["CLOCK_SIMULATION"])

    from mall import api_docs, api_schema, blocks, cli, error_handlers, headers, templating, views
    from mall.accounts import views as account_views
    from mall.api import api
    from mall.policy import models as policy_models  # noqa: F401 - its table, read by every package
    from mall.regions import views as region_views
    from mall.units import views as unit_views

    templating.init_app(app)
    blocks.init_app(app)
    error_handlers.init_app(app)
    headers.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(region_views.bp)
    app.register_blueprint(region_views.api)
    app.register_blueprint(unit_views.bp)
    app.register_blueprint(api)
    app.register_blueprint(api_docs.bp)
    cli.init_app(app)

    for name in app.config["MALL_PACKAGES"]:
        importlib.import_module(name).init_app(app)
    api_schema.finish_answers(app)  # answers extended by higher packages are documented whole
    return app


def _check_production(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    fill_secrets(app.config, app.instance_path)  # production: refuses missing and published secrets
    if app.config["MALL_ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True


def _configure_logging(app: Flask) -> None:
    level = getattr(logging, str(app.config["LOG_LEVEL"]).upper(), logging.INFO)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("mall", *app.config["MALL_PACKAGES"]):
        logging.getLogger(name).setLevel(level)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # SQLite ignores foreign keys unless asked, per connection; WAL lets readers run beside the
    # one writer (several gunicorn workers), and busy_timeout makes a writer wait, not fail.
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

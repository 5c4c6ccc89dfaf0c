"""The catalogue's generation: a number the database bumps, in the same transaction, on every
change that moves the storefront's counts — a product added or removed, put on sale or taken off,
moved to another category, county or source program; a county's name or key-county flag; a
category added, renamed or removed. Counts (and the sidebar rendered from them) are kept per
process under the generation they were read at, so a delisting shows in the counts on the next
request in every worker; unchanged, they cost one tiny read.

Triggers do the bumping, so no code path can forget it (the services, the import, the seed and
the SQL console alike). On PostgreSQL they run at commit (deferred), so the single row is locked
only while a transaction commits, never while it works."""

from __future__ import annotations

from sqlalchemy import DDL, Connection, event, select
from sqlalchemy.orm import Session

from catalog.models import CatalogGeneration
from mall.extensions import db

_PRODUCT_MOVED = ("status", "category_id", "origin_county_code", "origin_province_code", "program")
_REGION_CHANGED = ("name", "is_national_key")
_BUMP = (
    "INSERT INTO catalog_generation (id, value) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET value = catalog_generation.value + 1"
)
# (trigger name, table, event, the columns whose change counts — none: every row)
_TRIGGERS = (
    ("catalog_generation_product_added", "products", "INSERT", ()),
    ("catalog_generation_product_removed", "products", "DELETE", ()),
    ("catalog_generation_product_moved", "products", "UPDATE", _PRODUCT_MOVED),
    ("catalog_generation_region_changed", "regions", "UPDATE", _REGION_CHANGED),
    ("catalog_generation_category_added", "categories", "INSERT", ()),
    ("catalog_generation_category_removed", "categories", "DELETE", ()),
    ("catalog_generation_category_changed", "categories", "UPDATE", ("slug", "name", "position")),
)
TRIGGER_NAMES = tuple(name for name, *_ in _TRIGGERS)


_CURRENT = select(CatalogGeneration.value).where(CatalogGeneration.id == 1)


def current(session: Session) -> int:
    """The generation the session's transaction sees (0 before the first change)."""
    return session.scalar(_CURRENT) or 0


def _changed(columns: tuple[str, ...], differ: str) -> str:
    return " OR ".join(f"OLD.{c} {differ} NEW.{c}" for c in columns)


def _sqlite_statements() -> list[str]:
    out = []
    for name, table, on, columns in _TRIGGERS:
        when = f" WHEN {_changed(columns, 'IS NOT')}" if columns else ""
        out.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {on} ON {table} FOR EACH ROW{when} BEGIN {_BUMP}; END")
    return out


def _postgresql_statements() -> list[str]:
    out = [
        "CREATE OR REPLACE FUNCTION catalog_generation_bump() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {_BUMP}; RETURN NULL; END $$"
    ]
    for name, table, on, columns in _TRIGGERS:
        when = f" WHEN ({_changed(columns, 'IS DISTINCT FROM')})" if columns else ""
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        out.append(
            f"CREATE CONSTRAINT TRIGGER {name} AFTER {on} ON {table} DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW{when} EXECUTE FUNCTION catalog_generation_bump()"
        )
    return out


def create_triggers(connection: Connection) -> None:
    """Install (or reinstall) the triggers: by the migration, and after `create_all` in tests."""
    dialect = connection.dialect.name
    statements = _postgresql_statements() if dialect == "postgresql" else _sqlite_statements()
    for statement in statements:
        connection.execute(DDL(statement))


def drop_triggers(connection: Connection) -> None:
    for name, table, *_ in _TRIGGERS:
        on = f" ON {table}" if connection.dialect.name == "postgresql" else ""
        connection.execute(DDL(f"DROP TRIGGER IF EXISTS {name}{on}"))
    if connection.dialect.name == "postgresql":
        connection.execute(DDL("DROP FUNCTION IF EXISTS catalog_generation_bump()"))


@event.listens_for(db.metadata, "after_create")
def _after_create_all(target, connection: Connection, **_: object) -> None:
    if {"catalog_generation", "products", "regions", "categories"} <= set(target.tables):
        create_triggers(connection)

"""Flask extensions and the column helpers every models.py shares.

Owns: the `db` object (SQLAlchemy 2 typed models), Flask-Migrate, Flask-Login, CSRF, and the
column types `UtcDateTime` and `enum_column`. Leaves wiring to `mall.create_app`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic can alter and drop them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()


class UtcDateTime(TypeDecorator):
    # SQLite keeps no offset and returns naive datetimes; comparing one with clock.now()
    # raises TypeError, so values are stored as UTC and always come back aware.
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[StrEnum], length: int = 24) -> Enum:
    """A column storing a StrEnum by its value (not its name), as a plain VARCHAR on both databases."""
    return Enum(
        enum_cls,
        values_callable=lambda cls: [member.value for member in cls],
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=True,
    )

"""A state change as one guarded UPDATE: the row moves only if it is still in an expected state
(and matches any further condition), so of two people acting on it at once exactly one wins.

The caller checks the transition table first (`ensure`), runs `move`, and when it answers False
raises its own "changed meanwhile" error before any side effect (notification, audit, outbox,
file) is written; the loser's transaction is then rolled back by the error handling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key


def move(
    session: Session,
    entity: type,
    row_id: int,
    *,
    frm: Iterable[StrEnum],
    to: StrEnum,
    ensure: Callable[[Any, Any], None] | None = None,
    where: Iterable[Any] = (),
    **values: object,
) -> bool:
    """UPDATE entity SET status = to, **values WHERE id = row_id AND status IN frm AND where….

    `values` may be SQL expressions of the row (e.g. `revision=Product.revision + 1`). Returns
    whether the row moved; when it did and the object is loaded in the session, its attributes
    are brought up to date (as committed values, not as pending changes)."""
    expected = tuple(frm)
    if ensure is not None:
        for current in expected:
            ensure(current, to)
    changes = {"status": to, **values}
    columns = [getattr(entity, name) for name in changes]
    stmt = (
        update(entity)
        .where(entity.id == row_id, entity.status.in_(expected), *where)
        .values(changes)
        .returning(*columns)
    )
    row = session.execute(stmt, execution_options={"synchronize_session": False}).first()
    if row is None:
        return False
    loaded = session.identity_map.get(identity_key(entity, row_id))
    if loaded is not None:
        for name, value in zip(changes, row, strict=True):
            set_committed_value(loaded, name, value)
    return True

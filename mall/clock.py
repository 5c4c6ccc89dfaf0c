"""The one clock. Every time-dependent rule reads `now()`; the simulation moves it.

Real time plus an offset. In simulation mode the offset is stored in the database (table
`clock_offsets`), so every gunicorn worker and the jobs loop see the same simulated time; each
process re-reads it at most every `REFRESH_SECONDS`. Outside simulation mode the offset is zero
and the database is never read.
"""

from __future__ import annotations

import datetime as _dt
import threading
import time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Mapped, mapped_column

from mall.extensions import UtcDateTime, db

SHANGHAI = ZoneInfo("Asia/Shanghai")
REFRESH_SECONDS = 1.0


class ClockOffset(db.Model):
    __tablename__ = "clock_offsets"
    id: Mapped[int] = mapped_column(primary_key=True)  # always 1: one simulated clock
    offset_seconds: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[_dt.datetime | None] = mapped_column(UtcDateTime)


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.simulation = False
        self.offset = 0
        self.read_at = -1e9


_state = _State()


def configure(*, simulation: bool) -> None:
    """Called by create_app: whether the offset lives in the database."""
    with _state.lock:
        _state.simulation = simulation
        _state.offset = 0
        _state.read_at = -1e9


def real_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _offset_seconds() -> int:
    if not _state.simulation:
        return 0
    tick = time.monotonic()
    if tick - _state.read_at > REFRESH_SECONDS:
        try:
            # No autoflush: reading the time must not flush the caller's half-built objects.
            with db.session.no_autoflush:
                stored = db.session.scalar(select(ClockOffset.offset_seconds).where(ClockOffset.id == 1))
        except RuntimeError:  # outside an app context (e.g. a pure helper): keep the last reading
            return _state.offset
        with _state.lock:
            _state.offset = stored or 0
            _state.read_at = tick
    return _state.offset


def now() -> _dt.datetime:
    """Aware UTC time, moved by the simulation offset."""
    return real_now() + _dt.timedelta(seconds=_offset_seconds())


def today() -> _dt.date:
    """The current date in China (Asia/Shanghai): deadlines like 20 Mar are Beijing dates."""
    return now().astimezone(SHANGHAI).date()


def local(value: _dt.datetime) -> _dt.datetime:
    return value.astimezone(SHANGHAI)


def set_offset(session, seconds: int) -> None:
    """Store a new simulation offset (the caller commits). Refused outside simulation mode."""
    if not _state.simulation:
        raise RuntimeError("the clock can only be moved in simulation mode")
    row = session.get(ClockOffset, 1)
    if row is None:
        row = ClockOffset(id=1, offset_seconds=seconds)
        session.add(row)
    row.offset_seconds = seconds
    row.changed_at = real_now()
    session.flush()
    with _state.lock:
        _state.offset = seconds
        _state.read_at = time.monotonic()


def advance(session, **delta: float) -> _dt.datetime:
    """Move the simulated clock forward (`advance(session, days=8)`) and return the new now."""
    set_offset(session, _offset_seconds() + int(_dt.timedelta(**delta).total_seconds()))
    return now()


def travel_to(session, moment: _dt.datetime) -> _dt.datetime:
    """Set the simulated clock so that now() is `moment` (aware)."""
    set_offset(session, int((moment - real_now()).total_seconds()))
    return now()

from datetime import UTC, datetime, timedelta

import pytest

from mall import clock
from mall.accounts.models import LoginFailure
from mall.extensions import db


def test_clock_advance_moves_now_and_is_shared_through_the_database(app):
    # given
    before = clock.now()
    # when
    clock.advance(db.session, days=8)
    db.session.commit()
    # then: the offset is stored, so a process that reads it sees the same time
    assert clock.now() - before >= timedelta(days=8)
    clock._state.read_at = -1e9  # as another worker would: read the stored offset afresh
    assert clock.now() - before >= timedelta(days=8)


def test_travel_to_sets_a_moment_in_beijing_time(app):
    clock.travel_to(db.session, datetime(2026, 3, 20, 23, 30, tzinfo=clock.SHANGHAI))
    assert clock.today().isoformat() == "2026-03-20"
    assert clock.now().tzinfo is not None


def test_clock_cannot_move_outside_simulation_mode(app):
    clock.configure(simulation=False)
    try:
        with pytest.raises(RuntimeError):
            clock.advance(db.session, days=1)
        assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)  # noqa: TID251 - comparing to real time
    finally:
        clock.configure(simulation=True)


def test_reading_the_clock_never_flushes_the_callers_unfinished_objects(app):
    # given an object added to the session with a required column not yet set
    failure = LoginFailure(username="wang", remote_addr="10.0.0.1")
    db.session.add(failure)
    clock._state.read_at = -1e9  # force the clock to read its stored offset now
    # when the caller reads the time to fill that column, then it flushes fine
    failure.failed_at = clock.now()
    db.session.flush()
    assert failure.id is not None

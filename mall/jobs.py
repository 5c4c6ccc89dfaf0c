"""Time-driven work: idempotent job functions run by `flask jobs run` (once) or `flask jobs loop`.

Packages register their jobs at start-up (`register_job`); each job reads `clock.now()` and
commits its own work, so running the loop twice, or in two processes, changes nothing more.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

Job = Callable[[Session], int]  # returns how many things it changed
_jobs: dict[str, Job] = {}


def register_job(name: str, job: Job) -> None:
    _jobs[name] = job


def registered_jobs() -> dict[str, Job]:
    return dict(_jobs)


def run_due_jobs(session: Session) -> dict[str, int]:
    """Run every registered job once; a failing job is logged and rolled back, the others still run."""
    results: dict[str, int] = {}
    for name, job in sorted(_jobs.items()):
        try:
            results[name] = job(session)
        except Exception:
            session.rollback()
            log.exception("job %s failed", name)
            results[name] = -1
    return results


def loop(session_factory: Callable[[], Session], interval: float, *, max_rounds: int | None = None) -> None:
    rounds = 0
    while max_rounds is None or rounds < max_rounds:
        started = time.monotonic()
        session = session_factory()
        results = run_due_jobs(session)
        changed = {k: v for k, v in results.items() if v}
        if changed:
            log.info("jobs: %s", changed)
        rounds += 1
        time.sleep(max(0.0, interval - (time.monotonic() - started)))

"""Time-driven work: idempotent job functions run by `flask jobs run` (once) or `flask jobs loop`.

Packages register their jobs at start-up from their `blocks.py` (`register_job(app, "orders.x", fn)`,
the name prefixed by the package); the jobs are the app's own (`app.extensions`). Each job reads
`clock.now()` and commits its own work, so running the loop twice, or in two processes, changes
nothing more.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

Job = Callable[[Session], int]  # returns how many things it changed


def _jobs(app: Flask) -> dict[str, Job]:
    return app.extensions.setdefault("mall.jobs", {})


def register_job(app: Flask, name: str, job: Job) -> None:
    """Add a job to this app; `name` is "<package>.<what it does>" and unique."""
    package, dot, what = name.partition(".")
    if not (package and dot and what):
        raise ValueError(f'job name {name!r} is not prefixed by its package ("orders.release_expired_holds")')
    jobs = _jobs(app)
    if name in jobs:
        raise ValueError(f"job {name} is registered twice")
    jobs[name] = job


def registered_jobs(app: Flask | None = None) -> dict[str, Job]:
    return dict(_jobs(app or current_app))


def run_due_jobs(session: Session) -> dict[str, int]:
    """Run every job of the current app once; a failing job is logged and rolled back, the others
    still run."""
    results: dict[str, int] = {}
    for name, job in sorted(registered_jobs().items()):
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

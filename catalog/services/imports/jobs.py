"""Queued imports with progress (the page's large files), run by the jobs loop."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.domain import ImportStatus, ensure_import_transition
from catalog.models import ImportJob
from catalog.services.imports.files import read_rows
from catalog.services.imports.rows import ImportResult, parse_upload, run_import
from mall import clock, transitions, uploads
from mall.accounts.models import User
from mall.errors import DomainError, NotFoundError
from mall.extensions import db

log = logging.getLogger(__name__)


IMMEDIATE_ROWS = 300  # the page imports files up to this size at once; larger ones run with progress


def queue_import(
    session: Session, *, actor, data: bytes, filename: str, supplier_id: int | None, good_rows_only: bool
) -> ImportJob:
    """Store an uploaded file and queue it; the jobs loop runs it with progress. The importer and
    the file (type, size, rows) are checked first, so a bad file is refused at once and nothing is
    queued; the file is written last and kept only if the job is committed."""
    supplier_id, rows = parse_upload(session, actor=actor, supplier_id=supplier_id, data=data, filename=filename)
    return _queue(
        session,
        actor=actor,
        data=data,
        filename=filename,
        supplier_id=supplier_id,
        rows=len(rows),
        good_rows_only=good_rows_only,
    )


def import_upload(
    session: Session, *, actor, data: bytes, filename: str, supplier_id: int | None, good_rows_only: bool
) -> ImportResult | ImportJob:
    """The page's import: the importer and the file are checked once; a small file is imported at
    once (its result returned), a larger one queued for the jobs loop (its job returned)."""
    supplier_id, rows = parse_upload(session, actor=actor, supplier_id=supplier_id, data=data, filename=filename)
    if len(rows) > IMMEDIATE_ROWS:
        return _queue(
            session,
            actor=actor,
            data=data,
            filename=filename,
            supplier_id=supplier_id,
            rows=len(rows),
            good_rows_only=good_rows_only,
        )
    return run_import(session, actor=actor, rows=rows, supplier_id=supplier_id, good_rows_only=good_rows_only)


def _queue(session: Session, *, actor, data: bytes, filename: str, supplier_id, rows: int, good_rows_only: bool):
    job = ImportJob(
        uploaded_by_id=actor.id,
        supplier_id=supplier_id,
        path="",
        original_name=filename[:200],
        good_rows_only=good_rows_only,
        status=ImportStatus.QUEUED,
        total_rows=rows,
        created_at=clock.now(),
    )
    session.add(job)
    session.flush()
    suffix = ".csv" if filename.lower().endswith(".csv") else ".xlsx"
    # A name of its own: a job id can come again after a rollback (SQLite) or a reset database.
    job.path = uploads.store_bytes(session, "imports", f"{job.id}-{secrets.token_hex(6)}{suffix}", data)
    session.commit()
    return job


def _finish(session: Session, job_id: int, status: ImportStatus, payload: dict) -> None:
    moved = transitions.move(
        session,
        ImportJob,
        job_id,
        frm=[ImportStatus.RUNNING],
        to=status,
        ensure=ensure_import_transition,
        result=payload,
        done_rows=ImportJob.total_rows,
        finished_at=clock.now(),
    )
    if not moved:
        log.warning("import job %s was no longer running when it finished", job_id)
    session.commit()


def _failure(message: str) -> dict:
    return {"errors": [{"row": 0, "column": "", "message": message}]}


def run_queued_imports(session: Session) -> int:
    """Job: run queued imports one by one, writing progress so the page can show it. Each is
    claimed with a guarded update, so two loops never run the same file."""
    done = 0
    for job_id in session.scalars(
        select(ImportJob.id).where(ImportJob.status == ImportStatus.QUEUED).order_by(ImportJob.id)
    ).all():
        claimed = transitions.move(
            session,
            ImportJob,
            job_id,
            frm=[ImportStatus.QUEUED],
            to=ImportStatus.RUNNING,
            ensure=ensure_import_transition,
        )
        session.commit()
        if not claimed:
            continue
        job = session.get(ImportJob, job_id)
        actor = session.get(User, job.uploaded_by_id)
        data = Path(uploads.resolve(uploads.app_uploads_root(), job.path)).read_bytes()
        counter = {"n": 0}

        def tick(_: int, job_id: int = job_id, counter: dict = counter) -> None:
            counter["n"] += 1
            if counter["n"] % 100 == 0:
                _record_progress(job_id, counter["n"])

        try:
            rows = read_rows(data, job.original_name)
            result = run_import(
                session,
                actor=actor,
                rows=rows,
                supplier_id=job.supplier_id,
                good_rows_only=job.good_rows_only,
                progress=tick,
            )
            status, payload = ImportStatus.DONE, result.as_dict()
        except DomainError as err:
            session.rollback()
            status, payload = ImportStatus.FAILED, _failure(err.message)
        except Exception:
            # The job must not stay "running" forever: record the failure, keep the loop alive.
            session.rollback()
            log.exception("import job %s failed", job_id)
            status, payload = ImportStatus.FAILED, _failure("导入失败（系统错误），请联系运营人员")
        _finish(session, job_id, status, payload)
        done += 1
    return done


def _record_progress(job_id: int, done_rows: int) -> None:
    # Progress goes through its own connection so the page sees it while the import's
    # transaction is still open.
    with db.engine.begin() as conn:
        conn.execute(ImportJob.__table__.update().where(ImportJob.id == job_id).values(done_rows=done_rows))


def get_job(session: Session, *, actor, job_id: int) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None or job.uploaded_by_id != actor.id:
        raise NotFoundError("未找到该导入任务")
    return job

"""Uploaded files follow their transaction: kept when it commits, removed when it rolls back or
ends without a commit; a file doomed by a transaction is deleted only once it commits."""

import io

import pytest

from mall import uploads
from mall.extensions import db
from tests.files import PDF_BYTES, PNG_BYTES


def _files() -> set[str]:
    root = uploads.app_uploads_root()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _checked(data: bytes = PNG_BYTES, name: str = "a.png") -> uploads.CheckedUpload:
    return uploads.check_upload(io.BytesIO(data), name, allowed=uploads.DOCUMENT_TYPES, max_bytes=1 << 20)


def test_a_file_written_in_a_committed_transaction_is_kept(app):
    stored = uploads.store(db.session, "tests/kept", _checked())
    db.session.commit()
    assert stored.path in _files()


def test_a_file_written_in_a_rolled_back_transaction_is_removed(app):
    before = _files()
    stored = uploads.store(db.session, "tests/gone", _checked())
    assert stored.path in _files()
    db.session.rollback()
    assert _files() == before


def test_a_file_of_a_transaction_that_ends_without_a_commit_is_removed(app):
    before = _files()
    uploads.store_bytes(db.session, "tests/closed", "job.csv", b"a,b\n")
    db.session.close()  # the request ends (scoped session removed) without a commit
    assert _files() == before


def test_a_savepoint_commit_does_not_keep_a_file_the_transaction_then_drops(app):
    before = _files()
    with db.session.begin_nested():
        uploads.store(db.session, "tests/nested", _checked(PDF_BYTES, "a.pdf"))
    db.session.rollback()
    assert _files() == before


def test_a_doomed_file_is_deleted_only_when_its_transaction_commits(app):
    stored = uploads.store(db.session, "tests/doomed", _checked())
    db.session.commit()
    uploads.remove_on_commit(db.session, stored.path)
    db.session.rollback()
    assert stored.path in _files()
    uploads.remove_on_commit(db.session, stored.path)
    db.session.commit()
    assert stored.path not in _files()


def test_checking_writes_nothing(app):
    before = _files()
    with pytest.raises(uploads.UploadTypeError):
        uploads.check_upload(io.BytesIO(b"MZ\x90\x00"), "a.exe", allowed=uploads.IMAGE_TYPES, max_bytes=1 << 20)
    assert _checked().content_type == "image/png" and _files() == before

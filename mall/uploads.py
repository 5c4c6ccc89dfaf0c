"""Uploaded files: checked by their content (not their name), size-limited, and stored under the
instance folder with names of our own. Serving them (with permission checks) is the caller's job.

Files follow the database transaction that records them: `store` writes a checked upload and
registers it with the session, and a file written during a transaction that does not commit
(refused, rolled back, or never committed) is removed when that transaction ends; `remove_on_commit`
deletes a file only once the transaction dropping its row has committed. So a refused application
or listing form leaves the uploads folder as it was. Services check every upload first
(`check_upload`), then write them last, once the action's own checks have passed.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from mall.errors import InvalidInputError

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# Magic numbers of the formats we accept.
_SIGNATURES = (
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"%PDF-", "pdf", "application/pdf"),
)
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
DOCUMENT_TYPES = IMAGE_TYPES | {"application/pdf"}


class UploadTypeError(InvalidInputError):
    code, message = "upload_type_not_allowed", "文件类型不支持（图片请用 JPG/PNG/WebP，文件请用 PDF 或图片）"


class UploadTooLargeError(InvalidInputError):
    code, message = "upload_too_large", "文件过大"


class UploadEmptyError(InvalidInputError):
    code, message = "upload_empty", "上传的文件为空"


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to the uploads root
    content_type: str
    original_name: str
    size: int


def sniff(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) from the first bytes, or None when the format is not accepted."""
    for signature, ext, content_type in _SIGNATURES:
        if head.startswith(signature):
            return ext, content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    return None


@dataclass(frozen=True)
class CheckedUpload:
    """An upload read and checked, not yet written anywhere."""

    data: bytes
    ext: str
    content_type: str
    original_name: str


def check_upload(stream: BinaryIO, original_name: str, *, allowed: frozenset[str], max_bytes: int) -> CheckedUpload:
    """Read an upload and check it; raise when empty, too large or of a wrong type."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise UploadEmptyError()
    if len(data) > max_bytes:
        raise UploadTooLargeError(f"文件过大（不超过 {max_bytes // (1024 * 1024)} MB）")
    kind = sniff(data[:16])
    if kind is None or kind[1] not in allowed:
        raise UploadTypeError()
    ext, content_type = kind
    return CheckedUpload(data, ext, content_type, os.path.basename(original_name or f"upload.{ext}")[:200])


def _write(root: Path, area: str, data: bytes, name: str) -> str:
    folder = root / area
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, folder / name)  # never a half-written file under its final name
    return f"{area}/{name}"


def save_upload(
    root: Path, area: str, stream: BinaryIO, original_name: str, *, allowed: frozenset[str], max_bytes: int
) -> StoredFile:
    """Check an upload and write it under root/area with a random name, outside any transaction
    (the caller owns the file); services use `store`, which ties the file to their transaction."""
    checked = check_upload(stream, original_name, allowed=allowed, max_bytes=max_bytes)
    path = _write(root, area, checked.data, f"{secrets.token_hex(12)}.{checked.ext}")
    return StoredFile(path, checked.content_type, checked.original_name, len(checked.data))


def store(session: Session, area: str, upload: CheckedUpload) -> StoredFile:
    """Write a checked upload under the app's uploads folder, kept only if the session's
    current transaction commits."""
    root = app_uploads_root()
    path = _write(root, area, upload.data, f"{secrets.token_hex(12)}.{upload.ext}")
    _track(session, _WRITTEN).append(root / path)
    return StoredFile(path, upload.content_type, upload.original_name, len(upload.data))


def store_bytes(session: Session, area: str, name: str, data: bytes) -> str:
    """Write our own bytes (e.g. a queued spreadsheet) as area/name, kept only if the session's
    current transaction commits. Returns the path relative to the uploads folder."""
    root = app_uploads_root()
    path = _write(root, area, data, name)
    _track(session, _WRITTEN).append(root / path)
    return path


def remove_on_commit(session: Session, relative: str) -> None:
    """Delete a stored file once the session's current transaction (which drops its row) commits."""
    _track(session, _DOOMED).append(resolve(app_uploads_root(), relative))


# ---- files follow the transaction ------------------------------------------------------------

_WRITTEN, _DOOMED = "mall.uploads.written", "mall.uploads.doomed"


def _track(session: Session | scoped_session, kind: str) -> list[Path]:
    if isinstance(session, scoped_session):
        session = session()  # the request's (or thread's) own session
    if not session.in_transaction():
        session.begin()  # the file belongs to a transaction that has not run a statement yet
    return session.info.setdefault(kind, [])


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove upload %s", path, exc_info=True)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction decides
    session.info.pop(_WRITTEN, None)
    _unlink(session.info.pop(_DOOMED, []))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    # The outermost transaction ended without a commit (a commit has emptied the lists already).
    session.info.pop(_DOOMED, None)
    written = session.info.pop(_WRITTEN, [])
    if written:
        log.info("removing %s upload(s) of a transaction that did not commit", len(written))
        _unlink(written)


def resolve(root: Path, relative: str) -> Path:
    """The absolute path of a stored file, refusing anything that escapes the uploads root."""
    path = (root / relative).resolve()
    if root.resolve() not in path.parents:
        raise UploadTypeError("文件路径不正确")
    return path


def uploads_root(instance_path: str) -> Path:
    return Path(instance_path) / "uploads"


def app_uploads_root() -> Path:
    """The uploads folder of the running app (under its instance folder)."""
    return uploads_root(current_app.config["INSTANCE_PATH"])

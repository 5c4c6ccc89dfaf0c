"""Uploaded files: checked by their content (not their name), size-limited, and stored under the
instance folder with names of our own. Serving them (with permission checks) is the caller's job.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from mall.errors import InvalidInputError

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


def save_upload(
    root: Path, area: str, stream: BinaryIO, original_name: str, *, allowed: frozenset[str], max_bytes: int
) -> StoredFile:
    """Store an upload under root/area with a random name; raise when empty, too large or of a wrong type."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise UploadEmptyError()
    if len(data) > max_bytes:
        raise UploadTooLargeError(f"文件过大（不超过 {max_bytes // (1024 * 1024)} MB）")
    kind = sniff(data[:16])
    if kind is None or kind[1] not in allowed:
        raise UploadTypeError()
    ext, content_type = kind
    folder = root / area
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(12)}.{ext}"
    tmp = folder / (name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, folder / name)  # never a half-written file under its final name
    return StoredFile(f"{area}/{name}", content_type, os.path.basename(original_name or name)[:200], len(data))


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

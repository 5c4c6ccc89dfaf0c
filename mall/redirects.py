"""Redirects to a place the request named (`?next=`, a form's `next`, the Referer): only ever on this site.

Every redirect whose target comes from input goes through `redirect_back` (or `safe_next`), so a
link like `/login?next=https://evil.example/phish` cannot send a user who just typed their
password to a look-alike page. What browsers accept as a URL is looser than what `urlsplit`
parses: they read `\\` as `/` (`/\\evil.example` is `//evil.example`, another host), drop tabs and
newlines inside a URL, and take `https:evil` as an absolute URL. So a target is accepted only when
it is a plain path: it starts with one `/`, and holds no backslash, control character or space.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, request

MAX_TARGET_LENGTH = 2_000


def is_local_path(target: object) -> bool:
    """A path on this site (`/orders?page=2`), never a URL that leaves it."""
    if not isinstance(target, str) or not 1 <= len(target) <= MAX_TARGET_LENGTH:
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ch <= " " or ch == "\x7f" for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback`."""
    return target if target is not None and is_local_path(target) else fallback


def same_site_referrer() -> str | None:
    """The path of the page the request came from, when that page is on this site and not this one."""
    ref = request.referrer
    if not ref or len(ref) > MAX_TARGET_LENGTH:
        return None
    parts = urlsplit(ref)
    if parts.netloc != request.host or parts.path == request.path:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_local_path(path) else None


def redirect_back(fallback: str):
    """Redirect to `?next=` (or a form's `next`) when it is a path on this site, else to `fallback`."""
    return redirect(safe_next(request.args.get("next") or request.form.get("next"), fallback))


def redirect_to_referrer(fallback: str):
    """Redirect to the page the request came from when it is on this site, else to `fallback`."""
    return redirect(same_site_referrer() or fallback)

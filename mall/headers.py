"""Headers on every response: a Content-Security-Policy, no framing, no MIME sniffing; and the
cache rule for private files.

The policy allows only what the mall serves itself. Every script and stylesheet is a file under a
package's `static/` (no CDN, no inline `<script>`, no `style=` or `on…=` attributes: a test walks
every template and every role's pages), so neither scripts nor styles need `'unsafe-inline'`. A page
that hands data to a script (an ECharts chart) puts it in `<script type="application/json">`,
which is data, never run, and reads it from a static file. `frame-ancestors 'none'` and
`X-Frame-Options` keep every page out of other sites' frames (clickjacking the approve and pay
buttons).
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Links to other sites (a price evidence URL) carry no path or query of ours.
    "Referrer-Policy": "same-origin",
}


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def private(response: Response) -> Response:
    """A file only some users may see (a licence, price evidence, an unapproved listing's photo):
    neither a shared cache nor the browser's disk keeps a copy."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_security_headers)

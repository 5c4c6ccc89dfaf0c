"""JSON bodies nested deeper than mall.bounds.MAX_JSON_DEPTH are refused before any parser reads them.

Python's json parser recurses once per level, so a body of 100,000 `[` exhausts the stack (a
RecursionError, a 500). The depth is measured without recursion, in two places that share one rule:
- `refuse_deep_json`, before every request whose body is declared JSON: whatever reads the body
  afterwards (the app's provider, a schema library's own `json.loads`, the webhook) never sees
  one too deep;
- `BoundedJSONProvider.loads`, the app's JSON provider: every `request.get_json`, also with
  `force=True` on a body not declared JSON, and `silent=True` does not hide the refusal.
Both answer 400 with the JSON error shape, code `json_too_deep`.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request
from flask.json.provider import DefaultJSONProvider

from mall.bounds import MAX_JSON_DEPTH
from mall.error_handlers import error_json
from mall.errors import InvalidInputError


class JsonTooDeepError(InvalidInputError):
    code, message = "json_too_deep", f"JSON 嵌套过深（最多{MAX_JSON_DEPTH}层）"


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # a JSON string: brackets inside it don't nest
_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def too_deep(body: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than `limit` (a malformed text
    is measured as far as it goes; the parser refuses it afterwards)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes | bytearray) else body
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += _STEP[bracket.group()]
        if depth > limit:
            return True
    return False


class BoundedJSONProvider(DefaultJSONProvider):
    ensure_ascii = False  # JSON answers carry Chinese as readable UTF-8, not as escape sequences

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if too_deep(s):
            raise JsonTooDeepError()
        return super().loads(s, **kwargs)


def refuse_deep_json():
    """before_request: a JSON body nested too deep ends the request with 400 (on pages and API alike)."""
    if request.is_json and too_deep(request.get_data(cache=True)):
        err = JsonTooDeepError()
        return error_json(err.code, err.message, err.http_status)
    return None

"""The app's JSON provider: bodies nested deeper than `bounds.MAX_JSON_DEPTH` are not JSON to us.

Python's parser recurses once per level, so a body of 100,000 `[` raised RecursionError (a 500)
in `request.get_json()`. Here any parse failure, including that one, is a ValueError, which
Flask turns into 400 (or None for `get_json(silent=True)`); a body that parses but nests deeper
than the bound is refused the same way, so no handler ever walks an absurd structure.
"""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider

from mall.bounds import MAX_JSON_DEPTH


class JsonTooDeepError(ValueError):
    pass


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (a scalar is 0, `[]` is 1), without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONProvider(DefaultJSONProvider):
    ensure_ascii = False  # answers carry Chinese as readable UTF-8, not as escape sequences

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise JsonTooDeepError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
        if json_depth(value) > MAX_JSON_DEPTH:
            raise JsonTooDeepError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return value

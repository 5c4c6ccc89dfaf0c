"""URL converters: every `<int:…>` in a route is an id within the database's range.

The app registers `IdConverter` as `int`, so a URL like `/products/99999999999999999999` or
`/products/0` simply matches no route (404) on SQLite and PostgreSQL alike, instead of reaching a
query with a number the database cannot hold. A route that needs another range says so:
`<int(min=0, max=1):variant>`.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

from mall.bounds import MAX_ID


class IdConverter(IntegerConverter):
    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)
        if min == 1 and max is not None and not fixed_digits:
            # Only ids in range match the URL at all: werkzeug checks the range after choosing the
            # rule, so `GET /api/v1/listings/0` found the PATCH rule of that path and answered 405.
            self.regex = one_to(max)


def one_to(high: int) -> str:
    """A regex for the decimal numbers 1..high written without leading zeros (`one_to(42)`
    matches 1-9, 10-39, 40-42)."""
    digits = str(high)
    parts = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        lowest = 1 if i == 0 else 0
        if int(digit) > lowest:
            parts.append(f"{digits[:i]}[{lowest}-{int(digit) - 1}][0-9]{{{len(digits) - i - 1}}}")
    return "(?:" + "|".join([*parts, digits]) + ")"

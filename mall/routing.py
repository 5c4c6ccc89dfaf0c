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

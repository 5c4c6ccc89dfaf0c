"""Pages of a list on HTML pages: `?page=` read within mall.bounds, never an error.

Every list page paginates through `paginate`, so a page number nobody can mean (`page=-1`,
`page=²`, `page=922337203685477580`) never reaches the OFFSET of a query: junk is the first
page, anything beyond MAX_PAGE is MAX_PAGE, and a page past the end of the list renders empty
with the pager saying so (`_macros/pagination.html`). The JSON API reads its pages with
`mall.api.page_args`, which refuses instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func, select

from mall.bounds import MAX_PER_PAGE, clamp_page
from mall.extensions import db


def page_number() -> int:
    """The `page` of the current query string, in 1..MAX_PAGE."""
    return clamp_page(request.args.get("page", ""))


class _LoadedPagination(SelectPagination):
    """Items read by the caller's `load(session, stmt, limit=, offset=)` (e.g. plain rows); the
    count statement is built once per select object (a caller reusing its selects saves the work)."""

    def _query_items(self) -> list:
        args = self._query_args
        return args["load"](args["session"], args["select"], limit=self.per_page, offset=self._query_offset)

    def _query_count(self) -> int:
        return self._query_args["session"].execute(_count_select(self._query_args["select"])).scalar() or 0


@lru_cache(maxsize=256)
def _count_select(stmt: Select) -> Select:
    return select(func.count()).select_from(stmt.order_by(None).subquery())


def paginate(
    stmt: Select,
    *,
    per_page: int,
    page: int | None = None,
    load: Callable[..., list] | None = None,
) -> Pagination:
    """One page of `stmt` for an HTML list; `page` defaults to the query string's. The page's
    items are the select's objects, or what `load(session, stmt, limit=, offset=)` answers."""
    args = {
        "page": page if page is not None else page_number(),
        "per_page": min(per_page, MAX_PER_PAGE),
        "max_per_page": MAX_PER_PAGE,
        "error_out": False,
    }
    if load is None:
        return db.paginate(stmt, **args)
    return _LoadedPagination(select=stmt, session=db.session(), load=load, **args)

"""Pages of a list on HTML pages: `?page=` read within mall.bounds, never an error.

Every list page paginates through `paginate`, so a page number nobody can mean (`page=-1`,
`page=²`, `page=922337203685477580`) never reaches the OFFSET of a query: junk is the first
page, anything beyond MAX_PAGE is MAX_PAGE, and a page past the end of the list renders empty
with the pager saying so (`_macros/pagination.html`). The JSON API reads its pages with
`mall.api.page_args`, which refuses instead.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select
from sqlalchemy.orm import Session

from mall.bounds import MAX_PER_PAGE, clamp_page
from mall.extensions import db


def page_number() -> int:
    """The `page` of the current query string, in 1..MAX_PAGE."""
    return clamp_page(request.args.get("page", ""))


class _LoadedPagination(SelectPagination):
    """Items read by the caller's `load` from the page's slice of the select (e.g. plain rows)."""

    def _query_items(self) -> list:
        stmt = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return self._query_args["load"](self._query_args["session"], stmt)


def paginate(
    stmt: Select,
    *,
    per_page: int,
    page: int | None = None,
    load: Callable[[Session, Select], list] | None = None,
) -> Pagination:
    """One page of `stmt` for an HTML list; `page` defaults to the query string's. The page's
    items are the select's objects, or what `load(session, stmt_of_the_page)` answers."""
    args = {
        "page": page if page is not None else page_number(),
        "per_page": min(per_page, MAX_PER_PAGE),
        "max_per_page": MAX_PER_PAGE,
        "error_out": False,
    }
    if load is None:
        return db.paginate(stmt, **args)
    return _LoadedPagination(select=stmt, session=db.session(), load=load, **args)

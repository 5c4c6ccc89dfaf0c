"""The search results page (`/search`): results from catalog.search with highlighted titles,
facet counts in the sidebar, sorting, pagination and "did you mean" suggestions.

When nothing matches and the engine has a suggestion (马玲薯 → 马铃薯, hetiandazhao → 和田骏枣), the
page shows the suggestion's results and says so. Thin: parsing in domain.py, work in search.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask import Blueprint, render_template, request
from markupsafe import Markup

from catalog import queries, search
from catalog.domain import SORT_LABELS, InvalidListFilterError, ListFilters, parse_list_filters
from catalog.search import FacetCount, SearchResult
from mall.extensions import db
from mall.money import format_yuan
from mall.templating import url_with

bp = Blueprint("catalog_search", __name__)

FACET_HEADINGS = {
    "category": "商品类别",
    "program": "来源类型",
    "province": "产地省份",
    "county": "产地县",
    "price_band": "价格",
    "storage": "储存方式",
}
FACET_LIMIT = 12


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    href: str
    active: bool


@dataclass(frozen=True)
class FacetBlock:
    name: str
    heading: str
    links: list[FacetLink]
    clear_href: str
    any_active: bool


@dataclass(frozen=True)
class ResultsPage:
    """The pager macro's view of a search page (the shape of Flask-SQLAlchemy's Pagination)."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, *, left_edge=2, left_current=2, right_current=4, right_edge=2) -> Iterator[int | None]:
        last = 0
        for n in range(1, self.pages + 1):
            near = n <= left_edge or n > self.pages - right_edge
            if near or self.page - left_current <= n <= self.page + right_current:
                if last and n - last > 1:
                    yield None
                yield n
                last = n


@dataclass(frozen=True)
class HitView:
    title_html: Markup
    snippet_html: Markup


@bp.get("/search")
def product_search():
    try:
        filters = parse_list_filters(request.args.to_dict(), money_in_fen=False)
    except InvalidListFilterError as err:
        return _render(ListFilters(), None, error=err.message), 400
    queries.category_by_slug(db.session, filters.category)  # an unknown category is "not found"
    result = search.search_products(db.session, filters)
    corrected_from = None
    if result.suggestion and (result.total == 0 or result.partial):
        better = search.search_products(db.session, filters.without(q=result.suggestion, page=1))
        if better.total and not better.partial:
            corrected_from, filters, result = filters.q, filters.without(q=result.suggestion, page=1), better
    return _render(filters, result, corrected_from=corrected_from)


def _render(filters: ListFilters, result: SearchResult | None, **context):
    rows = []
    if result is not None:
        rows = [
            (product, HitView(Markup(hit.title_html), Markup(hit.snippet_html)))  # escaped by the engine
            for product, hit in search.products_for(db.session, result.hits)
        ]
    return render_template(
        "catalog/search_results.html",
        heading=f"“{filters.q}”的搜索结果" if filters.q else "全部商品",
        filters=filters,
        result=result,
        page=ResultsPage(rows, filters.page, filters.per_page, result.total) if result else None,
        facets=_facet_blocks(filters, result) if result else [],
        sort_labels=SORT_LABELS,
        error=context.pop("error", None),
        corrected_from=context.pop("corrected_from", None),
        page_title=f"搜索：{filters.q}" if filters.q else "搜索",
    )


def _facet_blocks(filters: ListFilters, result: SearchResult) -> list[FacetBlock]:
    current = {
        "category": filters.category,
        "province": filters.province,
        "county": filters.county,
        "program": filters.program.value if filters.program else None,
        "storage": filters.storage.value if filters.storage else None,
    }
    blocks = []
    for name, heading in FACET_HEADINGS.items():
        values: list[FacetCount] = result.facets.get(name, [])
        if not values:
            continue
        if name == "price_band":
            links = [_band_link(f, filters) for f in values]
            clear = url_with(price_min=None, price_max=None, page=None)
        else:
            links = [
                FacetLink(f.label, f.count, url_with(**{name: f.value}, page=None), current[name] == f.value)
                for f in values[:FACET_LIMIT]
            ]
            clear = url_with(**{name: None}, page=None)
        blocks.append(FacetBlock(name, heading, links, clear, any(link.active for link in links)))
    return blocks


def _band_link(facet: FacetCount, filters: ListFilters) -> FacetLink:
    low, high = search.price_band_range(facet.value)
    args = {"price_min": _yuan(low) if low else None, "price_max": _yuan(high) if high is not None else None}
    active = (filters.price_min_fen or 0) == low and filters.price_max_fen == high
    return FacetLink(facet.label, facet.count, url_with(**args, page=None), active)


def _yuan(fen: int) -> str:
    return format_yuan(fen, symbol=False).replace(",", "")

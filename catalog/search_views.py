"""The search results page (`/search`). Matches words in titles and descriptions with the
storefront list's filters; the Chinese search engine (catalog.search) takes over this module."""

from __future__ import annotations

from flask import request

from catalog.views import _render_list, bp


@bp.get("/search")
def product_search():
    q = request.args.get("q", "").strip()
    return _render_list(heading=f"“{q}”的搜索结果" if q else "全部商品")

"""`GET /api/v1/search`: product search with facets (public; a token is accepted, not required).

Parameters as `GET /api/v1/products` (q, category, province, county, program, storage,
national_key, price_min_fen, price_max_fen, sort, page, per_page); bad ones answer 400
`invalid_filter`, an unknown category 404. `sort=default` ranks by relevance.
"""

from __future__ import annotations

from flask import request, url_for

from catalog import queries, search
from catalog.api_schemas import ProductQuery, SearchOut
from catalog.domain import parse_list_filters
from catalog.models import Product
from catalog.search import SearchHit
from mall.api import api_blueprint
from mall.api_schema import Auth, documented
from mall.bounds import MAX_PER_PAGE
from mall.extensions import db

api = api_blueprint("search_api", __name__)


@api.get("/search")
@documented("搜索（公开）", Auth.PUBLIC, SearchOut, errors=(404,))
def search_products(query: ProductQuery):
    """按中文词、同义词、拼音或首字母搜索在售商品，附分面计数

    每个词都须命中；一个都不全中时返回部分命中的结果（partial 为 true）。
    """
    filters = parse_list_filters(request.args.to_dict(), money_in_fen=True, max_per_page=MAX_PER_PAGE)
    queries.category_by_slug(db.session, filters.category)  # an unknown category is 404, as on /products
    result = search.search_products(db.session, filters)
    return {
        "items": [_item(p, hit) for p, hit in search.products_for(db.session, result.hits)],
        "total": result.total,
        "page": filters.page,
        "per_page": filters.per_page,
        "facets": {
            name: [{"value": f.value, "count": f.count, "label": f.label} for f in values]
            for name, values in result.facets.items()
        },
        "suggestion": result.suggestion,
        "partial": result.partial,
        "words": list(result.words),
        "engine": result.engine,
    }


def _item(p: Product, hit: SearchHit) -> dict:
    return {
        "id": p.id,
        "title": p.title,
        "price_fen": p.price_fen,
        "county": p.origin.name,
        "province": p.origin.province.name,
        "highlight": hit.title_html,
        "snippet": hit.snippet_html,
        "score": hit.score,
        "spec": p.spec,
        "sale_unit": p.sale_unit,
        "per_kilo_fen": p.per_kilo_fen,
        "category": p.category.slug,
        "program": p.program.value,
        "storage": p.storage.value,
        "sales_qty": p.sales_qty,
        "supplier": {"id": p.supplier.id, "name": p.supplier.name},
        "url": url_for("catalog.product_show", product_id=p.id),
    }

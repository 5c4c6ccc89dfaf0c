"""JSON API of the storefront: `GET /api/v1/products` and `GET /api/v1/products/<id>`.

Filters as on the pages, with money in fen (`price_min_fen`, `price_max_fen`). Public reads: a
token is accepted but not required.
"""

from __future__ import annotations

from flask import request

from catalog import queries
from catalog.api_schemas import ProductDetailOut, ProductPage, ProductQuery
from catalog.domain import parse_list_filters
from catalog.models import Product
from mall.api import api_blueprint, iso
from mall.api_schema import Auth, documented
from mall.bounds import MAX_PER_PAGE
from mall.extensions import db

api = api_blueprint("catalog_api", __name__)
PRODUCTS = "商品（公开）"


@api.get("/products")
@documented(PRODUCTS, Auth.PUBLIC, ProductPage, errors=(404,))
def products_list(query: ProductQuery):
    """在售商品列表

    筛选与页面相同，价格以分计；类别 slug 不存在时答 404。
    """
    filters = parse_list_filters(request.args.to_dict(), money_in_fen=True, max_per_page=MAX_PER_PAGE)
    category = queries.category_by_slug(db.session, filters.category)
    stmt = queries.product_list_select(filters, category_id=category.id if category else None)
    total = db.session.scalar(queries.count_select(stmt)) or 0
    rows = db.session.scalars(stmt.limit(filters.per_page).offset((filters.page - 1) * filters.per_page)).unique()
    return {
        "items": [product_json(p) for p in rows],
        "page": filters.page,
        "per_page": filters.per_page,
        "total": total,
    }


@api.get("/products/<int:product_id>")
@documented(PRODUCTS, Auth.PUBLIC, ProductDetailOut, errors=(404,))
def product_show(product_id: int):
    """一件在售商品，附同县在售商品的编号"""
    product = queries.get_product_on_sale(db.session, product_id)
    body = product_json(product)
    body["similar_ids"] = [p.id for p in queries.similar_products(db.session, product)]
    return body


def product_json(p: Product) -> dict:
    return {
        "id": p.id,
        "sku": p.sku,
        "title": p.title,
        "category": p.category.slug,
        "category_name": p.category.name,
        "spec": p.spec,
        "sale_unit": p.sale_unit,
        "net_content": p.net_content,
        "net_content_unit": p.net_content_unit,
        "price_fen": p.price_fen,
        "per_kilo_fen": p.per_kilo_fen,
        "stock_qty": p.stock_qty,
        "min_order_qty": p.min_order_qty,
        "pack_size": p.pack_size,
        "sales_qty": p.sales_qty,
        "origin_county_code": p.origin_county_code,
        "county": p.origin.name,
        "province_code": p.origin_province_code,
        "province": p.origin.province.name,
        "program": p.program.value,
        "program_name": p.program_label,
        "cert_no": p.cert_no,
        "storage": p.storage.value,
        "shelf_life_days": p.shelf_life_days,
        "status": p.status.value,
        "supplier": {
            "id": p.supplier.id,
            "name": p.supplier.name,
            "county_code": p.supplier.region_code,
            "county": p.supplier.region.name,
        },
        "created_at": iso(p.created_at),
    }

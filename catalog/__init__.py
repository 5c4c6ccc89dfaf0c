"""The catalog: suppliers, categories, products and the storefront that shows them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog import api, home, search_views, views  # noqa: F401 - search_views adds routes to views.bp
    from mall.templating import register_nav

    app.register_blueprint(views.bp)
    app.register_blueprint(api.api)
    home.init_app()
    register_nav("全部商品", "catalog.product_list", order=10)
    register_nav("重点帮扶县", "catalog.key_county_products", order=20)
    register_nav("地区", "regions.region_index", order=60)

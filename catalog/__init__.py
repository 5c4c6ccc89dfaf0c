"""The catalog: suppliers, categories, products and the storefront that shows them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # search_views, onboarding_views and request_views add their routes to the blueprints they import.
    from catalog import (  # noqa: F401
        api,
        cards,
        generation,
        home,
        imports,
        listings_api,
        manage_views,
        onboarding_views,
        outbox,
        request_views,
        search,
        search_api,
        search_cli,
        search_views,
        views,
    )
    from mall.accounts.domain import Role
    from mall.jobs import register_job
    from mall.templating import register_nav

    search.init_app(app)
    app.cli.add_command(search_cli.search_cli)
    from mall.regions.services import on_county_flags_changed

    on_county_flags_changed(outbox.enqueue_county)
    app.jinja_env.globals["product_card"] = cards.product_card
    app.register_blueprint(views.bp)
    app.register_blueprint(manage_views.bp)
    app.register_blueprint(api.api)
    app.register_blueprint(search_api.api)
    app.register_blueprint(listings_api.api)
    home.init_app()
    register_job("run_queued_imports", imports.run_queued_imports)
    register_nav("全部商品", "catalog.product_list", order=10)
    register_nav("重点帮扶县", "catalog.key_county_products", order=20)
    register_nav("地区", "regions.region_index", order=60)
    register_nav("我的商品", "catalog_manage.listing_index", Role.SUPPLIER, Role.COOP_OPERATOR, order=30)
    register_nav("商品审核", "catalog_manage.review_index", Role.PLATFORM_OPERATOR, order=30)
    register_nav(
        "供应商入驻",
        "catalog_manage.supplier_queue",
        Role.PLATFORM_OPERATOR,
        Role.COOP_OPERATOR,
        Role.AGRI_OFFICER,
        order=40,
    )
    register_nav("上架需求", "catalog_manage.request_queue", Role.PLATFORM_OPERATOR, Role.COOP_OPERATOR, order=45)
    register_nav("上架需求", "catalog_manage.request_index", Role.BUYER, Role.UNIT_ADMIN, order=45)
    register_nav("产品推荐", "catalog_manage.recommendation_index", Role.AGRI_OFFICER, order=35)

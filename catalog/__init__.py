"""The catalog: suppliers, categories, products and the storefront that shows them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # search_views, onboarding_views and request_views add their routes to the blueprints they import.
    from catalog import (  # noqa: F401
        api,
        blocks,
        cards,
        generation,
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
    blocks.init_app(app)

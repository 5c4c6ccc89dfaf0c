"""The catalog: suppliers, categories, products and the storefront that shows them.

Laid out like `orders/`:
- `domain/` — the pure rules: `states` (StrEnums, labels, transition tables), `errors` (every
  error with its stable code), `listings`, `review`, `onboarding`, `filters`, `imports`.
- `models.py` — the tables.
- `services/` — one public function per user action, one transaction each: `suppliers`,
  `onboarding`, `listings` and `listing_changes`, `requests`, `imports/`, `catalogue`.
- `queries.py` (reads) and `access.py` (who may act for or see which supplier's objects: another
  supplier's object is NotFoundError, 404).
- `views.py` (storefront), `manage_views.py` (listings and review), `onboarding_views.py`,
  `request_views.py`, each its own blueprint; `api.py`, `listings_api.py`.
- `search/` — the search engine interface, its Whoosh implementation, the outbox, and its
  page, API and CLI.
- `blocks.py` — navigation links, home and dashboard blocks, and the import job.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog import (
        api,
        blocks,
        cards,
        generation,  # noqa: F401 - its triggers follow db.create_all
        listings_api,
        manage_views,
        onboarding_views,
        request_views,
        search,
        views,
    )
    from catalog.search import api as search_api
    from catalog.search import cli as search_cli
    from catalog.search import outbox
    from catalog.search import views as search_views

    search.init_app(app)
    app.cli.add_command(search_cli.search_cli)
    from mall.regions.services import on_county_flags_changed

    on_county_flags_changed(outbox.enqueue_county)
    app.jinja_env.globals["product_card"] = cards.product_card
    app.register_blueprint(views.bp)
    app.register_blueprint(manage_views.bp)
    app.register_blueprint(onboarding_views.bp)
    app.register_blueprint(request_views.bp)
    app.register_blueprint(search_views.bp)
    app.register_blueprint(api.api)
    app.register_blueprint(search_api.api)
    app.register_blueprint(listings_api.api)
    blocks.init_app(app)

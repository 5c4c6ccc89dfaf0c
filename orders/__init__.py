"""Orders: unit carts, checkout, payments (Stripe, through orders/payments.py), approvals,
cancellations and refunds."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from orders import api, blocks, manage_views, models, payments, views  # noqa: F401 - models: tables

    payments.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(manage_views.bp)
    app.register_blueprint(api.api)
    app.register_blueprint(api.webhooks)
    blocks.init_app(app)

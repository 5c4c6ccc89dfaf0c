"""Orders: unit carts, checkout, payments (Stripe, through orders/payments.py), approvals,
cancellations and refunds; welfare packs, vouchers and joint purchase pools come later."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from mall import jobs
    from orders import api, blocks, manage_views, models, payments, services, views  # noqa: F401 - models: tables

    payments.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(manage_views.bp)
    app.register_blueprint(api.api)
    app.register_blueprint(api.webhooks)
    blocks.init_app()
    jobs.register_job("orders.release_expired_holds", services.release_expired_holds)
    jobs.register_job("orders.retry_pending_refunds", services.retry_pending_refunds)

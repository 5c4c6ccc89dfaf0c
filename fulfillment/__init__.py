"""Fulfillment: everything between payment and the supplier being paid (DOMAIN.md, "After the
order"): parcels and carrier events with the simulated carrier, acceptance (验收), evaluations
(履约评价) and supplier scorecards and standing, after-sales (售后), payables with late interest.

Laid out like `orders/`; the parts marked * are what this package is built up with:
- `domain/` — the pure rules: `states` (parcels, carrier events, after-sales and its refunds,
  payables, standing: StrEnums, labels, transition tables, `ensure_*`), `errors` (stable codes),
  `carriers` (the carrier list in `data/carriers.csv`, tracking numbers, cold chain, the webhook's
  HMAC signature and payload), `simulation` (the simulated carrier's plan; hubs in `data/hubs.csv`),
  `rules` (parcel quantities, acceptance money, windows, scores, payment terms, late interest),
  `scorecard` (a supplier's score and band). Numbers and dates come from the policy year:
  `mall.policy.queries.terms_at(session, now)`, never from constants.
- `models.py` — the tables: Shipment, ShipmentLine, CarrierEvent, OrderFulfillment (per order:
  delivered, accepted, deadlines), LineFulfillment (per order line: shipped, accepted, rejected),
  AcceptancePhoto, Evaluation, AftersalesCase, AftersalesLine, AftersalesPhoto, Payable,
  SupplierStanding (history), SupplierScorecard (per month).
- *`services/` — one module per flow (`shipping`, `tracking` for the webhook and the simulated
  carrier, `acceptance`, `evaluations`, `aftersales`, `payables`, `standing`), one public function
  per user action or job, one transaction each. The order's status moves only through
  `orders.services.moves.move_orders` (guarded UPDATE, the one state machine); shipped quantities
  through a guarded UPDATE of `LineFulfillment.shipped_qty`; refunds through
  `orders.services.refund_order`. Suspension also sets the catalog's `Supplier.status` so that
  checkout (in `orders`, below this package) refuses the supplier without importing fulfillment.
- *`queries.py` — reads and scope (another unit's or supplier's object is `NotFoundError`).
- *`views.py`, `manage_views.py`, `api.py` (`/api/v1/orders/<id>/shipments|acceptance|evaluation|
  aftersales`, `/api/v1/aftersales/<id>/…`, `/api/v1/payables`, `/api/v1/suppliers/<id>/scorecard`),
  the webhook `POST /webhooks/carrier/<carrier>`; `blocks.py` (dashboard blocks and `register_job`
  for auto-acceptance, default evaluations, escalation, refund retries, closing, the simulated
  carrier, the monthly scorecards); `templates/fulfillment/`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from fulfillment import blocks, carrier_secrets, models  # noqa: F401 - the tables
    from fulfillment.api import shipping as shipping_api
    from fulfillment.api import tracking as tracking_api
    from fulfillment.views import shipping as shipping_views

    carrier_secrets.fill_carrier_secrets(app.config, app.instance_path)
    shipping_api.init_app(app)
    app.register_blueprint(tracking_api.webhooks)
    app.register_blueprint(shipping_views.bp)
    blocks.init_app(app)

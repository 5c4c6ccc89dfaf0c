"""The carriers' webhook: `POST /webhooks/carrier/<carrier>`, a JSON event signed with the carrier's
secret (`X-Carrier-Signature: sha256=<hex HMAC-SHA256 of the raw body>`). CSRF-exempt; a missing or
bad signature answers 401 and stores nothing; a redelivered event answers 200 with "stored": false;
an unknown tracking number answers 404 (and is logged)."""

from __future__ import annotations

from flask import Blueprint, current_app, request

from fulfillment.carrier_secrets import secret_for
from fulfillment.domain import SIGNATURE_HEADER
from fulfillment.services import tracking
from mall.extensions import csrf, db

webhooks = Blueprint("carrier_webhooks", __name__, url_prefix="/webhooks/carrier")
csrf.exempt(webhooks)


@webhooks.post("/<carrier>")
def carrier_event(carrier: str):
    outcome = tracking.receive_carrier_event(
        db.session,
        carrier_code=carrier,
        body=request.get_data(),
        signature=request.headers.get(SIGNATURE_HEADER),
        secret=secret_for(current_app.config, carrier),
    )
    return {
        "received": True,
        "stored": outcome.stored,
        "shipment_id": outcome.shipment_id,
        "status": outcome.status.value,
        "order_delivered": outcome.order_delivered,
    }

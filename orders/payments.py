"""The payment gateway: the only module that imports `stripe`.

`PaymentGateway` is the small interface the services use; `StripeGateway` implements it with the
stripe SDK pointed at `STRIPE_API_BASE` (localstripe on 127.0.0.1 in development and tests).
`gateway()` returns the app's instance from `current_app.extensions`, so a test can swap in a
fake. Everything crossing this boundary is plain data (fen, ids, strings), never SDK objects.

localstripe quirks honoured here (DESIGN.md, "Known quirks"): the PaymentIntent is created with
its payment method and then confirmed with no parameters; descriptions go in metadata; it
ignores idempotency keys (the services keep a unique key per attempt and per refund, and look a
refund up by its metadata before retrying); there is no refund or cancel webhook, so refunds are
reconciled from the API response. Network retries are off: a retried charge could charge twice.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Protocol

import stripe
from flask import Flask, current_app

from mall import clock

log = logging.getLogger(__name__)

# How far a webhook's signed timestamp may be from now, either way. The SDK checks only the past
# (a replay); a timestamp in the future is as suspect (a signature made ahead of time to be
# replayed later), so both sides are checked here, against the wall clock: Stripe signs with real
# time, and the simulation's clock may be days ahead of it.
WEBHOOK_TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class SavedCard:
    customer_id: str
    payment_method_id: str
    brand: str
    last4: str


@dataclass(frozen=True)
class ChargeResult:
    """`status` is succeeded, failed or processing (the outcome is not known yet)."""

    status: str
    payment_intent_id: str | None
    failure_code: str = ""
    failure_message: str = ""


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    status: str  # succeeded, pending or failed


@dataclass(frozen=True)
class GatewayEvent:
    id: str
    type: str
    object_id: str
    metadata: dict[str, str] = field(default_factory=dict)
    amount_fen: int = 0
    failure_code: str = ""
    failure_message: str = ""


class GatewayUnavailableError(Exception):
    """The gateway could not be reached or did not answer in time: the outcome is unknown."""


class GatewayRejectedError(Exception):
    """The gateway refused the request (bad card number, unknown object…)."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class BadSignatureError(Exception):
    pass


class PaymentGateway(Protocol):
    def save_card(
        self, *, holder_name: str, card_number: str, exp_month: int, exp_year: int, cvc: str, metadata: dict[str, str]
    ) -> SavedCard: ...

    def charge(
        self, *, amount_fen: int, customer_id: str, payment_method_id: str, idempotency_key: str, metadata: dict
    ) -> ChargeResult: ...

    def payment_status(self, payment_intent_id: str) -> ChargeResult: ...

    def cancel_payment(self, payment_intent_id: str) -> None: ...

    def refund(
        self, *, payment_intent_id: str, amount_fen: int, idempotency_key: str, metadata: dict
    ) -> RefundResult: ...

    def find_refund(self, *, payment_intent_id: str, idempotency_key: str) -> RefundResult | None: ...

    def parse_webhook(self, payload: bytes, signature: str) -> GatewayEvent: ...


# Stripe statuses of a PaymentIntent, seen from the mall.
_SUCCEEDED = {"succeeded"}
_FAILED = {"requires_payment_method", "canceled"}


def _charge_result(intent) -> ChargeResult:
    data = intent.to_dict()
    status = data.get("status")
    if status in _SUCCEEDED:
        return ChargeResult("succeeded", intent.id)
    if status in _FAILED:
        error = data.get("last_payment_error") or {}
        return ChargeResult("failed", intent.id, error.get("code") or str(status), error.get("message") or "")
    return ChargeResult("processing", intent.id)


class StripeGateway:
    def __init__(self, *, api_base: str, api_key: str, webhook_secret: str, timeout: float = 20.0) -> None:
        self.webhook_secret = webhook_secret
        self.client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base},
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=(3.0, timeout)),
        )

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (stripe.APIConnectionError, stripe.RateLimitError) as err:
            raise GatewayUnavailableError(str(err)) from err
        except stripe.StripeError as err:
            if err.http_status is not None and err.http_status >= 500:
                raise GatewayUnavailableError(str(err)) from err
            raise GatewayRejectedError(err.user_message or str(err), err.code or "") from err

    def save_card(
        self, *, holder_name: str, card_number: str, exp_month: int, exp_year: int, cvc: str, metadata: dict[str, str]
    ) -> SavedCard:
        method = self._call(
            self.client.v1.payment_methods.create,
            params={
                "type": "card",
                "card": {"number": card_number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc},
                "billing_details": {"name": holder_name},
                "metadata": metadata,
            },
        )
        customer = self._call(
            self.client.v1.customers.create,
            params={
                "name": holder_name,
                "payment_method": method.id,
                "invoice_settings": {"default_payment_method": method.id},
                "metadata": metadata,
            },
        )
        return SavedCard(customer.id, method.id, method.card.brand, method.card.last4)

    def charge(
        self, *, amount_fen: int, customer_id: str, payment_method_id: str, idempotency_key: str, metadata: dict
    ) -> ChargeResult:
        options = {"idempotency_key": idempotency_key}
        intent = self._call(
            self.client.v1.payment_intents.create,
            params={
                "amount": amount_fen,
                "currency": "cny",
                "customer": customer_id,
                "payment_method": payment_method_id,
                "payment_method_types": ["card"],
                "metadata": {k: str(v) for k, v in metadata.items()},
            },
            options=options,
        )
        try:
            intent = self._call(self.client.v1.payment_intents.confirm, intent.id, options=options)
        except GatewayRejectedError as err:  # a declined card answers 402
            return ChargeResult("failed", intent.id, err.code or "card_declined", str(err))
        except GatewayUnavailableError:
            return ChargeResult("processing", intent.id)
        return _charge_result(intent)

    def payment_status(self, payment_intent_id: str) -> ChargeResult:
        return _charge_result(self._call(self.client.v1.payment_intents.retrieve, payment_intent_id))

    def cancel_payment(self, payment_intent_id: str) -> None:
        self._call(self.client.v1.payment_intents.cancel, payment_intent_id)

    def refund(self, *, payment_intent_id: str, amount_fen: int, idempotency_key: str, metadata: dict) -> RefundResult:
        refund = self._call(
            self.client.v1.refunds.create,
            params={
                "payment_intent": payment_intent_id,
                "amount": amount_fen,
                "metadata": {"idempotency_key": idempotency_key} | {k: str(v) for k, v in metadata.items()},
            },
            options={"idempotency_key": idempotency_key},
        )
        return RefundResult(refund.id, refund.status)

    def find_refund(self, *, payment_intent_id: str, idempotency_key: str) -> RefundResult | None:
        """A refund made earlier under this key (localstripe ignores idempotency keys, so a retry
        after a timeout looks first)."""
        found = self._call(self.client.v1.refunds.list, params={"payment_intent": payment_intent_id, "limit": 100})
        for refund in found.data:
            if (refund.to_dict().get("metadata") or {}).get("idempotency_key") == idempotency_key:
                return RefundResult(refund.id, refund.status)
        return None

    def parse_webhook(self, payload: bytes, signature: str) -> GatewayEvent:
        """Verify the Stripe-Signature header (HMAC with the signing secret, signed within 5 minutes
        of now, before or after) before reading anything, then reduce the event to what the mall uses."""
        try:
            stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature, self.webhook_secret)
            _check_signed_at(signature)
            event = json.loads(payload)
            obj = event["data"]["object"]
            error = obj.get("last_payment_error") or {}
            return GatewayEvent(
                id=str(event["id"]),
                type=str(event["type"]),
                object_id=str(obj.get("id", "")),
                metadata={str(k): str(v) for k, v in (obj.get("metadata") or {}).items()},
                amount_fen=int(obj.get("amount") or 0),
                failure_code=str(error.get("code") or ""),
                failure_message=str(error.get("message") or ""),
            )
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise BadSignatureError(str(err)) from err


def _check_signed_at(signature: str) -> None:
    signed_at = int(dict(part.split("=", 1) for part in signature.split(",") if "=" in part)["t"])
    if abs(clock.real_now().timestamp() - signed_at) > WEBHOOK_TOLERANCE_SECONDS:
        raise BadSignatureError(f"timestamp {signed_at} outside the tolerance of {WEBHOOK_TOLERANCE_SECONDS} s")


def init_app(app: Flask) -> None:
    app.extensions["payment_gateway"] = StripeGateway(
        api_base=app.config["STRIPE_API_BASE"],
        api_key=app.config["STRIPE_API_KEY"],
        webhook_secret=app.config["STRIPE_WEBHOOK_SECRET"],
    )


def gateway() -> PaymentGateway:
    return current_app.extensions["payment_gateway"]

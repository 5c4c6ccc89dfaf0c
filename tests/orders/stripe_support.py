"""Test helpers for localstripe: read what reached it, and sign webhook bodies as it does."""

from __future__ import annotations

import hashlib
import hmac
import json

import requests

from mall import clock
from tests.conftest import TEST_WEBHOOK_SECRET


class StripeReader:
    """What reached the test session's localstripe: payments, refunds, events."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer sk_test_reader"

    def list(self, resource: str, **params) -> list[dict]:
        response = self.session.get(f"{self.base}/v1/{resource}", params={"limit": 100, **params}, timeout=10)
        response.raise_for_status()
        return response.json()["data"]

    def charges(self) -> list[dict]:
        """Successful PaymentIntents: the money that left a card."""
        return [pi for pi in self.list("payment_intents") if pi["status"] == "succeeded"]

    def refunds(self) -> list[dict]:
        return self.list("refunds")

    def events(self, type_: str) -> list[dict]:
        return self.list("events", type=type_)

    def close(self) -> None:
        self.session.close()


def signed(payload: dict | bytes, secret: str = TEST_WEBHOOK_SECRET, *, at: int | None = None) -> tuple[bytes, str]:
    """A webhook body and its Stripe-Signature header, signed as localstripe (and Stripe) sign."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    timestamp = at if at is not None else int(clock.real_now().timestamp())
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={signature}"

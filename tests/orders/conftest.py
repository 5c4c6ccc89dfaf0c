"""Orders tests talk to the session's localstripe: each starts with an empty Stripe store."""

import pytest


@pytest.fixture(autouse=True)
def _empty_stripe_store(stripe):
    return stripe

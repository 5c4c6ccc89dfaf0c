"""Fulfillment's JSON API under /api/v1 (one module per flow: shipping, aftersales, payables) and
the carriers' webhook."""

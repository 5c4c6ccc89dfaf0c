"""Fulfillment's JSON API under /api/v1 (one module per flow) and the carriers' webhook."""

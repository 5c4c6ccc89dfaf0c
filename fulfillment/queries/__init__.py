"""Fulfillment reads, one module per flow, with their scope: another unit's or another
supplier's object is `NotFoundError` (404), never its data."""

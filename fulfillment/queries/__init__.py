"""Fulfillment reads, split by flow (`shipping`, …): scope first — another unit's or another
supplier's object is NotFoundError (404), never a 403 that confirms it exists."""

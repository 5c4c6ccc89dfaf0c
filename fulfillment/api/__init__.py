"""Fulfillment's JSON API (`/api/v1`), one module per flow; thin: parse, call the services,
answer with `_fen` integers and ISO-8601 times."""

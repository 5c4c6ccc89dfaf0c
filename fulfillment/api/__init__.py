"""Fulfillment's JSON API (`/api/v1`): one module per flow, each with its blueprint, registered
by `fulfillment.init_app`. Thin: parse, call the same services as the pages, answer dicts."""

"""Fulfillment's pages: one module per flow, each with its blueprint, registered by
`fulfillment.init_app`. Thin: read through queries, act through services, render."""

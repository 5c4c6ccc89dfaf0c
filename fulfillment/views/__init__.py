"""Fulfillment pages, one module per flow; thin: services decide, queries read, and a domain
error is flashed by the shared handler, which sends the user back to the page they came from."""

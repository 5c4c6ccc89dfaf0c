"""Orders: unit carts, checkout, payments, welfare packs, vouchers and joint purchase pools."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Orders adds its pages, API routes and jobs here as they are built (carts and checkout first)."""

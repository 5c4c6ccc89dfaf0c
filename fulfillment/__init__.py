"""Fulfillment: shipments and carrier events, acceptance, evaluations, after-sales, payables."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Fulfillment adds its pages, API routes and jobs here as they are built."""

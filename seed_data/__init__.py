"""Realistic demo data for the mall, and the year simulation. Drives the services, never the tables."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from seed_data import cli

    cli.init_app(app)

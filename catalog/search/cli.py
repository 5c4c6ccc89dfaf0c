"""`flask search …`: rebuild the index, apply the outbox once, run the outbox worker, show status."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from catalog import search
from mall.extensions import db

search_cli = AppGroup("search", help="The product search index.")


@search_cli.command("rebuild")
@click.option("--if-needed", is_flag=True, help="Only when the index is missing or was built by an older schema.")
def search_rebuild(if_needed: bool) -> None:
    """Index every approved product into a new index and swap it in (readers never wait)."""
    engine = search.get_engine()
    if if_needed and not engine.needs_rebuild():
        click.echo(f"search index up to date ({engine.current_generation()})")
        return
    with tqdm(total=0, desc="搜索索引", unit="条") as bar:

        def on_total(total: int) -> None:
            bar.total = total
            bar.refresh()

        total = search.rebuild_index(db.session, engine, progress=bar.update, on_total=on_total)
    click.echo(f"search index rebuilt: {total} products ({engine.current_generation()})")


@search_cli.command("apply")
def search_apply() -> None:
    """Apply every pending outbox row once (the worker does this continuously)."""
    done = 0
    while applied := search.apply_outbox(db.session, wait=30.0):
        done += applied
    click.echo(f"search outbox applied: {done} products")


@search_cli.command("worker")
@click.option("--interval", type=float, default=0.5, show_default=True, help="Seconds between outbox polls.")
@click.option("--rounds", type=int, default=None, help="Stop after this many polls (default: forever).")
def search_worker(interval: float, rounds: int | None) -> None:
    """The one index writer: polls the outbox and applies it, so a product approved a moment ago
    is searchable within about a second (`make run` starts it beside gunicorn)."""
    engine = search.get_engine()
    search.warm_up()  # jieba now, not on the first change
    click.echo(f"search worker: polling every {interval}s, index in {engine.directory}")
    polls = 0

    def should_stop() -> bool:
        return rounds is not None and polls >= rounds

    def count(_applied: int) -> None:
        nonlocal polls
        polls += 1

    try:
        search.run_worker(db.session, engine, interval=interval, should_stop=should_stop, on_round=count)
    except KeyboardInterrupt:
        click.echo("search worker stopped")


@search_cli.command("status")
def search_status() -> None:
    """The live index generation, its product count and the pending outbox."""
    engine = search.get_engine()
    generation = engine.current_generation()
    if generation is None:
        click.echo(f"no search index in {engine.directory} (run: flask search rebuild)")
    else:
        stale = " (built by an older schema: run flask search rebuild)" if engine.needs_rebuild() else ""
        click.echo(f"index: {engine.directory / generation}{stale}")
        click.echo(f"products: {engine.doc_count()}")
    click.echo(f"pending outbox rows: {search.pending_count(db.session)}")
    click.echo(f"jieba cache: {current_app.instance_path}")

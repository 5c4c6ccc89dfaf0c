"""Real processes on one index, as under gunicorn with `flask search worker` beside it: readers
searching non-stop, two worker loops competing to be the writer, a rebuild swapping the index in
the middle, and this process changing products. No reader ever sees an error, the writers never
write at the same time, and every change becomes searchable in every reader."""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import time

import pytest
from sqlalchemy import select

from catalog import search
from catalog.domain import ListFilters
from catalog.models import Product
from catalog.search import outbox
from mall.extensions import db
from tests.conftest import make_test_app
from tests.factories import make_category, make_product, make_supplier

MARKER = "并发标记"
RUN_SECONDS = 4.0


@pytest.fixture
def app_overrides(tmp_path, db_kind):
    overrides = {"SEARCH_INDEX_DIR": str(tmp_path / "search")}
    if db_kind == "sqlite":
        # Other processes cannot see an in-memory database: use a file (WAL, as in production).
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'mall.db'}"
    return overrides


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage() + (f" {record.exc_info[1]!r}" if record.exc_info else ""))


def _child(role: str, config: dict, ready: mp.Queue, start: mp.Event, stop_at: mp.Value, out: mp.Queue) -> None:
    app = make_test_app(config["SQLALCHEMY_DATABASE_URI"], config["INSTANCE_PATH"], **config["overrides"])
    errors = _Collect()
    logging.getLogger("catalog").addHandler(errors)
    with app.app_context():
        engine = app.extensions["search"]
        writes: list[tuple[float, float, int]] = []
        for name in ("apply", "rebuild"):  # record when this process holds the index writer
            original = getattr(engine, name)

            def recording(*args, _original=original, **kwargs):
                began = time.monotonic()
                try:
                    return _original(*args, **kwargs)
                finally:
                    writes.append((began, time.monotonic(), os.getpid()))

            setattr(engine, name, recording)
        engine.search(ListFilters(q="腊肉"))  # open the index and warm jieba before the clock starts
        ready.put(role)
        start.wait()
        seen: dict[int, float] = {}
        searches = 0
        if role == "reader":
            while time.monotonic() < stop_at.value:
                try:
                    # The engine itself, not search_products: its database fallback would hide errors.
                    for hit in engine.search(ListFilters(q=MARKER, per_page=60)).hits:
                        seen.setdefault(hit.product_id, time.monotonic())
                except Exception as err:  # any failure is what this test looks for
                    errors.messages.append(repr(err))
                searches += 1
        elif role == "writer":
            search.run_worker(db.session, engine, interval=0.2, should_stop=lambda: time.monotonic() > stop_at.value)
        else:  # rebuild once, in the middle of it all
            time.sleep(RUN_SECONDS / 3)
            search.rebuild_index(db.session, engine)
        out.put({"role": role, "errors": errors.messages, "writes": writes, "seen": seen, "searches": searches})


def _end_when_indexed(app, stop_at, planned_end: float, expected: int) -> None:
    """End the run at its planned time, or, on a busy machine where the writers apply the last
    change later, once this process's own reader finds every change, plus one second for the
    readers to see it too."""
    engine = app.extensions["search"]
    give_up = time.monotonic() + 90
    while time.monotonic() < give_up:
        if len(engine.search(ListFilters(q=MARKER, per_page=60)).hits) >= expected:
            break
        time.sleep(0.1)
    stop_at.value = max(planned_end, time.monotonic() + 1.0)


@pytest.mark.slow
def test_readers_writers_and_a_rebuild_in_separate_processes(app):
    # given a catalogue and its index
    supplier, category = make_supplier(), make_category()
    products = [make_product(supplier=supplier, category=category, title=f"定西土豆粉条 {n}号") for n in range(12)]
    db.session.commit()
    search.rebuild_index(db.session)
    config = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INSTANCE_PATH": app.instance_path,
        "overrides": {"SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"]},
    }
    ctx = mp.get_context("spawn")
    ready, out, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    stop_at = ctx.Value("d", 0.0)
    roles = ["reader", "reader", "reader", "writer", "writer", "rebuild"]
    children = [ctx.Process(target=_child, args=(r, config, ready, start, stop_at, out)) for r in roles]
    for child in children:
        child.start()
    try:
        for _ in roles:
            ready.get(timeout=240)  # six fresh interpreters load jieba: slow on a busy machine
        # when every process runs at once while products change here
        planned_end = time.monotonic() + RUN_SECONDS
        stop_at.value = planned_end + 600  # until this process says the run is over
        start.set()
        changed_at: dict[int, float] = {}
        for n, product in enumerate(products):
            product.title = f"{MARKER}{n} 定西土豆粉条"
            outbox.enqueue(db.session, [product.id])
            db.session.commit()
            changed_at[product.id] = time.monotonic()
            time.sleep((RUN_SECONDS - 2.5) / len(products))
        _end_when_indexed(app, stop_at, planned_end, len(products))
        reports = [out.get(timeout=60) for _ in roles]
    finally:
        for child in children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
    # then no process met an error: no lock error, no missing file, no failed search
    assert [r["errors"] for r in reports] == [[] for _ in reports]
    readers = [r for r in reports if r["role"] == "reader"]
    assert all(r["searches"] > 20 for r in readers)
    # the writers (two worker loops and the rebuild) never held the index at the same time
    writes = sorted(w for r in reports for w in r["writes"])
    assert len({pid for _, _, pid in writes}) >= 2
    assert all(earlier[1] <= later[0] for earlier, later in zip(writes, writes[1:], strict=False))
    # every change became searchable in every reader while the run lasted (how fast is measured
    # by bench/search.py, not asserted here: a busy machine must not fail the suite)
    for report in readers:
        for product_id in changed_at:
            assert product_id in report["seen"], f"product {product_id} never seen by a reader"
    # and the index ends up true to the database
    search.apply_outbox(db.session)
    titles = set(db.session.scalars(select(Product.title).where(Product.title.like(f"{MARKER}%"))))
    found = search.search_products(db.session, ListFilters(q=MARKER, per_page=60))
    assert sorted(h.product_id for h in found.hits) == sorted(p.id for p in products)
    assert len(titles) == len(products)

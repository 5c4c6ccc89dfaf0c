"""Product search: the engine interface, and the services that keep the index true to the database.

- `SearchEngine` (engine.py) is our own small interface; `catalog.search.whoosh.WhooshEngine`
  implements it with Whoosh, jieba and pypinyin (analysis in `catalog.search.analysis`); the
  documents it indexes are read in documents.py.
- The database is the truth. Every product change writes a `SearchOutbox` row in its own
  transaction (outbox.py); `apply_outbox` is the one writer that turns those rows into
  index updates (the `flask search worker` loop), and `rebuild_index` recreates the index from the
  database into a new directory and swaps it in.
- `search_products` answers the results page and the API. If the index is missing or broken it
  falls back to a plain title match in the database: a search never fails a request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from catalog import queries
from catalog.domain import PROGRAM_LABELS, STORAGE_LABELS, ListFilters, ProductStatus, SourceProgram, Storage
from catalog.models import Category, Product, SearchOutbox
from catalog.search.documents import product_documents
from catalog.search.engine import FACET_NAMES as FACET_NAMES
from catalog.search.engine import PRICE_BAND_EDGES_FEN as PRICE_BAND_EDGES_FEN
from catalog.search.engine import FacetCount as FacetCount
from catalog.search.engine import ProductDocument as ProductDocument
from catalog.search.engine import SearchEngine as SearchEngine
from catalog.search.engine import SearchHit as SearchHit
from catalog.search.engine import SearchResult as SearchResult
from catalog.search.engine import price_band_label as price_band_label
from catalog.search.engine import price_band_of as price_band_of
from catalog.search.engine import price_band_range as price_band_range
from catalog.search.outbox import enqueue
from mall.regions.domain import short_name
from mall.regions.models import Region

log = logging.getLogger(__name__)

OUTBOX_BATCH = 500


# ---- wiring ------------------------------------------------------------------------------------------


def index_dir(app: Flask) -> Path:
    return Path(app.config.get("SEARCH_INDEX_DIR") or Path(app.instance_path) / "search")


def init_app(app: Flask) -> None:
    """Make the engine available as `current_app.extensions["search"]` (no I/O here)."""
    from catalog.search import analysis
    from catalog.search.whoosh import WhooshEngine

    analysis.set_cache_dir(app.instance_path)
    app.extensions["search"] = WhooshEngine(index_dir(app))


def get_engine() -> SearchEngine:
    return current_app.extensions["search"]


def warm_up() -> None:
    """Load jieba's dictionary and pypinyin's tables now (≈1 s), e.g. in gunicorn's master before
    it forks workers, and in the worker before the first change arrives."""
    from catalog.search import analysis

    analysis.init_jieba()
    analysis.to_pinyin("预热")  # pypinyin loads its phrase tables on first use (~0.2 s)


def apply_outbox(session: Session, engine: SearchEngine | None = None, *, wait: float = 0.0) -> int:
    """Apply up to OUTBOX_BATCH outbox rows to the index (the one writer), then delete them.

    Holds the engine's writer lock (WriterBusyError after `wait` seconds if a rebuild or another
    worker has it). Returns how many products were re-read. Safe to repeat: a crash between the
    index commit and the outbox delete only re-applies the same products.
    """
    engine = engine or get_engine()
    with engine.writer_lock(wait=wait):
        rows = session.execute(
            select(SearchOutbox.id, SearchOutbox.product_id).order_by(SearchOutbox.id).limit(OUTBOX_BATCH)
        ).all()
        if not rows:
            session.rollback()
            return 0
        product_ids = sorted({pid for _, pid in rows})
        upserts = list(product_documents(session, product_ids))
        shown = {d.id for d in upserts}
        engine.apply(upserts, [pid for pid in product_ids if pid not in shown])
        session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([rid for rid, _ in rows])))
        session.commit()
    log.info("search outbox applied: %s products (%s shown)", len(product_ids), len(shown))
    return len(product_ids)


def run_worker(
    session: Session,
    engine: SearchEngine | None = None,
    *,
    interval: float = 0.5,
    should_stop: Callable[[], bool] = lambda: False,
    on_round: Callable[[int], None] | None = None,
) -> None:
    """The outbox worker loop (`flask search worker`): build the index if there is none, apply
    the outbox, then wait `interval` seconds unless a full batch suggests more is waiting. A
    rebuild holding the lock, or a database hiccup, only skips a round: the one writer must
    outlive both."""
    from catalog.search.whoosh import WriterBusyError

    engine = engine or get_engine()
    while not should_stop():
        started = time.monotonic()
        try:
            if not engine.exists():  # a fresh install, or the folder was removed: the writer builds it
                rebuild_index(session, engine, wait=0.0)
            applied = apply_outbox(session, engine)
        except WriterBusyError:
            applied = 0  # a rebuild: its swap covers what it read, the rest stays queued for us
        except Exception:
            session.rollback()
            log.exception("search worker: applying the outbox failed")
            applied = 0
        finally:
            session.close()
        if on_round:
            on_round(applied)
        if applied < OUTBOX_BATCH:
            time.sleep(max(0.0, interval - (time.monotonic() - started)))


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count(SearchOutbox.id))) or 0


def rebuild_index(
    session: Session,
    engine: SearchEngine | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    wait: float = 30.0,
) -> int:
    """Index every approved product into a new index and swap it in; readers keep the old one
    until the swap, then pick up the new one. Outbox rows older than the rebuild are done."""
    engine = engine or get_engine()
    with engine.writer_lock(wait=wait):
        # Rows up to here are reflected by the read below; later ones stay for the worker.
        watermark = session.scalar(select(func.max(SearchOutbox.id))) or 0
        total = session.scalar(select(func.count(Product.id)).where(Product.status == ProductStatus.APPROVED)) or 0
        if on_total:
            on_total(total)
        generation = engine.rebuild(product_documents(session), progress=progress, total=total)
        session.execute(delete(SearchOutbox).where(SearchOutbox.id <= watermark))
        session.commit()
    log.info("search index rebuilt: %s products in %s", total, generation)
    return total


def reindex_supplier(session: Session, supplier_id: int) -> None:
    """Queue a supplier's products (its standing changed, so their ranking did). The caller commits."""
    enqueue(session, session.scalars(select(Product.id).where(Product.supplier_id == supplier_id)))


# ---- searching ------------------------------------------------------------------------------------


def search_products(session: Session, filters: ListFilters, engine: SearchEngine | None = None) -> SearchResult:
    """Search approved products; facet values come back with their Chinese labels."""
    engine = engine or get_engine()
    try:
        result = engine.search(filters)
    except Exception:
        # The index is missing (never built) or unreadable: answer from the database instead.
        log.warning("search index unavailable, answering from the database", exc_info=not _index_missing(engine))
        result = _database_search(session, filters)
    return SearchResult(**{**result.__dict__, "facets": label_facets(session, result.facets)})


def _index_missing(engine: SearchEngine) -> bool:
    try:
        return not engine.exists()
    except Exception:
        return False


def _database_search(session: Session, filters: ListFilters) -> SearchResult:
    category = session.scalar(select(Category).where(Category.slug == filters.category)) if filters.category else None
    stmt = queries.product_list_select(filters, category_id=category.id if category else None)
    total = session.scalar(queries.count_select(stmt)) or 0
    rows = session.scalars(stmt.limit(filters.per_page).offset((filters.page - 1) * filters.per_page)).unique()
    from catalog.search.highlight import highlight, snippet

    words = (filters.q,) if filters.q else ()
    hits = [SearchHit(p.id, 0.0, highlight(p.title, words), snippet(p.description or "", words)) for p in rows]
    return SearchResult(hits=hits, total=total, facets={}, words=words, engine="database")


def label_facets(session: Session, facets: dict[str, list[FacetCount]]) -> dict[str, list[FacetCount]]:
    """The facets with Chinese labels (category names, region names, program and band labels)."""
    categories = dict(session.execute(select(Category.slug, Category.name)).all()) if facets.get("category") else {}
    codes = [f.value for name in ("province", "county") for f in facets.get(name, [])]
    regions = (
        dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all()) if codes else {}
    )
    labellers: dict[str, Callable[[str], str]] = {
        "category": lambda v: categories.get(v, v),
        "province": lambda v: regions.get(v, v),
        "county": lambda v: short_name(regions.get(v, v)),
        "program": lambda v: PROGRAM_LABELS.get(SourceProgram(v), v),
        "storage": lambda v: STORAGE_LABELS.get(Storage(v), v),
        "price_band": price_band_label,
    }
    return {
        name: [FacetCount(f.value, f.count, labellers[name](f.value)) for f in values]
        for name, values in facets.items()
    }


def products_for(session: Session, hits: Sequence[SearchHit]) -> list[tuple[Product, SearchHit]]:
    """The hits' products in rank order, still approved (the index may lag the database by a moment)."""
    ids = [h.product_id for h in hits]
    if not ids:
        return []
    rows = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids), queries.on_sale())).unique()}
    return [(rows[h.product_id], h) for h in hits if h.product_id in rows]

"""Product search: the engine interface, and the services that keep the index true to the database.

- `SearchEngine` is our own small interface; `catalog.search_whoosh.WhooshEngine` implements it
  with Whoosh, jieba and pypinyin (analysis in `catalog.search_analysis`). Another engine
  (OpenSearch with a Chinese analyzer) would implement the same five methods.
- The database is the truth. Every product change writes a `SearchOutbox` row in its own
  transaction (catalog/outbox.py); `apply_outbox` is the one writer that turns those rows into
  index updates (the `flask search worker` loop), and `rebuild_index` recreates the index from the
  database into a new directory and swaps it in.
- `search_products` answers the results page and the API. If the index is missing or broken it
  falls back to a plain title match in the database: a search never fails a request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from catalog import queries
from catalog.domain import PROGRAM_LABELS, STORAGE_LABELS, ListFilters, ProductStatus, SourceProgram, Storage
from catalog.models import Category, Product, SearchOutbox, Supplier
from catalog.outbox import enqueue
from mall.money import format_yuan
from mall.regions.domain import province_short_name, short_name
from mall.regions.models import Region

log = logging.getLogger(__name__)

FACET_NAMES = ("category", "province", "county", "program", "price_band", "storage")
# Price bands of the facet, in fen: [0, 20 元), [20, 50), [50, 100), [100, 200), [200, 500), [500, ∞).
PRICE_BAND_EDGES_FEN = (0, 2_000, 5_000, 10_000, 20_000, 50_000)
OUTBOX_BATCH = 500


# ---- what the engine takes and gives (pure) ------------------------------------------------------


@dataclass(frozen=True)
class ProductDocument:
    """One approved product as the index sees it."""

    id: int
    title: str
    description: str
    spec: str
    category: str  # slug
    category_name: str
    supplier_name: str
    province: str  # codes
    county: str
    place_names: tuple[str, ...]  # 甘肃省 甘肃 定西市 定西 安定区 安定
    short_places: tuple[str, ...]  # 甘肃 定西 安定: what people type, also in pinyin
    labels: tuple[str, ...]  # program and storage labels, 重点帮扶县
    program: str
    storage: str
    national_key: bool
    price_fen: int
    per_kilo_fen: int | None
    standing: int
    sales: int
    created_ts: int


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    label: str = ""


@dataclass(frozen=True)
class SearchHit:
    product_id: int
    score: float
    title_html: str  # the title, HTML-escaped, matched words in <mark>
    snippet_html: str  # part of the description around the first match, likewise


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None  # "did you mean", offered when nothing matched
    partial: bool = False  # nothing matched every word; these match some of them
    words: tuple[str, ...] = ()
    engine: str = "whoosh"  # "database" when the index was unavailable
    extra: dict = field(default_factory=dict)


def price_band_of(price_fen: int) -> str:
    """'2000-5000' for 20–50 元; the top band is open: '50000-'."""
    edges = PRICE_BAND_EDGES_FEN
    for low, high in zip(edges, (*edges[1:], None), strict=True):
        if high is None or price_fen < high:
            return f"{low}-{high if high is not None else ''}"
    raise AssertionError("unreachable")


def price_band_range(value: str) -> tuple[int, int | None]:
    """The inclusive fen range of a band value (a filter's price_min_fen, price_max_fen)."""
    low, _, high = value.partition("-")
    return int(low), (int(high) - 1 if high else None)


def price_band_label(value: str) -> str:
    low, high = price_band_range(value)
    if low == 0 and high is not None:
        return f"{format_yuan(high + 1).removesuffix('.00')}以下"
    if high is None:
        return f"{format_yuan(low).removesuffix('.00')}以上"
    return f"{format_yuan(low).removesuffix('.00')}–{format_yuan(high + 1).removesuffix('.00')}"


class SearchEngine(Protocol):
    """What the mall needs from a search engine."""

    name: str

    def exists(self) -> bool: ...

    def needs_rebuild(self) -> bool: ...

    def current_generation(self) -> str | None: ...

    def doc_count(self) -> int: ...

    def search(self, filters: ListFilters) -> SearchResult: ...

    def apply(self, upserts: Sequence[ProductDocument], removals: Iterable[int]) -> None: ...

    def rebuild(
        self,
        documents: Iterable[ProductDocument],
        progress: Callable[[int], None] | None = None,
        *,
        total: int | None = None,
    ) -> str: ...

    def writer_lock(self, *, wait: float = 0.0) -> AbstractContextManager[None]: ...


# ---- wiring ------------------------------------------------------------------------------------------


def index_dir(app: Flask) -> Path:
    return Path(app.config.get("SEARCH_INDEX_DIR") or Path(app.instance_path) / "search")


def init_app(app: Flask) -> None:
    """Make the engine available as `current_app.extensions["search"]` (no I/O here)."""
    from catalog import search_analysis
    from catalog.search_whoosh import WhooshEngine

    search_analysis.set_cache_dir(app.instance_path)
    app.extensions["search"] = WhooshEngine(index_dir(app))


def get_engine() -> SearchEngine:
    return current_app.extensions["search"]


def warm_up() -> None:
    """Load jieba's dictionary and pypinyin's tables now (≈1 s), e.g. in gunicorn's master before
    it forks workers, and in the worker before the first change arrives."""
    from catalog import search_analysis

    search_analysis.init_jieba()
    search_analysis.to_pinyin("预热")  # pypinyin loads its phrase tables on first use (~0.2 s)


# ---- the database side -------------------------------------------------------------------------------


def _bare(name: str) -> str:
    """'安定区' -> '安定', '酉阳县' -> '酉阳'; one-character stems keep their suffix (单县)."""
    for suffix in ("自治州", "地区", "县", "区", "市", "旗", "盟", "州"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _document_select(product_ids: Sequence[int] | None):
    county, city, province = aliased(Region), aliased(Region), aliased(Region)
    stmt = (
        select(
            Product.id,
            Product.title,
            Product.description,
            Product.spec,
            Product.season,
            Category.slug,
            Category.name,
            Supplier.name,
            Supplier.standing_score,
            Product.origin_province_code,
            Product.origin_county_code,
            county.name,
            county.is_national_key,
            city.name,
            province.name,
            Product.program,
            Product.storage,
            Product.price_fen,
            Product.per_kilo_fen,
            Product.sales_qty,
            Product.created_at,
        )
        .join(Category, Category.id == Product.category_id)
        .join(Supplier, Supplier.id == Product.supplier_id)
        .join(county, county.code == Product.origin_county_code)
        .outerjoin(city, city.code == county.parent_code)
        .outerjoin(province, province.code == Product.origin_province_code)
        .where(Product.status == ProductStatus.APPROVED)
        .order_by(Product.id)
    )
    if product_ids is not None:
        stmt = stmt.where(Product.id.in_(product_ids))
    return stmt


def documents(session: Session, product_ids: Sequence[int] | None = None) -> Iterator[ProductDocument]:
    """The approved products (all, or those of `product_ids`) as index documents."""
    rows = session.execute(_document_select(product_ids).execution_options(yield_per=1000))
    for row in rows:
        (pid, title, description, spec, season, slug, category_name, supplier_name, standing, province, county,
         county_name, national_key, city_name, province_name, program, storage, price, per_kilo, sales, created) = row  # fmt: skip
        places: list[str] = []
        short_places: list[str] = []
        for name in (province_name, city_name, county_name):
            if name:
                short = province_short_name(name) if name == province_name else _bare(short_name(name))
                places += [name, short]
                short_places.append(short)
        labels = [PROGRAM_LABELS[SourceProgram(program)], STORAGE_LABELS[Storage(storage)]]
        if national_key:
            labels.append("国家乡村振兴重点帮扶县")
        yield ProductDocument(
            id=pid,
            title=title,
            description=description or "",
            spec=" ".join(filter(None, (spec, season))),
            category=slug,
            category_name=category_name,
            supplier_name=supplier_name,
            province=province,
            county=county,
            place_names=tuple(dict.fromkeys(places)),
            short_places=tuple(dict.fromkeys(short_places)),
            labels=tuple(labels),
            program=str(SourceProgram(program).value),
            storage=str(Storage(storage).value),
            national_key=bool(national_key),
            price_fen=price,
            per_kilo_fen=per_kilo,
            standing=standing,
            sales=sales,
            created_ts=int(created.timestamp()) if created else 0,
        )


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
        upserts = list(documents(session, product_ids))
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
    from catalog.search_whoosh import WriterBusyError

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
        generation = engine.rebuild(documents(session), progress=progress, total=total)
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
    from catalog.search_highlight import highlight, snippet

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

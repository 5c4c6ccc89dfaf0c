"""What the search engine takes and gives, and the interface an engine implements (pure: no
database). `catalog.search.whoosh.WhooshEngine` implements it; another engine (OpenSearch with a
Chinese analyzer) would implement the same five methods."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from catalog.domain import ListFilters
from mall.money import format_yuan

FACET_NAMES = ("category", "province", "county", "program", "price_band", "storage")
# Price bands of the facet, in fen: [0, 20 元), [20, 50), [50, 100), [100, 200), [200, 500), [500, ∞).
PRICE_BAND_EDGES_FEN = (0, 2_000, 5_000, 10_000, 20_000, 50_000)


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

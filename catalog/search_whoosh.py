"""The Whoosh search engine behind catalog.search's `SearchEngine` protocol.

On disk (SEARCH_INDEX_DIR, default instance/search):

    CURRENT          the name of the live generation, replaced atomically (os.replace)
    gen-<stamp>/     one Whoosh index; `rebuild` writes a new one and swaps CURRENT
    writer.lock      held (flock) by the one writer: the outbox worker, `apply` or `rebuild`

Readers never take a lock: each thread keeps a searcher, re-reads CURRENT and the index
generation at most every `check_interval` seconds, and keeps serving from what it has if
opening the new one fails. Whoosh itself retries when a merge removes a file under it.

Whoosh stores and reads the postings; matching, scoring, filters and facets are done here over
sets of document numbers, which is several times faster in Python than Whoosh's matcher tree:

- every query word must match in some field (title, synonyms, character pairs, pinyin, initials,
  tags, description); if no product matches them all, any word may (a partial match);
- a word scores field boost × idf for each field it matches (product titles are short, so term
  frequency and length add noise, not signal); matches rank by score in bands of 10 % of the best,
  then by supplier standing, then by sales;
- filters and facet counts run over column arrays read once per index segment.
"""

from __future__ import annotations

import fcntl
import heapq
import logging
import math
import os
import re
import shutil
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from whoosh import columns, fields, index
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from catalog import search_analysis as analysis
from catalog.domain import ListFilters, SortKey
from catalog.search import (
    FACET_NAMES,
    FacetCount,
    ProductDocument,
    SearchHit,
    SearchResult,
    price_band_of,
)

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
LOCK_FILE = "writer.lock"
VERSION_FILE = "VERSION"
# Bump when the schema or what goes into a field changes: readers refuse an index of another
# version (search answers from the database) until `flask search rebuild`.
SCHEMA_VERSION = 1
# Field boosts: a word in the title counts most; a synonym, place or pinyin match less.
# The description counts little: mentioning a word there should not lift a product above others
# whose titles match equally (see RELEVANCE_BAND).
BOOSTS = {"title": 4.0, "syn": 2.5, "py": 2.5, "grams": 1.5, "pyi": 1.5, "pys": 1.2, "tags": 1.5, "text": 0.3}
RELEVANCE_BAND = 0.10
STATIC_ORDER_FROM = 3000  # results beyond which ranking uses a precomputed order of the whole index
TERM_CACHE_SIZE = 2048
PARALLEL_BUILD_FROM = 5000  # products from which a rebuild uses two processes
PARALLEL_BATCH = 100  # documents handed to a process at a time


class IndexMissingError(RuntimeError):
    """No index has been built yet (`flask search rebuild`)."""


class WriterBusyError(RuntimeError):
    """Another process holds the writer lock (a rebuild, or another worker)."""


def _expected_versions() -> dict[str, str]:
    return {"schema": str(SCHEMA_VERSION), "words": analysis.data_fingerprint()}


def make_schema() -> fields.Schema:
    words = analysis.chinese_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=fields.TEXT(analyzer=words, stored=True, phrase=False),
        description=fields.STORED(),
        # scorable=True on keyword fields also spares Whoosh a file-exists check per posting
        # while indexing (it looks for a length column that unscored fields lack).
        syn=fields.KEYWORD(scorable=True),
        grams=fields.KEYWORD(scorable=True),
        py=fields.KEYWORD(scorable=True),
        pyi=fields.KEYWORD(scorable=True),
        pys=fields.KEYWORD(scorable=True),  # pinyin and initials spelled through synonyms
        tags=fields.TEXT(analyzer=words, phrase=False),
        text=fields.TEXT(analyzer=words, phrase=False),
        category=fields.ID(sortable=True),
        province=fields.ID(sortable=True),
        county=fields.ID(sortable=True),
        program=fields.ID(sortable=True),
        storage=fields.ID(sortable=True),
        national_key=fields.ID(sortable=True),
        price=fields.COLUMN(columns.NumericColumn("q")),
        per_kilo=fields.COLUMN(columns.NumericColumn("q")),  # -1: no weight on the spec
        standing=fields.COLUMN(columns.NumericColumn("i")),
        sales=fields.COLUMN(columns.NumericColumn("q")),
        created=fields.COLUMN(columns.NumericColumn("q")),
    )


def document_fields(doc: ProductDocument) -> dict:
    """What Whoosh stores for one product: analysed text, expansions and the columns."""
    full, initials, via_synonym = analysis.pinyin_terms(doc.title)
    for place in doc.short_places:
        place_full, place_initials = analysis.place_pinyin(place)
        full |= place_full
        initials |= place_initials
    return {
        "id": str(doc.id),
        "title": doc.title,
        "description": doc.description,
        "syn": " ".join(sorted(analysis.synonym_words(doc.title))),
        "grams": " ".join(sorted(analysis.char_grams(doc.title))),
        "py": " ".join(sorted(full)),
        "pyi": " ".join(sorted(initials)),
        "pys": " ".join(sorted(via_synonym)),
        "tags": " ".join((doc.category_name, *doc.place_names, *doc.labels)),
        "text": " ".join((doc.description, doc.supplier_name, doc.spec)),
        "category": doc.category,
        "province": doc.province,
        "county": doc.county,
        "program": doc.program,
        "storage": doc.storage,
        "national_key": "1" if doc.national_key else "0",
        "price": doc.price_fen,
        "per_kilo": doc.per_kilo_fen if doc.per_kilo_fen is not None else -1,
        "standing": doc.standing,
        "sales": doc.sales,
        "created": doc.created_ts,
    }


# ---- one reader's view: postings sets and column arrays -----------------------------------------

_COLUMNS = ("id", "category", "province", "county", "program", "storage", "national_key")
_NUMBERS = ("price", "per_kilo", "standing", "sales", "created")


def _segment_arrays(reader) -> dict[str, list]:
    out: dict[str, list] = {}
    for name in (*_COLUMNS, *_NUMBERS):
        out[name] = list(reader.column_reader(name)) if reader.has_column(name) else [None] * reader.doc_count_all()
    out["id"] = [int(v) if v else 0 for v in out["id"]]
    out["price_band"] = [price_band_of(p) if p is not None else "" for p in out["price"]]
    return out


def _leaf_ids(matcher) -> list[int]:
    """Every document number of a term's postings, read a block at a time (Whoosh's matcher API
    costs ~0.5 µs a posting; its blocks hold 128). Falls back to the public API."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions are subtracted by the caller
    try:
        ids: list[int] = []
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            ids.extend(matcher._ids[matcher._i :])
            matcher._next_block()
        return ids
    except AttributeError:
        return list(matcher.all_ids())


def _deleted(leaf) -> frozenset[int]:
    if not leaf.has_deletions():
        return frozenset()
    return frozenset(range(leaf.doc_count_all())) - frozenset(leaf.all_doc_ids())


@dataclass
class _View:
    """Column values by global document number; the rest is derived on first use, since a
    worker builds a new view after every index change and most searches need none of it."""

    values: dict[str, list]
    leaves: list[tuple[int, int, frozenset[int]]]  # (offset, document count, deleted) per segment
    _by_value: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    _live: set[int] | None = None
    static_order: dict[str, list[int]] = field(default_factory=dict)  # sort -> rank position by document

    def by_value(self, name: str) -> dict[str, set[int]]:
        """facet value -> the document numbers having it."""
        if name not in self._by_value:
            groups: dict[str, set[int]] = {}
            for docnum, value in enumerate(self.values[name]):
                groups.setdefault(value, set()).add(docnum)
            self._by_value[name] = groups
        return self._by_value[name]

    @property
    def live(self) -> set[int]:
        if self._live is None:
            self._live = {
                offset + d for offset, count, deleted in self.leaves for d in range(count) if d not in deleted
            }
        return self._live


class _ReaderState:
    """One thread's view of the index: its generation, searcher, arrays and term cache."""

    def __init__(self, generation: str, ix) -> None:
        self.pid = os.getpid()
        self.generation = generation
        self.ix = ix
        self.searcher = ix.searcher()
        self.checked_at = time.monotonic()
        self.seen_writes = -1
        self.segment_cache: dict[tuple[str, int], dict[str, list]] = {}
        self._reset()

    def refresh(self) -> None:
        # A new searcher, not Searcher.refresh(): that reuses a segment's reader when the segment
        # id is unchanged, and so misses documents deleted from it since (Whoosh compares
        # segments by id only).
        old, self.searcher = self.searcher, self.ix.searcher()
        old.close()
        self._reset()

    def _reset(self) -> None:
        self._view: _View | None = None
        self._terms: OrderedDict[tuple[str, str], frozenset[int]] = OrderedDict()
        reader = self.searcher.reader()
        self.leaves = [(leaf, offset, _deleted(leaf)) for leaf, offset in reader.leaf_readers()]
        self.doc_count = reader.doc_count() or 1

    # -- postings --

    def ids(self, field: str, text: str) -> frozenset[int]:
        key = (field, text)
        found = self._terms.get(key)
        if found is not None:
            self._terms.move_to_end(key)
            return found
        out: set[int] = set()
        for leaf, offset, deleted in self.leaves:
            try:
                local = _leaf_ids(leaf.postings(field, text))
            except TermNotFound:
                continue
            if deleted:
                local = [d for d in local if d not in deleted]
            out.update(local if not offset else [d + offset for d in local])
        found = frozenset(out)
        self._terms[key] = found
        if len(self._terms) > TERM_CACHE_SIZE:
            self._terms.popitem(last=False)
        return found

    # -- columns --

    def view(self) -> _View:
        if self._view is None:
            self._view = self._build_view()
        return self._view

    def _build_view(self) -> _View:
        values: dict[str, list] = {name: [] for name in (*_COLUMNS, *_NUMBERS, "price_band")}
        keep: dict[tuple[str, int], dict[str, list]] = {}
        leaves = []
        for leaf, offset, deleted in self.leaves:
            segment = leaf.segment() if hasattr(leaf, "segment") else None
            key = (segment.segment_id() if segment is not None else repr(leaf), leaf.doc_count_all())
            arrays = self.segment_cache.get(key) or _segment_arrays(leaf)
            keep[key] = arrays
            for name, column in arrays.items():
                values[name].extend(column)
            leaves.append((offset, leaf.doc_count_all(), deleted))
        self.segment_cache = keep
        return _View(values=values, leaves=leaves)


def _sort_key(view: _View, name: str) -> Callable[[int], tuple]:
    """The sort key of a document under a sort that does not depend on the query."""
    v = view.values
    standing, sales, ids, price, per_kilo, created = (
        v["standing"], v["sales"], v["id"], v["price"], v["per_kilo"], v["created"]
    )  # fmt: skip
    keys: dict[str, Callable[[int], tuple]] = {
        # relevance ties (and the no-words default) break by standing, then sales, newest first
        "standing": lambda d: (-standing[d], -sales[d], -ids[d]),
        SortKey.DEFAULT.value: lambda d: (-sales[d], -standing[d], -ids[d]),
        SortKey.SALES.value: lambda d: (-sales[d], -standing[d], -ids[d]),
        SortKey.NEWEST.value: lambda d: (-created[d], -ids[d]),
        SortKey.PRICE_ASC.value: lambda d: (price[d], ids[d]),
        SortKey.PRICE_DESC.value: lambda d: (-price[d], -ids[d]),
        SortKey.PER_KILO_ASC.value: lambda d: (per_kilo[d] < 0, per_kilo[d], ids[d]),
    }
    return keys[name]


def _static_order(view: _View, name: str) -> list[int]:
    """Rank position of every document under a sort that does not depend on the query."""
    if name not in view.static_order:
        order = sorted(range(len(view.values["id"])), key=_sort_key(view, name))
        position = [0] * len(order)
        for rank, docnum in enumerate(order):
            position[docnum] = rank
        view.static_order[name] = position
    return view.static_order[name]


# ---- the engine --------------------------------------------------------------------------------


class WhooshEngine:
    """Product search over a Whoosh index in `directory` (see the module docstring)."""

    name = "whoosh"

    def __init__(self, directory: str | os.PathLike, *, check_interval: float = 0.25) -> None:
        self.directory = Path(directory)
        self.check_interval = check_interval
        self._local = threading.local()
        # Bumped by this process's own writes, so its readers look again at once (other
        # processes notice within check_interval).
        self._writes = 0

    # -- storage -------------------------------------------------------------------------------

    def current_generation(self) -> str | None:
        try:
            name = (self.directory / CURRENT).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        return name if name and (self.directory / name).is_dir() else None

    def exists(self) -> bool:
        return self.current_generation() is not None

    def _versions(self, generation: str) -> dict[str, str]:
        try:
            text = (self.directory / generation / VERSION_FILE).read_text(encoding="ascii")
        except FileNotFoundError:
            return {}
        return dict(line.split("=", 1) for line in text.split() if "=" in line)

    def needs_rebuild(self) -> bool:
        """No index, one of another schema, or one built with other word lists (synonyms…)."""
        generation = self.current_generation()
        return generation is None or self._versions(generation) != _expected_versions()

    @contextmanager
    def writer_lock(self, *, wait: float = 0.0) -> Iterator[None]:
        """Hold the one-writer lock (raises WriterBusyError if it stays taken for `wait` seconds)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / LOCK_FILE, "a+") as handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise WriterBusyError() from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def rebuild(
        self,
        documents: Iterable[ProductDocument],
        progress: Callable[[int], None] | None = None,
        *,
        total: int | None = None,
    ) -> str:
        """Index every document into a new generation, then swap it in (caller holds the lock).

        A large catalogue is indexed by two processes, one segment each (half the time on two
        cores); a small one in this process (forking a process that runs threads is not safe)."""
        analysis.init_jieba()
        self.directory.mkdir(parents=True, exist_ok=True)
        generation = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
        path = self.directory / generation
        path.mkdir()
        try:
            ix = index.create_in(str(path), make_schema())
            if (total or 0) >= PARALLEL_BUILD_FROM and (os.cpu_count() or 1) >= 2:
                # limitmb: room for 10,000 products' postings per process (no temporary runs on disk).
                writer = ix.writer(procs=2, limitmb=192, multisegment=True, batchsize=PARALLEL_BATCH)
            else:
                writer = ix.writer(limitmb=384)
            try:
                for doc in documents:
                    writer.add_document(**document_fields(doc))
                    if progress:
                        progress(1)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            versions = "".join(f"{k}={v}\n" for k, v in _expected_versions().items())
            (path / VERSION_FILE).write_text(versions, encoding="ascii")
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        self._swap(generation)
        return generation

    def _swap(self, generation: str) -> None:
        previous = self.current_generation()
        temp = self.directory / f".{CURRENT}.{os.getpid()}"
        temp.write_text(generation + "\n", encoding="ascii")
        os.replace(temp, self.directory / CURRENT)
        self._writes += 1
        # Keep the previous generation: a reader in another process may have read CURRENT just
        # before the swap and be opening it now. Older ones go.
        for old in self.directory.glob("gen-*"):
            if old.name not in (generation, previous):
                shutil.rmtree(old, ignore_errors=True)
        log.info("search index swapped to %s (previous %s)", generation, previous)

    def apply(self, upserts: Sequence[ProductDocument], removals: Iterable[int]) -> None:
        """Write changed products and remove gone ones in one commit (caller holds the lock)."""
        generation = self.current_generation()
        if generation is None:
            raise IndexMissingError()
        ix = index.open_dir(str(self.directory / generation))
        writer = ix.writer()
        try:
            for doc in upserts:
                writer.update_document(**document_fields(doc))
            for product_id in removals:
                writer.delete_by_term("id", str(product_id))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._writes += 1

    def doc_count(self) -> int:
        return len(self._state().view().live)

    # -- reading -------------------------------------------------------------------------------

    def _state(self) -> _ReaderState:
        state: _ReaderState | None = getattr(self._local, "state", None)
        now = time.monotonic()
        if (
            state is not None
            and state.pid == os.getpid()
            and state.seen_writes == self._writes
            and now - state.checked_at < self.check_interval
        ):
            return state
        try:
            return self._fresh_state(state, now)
        except (OSError, IndexMissingError):
            if state is None or state.pid != os.getpid():
                raise
            # A swap or a merge moved files while we looked: serve what we have, look again soon.
            log.warning("search index refresh failed; serving the previous view", exc_info=True)
            state.checked_at, state.seen_writes = now, self._writes
            return state

    def _fresh_state(self, state: _ReaderState | None, now: float) -> _ReaderState:
        generation = self.current_generation()
        if generation is None:
            raise IndexMissingError()
        if state is None or state.pid != os.getpid() or state.generation != generation:
            if self._versions(generation).get("schema") != str(SCHEMA_VERSION):
                raise IndexMissingError(f"index {generation} has another schema version")
            state = _ReaderState(generation, index.open_dir(str(self.directory / generation)))
            self._local.state = state
        elif not state.searcher.up_to_date():
            state.refresh()
        state.checked_at, state.seen_writes = now, self._writes
        return state

    def search(self, filters: ListFilters) -> SearchResult:
        state = self._state()
        view = state.view()
        words = analysis.query_words(filters.q)
        scores: dict[int, float] | None = None
        suggestion: str | None = None
        partial = False
        marked = list(words)
        if words:
            scores, marked = _match(state, words, require_all=True)
            if not scores:
                suggestion = _suggest(state, words, filters.q)
                if len(words) > 1:
                    scores, marked = _match(state, words, require_all=False)
                    partial = bool(scores)
        docs = view.live if scores is None else scores.keys()
        results, facets = _filter_and_count(docs, view, filters)
        ranked = _rank(results, scores, view, filters)
        hits = [_hit(state.searcher, view, docnum, scores, marked) for docnum in ranked]
        return SearchResult(
            hits=hits, total=len(results), facets=facets, suggestion=suggestion, partial=partial, words=tuple(words)
        )


# ---- matching and scoring ----------------------------------------------------------------------


def _word_scores(state: _ReaderState, word: str) -> dict[int, float]:
    """Documents matching one query word, with the word's score in each: the sum of the boosts of
    the fields it matched, times one idf for the word (per-field idf would favour a word's rarer
    field, say a synonym, over the title)."""
    names = ["title", "syn", "tags", "text"]
    if analysis.is_pinyin_like(word):
        names += ["py", "pyi", "pys"] if len(word) >= 2 else ["py"]
    parts: list[tuple[frozenset[int], float]] = []
    for name in names:
        ids = state.ids(name, word)
        if ids:
            parts.append((ids, BOOSTS[name]))
    grams = analysis.query_grams(word)
    if grams:
        sets = sorted((state.ids("grams", g) for g in grams), key=len)
        ids = frozenset.intersection(*sets) if sets[0] else frozenset()
        if ids:
            parts.append((ids, BOOSTS["grams"]))
    if not parts:
        return {}
    parts.sort(key=lambda p: -len(p[0]))
    scores = dict.fromkeys(parts[0][0], parts[0][1])
    for ids, boost in parts[1:]:
        for d in ids:
            scores[d] = scores.get(d, 0.0) + boost
    idf = math.log(state.doc_count / (len(scores) + 1)) + 1.0
    return {d: score * idf for d, score in scores.items()}


def _match(state: _ReaderState, words: Sequence[str], *, require_all: bool) -> tuple[dict[int, float], list[str]]:
    """The matching documents with their scores, and the words that matched (to highlight)."""
    if len(words) > 1 and all(analysis.is_pinyin_like(w) for w in words):
        # "he tian da zao": the words together may be one spelling.
        joined = "".join(words)
        scores = _word_scores(state, joined)
        if scores:
            return scores, [joined]
    per_word = [_word_scores(state, w) for w in words]
    if require_all:
        if not all(per_word):
            return {}, list(words)
        common = set.intersection(*(set(s) for s in sorted(per_word, key=len)))
    else:
        common = set().union(*per_word)
    return {d: sum(s.get(d, 0.0) for s in per_word) for d in common}, list(words)


# ---- filters, facets and ranking ---------------------------------------------------------------


def _filter_and_count(docs, view: _View, filters: ListFilters) -> tuple[list[int], dict[str, list[FacetCount]]]:
    """The documents passing every filter, and per facet the counts under every *other* filter
    (so the sidebar shows what choosing another value would give)."""
    docs = docs if isinstance(docs, set) else set(docs)
    passing: dict[str, set[int]] = {}
    wanted = {
        "category": filters.category,
        "province": filters.province,
        "county": filters.county,
        "program": filters.program.value if filters.program else None,
        "storage": filters.storage.value if filters.storage else None,
        "national_key": "1" if filters.national_key else None,
    }
    for name, value in wanted.items():
        if value is not None:
            passing[name] = docs & view.by_value(name).get(value, set())
    if filters.price_min_fen is not None or filters.price_max_fen is not None:
        low = filters.price_min_fen if filters.price_min_fen is not None else 0
        high = filters.price_max_fen if filters.price_max_fen is not None else float("inf")
        price = view.values["price"]
        passing["price_band"] = {d for d in docs if low <= price[d] <= high}

    def all_but(skip: str | None) -> set[int]:
        sets = sorted((s for name, s in passing.items() if name != skip), key=len)
        return set.intersection(*sets) if sets else docs

    facets: dict[str, list[FacetCount]] = {}
    for name in FACET_NAMES:
        counts = Counter(map(view.values[name].__getitem__, all_but(name)))
        if name == "price_band":
            items = sorted(counts.items(), key=lambda kv: int(kv[0].split("-")[0]))
        else:
            items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        facets[name] = [FacetCount(value=v, count=n) for v, n in items if v]
    return list(all_but(None)), facets


def _rank(results: list[int], scores: dict[int, float] | None, view: _View, filters: ListFilters) -> list[int]:
    """The document numbers of the requested page, in order."""
    end = filters.page * filters.per_page
    sort = "standing" if filters.sort is SortKey.DEFAULT and scores else filters.sort.value
    if len(results) > STATIC_ORDER_FROM:
        # Many results: rank by positions in a sort of the whole index, made once per view.
        tie: Callable[[int], object] = _static_order(view, sort).__getitem__
    else:
        tie = _sort_key(view, sort)
    if sort == "standing":
        top = max(map(scores.__getitem__, results)) if results else 1.0

        def key(d: int) -> tuple:
            return (int((1.0 - scores[d] / top) / RELEVANCE_BAND + 1e-9), tie(d))

        ordered = heapq.nsmallest(end, results, key=key)
    else:
        ordered = heapq.nsmallest(end, results, key=tie)
    return ordered[end - filters.per_page :]


# ---- hits: highlights and snippets -------------------------------------------------------------

SNIPPET_CHARS = 60


def _hit(searcher, view: _View, docnum: int, scores: dict[int, float] | None, words: Sequence[str]) -> SearchHit:
    stored = searcher.stored_fields(docnum)
    title, description = stored.get("title", ""), stored.get("description", "")
    return SearchHit(
        product_id=view.values["id"][docnum],
        score=round(scores[docnum], 4) if scores else 0.0,
        title_html=highlight(title, words),
        snippet_html=snippet(description, words),
    )


def match_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of `text` that a search for `words` matched: the words themselves, words
    whose synonyms they are, and characters whose pinyin or initials they spell."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for word in words:
        spans.extend(found.span() for found in re.finditer(re.escape(word), lowered))
    wanted = set(words)
    spans.extend(
        (start, end) for token, start, end in analysis.search_tokens(text) if wanted & analysis.expansions(token)
    )
    spelled = {w for w in words if analysis.is_pinyin_like(w)}
    if spelled:
        spans.extend((r.start, r.end) for r in analysis.pinyin_runs(text) if r.full in spelled or r.initials in spelled)
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def highlight(text: str, words: Sequence[str]) -> str:
    """HTML-escaped `text` with the matched parts in <mark>."""
    return _marked(text, match_spans(text, words)) if words else escape(text)


def snippet(text: str, words: Sequence[str]) -> str:
    """Up to SNIPPET_CHARS characters of `text` around its first match, highlighted."""
    spans = match_spans(text, words) if words else []
    if not spans:
        return escape(text[:SNIPPET_CHARS]) + ("…" if len(text) > SNIPPET_CHARS else "")
    start = max(0, spans[0][0] - SNIPPET_CHARS // 3)
    end = min(len(text), start + SNIPPET_CHARS)
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    body = _marked(text[start:end], inside)
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


# ---- suggestions -------------------------------------------------------------------------------


def _suggest(state: _ReaderState, words: Sequence[str], raw: str) -> str | None:
    """A query that would find something, or None: the same sounds in other characters
    (马玲薯 → 马铃薯), or a pinyin spelling one or two letters off (hetiandazhao → 和田骏枣)."""
    han = "".join(analysis.HAN.findall(raw))
    if han:
        spelled = analysis.to_pinyin(han)
        if state.ids("py", spelled) or state.ids("pys", spelled):
            return _characters_for(state, spelled)
    corrected: list[str] = []
    for word in words:
        if analysis.is_pinyin_like(word) and len(word) >= 4 and not _word_scores(state, word):
            near = _nearest_spelling(state, word)
            if near:
                corrected.append(_characters_for(state, near) or near)
                continue
        corrected.append(word)
    suggestion = "".join(corrected) if all(map(analysis.HAN.fullmatch, corrected)) else " ".join(corrected)
    return suggestion if corrected != list(words) else None


def _nearest_spelling(state: _ReaderState, word: str) -> str | None:
    """The indexed spelling closest to `word` (at most two edits, same first letter), preferring
    the one most products have."""
    candidates = {
        term for field in ("py", "pys") for term in state.searcher.reader().terms_within(field, word, 2, prefix=1)
    }
    if not candidates:
        return None
    return max(sorted(candidates), key=lambda t: len(state.ids("py", t) | state.ids("pys", t)))


def _characters_for(state: _ReaderState, spelled: str) -> str | None:
    """The characters spelling `spelled` in the best-ranked product indexed under it."""
    view = state.view()
    candidates = state.ids("py", spelled) or state.ids("pys", spelled)
    tie = _static_order(view, "standing")
    for docnum in heapq.nsmallest(5, candidates, key=tie.__getitem__):
        title = state.searcher.stored_fields(docnum).get("title", "")
        for run in analysis.pinyin_runs(title):
            if run.full == spelled:
                return title[run.start : run.end]
    return None

"""The Whoosh search engine behind catalog.search's `SearchEngine` protocol.

On disk (SEARCH_INDEX_DIR, default instance/search):

    CURRENT          the name of the live generation, replaced atomically (os.replace)
    gen-<stamp>/     one Whoosh index; `rebuild` writes a new one and swaps CURRENT
    writer.lock      held (flock) by the one writer: the outbox worker, `apply` or `rebuild`

Readers never take a lock: each thread keeps a searcher, re-reads CURRENT and the index
generation at most every `check_interval` seconds, and keeps serving from what it has if
opening the new one fails. Whoosh itself retries when a merge removes a file under it.

Whoosh stores the postings and the columns; catalog.search.ranking matches, scores, filters,
counts facets and ranks over sets of document numbers read from them (several times faster in
Python than Whoosh's matcher tree); catalog.search.highlight marks the matches.
"""

from __future__ import annotations

import fcntl
import heapq
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from whoosh import columns, fields, index
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from catalog.domain import ListFilters
from catalog.search import analysis, highlight, ranking
from catalog.search.engine import ProductDocument, SearchHit, SearchResult, price_band_of

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
LOCK_FILE = "writer.lock"
VERSION_FILE = "VERSION"
# Bump when the schema or what goes into a field changes: readers refuse an index of another
# version (search answers from the database) until `flask search rebuild`.
SCHEMA_VERSION = 1
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
        self._view: ranking.ColumnView | None = None
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

    def view(self) -> ranking.ColumnView:
        if self._view is None:
            self._view = self._build_view()
        return self._view

    def _build_view(self) -> ranking.ColumnView:
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
        return ranking.ColumnView(values=values, leaves=leaves)


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
            scores, marked = ranking.match(state, words, require_all=True)
            if not scores:
                suggestion = _suggest(state, words, filters.q)
                if len(words) > 1:
                    scores, marked = ranking.match(state, words, require_all=False)
                    partial = bool(scores)
        docs = view.live if scores is None else scores.keys()
        results, facets = ranking.filter_and_count(docs, view, filters)
        ranked = ranking.rank(results, scores, view, filters)
        hits = [_hit(state.searcher, view, docnum, scores, marked) for docnum in ranked]
        return SearchResult(
            hits=hits, total=len(results), facets=facets, suggestion=suggestion, partial=partial, words=tuple(words)
        )


# ---- hits and suggestions ---------------------------------------------------------------------


def _hit(
    searcher, view: ranking.ColumnView, docnum: int, scores: dict[int, float] | None, words: Sequence[str]
) -> SearchHit:
    stored = searcher.stored_fields(docnum)
    title, description = stored.get("title", ""), stored.get("description", "")
    return SearchHit(
        product_id=view.values["id"][docnum],
        score=round(scores[docnum], 4) if scores else 0.0,
        title_html=highlight.highlight(title, words),
        snippet_html=highlight.snippet(description, words),
    )


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
        if analysis.is_pinyin_like(word) and len(word) >= 4 and not ranking.word_scores(state, word):
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
    tie = ranking.static_order(view, "standing")
    for docnum in heapq.nsmallest(5, candidates, key=tie.__getitem__):
        title = state.searcher.stored_fields(docnum).get("title", "")
        for run in analysis.pinyin_runs(title):
            if run.full == spelled:
                return title[run.start : run.end]
    return None

"""Matching, scoring, filters, facet counts and ranking over sets of document numbers.

An engine hands in the postings of a term (`Postings.ids`) and its column values by document
number (`ColumnView`); this module does the rest in plain Python, which for short product
documents is several times faster than Whoosh's matcher tree:

- every query word must match in some field (title, synonyms, character pairs, pinyin, initials,
  tags, description); `match(require_all=False)` lets any word do (a partial match);
- a word scores field boost × idf for each field it matches (product titles are short, so term
  frequency and length add noise, not signal); matches rank by score in bands of RELEVANCE_BAND
  of the best, then by supplier standing, then by sales;
- each facet is counted under every filter but its own.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from catalog.domain import ListFilters, SortKey
from catalog.search import analysis
from catalog.search.engine import FACET_NAMES, FacetCount

# Field boosts: a word in the title counts most; a synonym, place or pinyin match less. The
# description counts little: mentioning a word there should not lift a product above others
# whose titles match equally (see RELEVANCE_BAND).
BOOSTS = {"title": 4.0, "syn": 2.5, "py": 2.5, "grams": 1.5, "pyi": 1.5, "pys": 1.2, "tags": 1.5, "text": 0.3}
RELEVANCE_BAND = 0.10
STATIC_ORDER_FROM = 3000  # results beyond which ranking uses a precomputed order of the whole index


class Postings(Protocol):
    doc_count: int

    def ids(self, field: str, text: str) -> frozenset[int]: ...


@dataclass
class ColumnView:
    """Column values by global document number; the rest is derived on first use, since a
    worker builds a new view after every index change and most searches need none of it."""

    values: dict[str, list]
    leaves: list[tuple[int, int, frozenset[int]]]  # (offset, document count, deleted) per segment
    _by_value: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    _live: set[int] | None = None
    orders: dict[str, list[int]] = field(default_factory=dict)  # sort -> rank position of each document

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


def sort_key(view: ColumnView, name: str) -> Callable[[int], tuple]:
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


def static_order(view: ColumnView, name: str) -> list[int]:
    """Rank position of every document under a sort that does not depend on the query."""
    if name not in view.orders:
        order = sorted(range(len(view.values["id"])), key=sort_key(view, name))
        position = [0] * len(order)
        for rank, docnum in enumerate(order):
            position[docnum] = rank
        view.orders[name] = position
    return view.orders[name]


# ---- matching and scoring ----------------------------------------------------------------------


def word_scores(state: Postings, word: str) -> dict[int, float]:
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


def match(state: Postings, words: Sequence[str], *, require_all: bool) -> tuple[dict[int, float], list[str]]:
    """The matching documents with their scores, and the words that matched (to highlight)."""
    if len(words) > 1 and all(analysis.is_pinyin_like(w) for w in words):
        # "he tian da zao": the words together may be one spelling.
        joined = "".join(words)
        scores = word_scores(state, joined)
        if scores:
            return scores, [joined]
    per_word = [word_scores(state, w) for w in words]
    if require_all:
        if not all(per_word):
            return {}, list(words)
        common = set.intersection(*(set(s) for s in sorted(per_word, key=len)))
    else:
        common = set().union(*per_word)
    return {d: sum(s.get(d, 0.0) for s in per_word) for d in common}, list(words)


# ---- filters, facets and ranking ---------------------------------------------------------------


def filter_and_count(docs, view: ColumnView, filters: ListFilters) -> tuple[list[int], dict[str, list[FacetCount]]]:
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


def rank(results: list[int], scores: dict[int, float] | None, view: ColumnView, filters: ListFilters) -> list[int]:
    """The document numbers of the requested page, in order."""
    end = filters.page * filters.per_page
    sort = "standing" if filters.sort is SortKey.DEFAULT and scores else filters.sort.value
    if len(results) > STATIC_ORDER_FROM:
        # Many results: rank by positions in a sort of the whole index, made once per view.
        tie: Callable[[int], object] = static_order(view, sort).__getitem__
    else:
        tie = sort_key(view, sort)
    if sort == "standing":
        top = max(map(scores.__getitem__, results)) if results else 1.0

        def key(d: int) -> tuple:
            return (int((1.0 - scores[d] / top) / RELEVANCE_BAND + 1e-9), tie(d))

        ordered = heapq.nsmallest(end, results, key=key)
    else:
        ordered = heapq.nsmallest(end, results, key=tie)
    return ordered[end - filters.per_page :]

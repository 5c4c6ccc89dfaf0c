"""Highlighted titles and snippets of search results: the parts of a text that a search matched
(the words, words whose synonyms they are, characters their pinyin or initials spell) in <mark>,
everything else HTML-escaped. Pure text work over catalog.search.analysis; any engine can use it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from catalog.search import analysis

SNIPPET_CHARS = 60


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

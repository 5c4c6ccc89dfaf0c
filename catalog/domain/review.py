"""Listing review rules: which edits go back to the platform operator, and likely duplicates.

DOMAIN.md: new listings and changes to price (> 10 %), title, origin or certification number
wait for review; minor edits (stock, description, small price moves) apply at once. Duplicate
listings (the same product differing only in name, minimum quantity, price or packaging) are
not allowed: the reviewer is shown the likely twin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PRICE_REVIEW_BP = 1_000  # a price move above 10 % needs review
REVIEWED_FIELDS = frozenset({"title", "origin_county_code", "cert_no", "program", "category_slug"})
TWIN_THRESHOLD = 0.75


def fields_needing_review(current: Mapping[str, object], proposed: Mapping[str, object]) -> set[str]:
    """The changed fields that send an approved listing back to the review queue."""
    changed = {k for k, v in proposed.items() if current.get(k) != v}
    needs = changed & REVIEWED_FIELDS
    if "price_fen" in changed:
        old, new = int(current["price_fen"]), int(proposed["price_fen"])  # type: ignore[arg-type]
        if abs(new - old) * 10_000 > old * PRICE_REVIEW_BP:
            needs.add("price_fen")
    return needs


# Words that change the pack, not the product: grades, pack kinds and marketing words.
_PACK_WORDS = (
    "礼盒装",
    "礼盒",
    "家庭装",
    "食堂装",
    "经济装",
    "组合装",
    "精装",
    "简装",
    "散装",
    "袋装",
    "箱装",
    "盒装",
    "罐装",
    "瓶装",
    "桶装",
    "整箱",
    "新货",
    "当季",
    "特级",
    "一级",
    "二级",
    "精选",
    "优选",
    "特惠",
    "包邮",
    "产地直供",
    "食堂专供",
    "农家",
    "原生态",
    "批发",
    "装",
)
_SPEC_RE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:kg|千克|公斤|斤|g|克|l|升|ml|毫升|只|个|袋|箱|瓶|盒|罐|桶|包|枚|块)"
    r"(?:\s*[×x*]\s*\d+\s*[^\s\d/]?)?(?:\s*/\s*[^\s\d]{1,3})?",
    re.I,
)
_NOISE_RE = re.compile(r"[\s\-_/（）()【】\[\]·,，。.!！+＋]+")


def normalise_title(title: str) -> str:
    """The product's identity in a title: no specs, pack words, grades or punctuation."""
    text = _SPEC_RE.sub("", title.lower())
    for word in sorted(_PACK_WORDS, key=len, reverse=True):
        text = text.replace(word, "")
    return _NOISE_RE.sub("", text)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def title_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the character bigrams of two normalised titles (0..1)."""
    x, y = _bigrams(normalise_title(a)), _bigrams(normalise_title(b))
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


@dataclass(frozen=True)
class ListingKey:
    id: int
    title: str
    category_slug: str
    origin_county_code: str


def likely_twin(candidate: ListingKey, others: Iterable[ListingKey]) -> tuple[int, float] | None:
    """The supplier's own listing most like `candidate` (same category and origin, similar name),
    with its similarity, when it reaches the threshold."""
    best: tuple[int, float] | None = None
    for other in others:
        if other.id == candidate.id or other.category_slug != candidate.category_slug:
            continue
        if other.origin_county_code != candidate.origin_county_code:
            continue
        score = title_similarity(candidate.title, other.title)
        if score >= TWIN_THRESHOLD and (best is None or score > best[1]):
            best = (other.id, score)
    return best

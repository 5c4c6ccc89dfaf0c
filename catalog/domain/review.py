"""Listing review rules: which edits go back to the platform operator, and likely duplicates.

DOMAIN.md: new listings and changes of a listing on sale that alter what a buyer gets or pays
wait for review: its name, origin, certification, source program or category; its spec, sale
unit, net content or pack size (500g→100g at the same price is a fivefold rise per kg); new
photos; and a price more than 10 % away from the price the operator last approved (measured
from that price, not from the current one, so eight small steps cannot add up to a rise
nobody reviewed). Minor edits (stock, description, shelf life, small price moves) apply at once.
Duplicate listings (the same product differing only in name, minimum quantity, price or
packaging) are not allowed: the reviewer is shown the likely twin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PRICE_REVIEW_BP = 1_000  # a price more than 10 % from the last reviewed one needs review
PHOTOS = "photos"  # the review field of new photos
REVIEWED_FIELDS = frozenset(
    {
        "title",
        "origin_county_code",
        "cert_no",
        "program",
        "category_slug",
        "spec",
        "sale_unit",
        "net_content",
        "net_content_unit",
        "pack_size",
    }
)
REVIEW_FIELD_LABELS = {
    "title": "名称",
    "price_fen": "价格",
    "origin_county_code": "产地",
    "cert_no": "认定编号",
    "program": "来源类型",
    "category_slug": "类别",
    "spec": "规格",
    "sale_unit": "销售单位",
    "net_content": "净含量",
    "net_content_unit": "净含量单位",
    "pack_size": "购买倍数",
    PHOTOS: "照片",
}
TWIN_THRESHOLD = 0.75


def price_needs_review(reviewed_fen: int, proposed_fen: int) -> bool:
    """Whether a price is more than PRICE_REVIEW_BP away from the last reviewed price."""
    return abs(proposed_fen - reviewed_fen) * 10_000 > reviewed_fen * PRICE_REVIEW_BP


def fields_needing_review(
    current: Mapping[str, object],
    proposed: Mapping[str, object],
    *,
    reviewed_price_fen: int | None = None,
    new_photos: int = 0,
) -> set[str]:
    """The changed fields that send a listing on sale back to the review queue.

    `current` and `proposed` map the listing's fields (ListingInput names) to their values;
    `reviewed_price_fen` is the price the operator last approved (the current price when the
    listing has none); `new_photos` counts the photos the edit adds."""
    changed = {k for k, v in proposed.items() if current.get(k) != v}
    needs = changed & REVIEWED_FIELDS
    if "price_fen" in changed:
        base = int(reviewed_price_fen if reviewed_price_fen is not None else current["price_fen"])  # type: ignore[arg-type]
        if price_needs_review(base, int(proposed["price_fen"])):  # type: ignore[arg-type]
            needs.add("price_fen")
    if new_photos > 0:
        needs.add(PHOTOS)
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

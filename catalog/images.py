"""Generated product pictures (SVG): a coloured card per category with the product's name, spec
and origin. Real photos uploaded by suppliers replace them; nothing is hot-linked."""

from __future__ import annotations

import hashlib
from html import escape

# Background and accent per category slug; a simple emblem per category drawn with shapes.
PALETTE = {
    "grain-oil": ("#fef3c7", "#b45309"),
    "meat-egg": ("#fee2e2", "#b91c1c"),
    "fruit-veg": ("#dcfce7", "#15803d"),
    "dried": ("#ede9fe", "#6d28d9"),
    "tea": ("#ecfccb", "#3f6212"),
    "seasoning": ("#ffedd5", "#c2410c"),
    "snacks": ("#fce7f3", "#be185d"),
    "drinks": ("#e0f2fe", "#0369a1"),
}
EMBLEMS = {
    "grain-oil": '<path d="M200 70c-30 40-30 80 0 120 30-40 30-80 0-120z" fill="{a}" opacity=".85"/>'
    '<path d="M200 90v110" stroke="#fff" stroke-width="4"/>',
    "meat-egg": '<ellipse cx="200" cy="135" rx="48" ry="62" fill="{a}" opacity=".85"/>',
    "fruit-veg": '<circle cx="200" cy="140" r="58" fill="{a}" opacity=".85"/>'
    '<path d="M200 82c10-20 30-26 44-22-8 16-26 24-44 22z" fill="#65a30d"/>',
    "dried": '<rect x="150" y="85" width="100" height="110" rx="14" fill="{a}" opacity=".85"/>'
    '<rect x="165" y="70" width="70" height="22" rx="6" fill="{a}"/>',
    "tea": '<path d="M150 110h100v50a50 50 0 0 1-100 0z" fill="{a}" opacity=".85"/>'
    '<path d="M250 120h18a18 18 0 0 1 0 36h-18" stroke="{a}" stroke-width="8" fill="none"/>',
    "seasoning": '<path d="M175 80h50l10 30v80a12 12 0 0 1-12 12h-46a12 12 0 0 1-12-12v-80z" fill="{a}" opacity=".85"/>',
    "snacks": '<rect x="140" y="90" width="120" height="100" rx="50" fill="{a}" opacity=".85"/>',
    "drinks": '<path d="M180 70h40v30l15 20v80a10 10 0 0 1-10 10h-50a10 10 0 0 1-10-10v-80l15-20z" fill="{a}" opacity=".85"/>',
}


FONT = "Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"


def display_name(title: str, spec: str) -> str:
    """The product's name without the pack size that listing titles end with."""
    return title[: -len(spec)].strip() if spec and title.endswith(spec) and len(title) > len(spec) else title


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)][:2]


def product_svg(*, title: str, spec: str, origin: str, category_slug: str, variant: int = 0) -> str:
    bg, accent = PALETTE.get(category_slug, ("#f3f4f6", "#374151"))
    emblem = EMBLEMS.get(category_slug, EMBLEMS["dried"]).format(a=accent)
    # A per-product tilt and a second "back of pack" variant keep pictures from looking identical.
    seed = int(hashlib.sha1(title.encode()).hexdigest()[:4], 16)
    angle = (seed % 21) - 10
    lines = _wrap(display_name(title, spec), 12)
    title_svg = "".join(
        f'<text x="200" y="{236 + i * 30}" text-anchor="middle" font-size="24" font-weight="700" fill="#1f2937">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    if variant == 1:
        body = (
            f'<rect x="40" y="40" width="320" height="220" rx="16" fill="#fff" stroke="{accent}" stroke-width="3"/>'
            f'<text x="200" y="100" text-anchor="middle" font-size="22" fill="{accent}">产品规格</text>'
            f'<text x="200" y="150" text-anchor="middle" font-size="30" font-weight="700" fill="#1f2937">{escape(spec)}</text>'
            f'<text x="200" y="200" text-anchor="middle" font-size="20" fill="#4b5563">产地：{escape(origin)}</text>'
        )
    else:
        body = (
            f'<g transform="rotate({angle} 200 135)">{emblem}</g>{title_svg}'
            f'<text x="200" y="{236 + len(lines) * 30 + 4}" text-anchor="middle" font-size="18" fill="#4b5563">{escape(spec)} · {escape(origin)}</text>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300" '
        f'font-family="{FONT}" role="img" aria-label="{escape(title)}">'
        f'<rect width="400" height="300" fill="{bg}"/>{body}'
        f'<text x="388" y="290" text-anchor="end" font-size="12" fill="{accent}" opacity=".7">脱贫地区农副产品</text></svg>'
    )

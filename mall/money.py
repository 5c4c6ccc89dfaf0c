"""Money as integer fen (分). Parsing, formatting, percentages and exact splits.

`Decimal` appears only while parsing what a person typed; everything stored or computed is `int`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from mall.bounds import MAX_AMOUNT_FEN
from mall.errors import InvalidInputError

BP_PER_UNIT = 10_000  # basis points in 100 %


class InvalidAmountError(InvalidInputError):
    code, message = "invalid_amount", "金额格式不正确（最多两位小数）"


def yuan_to_fen(text: str | int) -> int:
    """Parse a yuan amount typed by a person ("12.3", "1,280.50", "¥8") into fen.

    Refuses more than two decimals, non-numbers, NaN and infinities, and amounts beyond
    MAX_AMOUNT_FEN either way ("1e999999" would take seconds to turn into an int).
    """
    if isinstance(text, int):
        return text * 100
    cleaned = str(text).strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidAmountError() from None
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidAmountError()
    if value.copy_abs() > Decimal(MAX_AMOUNT_FEN) / 100:  # no context: abs() would overflow first
        raise InvalidAmountError(f"金额不能超过{format_yuan(MAX_AMOUNT_FEN)}")
    return int(value * 100)


def format_yuan(fen: int | None, *, symbol: bool = True, grouped: bool = True) -> str:
    """128050 -> '¥1,280.50'; negative amounts keep their sign in front of the symbol. Without the
    symbol and grouping ('1280.50'): the value of a form field, as a person would type it."""
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{'¥' if symbol else ''}{whole:,}.{cents:02d}" if grouped else f"{sign}{whole}.{cents:02d}"


def mul_bp(fen: int, bp: int) -> int:
    """fen × bp / 10,000, rounded half up (away from zero for the half), exact in integers."""
    product = fen * bp
    quotient, remainder = divmod(abs(product), BP_PER_UNIT)
    if remainder * 2 >= BP_PER_UNIT:
        quotient += 1
    return quotient if product >= 0 else -quotient


def split_fen(total_fen: int, weights: Sequence[int]) -> list[int]:
    """Split total_fen in proportion to weights; the parts always add up to total_fen.

    Largest remainder: floor every share, then give the leftover fen one at a time to the
    largest fractional remainders (ties go to the earlier line, so reruns agree).
    """
    if total_fen < 0 or not weights or min(weights) < 0 or sum(weights) == 0:
        raise ValueError("need total_fen >= 0 and non-negative weights with a positive sum")
    whole = sum(weights)
    parts = [total_fen * w // whole for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(total_fen * weights[i] % whole), i))
    for i in by_remainder[: total_fen - sum(parts)]:
        parts[i] += 1
    return parts


def per_kilo_fen(price_fen: int, net_content: int) -> int | None:
    """Price per kg (or per L) in fen, for a pack of `net_content` grams (or millilitres).

    Rounded half up to the fen; None when the net content is unknown.
    """
    if net_content <= 0:
        return None
    return (price_fen * 1000 * 2 + net_content) // (2 * net_content)


def format_percent_bp(bp: int | None) -> str:
    """Basis points as a percentage with one decimal: 9523 -> '95.2%'; None -> '—'."""
    if bp is None:
        return "—"
    tenths = (bp + 5) // 10  # of a per cent, rounded half up
    return f"{tenths // 10}.{tenths % 10}%"

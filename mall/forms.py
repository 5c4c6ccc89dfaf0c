"""The base of every form: Flask-WTF with WTForms' own messages in Chinese, and the validators
that hold typed numbers within mall.bounds.

Without Flask-Babel, Flask-WTF shows WTForms' built-in messages ("Not a valid choice.") in
English; this base asks WTForms for its bundled zh translations instead.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, ValidationError, i18n
from wtforms.validators import NumberRange

from mall.bounds import MAX_AMOUNT_FEN, parse_id
from mall.money import InvalidAmountError, format_yuan, yuan_to_fen


class ChineseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return i18n.get_translations(["zh"])


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def whole_number(low: int, high: int, what: str = "") -> NumberRange:
    """A whole-number field within bounds (from mall.bounds), refused in Chinese beyond them."""
    return NumberRange(low, high, f"{what}须为{low}至{high:,}之间的整数")


class YuanAmount:
    """A yuan amount typed as text ("12.80"), within min_fen..max_fen once turned into fen."""

    def __init__(self, what: str = "金额", *, min_fen: int = 0, max_fen: int = MAX_AMOUNT_FEN) -> None:
        self.what, self.min_fen, self.max_fen = what, min_fen, max_fen

    def __call__(self, form, field) -> None:
        text = (field.data or "").strip()
        if not text:
            return
        try:
            fen = yuan_to_fen(text)
        except InvalidAmountError as err:
            bad_form = err.message == InvalidAmountError.message
            raise ValidationError(f"{self.what}格式不正确（最多两位小数）" if bad_form else err.message) from None
        if not self.min_fen <= fen <= self.max_fen:
            raise ValidationError(f"金额须在{format_yuan(self.min_fen)}至{format_yuan(self.max_fen)}之间")


def optional_id(value: object) -> int:
    """Coerce for a select of ids where 0 means none: an id beyond mall.bounds is no choice."""
    if value in (None, "", 0, "0"):
        return 0
    parsed = parse_id(value)
    if parsed is None:
        raise ValueError("invalid id")
    return parsed

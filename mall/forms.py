"""The base of every form: Flask-WTF with WTForms' own messages in Chinese.

Without Flask-Babel, Flask-WTF shows WTForms' built-in messages ("Not a valid choice.") in
English; this base asks WTForms for its bundled zh translations instead.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, i18n


class ChineseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return i18n.get_translations(["zh"])


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]

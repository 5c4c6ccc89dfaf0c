"""What the Content-Security-Policy refuses in a page (mall/headers.py): inline scripts, `<style>`
blocks, `style=` attributes, `on…=` handlers and `javascript:` links. Data blocks
(`<script type="application/json">`) are never run, so they are allowed."""

import re

INLINE = re.compile(
    r"""<script\b(?![^>]*\bsrc=)(?![^>]*\btype=["']application/json["'])[^>]*>"""
    r"""|<style\b"""
    r"""|\sstyle\s*="""
    r"""|\son[a-z]+\s*="""
    r"""|javascript:""",
    re.IGNORECASE,
)


def inline_markup(text: str) -> list[str]:
    """Every piece of `text` the policy would refuse."""
    return [m.group(0).strip() for m in INLINE.finditer(text)]

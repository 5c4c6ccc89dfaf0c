"""Bounds: the largest id, page, quantity, amount and text any input may carry, decided here once.

Pure (no Flask): domain input checks, forms, the JSON API's schemas and the URL converter all
read these numbers, so a value the database cannot hold (a 2^63 id, a price of 9×10^18 fen, a
5,000-character spec for a 60-character column) is refused at the edge with a clear message and
never reaches a query. Text limits come from the columns themselves (`column_length`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

# Primary keys are 32-bit integers on PostgreSQL (SERIAL); SQLite would take more, but an id
# beyond this can never exist on the production database, so both answer 404 alike.
MAX_ID = 2**31 - 1

# Pages of a list: far more than any list holds, small enough that (page - 1) × per_page stays
# a sane OFFSET on both databases.
MAX_PAGE = 10_000
MAX_PER_PAGE = 100

# Quantities of one line (bags, boxes, bottles): a province's yearly rice for one canteen is far
# below this; anything above is a typo or an attack.
MAX_QUANTITY = 1_000_000

# Stock a supplier may declare for one listing.
MAX_STOCK = 10_000_000

# A unit price: ¥100,000 covers the dearest gift box; a listing above it is a typo.
MAX_UNIT_PRICE_FEN = 10_000_000

# Any amount of money in an input (totals, thresholds, budgets): ¥100,000,000, far inside BigInteger
# and inside Stripe's limit for cny (amounts are 8 digits of yuan plus fen at most).
MAX_AMOUNT_FEN = 10_000_000_000

# Days in any duration a user types (shelf life, windows).
MAX_DAYS = 3_650

# The net content of one sale unit, in grams or millilitres: a tonne bag is 1,000,000 g.
MAX_NET_CONTENT = 10_000_000

# Text without a column length of its own (a listing's description, a password before hashing).
MAX_LONG_TEXT = 5_000
MAX_PASSWORD_LENGTH = 200

# Dates a user may type (filters, wishes): wide enough for any record or plan of the mall, narrow
# enough that a day before or after is still a date (9999-12-31 + 1 day does not exist).
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2099, 12, 31)

# JSON bodies nested deeper than this are refused before parsing (a 100,000-level body would
# otherwise exhaust the parser's recursion).
MAX_JSON_DEPTH = 32


def is_id(value: Any) -> bool:
    """A usable primary key: a real int (not a bool, not a float) in 1..MAX_ID."""
    return type(value) is int and 1 <= value <= MAX_ID


def is_digits(text: Any) -> bool:
    """Text of ASCII digits only: `str.isdigit` also takes "²" and "٣", which `int()` refuses or misreads."""
    return isinstance(text, str) and text.isascii() and text.isdecimal()


def parse_int(text: Any, low: int, high: int) -> int | None:
    """A whole number from text within low..high (`"42"` → 42); None for anything else: signs,
    spaces, superscripts, decimals, numbers beyond the range (however many digits they carry)."""
    if not is_digits(text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(high)):
        return None
    value = int(digits)
    return value if low <= value <= high else None


def parse_id(text: Any) -> int | None:
    """An id from text (`"42"` → 42); None for anything else: signs, spaces, superscripts, overflow."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if is_id(text) else None
    return parse_int(text, 1, MAX_ID)


def clamp_page(text: Any) -> int:
    """The page a query string asks for, for pages that never refuse: junk, zero and negative
    numbers are page 1; a page beyond MAX_PAGE is MAX_PAGE (past the end of any list)."""
    page = parse_int(text, 1, MAX_PAGE)
    if page is not None:
        return page
    return MAX_PAGE if is_digits(text) and text.strip("0") else 1


def parse_date(text: Any) -> date | None:
    """A date typed as YYYY-MM-DD within MIN_DATE..MAX_DATE; None for anything else."""
    if not isinstance(text, str) or len(text) != 10 or not text.isascii():
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return None
    return value if MIN_DATE <= value <= MAX_DATE else None


def column_length(column: Any) -> int:
    """The declared length of a String column (`Product.spec` → 60): text limits follow the schema."""
    length = getattr(getattr(column, "type", None), "length", None)
    if length is None:
        expression = getattr(column, "expression", None)  # an InstrumentedAttribute
        length = getattr(getattr(expression, "type", None), "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{column!r} has no declared length")
    return length


# Spreadsheet imports (listings, SOE accounts): rows counted whether empty or not, the file as
# uploaded, the .xlsx once unzipped (a 31 KB file can hold 100,000 rows), the columns read per
# row, the cells a sheet may hold, and the time one file may take to parse.
MAX_IMPORT_ROWS = 5_000
MAX_IMPORT_FILE_BYTES = 10 * 1024 * 1024
MAX_IMPORT_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ZIP_MEMBERS = 200
MAX_IMPORT_COLUMNS = 40
MAX_IMPORT_CELLS = (MAX_IMPORT_ROWS + 1) * MAX_IMPORT_COLUMNS  # in a sheet, and shared strings
MAX_IMPORT_PARSE_SECONDS = 10.0

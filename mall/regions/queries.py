"""Reads about regions: lookups, children, eligible counties, and choices for forms."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from mall.errors import NotFoundError
from mall.regions.domain import RegionLevel
from mall.regions.models import Region


def get_region(session: Session, code: str) -> Region:
    region = session.get(Region, code) if code else None
    if region is None:
        raise NotFoundError("未找到该地区")
    return region


def children(session: Session, code: str) -> list[Region]:
    return list(session.scalars(select(Region).where(Region.parent_code == code).order_by(Region.code)))


def provinces(session: Session) -> list[Region]:
    return list(session.scalars(select(Region).where(Region.level == RegionLevel.PROVINCE).order_by(Region.code)))


def within(code: str):
    """A filter for regions inside `code` (itself included), by the structure of the codes."""
    if code.endswith("0000"):
        return Region.code.like(code[:2] + "%")
    if code.endswith("00"):
        return Region.code.like(code[:4] + "%")
    return Region.code == code


def counties_select(*, eligible: bool | None = None, province: str | None = None, q: str = "") -> Select:
    stmt = select(Region).where(Region.level == RegionLevel.COUNTY).order_by(Region.code)
    if eligible is True:
        stmt = stmt.where(or_(Region.is_poverty_county.is_(True), Region.is_provincial_key.is_(True)))
    elif eligible is False:
        stmt = stmt.where(Region.is_poverty_county.is_(False), Region.is_provincial_key.is_(False))
    if province:
        stmt = stmt.where(Region.code.like(province[:2] + "%"))
    if q.strip():
        stmt = stmt.where(Region.name.contains(q.strip()))
    return stmt


def scope_choices(session: Session, province_code: str) -> list[tuple[str, str]]:
    """The province, its cities and counties, for choosing an officer's region of jurisdiction."""
    rows = session.scalars(select(Region).where(within(province_code)).order_by(Region.code)).all()
    indent = {RegionLevel.PROVINCE: "", RegionLevel.CITY: "　", RegionLevel.COUNTY: "　　"}
    return [(r.code, f"{indent[r.level]}{r.name}（{r.code}）") for r in rows]

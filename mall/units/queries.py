"""Reads about units: lookups, the tree by region and by supervising unit, choices for forms."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from mall.errors import NotFoundError
from mall.regions.models import Region
from mall.regions.queries import within
from mall.units.domain import UnitKind, UnitStatus
from mall.units.models import Unit


def get_unit(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("未找到该单位")
    return unit


def units_select(
    *,
    region_code: str | None = None,
    kind: UnitKind | None = None,
    q: str = "",
    parent_id: int | None = None,
    top_level: bool = False,
) -> Select:
    stmt = select(Unit).order_by(Unit.region_code, Unit.id)
    if region_code:
        stmt = stmt.where(Unit.region_code.in_(select(Region.code).where(within(region_code))))
    if kind is not None:
        stmt = stmt.where(Unit.kind == kind)
    if q.strip():
        stmt = stmt.where(Unit.name.contains(q.strip()))
    if parent_id is not None:
        stmt = stmt.where(Unit.parent_id == parent_id)
    if top_level:
        stmt = stmt.where(Unit.parent_id.is_(None))
    return stmt


def child_units(session: Session, unit_id: int) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.parent_id == unit_id).order_by(Unit.kind, Unit.id)))


def unit_ancestors(session: Session, unit: Unit) -> list[Unit]:
    chain: list[Unit] = []
    node = unit.parent
    while node is not None and len(chain) < 20:
        chain.append(node)
        node = node.parent
    chain.reverse()
    return chain


def unit_counts_by_region(session: Session, codes: list[str]) -> dict[str, int]:
    """Active units inside each of the given regions (a city counts its counties' units)."""
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = (
            session.scalar(
                select(func.count(Unit.id)).where(
                    Unit.status == UnitStatus.ACTIVE, Unit.region_code.in_(select(Region.code).where(within(code)))
                )
            )
            or 0
        )
    return counts


def unit_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Unit.id, Unit.name, Region.name)
        .join(Region, Unit.region_code == Region.code)
        .where(Unit.status == UnitStatus.ACTIVE)
        .order_by(Unit.region_code, Unit.id)
    ).all()
    return [(uid, f"{name}（{region}）") for uid, name, region in rows]

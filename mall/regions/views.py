"""Browse regions: provinces, their cities and counties, with codes, coordinates and policy flags."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from flask import Blueprint, render_template
from pydantic import BaseModel, Field
from sqlalchemy import func, literal_column, select

from mall.api import PageOut, api_blueprint, paginated
from mall.api_schema import Auth, PageQuery, documented, per_page_arg
from mall.errors import DomainError, InvalidInputError
from mall.extensions import db
from mall.regions import queries
from mall.regions.domain import RegionLevel
from mall.regions.models import Region

bp = Blueprint("regions", __name__)
api = api_blueprint("regions_api", __name__)


@bp.get("/regions")
def region_index():
    provinces = queries.provinces(db.session)
    # Literal positions, not bound parameters: PostgreSQL must see the same expression in GROUP BY.
    province = func.substr(Region.code, literal_column("1"), literal_column("2"))
    eligible = dict(
        db.session.execute(
            select(province, func.count())
            .where(Region.level == RegionLevel.COUNTY)
            .where((Region.is_poverty_county.is_(True)) | (Region.is_provincial_key.is_(True)))
            .group_by(province)
        ).all()
    )
    return render_template("regions/region_index.html", provinces=provinces, eligible=eligible, page_title="地区")


@bp.get("/regions/<code>")
def region_show(code: str):
    region = queries.get_region(db.session, code)
    children = queries.children(db.session, region.code)
    return render_template("regions/region_show.html", region=region, children=children, page_title=region.name)


class InvalidRegionFilterError(InvalidInputError):
    code, message = "invalid_region_filter", "level 只能是 province、city 或 county；eligible 只能是 0 或 1"


Code = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="6 位行政区划代码")]


class RegionQuery(PageQuery):
    invalid: ClassVar[type[DomainError]] = InvalidRegionFilterError
    level: RegionLevel | None = None
    eligible: Literal["0", "1"] | None = Field(None, description="1：脱贫县或本省重点帮扶县；0：其余")
    province: Annotated[str, Field(pattern=r"^[0-9]{2}([0-9]{4})?$", description="省的代码（前两位即可）")] | None = (
        None
    )
    parent: Code | None = Field(None, description="上级地区的代码")
    per_page: per_page_arg(100) = 100


class RegionOut(BaseModel):
    code: str
    name: str
    short_name: str
    level: RegionLevel
    parent_code: str | None
    full_name: str
    longitude: float | None
    latitude: float | None
    is_poverty_county: bool
    is_national_key: bool
    is_provincial_key: bool
    is_counterpart: bool
    eligible: bool = Field(description="可作为脱贫地区农副产品的产地")


class RegionPage(PageOut):
    items: list[RegionOut]


@api.get("/regions")
@documented("地区（公开）", Auth.PUBLIC, RegionPage)
def regions_list(query: RegionQuery):
    """行政区划：省、市、县，附代码、坐标与帮扶标记"""
    stmt = select(Region).order_by(Region.code)
    if query.level:
        stmt = stmt.where(Region.level == query.level)
    if query.eligible:
        eligible = (Region.is_poverty_county.is_(True)) | (Region.is_provincial_key.is_(True))
        stmt = stmt.where(eligible if query.eligible == "1" else ~eligible)
    if query.province:
        stmt = stmt.where(Region.code.like(query.province[:2] + "%"))
    if query.parent:
        stmt = stmt.where(Region.parent_code == query.parent)
    return paginated(stmt, region_json, page=query.page, per_page=query.per_page)


def region_json(r: Region) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "short_name": r.short_name,
        "level": r.level.value,
        "parent_code": r.parent_code,
        "full_name": r.full_name,
        "longitude": r.longitude,
        "latitude": r.latitude,
        "is_poverty_county": r.is_poverty_county,
        "is_national_key": r.is_national_key,
        "is_provincial_key": r.is_provincial_key,
        "is_counterpart": r.is_counterpart,
        "eligible": r.is_eligible,
    }

"""Browse regions: provinces, their cities and counties, with codes, coordinates and policy flags."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from mall.api import api_blueprint, page_args, paginated
from mall.errors import InvalidInputError
from mall.extensions import db
from mall.regions import queries
from mall.regions.domain import RegionLevel
from mall.regions.models import Region

bp = Blueprint("regions", __name__)
api = api_blueprint("regions_api", __name__)


@bp.get("/regions")
def region_index():
    provinces = queries.provinces(db.session)
    # Grouped by the label: psycopg sends each literal as its own parameter, so PostgreSQL would
    # not see substr(code, $1, $2) and substr(code, $3, $4) as the same expression.
    province = func.substr(Region.code, 1, 2).label("province")
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


@api.get("/regions")
def regions_list():
    level = request.args.get("level") or None
    eligible_arg = request.args.get("eligible")
    if (level and level not in set(RegionLevel)) or eligible_arg not in (None, "", "0", "1"):
        raise InvalidRegionFilterError()
    page, per_page = page_args(default_per_page=100)
    stmt = select(Region).order_by(Region.code)
    if level:
        stmt = stmt.where(Region.level == RegionLevel(level))
    if eligible_arg in ("0", "1"):
        eligible = (Region.is_poverty_county.is_(True)) | (Region.is_provincial_key.is_(True))
        stmt = stmt.where(eligible if eligible_arg == "1" else ~eligible)
    if request.args.get("province"):
        stmt = stmt.where(Region.code.like(request.args["province"][:2] + "%"))
    if request.args.get("parent"):
        stmt = stmt.where(Region.parent_code == request.args["parent"])
    return paginated(stmt, region_json, page=page, per_page=per_page)


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

"""Browse units: by region (province → city → county) and by supervising unit, with SOEs as children."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import login_required

from mall.extensions import db
from mall.pagination import paginate
from mall.regions import queries as region_queries
from mall.units import queries
from mall.units.domain import UNIT_KIND_LABELS, UnitKind

bp = Blueprint("units", __name__)


@bp.get("/units")
@login_required
def unit_index():
    province = current_app.config["MALL_PROVINCE_CODE"]
    region_code = request.args.get("region") or province
    region = region_queries.get_region(db.session, region_code)
    kind_arg = request.args.get("kind") or None
    kind = UnitKind(kind_arg) if kind_arg in set(UnitKind) else None
    sub_regions = region_queries.children(db.session, region.code)
    counts = queries.unit_counts_by_region(db.session, [r.code for r in sub_regions])
    stmt = queries.units_select(region_code=region.code, kind=kind, q=request.args.get("q", ""))
    page = paginate(stmt, per_page=40)
    return render_template(
        "units/unit_index.html",
        region=region,
        sub_regions=sub_regions,
        counts=counts,
        page=page,
        kind_labels=UNIT_KIND_LABELS,
        page_title="单位",
    )


@bp.get("/units/<int:unit_id>")
@login_required
def unit_show(unit_id: int):
    unit = queries.get_unit(db.session, unit_id)
    return render_template(
        "units/unit_show.html",
        unit=unit,
        ancestors=queries.unit_ancestors(db.session, unit),
        children=queries.child_units(db.session, unit.id),
        page_title=unit.name,
    )

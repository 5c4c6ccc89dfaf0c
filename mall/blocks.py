"""What the platform itself adds to the pages and the job loop: the navigation links to home, the
dashboard, accounts and units; dashboard blocks (a unit member's unit, the operator's accounts, a
finance or SASAC officer's units, an agriculture officer's key counties); the purge jobs. Every
other package's `blocks.py` registers its own beside these."""

from __future__ import annotations

from flask import Flask, current_app, url_for
from sqlalchemy import func, select

from mall import rate_limits
from mall.accounts import services as account_services
from mall.accounts.domain import ROLE_LABELS, Role
from mall.accounts.models import User, UserRole
from mall.extensions import db
from mall.jobs import register_job
from mall.notifications import recent_for
from mall.regions import queries as region_queries
from mall.regions.models import Region
from mall.templating import Block, register_block, register_nav
from mall.units import queries as unit_queries
from mall.units.domain import UNIT_KIND_LABELS, UnitKind, UnitStatus
from mall.units.models import Unit


def _my_unit(user, **_: object) -> dict | None:
    if user.unit is None:
        return None
    return {"unit": user.unit, "ancestors": unit_queries.unit_ancestors(db.session, user.unit)}


def _unit_members(user, **_: object) -> dict | None:
    if user.unit_id is None:
        return None
    members = db.session.scalars(select(User).where(User.unit_id == user.unit_id).order_by(User.id)).all()
    return {"members": members, "manage_url": url_for("accounts.manage_users")}


def _accounts_overview(user, **_: object) -> dict:
    counts = dict(db.session.execute(select(UserRole.role, func.count()).group_by(UserRole.role)).all())
    rows = [(ROLE_LABELS[r], counts.get(r, 0)) for r in Role]
    return {
        "rows": rows,
        "total": db.session.scalar(select(func.count(User.id))),
        "manage_url": url_for("accounts.manage_users"),
    }


def _region_units(user, **_: object) -> dict | None:
    if not user.region_code:
        return None
    region = user.region
    children = region_queries.children(db.session, region.code)
    counts = unit_queries.unit_counts_by_region(db.session, [c.code for c in children])
    by_kind = dict(
        db.session.execute(
            select(Unit.kind, func.count())
            .where(
                Unit.status == UnitStatus.ACTIVE,
                Unit.region_code.in_(select(Region.code).where(region_queries.within(region.code))),
            )
            .group_by(Unit.kind)
        ).all()
    )
    return {
        "region": region,
        "children": [(c, counts[c.code]) for c in children if counts[c.code]],
        "by_kind": [(UNIT_KIND_LABELS[k], by_kind.get(k, 0)) for k in UnitKind],
    }


def _soes(user, **_: object) -> dict | None:
    if not user.region_code:
        return None
    soes = db.session.scalars(
        unit_queries.units_select(region_code=user.region_code, kind=UnitKind.SOE).limit(50)
    ).all()
    return {"soes": soes}


def _key_counties(user, **_: object) -> dict | None:
    code = user.region_code or current_app.config["MALL_PROVINCE_CODE"]
    counties = db.session.scalars(
        select(Region).where(region_queries.within(code), Region.is_provincial_key.is_(True)).order_by(Region.code)
    ).all()
    return {"counties": counties, "region": user.region}


def _notifications(user, **_: object) -> dict | None:
    notes = recent_for(db.session, user)
    return {"notes": notes} if notes else None


def init_app(app: Flask) -> None:
    _register_nav(app)
    _register_blocks(app)
    register_job(app, "mall.purge_expired_credentials", account_services.purge_expired_credentials)
    register_job(app, "mall.purge_rate_limit_hits", rate_limits.purge_old_hits)


def _register_nav(app: Flask) -> None:
    register_nav(app, "首页", "mall.home", order=0)
    register_nav(app, "工作台", "mall.dashboard", *Role, order=90)
    register_nav(app, "账号管理", "accounts.manage_users", Role.PLATFORM_OPERATOR, Role.UNIT_ADMIN, order=80)
    officers = (Role.PLATFORM_OPERATOR, Role.FINANCE_OFFICER, Role.SASAC_OFFICER)
    register_nav(app, "单位", "units.unit_index", *officers, order=70)


def _register_blocks(app: Flask) -> None:
    register_block(app, Block("dashboard", "通知", "mall/blocks/notifications.html", _notifications, order=1))
    unit_roles = (Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER, Role.EMPLOYEE)
    for role in unit_roles:
        register_block(app, Block(f"dashboard:{role}", "本单位", "mall/blocks/my_unit.html", _my_unit, order=10))
    register_block(
        app,
        Block(f"dashboard:{Role.UNIT_ADMIN}", "本单位账号", "mall/blocks/unit_members.html", _unit_members, order=20),
    )
    register_block(
        app,
        Block(
            f"dashboard:{Role.PLATFORM_OPERATOR}",
            "账号概况",
            "mall/blocks/accounts_overview.html",
            _accounts_overview,
            order=90,
        ),
    )
    register_block(
        app,
        Block(
            f"dashboard:{Role.FINANCE_OFFICER}",
            "辖区预算单位",
            "mall/blocks/region_units.html",
            _region_units,
            order=10,
        ),
    )
    register_block(
        app, Block(f"dashboard:{Role.SASAC_OFFICER}", "辖区国有企业", "mall/blocks/soes.html", _soes, order=10)
    )
    register_block(
        app,
        Block(
            f"dashboard:{Role.AGRI_OFFICER}",
            "辖区省级乡村振兴重点帮扶县",
            "mall/blocks/key_counties.html",
            _key_counties,
            order=10,
        ),
    )

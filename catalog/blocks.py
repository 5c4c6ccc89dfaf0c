"""What the catalog adds to the pages and the job loop: its blocks on the storefront home and on
dashboards, its navigation links, and the job that runs queued spreadsheet imports."""

from __future__ import annotations

from flask import Flask, current_app, url_for
from sqlalchemy import func, select

from catalog import cards, queries
from catalog.domain import PRODUCT_STATUS_LABELS, PROGRAM_LABELS, SUPPLIER_STATUS_LABELS, SortKey, SourceProgram
from catalog.models import Product, Supplier
from catalog.services import imports
from mall.accounts.domain import Role
from mall.extensions import db
from mall.jobs import register_job
from mall.regions.models import Region
from mall.regions.queries import within
from mall.templating import Block, register_block, register_nav

# The counterpart regions of the demo province (DOMAIN.md): Gansu, Chongqing, Xinjiang.
FEATURED_PROVINCES = (
    ("620000", "甘肃", "鲁甘协作：定西、陇南、临夏"),
    ("500000", "重庆", "鲁渝协作：14个区县"),
    ("650000", "新疆", "援疆：喀什疏勒、英吉沙、麦盖提、岳普湖"),
)


def _featured_regions(user, **_: object) -> dict:
    counts = {f.value: f.count for f in queries.province_counts(db.session)}
    programs = queries.program_counts(db.session)
    cards = [
        (url_for("catalog.province_show", code=code), name, note, counts.get(code, 0))
        for code, name, note in FEATURED_PROVINCES
    ]
    cards.append(
        (
            url_for("catalog.key_county_products"),
            "国家重点帮扶县",
            "160个国家乡村振兴重点帮扶县",
            queries.national_key_count(db.session),
        )
    )
    cards.append(
        (
            url_for("catalog.program_show", program=SourceProgram.NATIONAL_POVERTY.value),
            "国家脱贫县",
            "832个脱贫县特色产品",
            programs.get(SourceProgram.NATIONAL_POVERTY, 0),
        )
    )
    cards.append(
        (
            url_for("catalog.program_show", program=SourceProgram.PROVINCIAL_KEY.value),
            "本省重点帮扶县",
            "山东省乡村振兴重点帮扶县",
            programs.get(SourceProgram.PROVINCIAL_KEY, 0),
        )
    )
    return {"cards": cards}


def _categories(user, **_: object) -> dict:
    return {"facets": queries.category_counts(db.session)}


def _strip(key: str, ids_select, more_url: str) -> dict | None:
    """A row of product cards for the home page: ids cached per process, cards of those still on
    sale read in that order."""
    ids = queries.storefront_cache.get(("home", key), lambda: list(db.session.scalars(ids_select.limit(10))))
    if not ids:
        return None
    on_sale = cards.load_cards(db.session, select(Product).where(Product.id.in_(ids), queries.on_sale()))
    by_id = {card.id: card for card in on_sale}
    return {"products": [by_id[i] for i in ids if i in by_id], "more_url": more_url}


def _product_strip(sort: SortKey):
    def build(user, **_: object) -> dict | None:
        stmt = select(Product.id).where(queries.on_sale()).order_by(*queries.SORT_ORDER[sort])
        if sort is SortKey.SALES:
            stmt = stmt.where(Product.sales_qty > 0)  # no "best sellers" before anything has sold
        return _strip(sort.value, stmt, url_for("catalog.product_list", sort=sort.value))

    return build


def _recommended(user, **_: object) -> dict | None:
    stmt = (
        select(Product.id)
        .where(queries.on_sale(), Product.recommended_at.is_not(None))
        .order_by(Product.recommended_at.desc())
    )
    return _strip("recommended", stmt, url_for("catalog.program_show", program=SourceProgram.PROVINCIAL_KEY.value))


def _my_application(user, **_: object) -> dict | None:
    """An applicant's account sees where its application stands (and nothing of a supplier's)."""
    if user.has_role(Role.SUPPLIER):
        return None
    supplier = queries.supplier_for_user(db.session, user.id)
    return {"supplier": supplier} if supplier is not None else None


def _supplier_overview(user, **_: object) -> dict | None:
    supplier = queries.supplier_for_user(db.session, user.id)
    if supplier is None:
        return None
    counts = dict(
        db.session.execute(
            select(Product.status, func.count()).where(Product.supplier_id == supplier.id).group_by(Product.status)
        ).all()
    )
    recent = db.session.scalars(
        select(Product).where(Product.supplier_id == supplier.id).order_by(Product.updated_at.desc()).limit(8)
    ).all()
    return {
        "supplier": supplier,
        "counts": [(label, counts.get(s, 0)) for s, label in PRODUCT_STATUS_LABELS.items()],
        "recent": recent,
    }


def _catalog_overview(user, **_: object) -> dict:
    products = dict(db.session.execute(select(Product.status, func.count()).group_by(Product.status)).all())
    suppliers = dict(db.session.execute(select(Supplier.status, func.count()).group_by(Supplier.status)).all())
    return {
        "products": [(label, products.get(s, 0)) for s, label in PRODUCT_STATUS_LABELS.items()],
        "suppliers": [(label, suppliers.get(s, 0)) for s, label in SUPPLIER_STATUS_LABELS.items()],
    }


def _coop_suppliers(user, **_: object) -> dict:
    rows = (
        db.session.execute(
            select(Supplier, func.count(Product.id))
            .outerjoin(Product, Product.supplier_id == Supplier.id)
            .where(Supplier.served_by_coop.is_(True))
            .group_by(Supplier.id)
            .order_by(Supplier.region_code, Supplier.id)
        )
        .unique()
        .all()
    )
    return {"rows": rows}


def _agri_key_products(user, **_: object) -> dict:
    code = user.region_code or current_app.config["MALL_PROVINCE_CODE"]
    rows = (
        db.session.execute(
            select(Region, func.count(Product.id))
            .outerjoin(Product, (Product.origin_county_code == Region.code) & queries.on_sale())
            .where(within(code), Region.is_provincial_key.is_(True))
            .group_by(Region.code)
            .order_by(Region.code)
        )
        .unique()
        .all()
    )
    return {"rows": rows, "program_label": PROGRAM_LABELS[SourceProgram.PROVINCIAL_KEY]}


def init_app(app: Flask) -> None:
    _register_nav(app)
    _register_blocks(app)
    register_job(app, "catalog.run_queued_imports", imports.run_queued_imports)


def _register_nav(app: Flask) -> None:
    register_nav(app, "全部商品", "catalog.product_list", order=10)
    register_nav(app, "重点帮扶县", "catalog.key_county_products", order=20)
    register_nav(app, "地区", "regions.region_index", order=60)
    register_nav(app, "我的商品", "catalog_manage.listing_index", Role.SUPPLIER, Role.COOP_OPERATOR, order=30)
    register_nav(app, "商品审核", "catalog_manage.review_index", Role.PLATFORM_OPERATOR, order=30)
    onboarding = (Role.PLATFORM_OPERATOR, Role.COOP_OPERATOR, Role.AGRI_OFFICER)
    register_nav(app, "供应商入驻", "catalog_onboarding.supplier_queue", *onboarding, order=40)
    register_nav(
        app, "上架需求", "catalog_requests.request_queue", Role.PLATFORM_OPERATOR, Role.COOP_OPERATOR, order=45
    )
    register_nav(app, "上架需求", "catalog_requests.request_index", Role.BUYER, Role.UNIT_ADMIN, order=45)
    register_nav(app, "产品推荐", "catalog_requests.recommendation_index", Role.AGRI_OFFICER, order=35)


def _register_blocks(app: Flask) -> None:
    register_block(app, Block("home", "特色产区", "catalog/blocks/featured_regions.html", _featured_regions, order=10))
    register_block(app, Block("home", "商品类别", "catalog/blocks/categories.html", _categories, order=20))
    register_block(
        app, Block("home", "热销商品", "catalog/blocks/product_strip.html", _product_strip(SortKey.SALES), order=30)
    )
    register_block(
        app, Block("home", "新品上架", "catalog/blocks/product_strip.html", _product_strip(SortKey.NEWEST), order=40)
    )
    register_block(app, Block("dashboard", "入驻申请", "catalog/blocks/my_application.html", _my_application, order=5))
    register_block(
        app,
        Block(
            f"dashboard:{Role.SUPPLIER}",
            "我的商品",
            "catalog/blocks/supplier_overview.html",
            _supplier_overview,
            order=10,
        ),
    )
    register_block(
        app,
        Block(
            f"dashboard:{Role.PLATFORM_OPERATOR}",
            "商品与供应商",
            "catalog/blocks/catalog_overview.html",
            _catalog_overview,
            order=10,
        ),
    )
    register_block(
        app,
        Block(
            f"dashboard:{Role.COOP_OPERATOR}",
            "供销社服务的供应商",
            "catalog/blocks/coop_suppliers.html",
            _coop_suppliers,
            order=10,
        ),
    )
    register_block(
        app,
        Block(
            f"dashboard:{Role.AGRI_OFFICER}",
            "重点帮扶县在售产品",
            "catalog/blocks/agri_key_products.html",
            _agri_key_products,
            order=20,
        ),
    )

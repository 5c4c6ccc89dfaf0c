"""Storefront pages: product lists (by category, province, county, program, search), the
product page with its pictures, and the county page. Thin: filters are parsed in domain.py,
rows come from queries.py."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from catalog import cards, generation, images, queries
from catalog.domain import (
    PROGRAM_LABELS,
    SORT_LABELS,
    STORAGE_LABELS,
    InvalidListFilterError,
    ListFilters,
    SourceProgram,
    parse_list_filters,
)
from mall.errors import NotFoundError
from mall.extensions import db
from mall.fragments import fragment_cache
from mall.pagination import paginate
from mall.regions import queries as region_queries
from mall.regions.domain import RegionLevel
from mall.templating import render_blocks

bp = Blueprint("catalog", __name__, template_folder="templates")


def _render_list(
    *, heading: str, fixed: dict[str, str] | None = None, template: str = "catalog/product_list.html", **context
):
    fixed = fixed or {}
    try:
        filters = parse_list_filters(request.args.to_dict() | fixed, money_in_fen=False)
    except InvalidListFilterError as err:
        return render_template(
            template,
            heading=heading,
            error=err.message,
            filters=ListFilters(),
            page=None,
            fixed=fixed,
            filters_sidebar=_filters_sidebar(ListFilters(), fixed),
            sort_labels=SORT_LABELS,
            **context,
        ), 400
    category = queries.category_by_slug(db.session, filters.category)
    stmt = queries.storefront_select(filters, category_id=category.id if category else None)
    page = paginate(stmt, page=filters.page, per_page=filters.per_page, load=cards.load_page)
    return render_template(
        template,
        heading=heading,
        filters=filters,
        page=page,
        fixed=fixed,
        error=None,
        category=category,
        filters_sidebar=_filters_sidebar(filters, fixed),
        sort_labels=SORT_LABELS,
        **context,
    )


def _filters_sidebar(filters: ListFilters, fixed: dict[str, str]) -> Markup:
    """The filter sidebar with its counts, kept per process: its links depend only on the path,
    the query (the page number aside) and the counts, which are keyed by the catalogue's generation."""
    args = tuple((key, value) for key, value in request.args.items() if key != "page")
    key = (request.script_root, request.path, args, tuple(fixed.items()), generation.current(db.session))
    return fragment_cache("list_filters", 512).get(key, lambda: _render_filters(filters, fixed))


def _render_filters(filters: ListFilters, fixed: dict[str, str]) -> Markup:
    return Markup(
        render_template(
            "catalog/_filters.html",
            filters=filters,
            fixed=fixed,
            category_facets=queries.category_counts(db.session),
            province_facets=queries.province_counts(db.session),
            program_facets=queries.program_counts(db.session),
            program_labels=PROGRAM_LABELS,
            storage_labels=STORAGE_LABELS,
        )
    )


@bp.get("/products")
def product_list():
    return _render_list(heading="全部商品")


@bp.get("/categories/<slug>")
def category_show(slug: str):
    category = queries.category_by_slug(db.session, slug)
    return _render_list(heading=category.name, fixed={"category": slug})


@bp.get("/provinces/<code>")
def province_show(code: str):
    region = region_queries.get_region(db.session, code)
    if region.level is not RegionLevel.PROVINCE:
        raise NotFoundError("未找到该省份")
    return _render_list(heading=f"{region.name}产品", fixed={"province": code}, region=region)


@bp.get("/programs/<program>")
def program_show(program: str):
    if program not in set(SourceProgram):
        raise NotFoundError("未找到该来源类型")
    return _render_list(heading=f"{PROGRAM_LABELS[SourceProgram(program)]}产品", fixed={"program": program})


@bp.get("/key-counties")
def key_county_products():
    return _render_list(heading="国家乡村振兴重点帮扶县产品", fixed={"national_key": "1"})


@bp.get("/counties/<code>")
def county_show(code: str):
    county = region_queries.get_region(db.session, code)
    if county.level is not RegionLevel.COUNTY:
        raise NotFoundError("未找到该县")
    return _render_list(
        heading=f"{county.short_name}产品",
        fixed={"county": code},
        template="catalog/county_show.html",
        county=county,
        suppliers=queries.county_suppliers(db.session, code),
    )


@bp.get("/products/<int:product_id>")
def product_show(product_id: int):
    product, key = queries.product_page(db.session, product_id)
    detail = fragment_cache("product_pages", 1024).get((request.script_root, key), lambda: _render_detail(product))
    return render_template(
        "catalog/product_show.html",
        detail=detail,
        similar=queries.similar_products(db.session, product),
        actions=render_blocks("product:actions", current_user, product=product),
        page_title=product.title,
    )


_SLOTS = ("<!--product-actions-->", "<!--similar-products-->")


def _render_detail(product) -> dict[str, Markup]:
    """The product's part of its page, cut where the per-request parts go (escaped data can
    never hold a slot's marker)."""
    html = render_template(
        "catalog/_product_detail.html",
        product=product,
        actions_slot=Markup(_SLOTS[0]),
        similar_slot=Markup(_SLOTS[1]),
    )
    before_actions, rest = html.split(_SLOTS[0])
    before_similar, rest = rest.split(_SLOTS[1])
    return {
        "before_actions": Markup(before_actions),
        "before_similar": Markup(before_similar),
        "rest": Markup(rest),
    }


@bp.get("/products/<int:product_id>/photo-<int(min=0, max=1):variant>.svg")
def product_photo(product_id: int, variant: int):
    product = queries.get_product_on_sale(db.session, product_id)
    if variant == 0 and product.photos:
        # The cover on cards: the supplier's own first photo when there is one.
        return redirect(url_for("catalog_manage.photo_file", photo_id=product.photos[0].id))
    svg = images.product_svg(
        title=product.title,
        spec=product.spec,
        origin=product.origin.short_name,
        category_slug=product.category.slug,
        variant=variant,
    )
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response

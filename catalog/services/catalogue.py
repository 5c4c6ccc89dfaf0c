"""The catalogue's categories, and the listing checks every way of listing shares (the form, the
API, spreadsheet import, seeding): eligibility against the origin county's flags and the
supplier's registered county (DOMAIN.md, eligible products), category, price per kilo. Creating
many listings at once (seeding) is here too; review and import have their own modules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import domain
from catalog.domain import ListingInput, ProductStatus, SupplierStatus
from catalog.domain.errors import UnknownCategoryError, UnknownCountyError
from catalog.models import Category, PriceEvidence, Product, Supplier
from catalog.search import outbox
from mall import audit, clock
from mall.errors import InvalidInputError
from mall.money import per_kilo_fen
from mall.regions.domain import RegionLevel, province_code
from mall.regions.models import Region

log = logging.getLogger(__name__)


def create_category(session: Session, *, slug: str, name: str, position: int, description: str = "") -> Category:
    category = session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        category = Category(slug=slug, name=name)
        session.add(category)
    category.name, category.position, category.description = name, position, description
    session.commit()
    return category


class ListingContext:
    """What checking many listings of one supplier needs, loaded once: categories and counties."""

    def __init__(self, session: Session, supplier: Supplier) -> None:
        self.session = session
        self.supplier = supplier
        self.categories = {c.slug: c for c in session.scalars(select(Category))}
        self._counties: dict[str, Region | None] = {}

    def county(self, code: str) -> Region | None:
        if code not in self._counties:
            self._counties[code] = self.session.get(Region, code)
        return self._counties[code]


def listing_columns(ctx: ListingContext, raw: ListingInput) -> dict:
    """Check a listing for `ctx.supplier` (fields, category, county, eligibility) and return the
    product column values it sets. Raises ListingInvalidError, UnknownCategoryError,
    UnknownCountyError and the eligibility errors of catalog.domain."""
    data = domain.check_listing(raw)
    category = ctx.categories.get(data.category_slug)
    if category is None:
        raise UnknownCategoryError()
    county = ctx.county(data.origin_county_code)
    if county is None or county.level is not RegionLevel.COUNTY:
        raise UnknownCountyError()
    domain.check_origin(
        county_flags_eligible=county.is_eligible,
        county_is_poverty=county.is_poverty_county,
        county_is_counterpart=county.is_counterpart,
        county_is_provincial_key=county.is_provincial_key,
        origin_code=county.code,
        supplier_county_code=ctx.supplier.region_code,
        supplier_approved=ctx.supplier.status is SupplierStatus.APPROVED,
        program=data.program,
    )
    return {
        "sku": data.sku.strip(),
        "title": data.title.strip(),
        "category_id": category.id,
        "spec": data.spec.strip(),
        "sale_unit": data.sale_unit.strip(),
        "net_content": data.net_content,
        "net_content_unit": data.net_content_unit,
        "price_fen": data.price_fen,
        "per_kilo_fen": per_kilo_fen(data.price_fen, data.net_content),
        "stock_qty": data.stock_qty,
        "min_order_qty": data.min_order_qty,
        "pack_size": data.pack_size,
        "origin_county_code": county.code,
        "origin_province_code": province_code(county.code),
        "program": data.program,
        "cert_no": data.cert_no.strip(),
        "storage": data.storage,
        "shelf_life_days": data.shelf_life_days,
        "season": data.season.strip(),
        "description": data.description.strip(),
    }


def listing_input_of(product: Product) -> ListingInput:
    """A product's current values in the shape of a listing form (for edits and review diffs)."""
    return ListingInput(
        sku=product.sku,
        title=product.title,
        category_slug=product.category.slug,
        spec=product.spec,
        sale_unit=product.sale_unit,
        price_fen=product.price_fen,
        stock_qty=product.stock_qty,
        origin_county_code=product.origin_county_code,
        program=product.program,
        net_content=product.net_content,
        net_content_unit=product.net_content_unit,
        min_order_qty=product.min_order_qty,
        pack_size=product.pack_size,
        cert_no=product.cert_no,
        storage=product.storage,
        shelf_life_days=product.shelf_life_days,
        season=product.season,
        description=product.description,
    )


def create_listings(
    session: Session,
    *,
    supplier_id: int,
    items: Iterable[ListingInput],
    actor_id: int | None,
    approved_by: int | None = None,
    evidence: dict[str, list[tuple[str, str]]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Product]:
    """Create listings for one supplier in one transaction: all are valid, or none is written.

    New listings wait for review (待审核). `approved_by` records the operator's approval in the
    same step, which seeding uses for a catalogue that was reviewed before the mall opened.
    `evidence` maps a SKU to its price evidence as (url, note) pairs.
    Raises ListingInvalidError, UnknownCategoryError, UnknownCountyError and the eligibility errors.
    """
    now = clock.now()
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise InvalidInputError("供应商不存在")
    ctx = ListingContext(session, supplier)
    created: list[Product] = []
    for raw in items:
        created.append(_new_listing(session, ctx, raw, actor_id=actor_id, approved_by=approved_by, now=now))
        if progress:
            progress(1)
    session.flush()
    for product in created:
        for url, note in (evidence or {}).get(product.sku, []):
            session.add(PriceEvidence(product_id=product.id, url=url, note=note, created_at=now))
    outbox.enqueue(session, (p.id for p in created))
    _record_created(session, created, actor_id=actor_id, approved_by=approved_by, now=now)
    session.commit()
    log.info("listings created: supplier=%s count=%s approved=%s", supplier.id, len(created), approved_by is not None)
    return created


def _new_listing(
    session: Session, ctx: ListingContext, raw: ListingInput, *, actor_id: int | None, approved_by: int | None, now
) -> Product:
    """A listing waiting for review, or approved in the same step by `approved_by`."""
    product = Product(
        supplier_id=ctx.supplier.id,
        status=ProductStatus.PENDING,
        created_at=now,
        updated_at=now,
        created_by_id=actor_id,
        **listing_columns(ctx, raw),
    )
    if approved_by is not None:
        domain.ensure_product_transition(product.status, ProductStatus.APPROVED)
        product.status, product.reviewed_by_id, product.reviewed_at = ProductStatus.APPROVED, approved_by, now
        product.reviewed_price_fen = product.price_fen
    session.add(product)
    return product


def _record_created(
    session: Session, created: list[Product], *, actor_id: int | None, approved_by: int | None, now
) -> None:
    for product in created:
        audit.record(
            session,
            actor_id=actor_id,
            action="product.create",
            target_type="product",
            target_id=product.id,
            at=now,
            sku=product.sku,
        )
        if approved_by is not None:
            audit.record(
                session,
                actor_id=approved_by,
                action="product.approve",
                target_type="product",
                target_id=product.id,
                at=now,
            )

"""Catalog reads: the storefront list with filters and sorting, product pages, county pages,
facet counts, and getters that check ownership (another supplier's id is "not found")."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session, lazyload

from catalog import generation
from catalog.cards import Card, card_select
from catalog.domain import (
    ChangeStatus,
    ListFilters,
    ProductStatus,
    RequestStatus,
    SortKey,
    SourceProgram,
    title_similarity,
)
from catalog.models import (
    Category,
    ListingChange,
    Product,
    ProductPhoto,
    ProductRequest,
    Supplier,
    SupplierDocument,
    SupplierMember,
)
from mall.accounts.models import User
from mall.audit import AuditEvent
from mall.bounds import is_id
from mall.errors import NotFoundError
from mall.fragments import fragment_cache
from mall.regions.models import Region
from mall.regions.queries import within

SORT_ORDER = {
    SortKey.DEFAULT: (Product.sales_qty.desc(), Product.id.desc()),
    SortKey.SALES: (Product.sales_qty.desc(), Product.id.desc()),
    SortKey.NEWEST: (Product.created_at.desc(), Product.id.desc()),
    SortKey.PRICE_ASC: (Product.price_fen.asc(), Product.id.asc()),
    SortKey.PRICE_DESC: (Product.price_fen.desc(), Product.id.desc()),
    SortKey.PER_KILO_ASC: (Product.per_kilo_fen.is_(None), Product.per_kilo_fen.asc(), Product.id.asc()),
}


def on_sale() -> Any:
    return Product.status == ProductStatus.APPROVED


def product_list_select(filters: ListFilters, *, category_id: int | None = None) -> Select:
    """Approved products matching the filters, in the chosen order (rows load with their supplier,
    category and origin in one query)."""
    stmt = select(Product).where(on_sale())
    if category_id is not None:
        stmt = stmt.where(Product.category_id == category_id)
    if filters.province:
        stmt = stmt.where(Product.origin_province_code == filters.province)
    if filters.county:
        stmt = stmt.where(Product.origin_county_code == filters.county)
    if filters.program:
        stmt = stmt.where(Product.program == filters.program)
    if filters.storage:
        stmt = stmt.where(Product.storage == filters.storage)
    if filters.national_key:
        stmt = stmt.where(Product.origin_county_code.in_(select(Region.code).where(Region.is_national_key.is_(True))))
    if filters.price_min_fen is not None:
        stmt = stmt.where(Product.price_fen >= filters.price_min_fen)
    if filters.price_max_fen is not None:
        stmt = stmt.where(Product.price_fen <= filters.price_max_fen)
    if filters.q:
        like = f"%{filters.q}%"
        stmt = stmt.where(or_(Product.title.like(like), Product.description.like(like)))
    return stmt.order_by(*SORT_ORDER[filters.sort])


def storefront_select(filters: ListFilters, *, category_id: int | None = None) -> Select:
    """`product_list_select` for a storefront page, the same statement object for the same
    filters (the page number aside): reused, it skips building and SQLAlchemy's cache-key work."""
    return _storefront_select(filters.without(page=1), category_id)


@lru_cache(maxsize=256)
def _storefront_select(filters: ListFilters, category_id: int | None) -> Select:
    return product_list_select(filters, category_id=category_id)


def review_queue_select(supplier_ids: Select | None = None) -> Select:
    """The review queue, for the operator's page and `GET /api/v1/listings?review=pending` alike:
    new listings (status pending) and listings on sale or delisted with a pending change (a price
    rise, a new title, spec or photo…), longest waiting first. `supplier_ids` narrows it to the
    listings a supplier or the cooperative may see."""
    waiting = (
        select(ListingChange.submitted_at)
        .where(ListingChange.product_id == Product.id, ListingChange.status == ChangeStatus.PENDING)
        .order_by(ListingChange.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )
    stmt = select(Product).where(or_(Product.status == ProductStatus.PENDING, waiting.is_not(None)))
    if supplier_ids is not None:
        stmt = stmt.where(Product.supplier_id.in_(supplier_ids))
    return stmt.order_by(func.coalesce(waiting, Product.updated_at), Product.id)


def pending_changes(session: Session, product_ids: list[int]) -> dict[int, ListingChange]:
    """The pending change of each of these listings that has one."""
    if not product_ids:
        return {}
    rows = session.scalars(
        select(ListingChange).where(
            ListingChange.product_id.in_(product_ids), ListingChange.status == ChangeStatus.PENDING
        )
    )
    return {c.product_id: c for c in rows}


def count_select(stmt: Select) -> Select:
    return select(func.count()).select_from(stmt.order_by(None).with_only_columns(Product.id).subquery())


def category_by_slug(session: Session, slug: str | None) -> Category | None:
    """The category for a slug; an unknown slug is "not found" (404), not an empty list."""
    if slug is None:
        return None
    category = session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise NotFoundError("未找到该商品类别")
    return category


def categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.position, Category.id)))


def get_product_on_sale(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id) if is_id(product_id) else None
    if product is None or product.status is not ProductStatus.APPROVED:
        raise NotFoundError("商品不存在或已下架")
    return product


_ORIGIN = Region.__table__.alias("page_origin")
_SUPPLIER_REGION = Region.__table__.alias("page_supplier_region")
# Every column the product page can show: the product's, its supplier's, category's, origin's and
# supplier's county's, and its public photos' (one row per photo).
_PAGE_COLUMNS = (
    *Product.__table__.c,
    *Supplier.__table__.c,
    *Category.__table__.c,
    *_ORIGIN.c,
    *_SUPPLIER_REGION.c,
    ProductPhoto.id,
    ProductPhoto.position,
)


@cache
def _product_page_select() -> Select:
    """Built once: a statement reused with new parameters skips building and cache-key work."""
    return (
        select(Product, *_PAGE_COLUMNS)
        .join(Supplier, Supplier.id == Product.supplier_id)
        .join(Category, Category.id == Product.category_id)
        .join(_ORIGIN, _ORIGIN.c.code == Product.origin_county_code)
        .join(_SUPPLIER_REGION, _SUPPLIER_REGION.c.code == Supplier.region_code)
        .outerjoin(ProductPhoto, (ProductPhoto.product_id == Product.id) & ProductPhoto.change_id.is_(None))
        .where(Product.id == bindparam("product_id"), on_sale())
        .order_by(ProductPhoto.position, ProductPhoto.id)
        .options(lazyload("*"))
    )


def product_page(session: Session, product_id: int) -> tuple[Product, tuple]:
    """A product on sale and its page's key (in one query): the values of every row the page
    shows, so a page kept under it is the page of today's data. The product comes without its
    relations, which load when a page is rendered."""
    if not is_id(product_id):
        raise NotFoundError("商品不存在或已下架")
    rows = session.execute(_product_page_select(), {"product_id": product_id}).all()
    if not rows:
        raise NotFoundError("商品不存在或已下架")
    return rows[0][0], tuple(tuple(row[1:]) for row in rows)


@cache
def _similar_select() -> Select:
    return card_select(
        select(Product)
        .where(
            on_sale(),
            Product.origin_county_code == bindparam("county_code"),
            Product.id != bindparam("product_id"),
        )
        .order_by(Product.sales_qty.desc(), Product.id.desc())
        .limit(bindparam("limit"))
    )


def similar_products(session: Session, product: Product, limit: int = 6) -> list[Card]:
    """The cards of other approved products from the same county (DOMAIN.md: buyers compare within a place)."""
    params = {"county_code": product.origin_county_code, "product_id": product.id, "limit": limit}
    return [Card._make(row) for row in session.execute(_similar_select(), params)]


def supplier_for_user(session: Session, user_id: int) -> Supplier | None:
    return session.scalar(
        select(Supplier)
        .join(SupplierMember, SupplierMember.supplier_id == Supplier.id)
        .where(SupplierMember.user_id == user_id)
    )


def get_supplier(session: Session, supplier_id: int) -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFoundError("未找到该供应商")
    return supplier


def county_suppliers(session: Session, county_code: str) -> list[Supplier]:
    return list(session.scalars(select(Supplier).where(Supplier.region_code == county_code).order_by(Supplier.id)))


# ---- facet counts, kept per process under the catalogue's generation ------------------------


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int


class _TtlCache:
    """A tiny per-process cache for what may lag a little: the home page's product strips (which
    products lead by sales or recommendation); their cards are read fresh on every request."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._data: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        now = time.monotonic()
        hit = self._data.get(key)
        if hit and now - hit[0] < self.ttl:
            return hit[1]
        value = compute()
        with self._lock:
            self._data[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


storefront_cache = _TtlCache(ttl=30.0)


def _counted(session: Session, key: Any, compute: Callable[[], Any]) -> Any:
    """Storefront counts as of the catalogue's generation (catalog.generation): a listing put on
    or taken off sale shows in them on the next request, in every worker."""
    return fragment_cache("catalog_counts", 256).get((generation.current(session), key), compute)


def category_counts(session: Session) -> list[FacetCount]:
    def compute() -> list[FacetCount]:
        rows = session.execute(
            select(Category.slug, Category.name, func.count(Product.id))
            .outerjoin(Product, (Product.category_id == Category.id) & on_sale())
            .group_by(Category.id, Category.slug, Category.name, Category.position)
            .order_by(Category.position, Category.id)
        ).all()
        return [FacetCount(slug, name, n) for slug, name, n in rows]

    return _counted(session, ("categories"), compute)


def province_counts(session: Session) -> list[FacetCount]:
    def compute() -> list[FacetCount]:
        rows = session.execute(
            select(Product.origin_province_code, Region.name, func.count(Product.id))
            .join(Region, Region.code == Product.origin_province_code)
            .where(on_sale())
            .group_by(Product.origin_province_code, Region.name)
            .order_by(func.count(Product.id).desc())
        ).all()
        return [FacetCount(code, name, n) for code, name, n in rows]

    return _counted(session, ("provinces"), compute)


def program_counts(session: Session) -> dict[SourceProgram, int]:
    def compute() -> dict[SourceProgram, int]:
        rows = session.execute(select(Product.program, func.count()).where(on_sale()).group_by(Product.program)).all()
        return dict(rows)

    return _counted(session, ("programs"), compute)


def national_key_count(session: Session) -> int:
    def compute() -> int:
        return (
            session.scalar(
                select(func.count(Product.id)).where(
                    on_sale(),
                    Product.origin_county_code.in_(select(Region.code).where(Region.is_national_key.is_(True))),
                )
            )
            or 0
        )

    return _counted(session, ("national_key",), compute)


def county_counts(session: Session, *, province: str | None = None, limit: int = 60) -> list[FacetCount]:
    def compute() -> list[FacetCount]:
        stmt = (
            select(Product.origin_county_code, Region.name, func.count(Product.id))
            .join(Region, Region.code == Product.origin_county_code)
            .where(on_sale())
            .group_by(Product.origin_county_code, Region.name)
            .order_by(func.count(Product.id).desc(), Product.origin_county_code)
            .limit(limit)
        )
        if province:
            stmt = stmt.where(Product.origin_province_code == province)
        return [FacetCount(code, name, n) for code, name, n in session.execute(stmt).all()]

    return _counted(session, ("counties", province, limit), compute)


@dataclass(frozen=True)
class Comparison:
    """How a listing's price per kg/L compares with similar products on sale (质优价廉)."""

    count: int
    median_per_kilo_fen: int | None
    cheapest: list[Product]


def comparable_prices(session: Session, product: Product, *, threshold: float = 0.5, limit: int = 3) -> Comparison:
    """Approved products of the same category with a similar name (any supplier), for the reviewer."""
    rows = session.execute(
        select(Product.id, Product.title, Product.per_kilo_fen).where(
            on_sale(),
            Product.category_id == product.category_id,
            Product.id != product.id,
            Product.per_kilo_fen.is_not(None),
        )
    ).all()
    similar = [(pid, per_kilo) for pid, title, per_kilo in rows if title_similarity(product.title, title) >= threshold]
    if not similar:
        return Comparison(0, None, [])
    prices = sorted(p for _, p in similar)
    mid = len(prices) // 2
    median = prices[mid] if len(prices) % 2 else (prices[mid - 1] + prices[mid]) // 2
    cheapest_ids = [pid for pid, _ in sorted(similar, key=lambda r: r[1])[:limit]]
    by_id = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(cheapest_ids)))}
    return Comparison(len(similar), median, [by_id[i] for i in cheapest_ids])


# ---- product requests and recommendations (the manage pages) ----------------------------------


def unit_requests(session: Session, unit_id: int | None, *, limit: int = 100) -> list[ProductRequest]:
    """A unit's own product requests, newest first."""
    return list(
        session.scalars(
            select(ProductRequest)
            .where(ProductRequest.unit_id == unit_id)
            .order_by(ProductRequest.id.desc())
            .limit(limit)
        )
    )


def request_queue_select(status: str | None):
    """Every unit's product requests, newest first, of one status or all."""
    stmt = select(ProductRequest).order_by(ProductRequest.id.desc())
    if status in set(RequestStatus):
        stmt = stmt.where(ProductRequest.status == status)
    return stmt


def recommendable_select(region_code: str):
    """Approved products of the provincial key counties within a region (the agriculture
    officer's recommendations): those already recommended first, then by county."""
    counties = select(Region.code).where(within(region_code), Region.is_provincial_key.is_(True))
    return (
        select(Product)
        .where(Product.status == ProductStatus.APPROVED, Product.origin_county_code.in_(counties))
        .order_by(Product.recommended_at.is_(None), Product.origin_county_code, Product.id)
    )


# ---- a supplier's listings (the manage pages) -----------------------------------------------------


def supplier_listings_select(supplier_ids: Select | None, status: str | None) -> Select:
    """The listings of the suppliers in `supplier_ids` (a select of ids), last changed first, of
    one status or all."""
    stmt = (
        select(Product)
        .where(Product.supplier_id.in_(supplier_ids))
        .order_by(Product.updated_at.desc(), Product.id.desc())
    )
    if status in set(ProductStatus):
        stmt = stmt.where(Product.status == ProductStatus(status))
    return stmt


def with_pending_change(session: Session, product_ids: list[int]) -> set[int]:
    """Those of `product_ids` with an edit waiting for review."""
    return set(
        session.scalars(
            select(ListingChange.product_id).where(
                ListingChange.status == ChangeStatus.PENDING, ListingChange.product_id.in_(product_ids)
            )
        )
    )


def latest_change(session: Session, product_id: int) -> ListingChange | None:
    return session.scalar(
        select(ListingChange).where(ListingChange.product_id == product_id).order_by(ListingChange.id.desc())
    )


def listing_history(session: Session, product_id: int, *, limit: int = 50) -> list:
    """The listing's audit trail, newest first: (event, actor's display name) rows."""
    return list(
        session.execute(
            select(AuditEvent, User.display_name)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(AuditEvent.target_type == "product", AuditEvent.target_id == str(product_id))
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


def supplier_documents(session: Session, supplier_id: int) -> list[SupplierDocument]:
    """A supplier's licences and recommendation letters, in the order they were stored."""
    return list(
        session.scalars(
            select(SupplierDocument).where(SupplierDocument.supplier_id == supplier_id).order_by(SupplierDocument.id)
        )
    )

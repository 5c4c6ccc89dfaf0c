"""Catalog tables: suppliers (and the accounts that act for them), categories, products."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.domain import (
    CHANGE_STATUS_LABELS,
    ENTITY_TYPE_LABELS,
    IMPORT_STATUS_LABELS,
    PRODUCT_STATUS_LABELS,
    PROGRAM_LABELS,
    REQUEST_STATUS_LABELS,
    STORAGE_LABELS,
    SUPPLIER_STATUS_LABELS,
    ChangeStatus,
    EntityType,
    ImportStatus,
    ProductStatus,
    RequestStatus,
    SourceProgram,
    Storage,
    SupplierStatus,
)
from mall.extensions import UtcDateTime, db, enum_column
from mall.regions.models import Region


class Supplier(db.Model):
    __tablename__ = "suppliers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    # The county where the supplier is registered: it may only list products of that county.
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    entity_type: Mapped[EntityType] = mapped_column(enum_column(EntityType))
    status: Mapped[SupplierStatus] = mapped_column(enum_column(SupplierStatus), index=True)
    contact_name: Mapped[str] = mapped_column(String(40), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    # Served by the supply and marketing cooperative (供销社): its operators may list for it.
    served_by_coop: Mapped[bool] = mapped_column(Boolean, default=False)
    # 0-100 from the supplier's scorecard (performance evaluations, on-time delivery, returns);
    # search ranks by it after relevance. New suppliers start in good standing.
    standing_score: Mapped[int] = mapped_column(default=80)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Onboarding: who recommended (county agriculture officer, or the cooperative on the county's
    # letter) and who reviewed; the reason shown to the applicant when declined.
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decline_reason: Mapped[str] = mapped_column(String(500), default="")

    region: Mapped[Region] = relationship(lazy="joined")

    @property
    def status_label(self) -> str:
        return SUPPLIER_STATUS_LABELS[self.status]

    @property
    def entity_type_label(self) -> str:
        return ENTITY_TYPE_LABELS[self.entity_type]


class SupplierMember(db.Model):
    """An account acting for a supplier (the supplier's scope, like a buyer's unit)."""

    __tablename__ = "supplier_members"
    __table_args__ = (UniqueConstraint("user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)


class Category(db.Model):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(200), default="")


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("supplier_id", "sku"),  # the key of a re-import
        CheckConstraint("price_fen > 0", name="price_positive"),
        CheckConstraint("stock_qty >= 0", name="stock_not_negative"),
        CheckConstraint("min_order_qty >= 1", name="min_order_positive"),
        CheckConstraint("pack_size >= 1", name="pack_size_positive"),
        # One index per storefront sort, led by status (only approved rows are listed), so a
        # page is read in order instead of sorting every approved row.
        Index("ix_products_status_sales", "status", "sales_qty", "id"),
        Index("ix_products_status_created", "status", "created_at", "id"),
        Index("ix_products_status_price", "status", "price_fen", "id"),
        Index("ix_products_status_per_kilo", "status", "per_kilo_fen", "id"),
        Index("ix_products_status_category", "status", "category_id", "sales_qty"),
        Index("ix_products_status_province", "status", "origin_province_code", "sales_qty"),
        Index("ix_products_county_status", "origin_county_code", "status", "sales_qty", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    spec: Mapped[str] = mapped_column(String(60))  # 规格, e.g. "5kg/袋"
    sale_unit: Mapped[str] = mapped_column(String(8))  # 袋, 箱, 瓶…
    # Net content of one sale unit in grams or millilitres, for the price per kg/L (质优价廉 comparisons).
    net_content: Mapped[int] = mapped_column(default=0)
    net_content_unit: Mapped[str] = mapped_column(String(2), default="g")
    price_fen: Mapped[int] = mapped_column(BigInteger)
    # The price the platform operator last approved: price moves are measured against it, so
    # small steps cannot add up to an unreviewed rise. None until the listing is first approved.
    reviewed_price_fen: Mapped[int | None] = mapped_column(BigInteger)
    per_kilo_fen: Mapped[int | None] = mapped_column(BigInteger, index=True)  # derived, for sorting
    stock_qty: Mapped[int] = mapped_column(default=0)
    min_order_qty: Mapped[int] = mapped_column(default=1)
    # Buyers order in multiples of this (a case of 6 bottles, a pallet of 40 bags).
    pack_size: Mapped[int] = mapped_column(default=1)
    origin_county_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    origin_province_code: Mapped[str] = mapped_column(String(6))  # derived from the county, for filters
    program: Mapped[SourceProgram] = mapped_column(enum_column(SourceProgram), index=True)
    cert_no: Mapped[str] = mapped_column(String(40), default="")  # 认定编号
    storage: Mapped[Storage] = mapped_column(enum_column(Storage), default=Storage.AMBIENT)
    shelf_life_days: Mapped[int] = mapped_column(default=365)
    season: Mapped[str] = mapped_column(String(40), default="")  # 上市季节, e.g. "10月-次年5月"
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProductStatus] = mapped_column(enum_column(ProductStatus), default=ProductStatus.DRAFT)
    # Counts the listing's edits and reviews: each one is an UPDATE guarded on the revision it
    # read, so of a reviewer and the supplier (or two reviewers) acting at once exactly one wins.
    revision: Mapped[int] = mapped_column(default=0)
    sales_qty: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reject_reason: Mapped[str] = mapped_column(String(500), default="")
    # A delisting by the platform operator (quality, price) sends a relisting back to review.
    delisted_by_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    # The supplier's own listing this one probably duplicates, flagged for the reviewer.
    twin_of_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    twin_score_pct: Mapped[int | None]
    # 本省重点帮扶县 recommendation by the city's agriculture officer.
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    supplier: Mapped[Supplier] = relationship(lazy="joined", innerjoin=True)
    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    origin: Mapped[Region] = relationship(lazy="joined", innerjoin=True, foreign_keys=[origin_county_code])
    # Public photos; a photo added to a listing on sale waits for review with its change.
    photos: Mapped[list[ProductPhoto]] = relationship(
        lazy="select",
        order_by="ProductPhoto.position",
        primaryjoin="and_(ProductPhoto.product_id == Product.id, ProductPhoto.change_id.is_(None))",
        viewonly=True,
    )
    all_photos: Mapped[list[ProductPhoto]] = relationship(
        lazy="select", order_by="ProductPhoto.position", viewonly=True
    )
    evidence: Mapped[list[PriceEvidence]] = relationship(lazy="select", order_by="PriceEvidence.id")

    @property
    def program_label(self) -> str:
        return PROGRAM_LABELS[self.program]

    @property
    def storage_label(self) -> str:
        return STORAGE_LABELS[self.storage]

    @property
    def status_label(self) -> str:
        return PRODUCT_STATUS_LABELS[self.status]

    @property
    def per_kilo_label(self) -> str:
        return "每千克" if self.net_content_unit == "g" else "每升"

    def __repr__(self) -> str:
        return f"<Product {self.id} {self.title}>"


class CatalogGeneration(db.Model):
    """One row: the catalogue's generation, bumped by triggers (catalog/generation.py)."""

    __tablename__ = "catalog_generation"
    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class SearchOutbox(db.Model):
    """A product the search index must re-read (catalog/search/outbox.py writes, catalog.search applies)."""

    __tablename__ = "search_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProductPhoto(db.Model):
    """An uploaded photo (files live under instance/uploads/products/; the name is ours, not the uploader's)."""

    __tablename__ = "product_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Set while the photo waits for review with a change of a listing on sale: not public yet.
    change_id: Mapped[int | None] = mapped_column(ForeignKey("listing_changes.id"), index=True)


class PriceEvidence(db.Model):
    """价格佐证: a link or a document showing the same product's price elsewhere."""

    __tablename__ = "price_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500), default="")
    path: Mapped[str] = mapped_column(String(200), default="")  # an uploaded document
    original_name: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ListingChange(db.Model):
    """An edit of a listing on sale that needs review: the product keeps selling with its old
    values until the operator approves; the supplier sees a rejection's reason."""

    __tablename__ = "listing_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    proposed: Mapped[dict] = mapped_column(JSON)  # product column → proposed value
    fields: Mapped[list] = mapped_column(JSON)  # the fields that sent it to review
    status: Mapped[ChangeStatus] = mapped_column(
        enum_column(ChangeStatus, 12), default=ChangeStatus.PENDING, index=True
    )
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(500), default="")

    product: Mapped[Product] = relationship(lazy="joined")
    # Photos added with this change: public once it is approved, removed if it is rejected.
    photos: Mapped[list[ProductPhoto]] = relationship(lazy="select", order_by="ProductPhoto.position", viewonly=True)

    @property
    def status_label(self) -> str:
        return CHANGE_STATUS_LABELS[self.status]


class SupplierDocument(db.Model):
    """A supplier's licence (营业执照, 食品经营许可) or the county's recommendation letter."""

    __tablename__ = "supplier_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # licence | recommendation
    path: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProductRequest(db.Model):
    """商品上架需求: a unit asks for a product the mall lacks; the operator assigns it to the
    cooperative, which gets it listed; the unit sees the status and, at the end, the product."""

    __tablename__ = "product_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    spec: Mapped[str] = mapped_column(String(60), default="")
    quantity: Mapped[int]
    wanted_by: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, 12), default=RequestStatus.OPEN, index=True
    )
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_reason: Mapped[str] = mapped_column(String(300), default="")

    product: Mapped[Product | None] = relationship(lazy="joined")

    @property
    def status_label(self) -> str:
        return REQUEST_STATUS_LABELS[self.status]


class ImportJob(db.Model):
    """A spreadsheet import: queued by the page, run by the jobs loop with progress, or run at
    once by the API. `result` holds created/updated counts and every row error."""

    __tablename__ = "import_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))  # None: the cooperative's file
    path: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200))
    good_rows_only: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus, 12), default=ImportStatus.QUEUED, index=True)
    total_rows: Mapped[int] = mapped_column(default=0)
    done_rows: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def status_label(self) -> str:
        return IMPORT_STATUS_LABELS[self.status]

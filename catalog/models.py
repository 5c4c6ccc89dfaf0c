"""Catalog tables: suppliers (and the accounts that act for them), categories, products."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.domain import (
    ENTITY_TYPE_LABELS,
    PRODUCT_STATUS_LABELS,
    PROGRAM_LABELS,
    STORAGE_LABELS,
    SUPPLIER_STATUS_LABELS,
    EntityType,
    ProductStatus,
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
    per_kilo_fen: Mapped[int | None] = mapped_column(BigInteger, index=True)  # derived, for sorting
    stock_qty: Mapped[int] = mapped_column(default=0)
    min_order_qty: Mapped[int] = mapped_column(default=1)
    origin_county_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    origin_province_code: Mapped[str] = mapped_column(String(6))  # derived from the county, for filters
    program: Mapped[SourceProgram] = mapped_column(enum_column(SourceProgram), index=True)
    cert_no: Mapped[str] = mapped_column(String(40), default="")  # 认定编号
    storage: Mapped[Storage] = mapped_column(enum_column(Storage), default=Storage.AMBIENT)
    shelf_life_days: Mapped[int] = mapped_column(default=365)
    season: Mapped[str] = mapped_column(String(40), default="")  # 上市季节, e.g. "10月-次年5月"
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProductStatus] = mapped_column(enum_column(ProductStatus), default=ProductStatus.DRAFT)
    sales_qty: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    supplier: Mapped[Supplier] = relationship(lazy="joined", innerjoin=True)
    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    origin: Mapped[Region] = relationship(lazy="joined", innerjoin=True, foreign_keys=[origin_county_code])

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


class SearchOutbox(db.Model):
    """A product the search index must re-read (catalog/outbox.py writes, catalog/search.py applies)."""

    __tablename__ = "search_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

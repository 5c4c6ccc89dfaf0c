"""The approved products as the index sees them: one `ProductDocument` per product, read from
the database with its category, supplier, places and labels."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from catalog.domain import PROGRAM_LABELS, STORAGE_LABELS, ProductStatus, SourceProgram, Storage
from catalog.models import Category, Product, Supplier
from catalog.search.engine import ProductDocument
from mall.regions.domain import province_short_name, short_name
from mall.regions.models import Region


def _bare(name: str) -> str:
    """'安定区' -> '安定', '酉阳县' -> '酉阳'; one-character stems keep their suffix (单县)."""
    for suffix in ("自治州", "地区", "县", "区", "市", "旗", "盟", "州"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _document_select(product_ids: Sequence[int] | None):
    county, city, province = aliased(Region), aliased(Region), aliased(Region)
    stmt = (
        select(
            Product.id,
            Product.title,
            Product.description,
            Product.spec,
            Product.season,
            Category.slug,
            Category.name,
            Supplier.name,
            Supplier.standing_score,
            Product.origin_province_code,
            Product.origin_county_code,
            county.name,
            county.is_national_key,
            city.name,
            province.name,
            Product.program,
            Product.storage,
            Product.price_fen,
            Product.per_kilo_fen,
            Product.sales_qty,
            Product.created_at,
        )
        .join(Category, Category.id == Product.category_id)
        .join(Supplier, Supplier.id == Product.supplier_id)
        .join(county, county.code == Product.origin_county_code)
        .outerjoin(city, city.code == county.parent_code)
        .outerjoin(province, province.code == Product.origin_province_code)
        .where(Product.status == ProductStatus.APPROVED)
        .order_by(Product.id)
    )
    if product_ids is not None:
        stmt = stmt.where(Product.id.in_(product_ids))
    return stmt


def product_documents(session: Session, product_ids: Sequence[int] | None = None) -> Iterator[ProductDocument]:
    """The approved products (all, or those of `product_ids`) as index documents."""
    rows = session.execute(_document_select(product_ids).execution_options(yield_per=1000))
    for row in rows:
        (pid, title, description, spec, season, slug, category_name, supplier_name, standing, province, county,
         county_name, national_key, city_name, province_name, program, storage, price, per_kilo, sales, created) = row  # fmt: skip
        places: list[str] = []
        short_places: list[str] = []
        for name in (province_name, city_name, county_name):
            if name:
                short = province_short_name(name) if name == province_name else _bare(short_name(name))
                places += [name, short]
                short_places.append(short)
        labels = [PROGRAM_LABELS[SourceProgram(program)], STORAGE_LABELS[Storage(storage)]]
        if national_key:
            labels.append("国家乡村振兴重点帮扶县")
        yield ProductDocument(
            id=pid,
            title=title,
            description=description or "",
            spec=" ".join(filter(None, (spec, season))),
            category=slug,
            category_name=category_name,
            supplier_name=supplier_name,
            province=province,
            county=county,
            place_names=tuple(dict.fromkeys(places)),
            short_places=tuple(dict.fromkeys(short_places)),
            labels=tuple(labels),
            program=str(SourceProgram(program).value),
            storage=str(Storage(storage).value),
            national_key=bool(national_key),
            price_fen=price,
            per_kilo_fen=per_kilo,
            standing=standing,
            sales=sales,
            created_ts=int(created.timestamp()) if created else 0,
        )

"""Checking every row of an import (its own fields, then county, eligibility and supplier against
the database) and writing the creates and updates in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import access, domain
from catalog.domain import ParsedRow, ProductStatus, RowError, SupplierStatus
from catalog.models import Category, PriceEvidence, Product, Supplier
from catalog.search import outbox
from catalog.services import listings
from catalog.services.catalogue import ListingContext, listing_columns
from catalog.services.imports.files import read_rows
from mall import audit, clock
from mall.accounts.domain import Role
from mall.errors import DomainError, PermissionDeniedError
from mall.units.domain import InvalidCreditCodeError, check_credit_code

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    sent_to_review: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    total_rows: int = 0

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "sent_to_review": self.sent_to_review,
            "errors": [e.as_dict() for e in self.errors],
            "written": self.written,
            "total_rows": self.total_rows,
        }


def importer_supplier_id(session: Session, *, actor, supplier_id: int | None) -> int | None:
    """The supplier a file is imported for, checked before the file is read: an approved supplier
    the actor may list for, or None for the cooperative's file that names each row's supplier.
    Raises PermissionDeniedError, NotFoundError (another supplier) or SupplierNotApprovedError."""
    if not actor.has_role(Role.SUPPLIER, Role.COOP_OPERATOR):
        raise PermissionDeniedError("只有供应商或供销社可以导入商品")
    if supplier_id is None and actor.has_role(Role.COOP_OPERATOR):
        return None
    supplier = access.supplier_for_actor(session, actor, supplier_id)
    if supplier.status is not SupplierStatus.APPROVED:
        raise domain.SupplierNotApprovedError()
    return supplier.id


def parse_upload(
    session: Session, *, actor, supplier_id: int | None, data: bytes, filename: str
) -> tuple[int | None, list[tuple[int, dict[str, str]]]]:
    """Check the importer, then read the file: (supplier id, rows). Nobody else's file is parsed."""
    supplier_id = importer_supplier_id(session, actor=actor, supplier_id=supplier_id)
    return supplier_id, read_rows(data, filename)


def _category_slugs(session: Session) -> dict[str, str]:
    out: dict[str, str] = {}
    for category in session.scalars(select(Category)):
        out[category.name] = out[category.slug] = category.slug
    return out


@dataclass(frozen=True)
class _CheckedRow:
    parsed: ParsedRow
    supplier: Supplier
    columns: dict


def run_import(
    session: Session,
    *,
    actor,
    rows: list[tuple[int, dict[str, str]]],
    supplier_id: int | None,
    good_rows_only: bool,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check every row, then write them all (or only the good ones, when asked) in one transaction."""
    result = ImportResult(total_rows=len(rows))
    good = _check_rows(session, actor, rows, supplier_id, result, progress)
    if result.errors and not good_rows_only:
        session.rollback()
        return result
    touched = _write_rows(session, actor, good, result)
    outbox.enqueue(session, touched)
    audit.record(
        session,
        actor_id=actor.id,
        action="listing.import",
        target_type="import",
        target_id=len(rows),
        created=result.created,
        updated=result.updated,
        errors=len(result.errors),
    )
    session.commit()
    result.written = True
    log.info(
        "import: actor=%s created=%s updated=%s errors=%s", actor.id, result.created, result.updated, len(result.errors)
    )
    return result


def _check_rows(
    session: Session,
    actor,
    rows: list[tuple[int, dict[str, str]]],
    supplier_id: int | None,
    result: ImportResult,
    progress: Callable[[int], None] | None,
) -> list[_CheckedRow]:
    """The check phase: each row's own fields, its supplier, a SKU not repeated in the file, and
    the listing rules against the database; the errors go to `result`, nothing is written."""
    is_coop = actor.has_role(Role.COOP_OPERATOR)
    default_supplier = access.supplier_for_actor(session, actor, supplier_id) if (supplier_id or not is_coop) else None
    slugs = _category_slugs(session)
    contexts: dict[int, ListingContext] = {}
    seen: dict[tuple[int, str], int] = {}
    good: list[_CheckedRow] = []
    for number, values in rows:
        parsed = domain.parse_row(number, values, category_slugs=slugs)
        supplier = default_supplier
        if not parsed.errors and default_supplier is None:
            supplier = _row_supplier(session, actor, parsed)
        if parsed.errors or supplier is None:
            result.errors.extend(parsed.errors)
            continue
        key = (supplier.id, parsed.listing.sku)
        if key in seen:
            result.errors.append(RowError(number, "商品编码", f"与第{seen[key]}行的商品编码重复"))
            continue
        seen[key] = number
        ctx = contexts.setdefault(supplier.id, ListingContext(session, supplier))
        try:
            columns = listing_columns(ctx, parsed.listing)
        except DomainError as err:
            result.errors.append(RowError(number, _column_of(err), err.message))
            continue
        good.append(_CheckedRow(parsed, supplier, columns))
        if progress:
            progress(1)
    return good


def _write_rows(session: Session, actor, good: list[_CheckedRow], result: ImportResult) -> list[int]:
    """The write phase: a new SKU is a new listing waiting for review; a known one is updated
    (price or stock changes that need a look go to review). Returns the products touched."""
    now = clock.now()
    touched: list[int] = []
    for row in good:
        existing = session.scalar(
            select(Product).where(Product.supplier_id == row.supplier.id, Product.sku == row.columns["sku"])
        )
        if existing is None:
            product = _create_product(session, actor, row, now)
            result.created += 1
        else:
            product = existing
            if listings.apply_import_update(session, product, row.columns, actor=actor, now=now):
                result.sent_to_review += 1
            evidence_url = row.parsed.evidence_url
            if evidence_url and evidence_url not in {e.url for e in product.evidence}:
                session.add(PriceEvidence(product_id=product.id, url=evidence_url[:500], created_at=now))
            result.updated += 1
        touched.append(product.id)
    return touched


def _create_product(session: Session, actor, row: _CheckedRow, now) -> Product:
    product = Product(
        supplier_id=row.supplier.id,
        status=ProductStatus.PENDING,
        created_at=now,
        updated_at=now,
        created_by_id=actor.id,
        **row.columns,
    )
    session.add(product)
    session.flush()
    session.add(PriceEvidence(product_id=product.id, url=row.parsed.evidence_url[:500], created_at=now))
    listings.flag_twin(session, product)
    return product


def _row_supplier(session: Session, actor, parsed: ParsedRow) -> Supplier | None:
    """The cooperative names the supplier of each row by its credit code."""
    code = parsed.supplier_credit_code
    if not code:
        parsed.errors.append(RowError(parsed.row, "供应商统一社会信用代码", "供销社导入须填写供应商统一社会信用代码"))
        return None
    try:
        code = check_credit_code(code)
    except InvalidCreditCodeError as err:
        parsed.errors.append(RowError(parsed.row, "供应商统一社会信用代码", err.message))
        return None
    supplier = session.scalar(select(Supplier).where(Supplier.credit_code == code))
    if supplier is None or not access.can_act_for(session, actor, supplier):
        parsed.errors.append(RowError(parsed.row, "供应商统一社会信用代码", "供应商未登记或不由供销社服务"))
        return None
    return supplier


_ERROR_COLUMNS = {
    "county_not_eligible": "产地县代码",
    "unknown_county": "产地县代码",
    "supplier_not_in_county": "产地县代码",
    "program_mismatch": "来源类型",
    "unknown_category": "商品类别",
    "supplier_not_approved": "",
}


# Fields of a listing (check_listing's `details["field"]`) and the template's columns for them.
_FIELD_COLUMNS = {"price_fen": "price", "stock_qty": "stock"}


def _column_of(err: DomainError) -> str:
    name = str(err.details.get("field", ""))
    column = domain.COLUMN_BY_KEY.get(_FIELD_COLUMNS.get(name, name))
    return column.header if column else _ERROR_COLUMNS.get(err.code, "")

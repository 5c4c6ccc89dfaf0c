"""Spreadsheet import of listings (.xlsx or .csv): the template, reading a file into rows, checking
every row (its own fields, then county, eligibility and supplier against the database), and
writing creates and updates in one transaction.

A file with errors writes nothing unless the uploader chose "import the good rows"; the same
file imported again updates (the key is the SKU per supplier), never duplicates. Updates of a
listing on sale follow the review rules of catalog.listings. Large files run in the jobs loop
with progress (ImportJob); the API runs them at once.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import access, domain, listings, outbox
from catalog.domain import COLUMNS, ImportFileError, ParsedRow, ProductStatus, RowError
from catalog.models import Category, ImportJob, PriceEvidence, Product, Supplier
from catalog.services import ListingContext, listing_columns
from mall import audit, clock, uploads
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import DomainError, NotFoundError
from mall.extensions import db
from mall.units.domain import InvalidCreditCodeError, check_credit_code

log = logging.getLogger(__name__)
IMMEDIATE_ROWS = 300  # the page imports files up to this size at once; larger ones run with progress


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


# ---- the template ------------------------------------------------------------------------------


def template_xlsx(*, for_coop: bool) -> bytes:
    """The downloadable template: Chinese headers (required ones marked), a hint row, an example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "商品导入"
    columns = [c for c in COLUMNS if for_coop or c.key != "supplier_credit_code"]
    ws.append([c.header for c in columns])
    for cell, column in zip(ws[1], columns, strict=True):
        cell.font = Font(bold=True, color="B91C1C" if column.required else "1F2937")
        cell.fill = PatternFill("solid", fgColor="FEF2F2" if column.required else "F3F4F6")
        ws.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 2)
    example = {
        "sku": "DX-FT-2500",
        "title": "定西土豆宽粉条 2.5kg/箱",
        "category": "干货",
        "spec": "2.5kg/箱",
        "sale_unit": "箱",
        "price": "52.00",
        "stock": "300",
        "min_order_qty": "1",
        "pack_size": "1",
        "origin_county_code": "621102",
        "program": "对口帮扶",
        "cert_no": "2026-621102-00031",
        "storage": "常温",
        "shelf_life_days": "540",
        "net_content": "",
        "season": "全年",
        "description": "定西马铃薯淀粉手工制作，久煮不烂，适合食堂炖菜。",
        "price_evidence": "https://www.fupin832.com/",
        "supplier_credit_code": "",
    }
    ws.append([example[c.key] for c in columns])
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for column in columns:
        notes.append([column.header, "必填" if column.required else "选填", column.hint])
    notes.append([])
    notes.append(["说明", "", "第1行为表头，请勿修改；示例行可删除。最多5000行。同一商品编码再次导入时更新原商品。"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---- reading files -------------------------------------------------------------------------------


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, {key: text}) for every non-empty data row; refuses wrong types, empty files
    and more than MAX_ROWS rows with ImportFileError."""
    if not data:
        raise ImportFileError("文件为空")
    if len(data) > domain.MAX_FILE_BYTES:
        raise ImportFileError("文件过大（不超过10MB）")
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" and name.endswith((".xlsx", ".xlsm")):
        raw = _xlsx_rows(data)
    elif name.endswith(".csv"):
        raw = _csv_rows(data)
    else:
        raise ImportFileError("文件类型不正确：请上传 .xlsx 或 .csv 文件（可下载模板）")
    try:
        header = next(raw)
    except StopIteration:
        raise ImportFileError("文件为空") from None
    index = domain.map_headers([str(h or "") for h in header])
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(raw, start=2):
        cells = {key: _text(values[i]) if i < len(values) else "" for i, key in index.items()}
        if not any(cells.values()):
            continue
        rows.append((number, cells))
        if len(rows) > domain.MAX_ROWS:
            raise ImportFileError(f"文件超过{domain.MAX_ROWS}行，请拆分后分批导入")
    if not rows:
        raise ImportFileError("文件中没有数据行")
    return rows


def _xlsx_rows(data: bytes) -> Iterator[tuple]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError("无法读取该 Excel 文件，请确认文件未损坏") from err
    return wb.worksheets[0].iter_rows(values_only=True)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK by default
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别 CSV 文件的编码（请用 UTF-8 或 GBK）")
    return iter(csv.reader(io.StringIO(text)))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---- checking and writing ------------------------------------------------------------------------


def _category_slugs(session: Session) -> dict[str, str]:
    out: dict[str, str] = {}
    for category in session.scalars(select(Category)):
        out[category.name] = out[category.slug] = category.slug
    return out


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
    is_coop = actor.has_role(Role.COOP_OPERATOR)
    default_supplier = access.supplier_for_actor(session, actor, supplier_id) if (supplier_id or not is_coop) else None
    slugs = _category_slugs(session)
    contexts: dict[int, ListingContext] = {}
    seen: dict[tuple[int, str], int] = {}
    good: list[tuple[ParsedRow, Supplier, dict]] = []
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
        good.append((parsed, supplier, columns))
        if progress:
            progress(1)
    if result.errors and not good_rows_only:
        session.rollback()
        return result
    now = clock.now()
    touched: list[int] = []
    for parsed, supplier, columns in good:
        existing = session.scalar(
            select(Product).where(Product.supplier_id == supplier.id, Product.sku == columns["sku"])
        )
        if existing is None:
            product = Product(
                supplier_id=supplier.id,
                status=ProductStatus.PENDING,
                created_at=now,
                updated_at=now,
                created_by_id=actor.id,
                **columns,
            )
            session.add(product)
            session.flush()
            session.add(PriceEvidence(product_id=product.id, url=parsed.evidence_url[:500], created_at=now))
            listings.flag_twin(session, product)
            result.created += 1
        else:
            product = existing
            if listings.apply_import_update(session, product, columns, actor=actor, now=now):
                result.sent_to_review += 1
            if parsed.evidence_url and parsed.evidence_url not in {e.url for e in product.evidence}:
                session.add(PriceEvidence(product_id=product.id, url=parsed.evidence_url[:500], created_at=now))
            result.updated += 1
        touched.append(product.id)
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


# ---- queued imports with progress (the page) ---------------------------------------------------------


def queue_import(
    session: Session, *, actor, data: bytes, filename: str, supplier_id: int | None, good_rows_only: bool
) -> ImportJob:
    """Store an uploaded file and queue it; the jobs loop runs it with progress. The file is checked
    (type, size, rows) first, so a bad file is refused at once and nothing is queued."""
    rows = read_rows(data, filename)
    if supplier_id is not None or not actor.has_role(Role.COOP_OPERATOR):
        supplier_id = access.supplier_for_actor(session, actor, supplier_id).id
    root = uploads.app_uploads_root() / "imports"
    root.mkdir(parents=True, exist_ok=True)
    job = ImportJob(
        uploaded_by_id=actor.id,
        supplier_id=supplier_id,
        path="",
        original_name=filename[:200],
        good_rows_only=good_rows_only,
        total_rows=len(rows),
        created_at=clock.now(),
    )
    session.add(job)
    session.flush()
    suffix = ".csv" if filename.lower().endswith(".csv") else ".xlsx"
    path = root / f"{job.id}{suffix}"
    path.write_bytes(data)
    job.path = f"imports/{path.name}"
    session.commit()
    return job


def run_queued_imports(session: Session) -> int:
    """Job: run queued imports one by one, writing progress so the page can show it."""
    done = 0
    for job_id in session.scalars(select(ImportJob.id).where(ImportJob.status == "queued").order_by(ImportJob.id)):
        # Claim the job with a guarded update: two loops never run the same file.
        claimed = session.execute(
            ImportJob.__table__.update()
            .where(ImportJob.id == job_id, ImportJob.status == "queued")
            .values(status="running")
        ).rowcount
        session.commit()
        if claimed != 1:
            continue
        job = session.get(ImportJob, job_id)
        actor = session.get(User, job.uploaded_by_id)
        root = uploads.app_uploads_root()
        data = Path(uploads.resolve(root, job.path)).read_bytes()
        counter = {"n": 0}

        def tick(_: int, job_id: int = job_id, counter: dict = counter) -> None:
            counter["n"] += 1
            if counter["n"] % 100 == 0:
                _record_progress(job_id, counter["n"])

        try:
            rows = read_rows(data, job.original_name)
            result = run_import(
                session,
                actor=actor,
                rows=rows,
                supplier_id=job.supplier_id,
                good_rows_only=job.good_rows_only,
                progress=tick,
            )
            status, payload = "done", result.as_dict()
        except DomainError as err:
            session.rollback()
            status, payload = "failed", {"errors": [{"row": 0, "column": "", "message": err.message}]}
        except Exception:
            # The job must not stay "running" forever: record the failure, keep the loop alive.
            session.rollback()
            log.exception("import job %s failed", job_id)
            status, payload = (
                "failed",
                {"errors": [{"row": 0, "column": "", "message": "导入失败（系统错误），请联系运营人员"}]},
            )
        job = session.get(ImportJob, job_id)
        job.status, job.result, job.done_rows, job.finished_at = status, payload, job.total_rows, clock.now()
        session.commit()
        done += 1
    return done


def _record_progress(job_id: int, done_rows: int) -> None:
    # Progress goes through its own connection so the page sees it while the import's
    # transaction is still open.
    with db.engine.begin() as conn:
        conn.execute(ImportJob.__table__.update().where(ImportJob.id == job_id).values(done_rows=done_rows))


def get_job(session: Session, *, actor, job_id: int) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None or job.uploaded_by_id != actor.id:
        raise NotFoundError("未找到该导入任务")
    return job

"""Spreadsheet files: the downloadable template, and reading an uploaded .xlsx or .csv into rows.

A hostile file costs little: the .xlsx is refused when its parts unzip too large (by their
declared and their real sizes, before openpyxl reads it), every row counts against the row
limit whether empty or not, only the first columns are read, and parsing stops at a deadline.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from catalog import domain
from catalog.domain import COLUMNS, ImportFileError
from mall import bounds


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
    """(row number, {key: text}) for every non-empty data row. Refuses with ImportFileError wrong
    types, empty or damaged files, an .xlsx that unzips too large, more than MAX_ROWS rows (empty
    ones count too: they cost as much to read) and a file that takes too long to parse."""
    if not data:
        raise ImportFileError("文件为空")
    if len(data) > bounds.MAX_IMPORT_FILE_BYTES:
        raise ImportFileError(f"文件过大（不超过{bounds.MAX_IMPORT_FILE_BYTES // (1024 * 1024)}MB）")
    deadline = time.monotonic() + bounds.MAX_IMPORT_PARSE_SECONDS
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" and name.endswith((".xlsx", ".xlsm")):
        check_xlsx_archive(data)
        raw = _xlsx_rows(data)
    elif name.endswith(".csv"):
        raw = _csv_rows(data)
    else:
        raise ImportFileError("文件类型不正确：请上传 .xlsx 或 .csv 文件（可下载模板）")
    try:
        return _rows(raw, deadline)
    except csv.Error as err:
        raise ImportFileError("CSV 文件格式不正确（单元格过长或引号不匹配）") from err


def _rows(raw: Iterator, deadline: float) -> list[tuple[int, dict[str, str]]]:
    try:
        header = next(raw)
    except StopIteration:
        raise ImportFileError("文件为空") from None
    index = domain.map_headers([str(h or "") for h in header[: bounds.MAX_IMPORT_COLUMNS]])
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(raw, start=2):
        if number - 1 > domain.MAX_ROWS:
            raise ImportFileError(f"文件超过{domain.MAX_ROWS}行（空行也计算在内），请删除多余的行或拆分后分批导入")
        if number % 100 == 0 and time.monotonic() > deadline:
            raise _timed_out()
        cells = {key: _text(values[i]) if i < len(values) else "" for i, key in index.items()}
        if any(cells.values()):
            rows.append((number, cells))
    if not rows:
        raise ImportFileError("文件中没有数据行")
    return rows


# Elements openpyxl spends its time on, counted in the parts as they unzip: a sheet's cells (one row
# of a million cells is parsed in one go, before any deadline can be checked) and shared strings
# (all loaded when the workbook opens). Tags may carry a namespace prefix.
_COUNTED = (
    ("xl/worksheets/", re.compile(rb"<(?:\w{1,20}:)?c[\s>/]")),
    ("xl/sharedStrings", re.compile(rb"<(?:\w{1,20}:)?si[\s>/]")),
)


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an .xlsx whose parts unzip to more than MAX_IMPORT_UNZIPPED_BYTES (by the sizes its
    directory declares, and by the bytes they really inflate to) or hold more cells or shared
    strings than MAX_IMPORT_CELLS, before any parser reads it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        if len(members) > bounds.MAX_IMPORT_ZIP_MEMBERS:
            raise ImportFileError("Excel 文件结构异常（包含的部件过多）")
        if sum(m.file_size for m in members) > bounds.MAX_IMPORT_UNZIPPED_BYTES:
            raise _too_large()
        inflated = 0
        for member in members:
            inflated += _inflate(archive, member, inflated)
    except ImportFileError:
        raise
    except Exception as err:  # zipfile and zlib raise many kinds for a damaged archive
        raise ImportFileError("无法读取该 Excel 文件，请确认文件未损坏") from err


def _too_large() -> ImportFileError:
    return ImportFileError(
        f"Excel 文件解压后过大（不超过{bounds.MAX_IMPORT_UNZIPPED_BYTES // (1024 * 1024)}MB），请删除多余的内容或拆分"
    )


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, before: int) -> int:
    """Unzip one part, counting its bytes (and its cells or shared strings); returns its size."""
    pattern = next((p for prefix, p in _COUNTED if member.filename.startswith(prefix)), None)
    size = elements = 0
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(1 << 16):
            size += len(chunk)
            if before + size > bounds.MAX_IMPORT_UNZIPPED_BYTES:
                raise _too_large()
            if pattern is not None:
                buffer = tail + chunk
                cut = max(buffer.rfind(b"<"), len(buffer) - 64, 0)  # a tag cut in two waits for the rest
                elements += len(pattern.findall(buffer, 0, cut))
                tail = buffer[cut:]
    if pattern is not None and elements + len(pattern.findall(tail)) > bounds.MAX_IMPORT_CELLS:
        raise ImportFileError(f"文件中的单元格过多（不超过{bounds.MAX_IMPORT_CELLS}个），请删除多余的行和列")
    return size


def _timed_out() -> ImportFileError:
    return ImportFileError("文件解析超时，请删除多余的行、列和格式后重试")


def _xlsx_rows(data: bytes) -> Iterator[tuple]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # Only the first columns are read: a cell at column XFD would widen every row to 16,384.
        yield from wb.worksheets[0].iter_rows(values_only=True, max_col=bounds.MAX_IMPORT_COLUMNS)
    except ImportFileError:
        raise
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError("无法读取该 Excel 文件，请确认文件未损坏") from err


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

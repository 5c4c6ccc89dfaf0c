"""Spreadsheet import rows: the template's columns (Chinese headers) and the checks one row can
make on its own. Checks that need the database (county, supplier) happen in catalog/services/imports/.

Every bad row is reported with its row number, column and reason; nothing here reads files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from catalog.domain.errors import ImportFileError
from catalog.domain.listings import ListingInput
from catalog.domain.states import PROGRAM_LABELS, STORAGE_LABELS, SourceProgram, Storage
from mall import bounds
from mall.money import InvalidAmountError, yuan_to_fen

MAX_ROWS = bounds.MAX_IMPORT_ROWS
MAX_FILE_BYTES = bounds.MAX_IMPORT_FILE_BYTES
_MAX_DIGITS = 12  # beyond any bound of mall.bounds: check_listing names the field's own limit


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    hint: str = ""


COLUMNS = (
    Column("sku", "商品编码", True, "供应商自定的唯一编码，重复导入时按此更新"),
    Column("title", "商品名称", True),
    Column("category", "商品类别", True, "粮油/肉禽蛋/果蔬/干货/茶饮/调味品/休闲食品/酒水"),
    Column("spec", "规格", True, "如 5kg/袋"),
    Column("sale_unit", "销售单位", True, "如 袋、箱、瓶"),
    Column("price", "价格（元）", True, "最多两位小数"),
    Column("stock", "库存", True, "非负整数"),
    Column("min_order_qty", "起订量", False, "默认 1"),
    Column("pack_size", "购买倍数", False, "每次购买须为此数的整数倍，默认 1"),
    Column("origin_county_code", "产地县代码", True, "6位行政区划代码"),
    Column("program", "来源类型", True, "国家脱贫县/对口帮扶/省重点帮扶县"),
    Column("cert_no", "认定编号"),
    Column("storage", "储存方式", False, "常温/冷藏/冷冻，默认常温"),
    Column("shelf_life_days", "保质期（天）", False, "默认 365"),
    Column("net_content", "净含量（克或毫升）", False, "规格中无重量时填写"),
    Column("season", "上市时间"),
    Column("description", "商品描述"),
    Column("price_evidence", "价格佐证链接", True, "同款商品在其他平台的价格页面链接"),
    Column("supplier_credit_code", "供应商统一社会信用代码", False, "供销社代供应商导入时必填"),
)
HEADER_TO_KEY = {c.header: c.key for c in COLUMNS}
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

_PROGRAM_BY_LABEL = {label: program for program, label in PROGRAM_LABELS.items()}
_STORAGE_BY_LABEL = {label: storage for storage, label in STORAGE_LABELS.items()}
_URL_RE = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.I)


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # the Chinese header, or "" for the whole file
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    row: int
    listing: ListingInput | None
    evidence_url: str = ""
    supplier_credit_code: str = ""
    errors: list[RowError] = field(default_factory=list)


def map_headers(headers: list[str]) -> dict[int, str]:
    """Column index → key, by the template's Chinese headers; raises when a required one is missing."""
    found = {i: HEADER_TO_KEY[h.strip()] for i, h in enumerate(headers) if h and h.strip() in HEADER_TO_KEY}
    missing = [c.header for c in COLUMNS if c.required and c.key not in found.values()]
    if missing:
        raise ImportFileError("表头缺少必填列：" + "、".join(missing) + "（请使用下载的模板）")
    return found


def parse_row(row: int, values: Mapping[str, str], *, category_slugs: Mapping[str, str]) -> ParsedRow:
    """Check one row on its own. `category_slugs` maps a category's name or slug to its slug."""
    errors: list[RowError] = []

    def err(key: str, message: str) -> None:
        errors.append(RowError(row, COLUMN_BY_KEY[key].header, message))

    v = {k: (str(values.get(k) or "")).strip() for k in COLUMN_BY_KEY}
    for column in COLUMNS:
        if column.required and not v[column.key]:
            err(column.key, "必填项为空")

    price_fen = _price(v["price"], err)
    stock = _int(v["stock"], "stock", err, minimum=0, negative_message="库存不能为负数")
    min_qty = _int(v["min_order_qty"] or "1", "min_order_qty", err, minimum=1, negative_message="起订量至少为1")
    pack = _int(v["pack_size"] or "1", "pack_size", err, minimum=1, negative_message="购买倍数至少为1")
    shelf = _int(v["shelf_life_days"] or "365", "shelf_life_days", err, minimum=1, negative_message="保质期须为正数")
    net = _int(v["net_content"] or "0", "net_content", err, minimum=0, negative_message="净含量不能为负数")

    category, program, storage = _choices(v, category_slugs, err)
    _check_formats(v, err)

    if errors:
        return ParsedRow(row, None, errors=errors)
    listing = ListingInput(
        sku=v["sku"],
        title=v["title"],
        category_slug=category or "",
        spec=v["spec"],
        sale_unit=v["sale_unit"],
        price_fen=price_fen or 0,
        stock_qty=stock or 0,
        origin_county_code=v["origin_county_code"],
        program=program or SourceProgram.NATIONAL_POVERTY,
        net_content=net or 0,
        min_order_qty=min_qty or 1,
        pack_size=pack or 1,
        cert_no=v["cert_no"],
        storage=storage or Storage.AMBIENT,
        shelf_life_days=shelf or 365,
        season=v["season"],
        description=v["description"],
    )
    return ParsedRow(row, listing, evidence_url=v["price_evidence"], supplier_credit_code=v["supplier_credit_code"])


def _choices(
    v: Mapping[str, str], category_slugs: Mapping[str, str], err: Callable[[str, str], None]
) -> tuple[str | None, SourceProgram | None, Storage | None]:
    """The row's category, source program and storage, by their Chinese names or codes."""
    category = category_slugs.get(v["category"])
    if v["category"] and category is None:
        err("category", f"未知的商品类别“{v['category']}”")
    program = _PROGRAM_BY_LABEL.get(v["program"]) or (
        SourceProgram(v["program"]) if v["program"] in set(SourceProgram) else None
    )
    if v["program"] and program is None:
        err("program", "来源类型只能是：国家脱贫县、对口帮扶、省重点帮扶县")
    storage = _STORAGE_BY_LABEL.get(v["storage"] or "常温") or (
        Storage(v["storage"]) if v["storage"] in set(Storage) else None
    )
    if storage is None:
        err("storage", "储存方式只能是：常温、冷藏、冷冻")
    return category, program, storage


def _check_formats(v: Mapping[str, str], err: Callable[[str, str], None]) -> None:
    if v["origin_county_code"] and not re.fullmatch(r"\d{6}", v["origin_county_code"]):
        err("origin_county_code", "产地县代码应为6位数字")
    if v["price_evidence"] and not _URL_RE.match(v["price_evidence"]):
        err("price_evidence", "价格佐证须为 http(s) 链接")
    if len(v["sku"]) > 40:
        err("sku", "商品编码不超过40个字符")
    if v["title"] and not 2 <= len(v["title"]) <= 120:
        err("title", "商品名称应为2-120个字")


def _price(text: str, err) -> int | None:
    if not text:
        return None
    try:
        fen = yuan_to_fen(text)
    except InvalidAmountError as error:
        bad_form = error.message == InvalidAmountError.message
        err("price", f"价格“{text[:20]}”" + ("不是有效金额" if bad_form else "：" + error.message))
        return None
    if fen <= 0:
        err("price", "价格必须大于0")
        return None
    return fen


def _int(text: str, key: str, err, *, minimum: int, negative_message: str) -> int | None:
    if not text:
        return None
    cleaned = text[:-2] if text.endswith(".0") else text  # spreadsheets turn 12 into 12.0
    if not re.fullmatch(r"-?[0-9]+", cleaned):
        err(key, f"“{text[:20]}”不是整数")
        return None
    if len(cleaned.lstrip("-").lstrip("0")) > _MAX_DIGITS:
        err(key, f"“{text[:20]}”超出允许范围")
        return None
    value = int(cleaned)
    if value < minimum:
        err(key, negative_message)
        return None
    return value

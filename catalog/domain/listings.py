"""Listing rules: field checks, pack contents and price per kg/L, and origin eligibility."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from catalog.domain.errors import (
    CountyNotEligibleError,
    ListingInvalidError,
    ProgramMismatchError,
    SupplierNotApprovedError,
    SupplierNotInCountyError,
)
from catalog.domain.states import PROGRAM_LABELS, SourceProgram, Storage
from mall.bounds import MAX_DAYS, MAX_NET_CONTENT, MAX_QUANTITY, MAX_STOCK, MAX_UNIT_PRICE_FEN
from mall.money import format_yuan

_SPEC_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(kg|千克|公斤|g|克|l|升|ml|毫升)(?:\s*[×x*]\s*(\d+))?", re.I)
_FACTORS = {"kg": 1000, "千克": 1000, "公斤": 1000, "g": 1, "克": 1, "l": 1000, "升": 1000, "ml": 1, "毫升": 1}


def net_content_from_spec(spec: str) -> tuple[int, str] | None:
    """'5kg/袋' -> (5000, 'g'); '245ml×12罐' -> (2940, 'ml'); None when the spec names no weight."""
    match = _SPEC_RE.search(spec or "")
    if not match:
        return None
    amount, unit, count = match.group(1), match.group(2).lower(), match.group(3)
    grams = round(float(amount) * _FACTORS[unit]) * (int(count) if count else 1)
    return grams, ("ml" if unit in {"l", "升", "ml", "毫升"} else "g")


@dataclass(frozen=True)
class ListingInput:
    sku: str
    title: str
    category_slug: str
    spec: str
    sale_unit: str
    price_fen: int
    stock_qty: int
    origin_county_code: str
    program: SourceProgram
    net_content: int = 0
    net_content_unit: str = "g"
    min_order_qty: int = 1
    pack_size: int = 1
    cert_no: str = ""
    storage: Storage = Storage.AMBIENT
    shelf_life_days: int = 365
    season: str = ""
    description: str = ""


# The longest text of each listing field: the products table's column lengths (the domain never
# imports models; tests/test_bounds.py checks these against the columns), and the description's
# own limit (a Text column). Forms, the import and the API refuse beyond them through check_listing.
LISTING_TEXT_LIMITS = {
    "sku": 40,
    "title": 120,
    "spec": 60,
    "sale_unit": 8,
    "cert_no": 40,
    "season": 40,
    "description": 2000,
}

# Whole-number fields with their bounds (mall.bounds), in the order the form shows them.
LISTING_NUMBER_BOUNDS = {
    "price_fen": (1, MAX_UNIT_PRICE_FEN),
    "stock_qty": (0, MAX_STOCK),
    "min_order_qty": (1, MAX_QUANTITY),
    "pack_size": (1, MAX_QUANTITY),
    "shelf_life_days": (1, MAX_DAYS),
    "net_content": (0, MAX_NET_CONTENT),
}

LISTING_FIELD_LABELS = {
    "sku": "商品编码（SKU）",
    "title": "商品名称",
    "spec": "规格",
    "sale_unit": "销售单位",
    "cert_no": "认定编号",
    "season": "上市时间",
    "description": "商品介绍",
    "price_fen": "价格",
    "stock_qty": "库存",
    "min_order_qty": "起订量",
    "pack_size": "购买倍数",
    "shelf_life_days": "保质期（天）",
    "net_content": "净含量",
}

# What a number out of its bounds is told, by field (the low end keeps its long-standing wording).
_TOO_LOW = {
    "price_fen": "价格必须大于0",
    "stock_qty": "库存不能为负数",
    "min_order_qty": "起订量至少为1",
    "pack_size": "购买倍数至少为1",
    "shelf_life_days": "保质期应为正数（天）",
    "net_content": "净含量不能为负数",
}


def _invalid(field: str, message: str) -> ListingInvalidError:
    return ListingInvalidError(message, field=field)


def check_listing_bounds(data: ListingInput) -> None:
    """Every text within its column and every number within mall.bounds, or ListingInvalidError
    naming the field and its limit (its `details` carry `field` and `limit`)."""
    for name, limit in LISTING_TEXT_LIMITS.items():
        value = getattr(data, name)
        if not isinstance(value, str):
            raise _invalid(name, f"{LISTING_FIELD_LABELS[name]}须为文本")
        if len(value.strip()) > limit:
            raise ListingInvalidError(f"{LISTING_FIELD_LABELS[name]}不能超过{limit}个字", field=name, limit=limit)
    for name, (low, high) in LISTING_NUMBER_BOUNDS.items():
        value = getattr(data, name)
        if type(value) is not int:
            raise _invalid(name, f"{LISTING_FIELD_LABELS[name]}须为整数")
        if value < low:
            raise _invalid(name, _TOO_LOW[name])
        if value > high:
            shown = format_yuan(high) if name == "price_fen" else f"{high:,}"
            raise ListingInvalidError(f"{LISTING_FIELD_LABELS[name]}不能超过{shown}", field=name, limit=high)


def check_listing(data: ListingInput) -> ListingInput:
    """Field rules of a listing; returns the input with a net content derived from the spec if absent."""
    check_listing_bounds(data)
    if not data.sku.strip():
        raise _invalid("sku", "商品编码（SKU）不能为空，且不超过40个字符")
    if len(data.title.strip()) < 2:
        raise _invalid("title", "商品名称应为2-120个字")
    if not data.spec.strip():
        raise _invalid("spec", "请填写规格")
    if data.min_order_qty % data.pack_size:
        raise _invalid("min_order_qty", "起订量须为购买倍数的整数倍")
    if data.net_content_unit not in ("g", "ml"):
        raise _invalid("net_content_unit", "净含量单位只能是克或毫升")
    if data.net_content <= 0:
        derived = net_content_from_spec(data.spec)
        if derived and derived[0] <= MAX_NET_CONTENT:
            data = replace(data, net_content=derived[0], net_content_unit=derived[1])
    return data


def check_listing_price(price_fen: object) -> None:
    """A price about to go on sale (an approval) is still within bounds: a listing stored before
    the bounds, or changed behind the forms, is refused rather than sold."""
    low, high = LISTING_NUMBER_BOUNDS["price_fen"]
    if type(price_fen) is not int or not low <= price_fen <= high:
        raise ListingInvalidError(
            f"价格须在{format_yuan(low)}至{format_yuan(high)}之间，请供应商修改后再审核", field="price_fen", limit=high
        )


def check_origin(
    *,
    county_flags_eligible: bool,
    county_is_poverty: bool,
    county_is_counterpart: bool,
    county_is_provincial_key: bool,
    origin_code: str,
    supplier_county_code: str,
    supplier_approved: bool,
    program: SourceProgram,
) -> None:
    """DOMAIN.md, eligible products: an eligible origin county, a supplier registered and approved
    there, and a source program that matches the county's flags."""
    if not supplier_approved:
        raise SupplierNotApprovedError()
    if not county_flags_eligible:
        raise CountyNotEligibleError()
    if origin_code != supplier_county_code:
        raise SupplierNotInCountyError()
    allowed = {
        SourceProgram.NATIONAL_POVERTY: county_is_poverty,
        SourceProgram.COUNTERPART: county_is_counterpart and county_is_poverty,
        SourceProgram.PROVINCIAL_KEY: county_is_provincial_key,
    }
    if not allowed[program]:
        raise ProgramMismatchError(f"来源类型“{PROGRAM_LABELS[program]}”与产地不符")


def default_program(*, is_poverty_county: bool, is_counterpart: bool, is_provincial_key: bool) -> SourceProgram:
    """The source program a county's products carry unless the lister says otherwise."""
    if is_provincial_key and not is_poverty_county:
        return SourceProgram.PROVINCIAL_KEY
    if is_counterpart and is_poverty_county:
        return SourceProgram.COUNTERPART
    return SourceProgram.NATIONAL_POVERTY

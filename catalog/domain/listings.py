"""Listing rules: field checks, pack contents and price per kg/L, and origin eligibility."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from catalog.domain.states import PROGRAM_LABELS, SourceProgram, Storage
from mall.errors import InvalidInputError

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


class ListingInvalidError(InvalidInputError):
    code, message = "listing_invalid", "商品信息不完整或不正确"


class CountyNotEligibleError(InvalidInputError):
    code, message = "county_not_eligible", "产地不是脱贫县或本省重点帮扶县，不能作为脱贫地区农副产品上架"


class SupplierNotInCountyError(InvalidInputError):
    code, message = "supplier_not_in_county", "供应商注册地与产地不一致：只能上架本县生产的产品"


class SupplierNotApprovedError(InvalidInputError):
    code, message = "supplier_not_approved", "供应商尚未通过平台审核，不能上架商品"


class ProgramMismatchError(InvalidInputError):
    code, message = "program_mismatch", "来源类型与产地不符"


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


def check_listing(data: ListingInput) -> ListingInput:
    """Field rules of a listing; returns the input with a net content derived from the spec if absent."""
    if not data.sku.strip() or len(data.sku) > 40:
        raise ListingInvalidError("商品编码（SKU）不能为空，且不超过40个字符")
    if not 2 <= len(data.title.strip()) <= 120:
        raise ListingInvalidError("商品名称应为2-120个字")
    if not data.spec.strip():
        raise ListingInvalidError("请填写规格")
    if data.price_fen <= 0:
        raise ListingInvalidError("价格必须大于0")
    if data.stock_qty < 0:
        raise ListingInvalidError("库存不能为负数")
    if data.pack_size < 1:
        raise ListingInvalidError("购买倍数至少为1")
    if data.min_order_qty % data.pack_size:
        raise ListingInvalidError("起订量须为购买倍数的整数倍")
    if data.min_order_qty < 1:
        raise ListingInvalidError("起订量至少为1")
    if data.shelf_life_days <= 0:
        raise ListingInvalidError("保质期应为正数（天）")
    if data.net_content_unit not in ("g", "ml"):
        raise ListingInvalidError("净含量单位只能是克或毫升")
    if data.net_content <= 0:
        derived = net_content_from_spec(data.spec)
        if derived:
            data = replace(data, net_content=derived[0], net_content_unit=derived[1])
    return data


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

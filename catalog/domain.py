"""Catalog rules: product and supplier states, source programs, storage, list filters and sorting.

Pure: no Flask or SQLAlchemy. The list-filter parser turns query-string text into a checked
`ListFilters`, refusing bad input with a clear Chinese message (never a 500).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from mall.errors import InvalidInputError, InvalidTransitionError
from mall.money import InvalidAmountError, yuan_to_fen


class SourceProgram(StrEnum):
    NATIONAL_POVERTY = "national_poverty"  # 国家脱贫县 (832)
    COUNTERPART = "counterpart"  # 对口帮扶/东西部协作地区
    PROVINCIAL_KEY = "provincial_key"  # 本省乡村振兴重点帮扶县


PROGRAM_LABELS = {
    SourceProgram.NATIONAL_POVERTY: "国家脱贫县",
    SourceProgram.COUNTERPART: "对口帮扶",
    SourceProgram.PROVINCIAL_KEY: "省重点帮扶县",
}


class Storage(StrEnum):
    AMBIENT = "ambient"
    CHILLED = "chilled"
    FROZEN = "frozen"


STORAGE_LABELS = {Storage.AMBIENT: "常温", Storage.CHILLED: "冷藏", Storage.FROZEN: "冷冻"}


class ProductStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # 待审核
    APPROVED = "approved"  # on the storefront
    REJECTED = "rejected"
    DELISTED = "delisted"  # 下架


PRODUCT_STATUS_LABELS = {
    ProductStatus.DRAFT: "草稿",
    ProductStatus.PENDING: "待审核",
    ProductStatus.APPROVED: "已上架",
    ProductStatus.REJECTED: "已驳回",
    ProductStatus.DELISTED: "已下架",
}

PRODUCT_TRANSITIONS: dict[ProductStatus, frozenset[ProductStatus]] = {
    ProductStatus.DRAFT: frozenset({ProductStatus.PENDING}),
    ProductStatus.PENDING: frozenset({ProductStatus.APPROVED, ProductStatus.REJECTED}),
    ProductStatus.APPROVED: frozenset({ProductStatus.DELISTED, ProductStatus.PENDING}),
    ProductStatus.REJECTED: frozenset({ProductStatus.PENDING}),
    ProductStatus.DELISTED: frozenset({ProductStatus.APPROVED, ProductStatus.PENDING}),
}


def ensure_product_transition(current: ProductStatus, new: ProductStatus) -> None:
    if new not in PRODUCT_TRANSITIONS[current]:
        raise InvalidTransitionError(current=current, new=new)


class SupplierStatus(StrEnum):
    APPLIED = "applied"  # 自愿申请
    RECOMMENDED = "recommended"  # 县级推荐
    APPROVED = "approved"  # 平台审核通过: may list
    DECLINED = "declined"
    SUSPENDED = "suspended"


SUPPLIER_STATUS_LABELS = {
    SupplierStatus.APPLIED: "已申请",
    SupplierStatus.RECOMMENDED: "县级已推荐",
    SupplierStatus.APPROVED: "已入驻",
    SupplierStatus.DECLINED: "未通过",
    SupplierStatus.SUSPENDED: "已暂停",
}


class EntityType(StrEnum):
    ENTERPRISE = "enterprise"
    COOPERATIVE = "cooperative"
    FAMILY_FARM = "family_farm"


ENTITY_TYPE_LABELS = {
    EntityType.ENTERPRISE: "企业",
    EntityType.COOPERATIVE: "农民专业合作社",
    EntityType.FAMILY_FARM: "家庭农场",
}


# ---- spec and per-kilo -------------------------------------------------------------------

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


# ---- list filters ------------------------------------------------------------------------


class SortKey(StrEnum):
    DEFAULT = "default"  # sales first, then newest
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    PER_KILO_ASC = "per_kilo_asc"
    NEWEST = "newest"
    SALES = "sales"


SORT_LABELS = {
    SortKey.DEFAULT: "综合",
    SortKey.SALES: "销量",
    SortKey.NEWEST: "新品",
    SortKey.PRICE_ASC: "价格从低到高",
    SortKey.PRICE_DESC: "价格从高到低",
    SortKey.PER_KILO_ASC: "每千克/升单价",
}

MAX_PAGE = 10_000
MAX_QUERY_LENGTH = 60


class InvalidListFilterError(InvalidInputError):
    code, message = "invalid_filter", "筛选条件不正确"


@dataclass(frozen=True)
class ListFilters:
    category: str | None = None  # category slug
    province: str | None = None  # 6-digit code
    county: str | None = None
    program: SourceProgram | None = None
    storage: Storage | None = None
    national_key: bool = False  # only counties on the national key assisted list
    price_min_fen: int | None = None
    price_max_fen: int | None = None
    q: str = ""
    sort: SortKey = SortKey.DEFAULT
    page: int = 1
    per_page: int = 20

    def without(self, **fields: object) -> ListFilters:
        return replace(self, **fields)  # type: ignore[arg-type]


_CODE_RE = re.compile(r"^\d{6}$")
_SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


def parse_list_filters(args: dict[str, str], *, money_in_fen: bool, max_per_page: int = 60) -> ListFilters:
    """Check the query string of a product list (page or API) and return typed filters.

    Pages take prices in yuan (`price_min=12.5`); the API in fen (`price_min_fen=1250`).
    Raises InvalidListFilterError with a message naming the bad parameter.
    """

    def bad(message: str) -> InvalidListFilterError:
        return InvalidListFilterError(message)

    def pick(name: str) -> str | None:
        value = (args.get(name) or "").strip()
        return value or None

    page = _positive_int(pick("page") or "1", "页码应为正整数", limit=MAX_PAGE)
    per_page = _positive_int(pick("per_page") or "20", f"每页条数应为1-{max_per_page}的整数", limit=max_per_page)

    sort_text = pick("sort") or SortKey.DEFAULT.value
    if sort_text not in set(SortKey):
        raise bad("不支持的排序方式：" + sort_text[:20])

    program = pick("program")
    if program is not None and program not in set(SourceProgram):
        raise bad("来源类型只能是：国家脱贫县、对口帮扶、省重点帮扶县")
    storage = pick("storage")
    if storage is not None and storage not in set(Storage):
        raise bad("储存方式只能是：常温、冷藏、冷冻")
    for name in ("province", "county"):
        value = pick(name)
        if value is not None and not _CODE_RE.match(value):
            raise bad("地区代码应为6位数字")
    category = pick("category")
    if category is not None and not _SLUG_RE.match(category):
        raise bad("商品类别不正确")

    if money_in_fen:
        low = _money_fen(pick("price_min_fen"), "最低价格应为非负整数（分）")
        high = _money_fen(pick("price_max_fen"), "最高价格应为非负整数（分）")
    else:
        low = _money_yuan(pick("price_min"), "最低价格格式不正确")
        high = _money_yuan(pick("price_max"), "最高价格格式不正确")
    if low is not None and high is not None and low > high:
        raise bad("价格区间不正确：最低价格高于最高价格")

    national_key = pick("national_key")
    if national_key not in (None, "1", "0"):
        raise bad("national_key 只能是 0 或 1")

    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise bad(f"搜索词过长（最多{MAX_QUERY_LENGTH}个字）")

    return ListFilters(
        category=category,
        province=pick("province"),
        county=pick("county"),
        program=SourceProgram(program) if program else None,
        storage=Storage(storage) if storage else None,
        national_key=national_key == "1",
        price_min_fen=low,
        price_max_fen=high,
        q=q,
        sort=SortKey(sort_text),
        page=page,
        per_page=per_page,
    )


def _positive_int(text: str, message: str, *, limit: int) -> int:
    if not text.isdigit() or not 1 <= int(text) <= limit:
        raise InvalidListFilterError(message)
    return int(text)


def _money_fen(text: str | None, message: str) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or len(text) > 12:
        raise InvalidListFilterError(message)
    return int(text)


def _money_yuan(text: str | None, message: str) -> int | None:
    if text is None:
        return None
    try:
        fen = yuan_to_fen(text)
    except InvalidAmountError:
        raise InvalidListFilterError(message) from None
    if fen < 0 or fen > 10**12:
        raise InvalidListFilterError(message)
    return fen


# ---- listing input and eligibility ---------------------------------------------------------


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

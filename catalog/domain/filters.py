"""Storefront list filters and sorting: query-string text in, checked `ListFilters` out.

Bad input is refused with a clear Chinese message naming the parameter (never a 500).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from catalog.domain.errors import InvalidListFilterError
from catalog.domain.states import SourceProgram, Storage
from mall.bounds import MAX_AMOUNT_FEN, MAX_PAGE, parse_int
from mall.money import InvalidAmountError, yuan_to_fen


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

MAX_QUERY_LENGTH = 60


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

    page = _positive_int(pick("page") or "1", f"页码应为正整数（1-{MAX_PAGE}）", limit=MAX_PAGE)
    per_page = _positive_int(pick("per_page") or "20", f"每页条数应为1-{max_per_page}的整数", limit=max_per_page)

    sort_text = pick("sort") or SortKey.DEFAULT.value
    if sort_text not in set(SortKey):
        raise bad("不支持的排序方式：" + sort_text[:20])

    program, storage, category = _checked_choices(pick)
    low, high = _price_range(pick, money_in_fen=money_in_fen)

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


def _checked_choices(pick: Callable[[str], str | None]) -> tuple[str | None, str | None, str | None]:
    """The source program, storage, region codes and category of a product list query."""
    program = pick("program")
    if program is not None and program not in set(SourceProgram):
        raise InvalidListFilterError("来源类型只能是：国家脱贫县、对口帮扶、省重点帮扶县")
    storage = pick("storage")
    if storage is not None and storage not in set(Storage):
        raise InvalidListFilterError("储存方式只能是：常温、冷藏、冷冻")
    for name in ("province", "county"):
        value = pick(name)
        if value is not None and not _CODE_RE.match(value):
            raise InvalidListFilterError("地区代码应为6位数字")
    category = pick("category")
    if category is not None and not _SLUG_RE.match(category):
        raise InvalidListFilterError("商品类别不正确")
    return program, storage, category


def _price_range(pick: Callable[[str], str | None], *, money_in_fen: bool) -> tuple[int | None, int | None]:
    if money_in_fen:
        low = _money_fen(pick("price_min_fen"), "最低价格应为非负整数（分）")
        high = _money_fen(pick("price_max_fen"), "最高价格应为非负整数（分）")
    else:
        low = _money_yuan(pick("price_min"), "最低价格格式不正确")
        high = _money_yuan(pick("price_max"), "最高价格格式不正确")
    if low is not None and high is not None and low > high:
        raise InvalidListFilterError("价格区间不正确：最低价格高于最高价格")
    return low, high


def _positive_int(text: str, message: str, *, limit: int) -> int:
    value = parse_int(text, 1, limit)
    if value is None:
        raise InvalidListFilterError(message)
    return value


def _money_fen(text: str | None, message: str) -> int | None:
    if text is None:
        return None
    value = parse_int(text, 0, MAX_AMOUNT_FEN)
    if value is None:
        raise InvalidListFilterError(message)
    return value


def _money_yuan(text: str | None, message: str) -> int | None:
    if text is None:
        return None
    try:
        fen = yuan_to_fen(text)
    except InvalidAmountError:
        raise InvalidListFilterError(message) from None
    if fen < 0 or fen > MAX_AMOUNT_FEN:
        raise InvalidListFilterError(message)
    return fen

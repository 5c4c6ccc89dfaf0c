"""Rules about administrative codes (行政区划代码) and which counties are eligible origins.

Pure: codes are 6-digit strings; a province ends in 0000, a city (prefecture) in 00.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from mall.errors import InvalidInputError

CODE_RE = re.compile(r"^[1-9]\d{5}$")
# Municipalities directly under the central government: their "cities" (xx0100, xx0200) are
# administrative placeholders named like the province.
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


LEVEL_LABELS = {RegionLevel.PROVINCE: "省级", RegionLevel.CITY: "市级", RegionLevel.COUNTY: "县级"}


class InvalidRegionCodeError(InvalidInputError):
    code, message = "invalid_region_code", "行政区划代码应为6位数字"


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise InvalidRegionCodeError()
    return code


def level_of(code: str) -> RegionLevel:
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def parent_code(code: str) -> str | None:
    """The code of the enclosing region, by the structure of the code itself.

    County-level cities directly under a province (e.g. 济源 419001, 阿拉尔 659002) sit in an
    'xx90' block that has no city row; they hang from the province.
    """
    level = level_of(code)
    if level is RegionLevel.PROVINCE:
        return None
    if level is RegionLevel.CITY or code[2:4] == "90":
        return code[:2] + "0000"
    return code[:4] + "00"


def province_code(code: str) -> str:
    return code[:2] + "0000"


@dataclass(frozen=True)
class CountyFlags:
    is_poverty_county: bool = False  # 脱贫县 (the national "832" list)
    is_national_key: bool = False  # 国家乡村振兴重点帮扶县 (160, all western)
    is_provincial_key: bool = False  # the demo province's own key assisted counties
    is_counterpart: bool = False  # a counterpart region of the demo province (对口帮扶/协作)


def is_eligible_origin(flags: CountyFlags) -> bool:
    """DOMAIN.md: an origin is eligible if it is a national 脱贫县 or a provincial key county."""
    return flags.is_poverty_county or flags.is_provincial_key


ETHNIC_NAMES = (
    "土家族",
    "苗族",
    "藏族",
    "回族",
    "彝族",
    "壮族",
    "瑶族",
    "侗族",
    "布依族",
    "仡佬族",
    "蒙古族",
    "哈萨克",
    "锡伯",
    "撒拉族",
    "保安族",
    "裕固族",
    "羌族",
    "傣族",
    "哈尼族",
    "白族",
    "纳西族",
    "傈僳族",
    "拉祜族",
    "佤族",
    "东乡族",
    "景颇族",
    "普米族",
    "水族",
    "毛南族",
    "仫佬族",
    "各族",
    "满族",
    "畲族",
    "黎族",
    "达斡尔族",
    "鄂温克族",
)


def short_name(name: str) -> str:
    """'酉阳土家族苗族自治县' -> '酉阳县', '东乡族自治县' -> '东乡县': the place name people use."""
    if not name.endswith("自治县"):
        return name
    stem = name[: -len("自治县")]
    changed = True
    while changed:
        changed = False
        for ethnic in ETHNIC_NAMES:
            if stem.endswith(ethnic) and len(stem) - len(ethnic) >= 2:
                stem, changed = stem[: -len(ethnic)], True
    if stem.endswith("族") and len(stem) >= 3:
        stem = stem[:-1]
    return stem + "县"


_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def province_short_name(name: str) -> str:
    """'新疆维吾尔自治区' -> '新疆', '甘肃省' -> '甘肃', '重庆市' -> '重庆'."""
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name

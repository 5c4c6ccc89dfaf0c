"""The demo province's budget units: provincial departments, every city's departments with
their schools and hospitals, a few counties' offices, and state-owned enterprises under SASAC.

Names follow real Shandong naming; credit codes are generated with a valid check digit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from mall.units.domain import CREDIT_CODE_ALPHABET, UnitKind, make_credit_code

PROVINCE = "370000"


@dataclass(frozen=True)
class UnitSeed:
    key: str
    name: str
    kind: UnitKind
    region_code: str
    parent_key: str | None = None


PROVINCIAL = (
    ("sd-czt", "山东省财政厅", None, UnitKind.AGENCY),
    ("sd-jyt", "山东省教育厅", None, UnitKind.AGENCY),
    ("sd-wjw", "山东省卫生健康委员会", None, UnitKind.AGENCY),
    ("sd-nynct", "山东省农业农村厅", None, UnitKind.AGENCY),
    ("sd-gzw", "山东省人民政府国有资产监督管理委员会", None, UnitKind.AGENCY),
    ("sd-jgsw", "山东省机关事务管理局", None, UnitKind.AGENCY),
    ("sd-gat", "山东省公安厅", None, UnitKind.AGENCY),
    ("sd-scjg", "山东省市场监督管理局", None, UnitKind.AGENCY),
    ("sd-ggzy", "山东省公共资源交易中心", "sd-czt", UnitKind.INSTITUTION),
    ("sd-sysz", "山东省实验中学", "sd-jyt", UnitKind.INSTITUTION),
    ("sd-qysz", "山东省青岛第二中学", "sd-jyt", UnitKind.INSTITUTION),
    ("sd-slyy", "山东第一医科大学附属省立医院", "sd-wjw", UnitKind.INSTITUTION),
    ("sd-qlyy", "山东省千佛山医院", "sd-wjw", UnitKind.INSTITUTION),
    ("sd-jgst", "山东省省直机关第一食堂服务中心", "sd-jgsw", UnitKind.INSTITUTION),
    ("sd-nkyy", "山东省农业科学院", "sd-nynct", UnitKind.INSTITUTION),
    ("sd-gs", "山东高速集团有限公司", "sd-gzw", UnitKind.SOE),
    ("sd-ny", "山东能源集团有限公司", "sd-gzw", UnitKind.SOE),
    ("sd-hj", "山东黄金集团有限公司", "sd-gzw", UnitKind.SOE),
    ("sd-ll", "山东省鲁粮集团有限公司", "sd-gzw", UnitKind.SOE),
    ("sd-gt", "山东钢铁集团有限公司", "sd-gzw", UnitKind.SOE),
)

# (key suffix, name suffix, parent suffix, kind) for every city; "{c}" is the city's name.
CITY_UNITS = (
    ("czj", "{c}财政局", None, UnitKind.AGENCY),
    ("jyj", "{c}教育局", None, UnitKind.AGENCY),
    ("wjw", "{c}卫生健康委员会", None, UnitKind.AGENCY),
    ("nyj", "{c}农业农村局", None, UnitKind.AGENCY),
    ("gzw", "{c}人民政府国有资产监督管理委员会", None, UnitKind.AGENCY),
    ("jgsw", "{c}机关事务服务中心", None, UnitKind.INSTITUTION),
    ("gaj", "{c}公安局", None, UnitKind.AGENCY),
    ("scj", "{c}市场监督管理局", None, UnitKind.AGENCY),
    ("rsj", "{c}人力资源和社会保障局", None, UnitKind.AGENCY),
    ("yz", "{c}第一中学", "jyj", UnitKind.INSTITUTION),
    ("szx", "{c}实验小学", "jyj", UnitKind.INSTITUTION),
    ("rmyy", "{c}人民医院", "wjw", UnitKind.INSTITUTION),
    ("zyyy", "{c}中医医院", "wjw", UnitKind.INSTITUTION),
    ("ct", "{c}城市建设投资集团有限公司", "gzw", UnitKind.SOE),
)

COUNTY_UNITS = (
    ("czj", "{c}财政局", None, UnitKind.AGENCY),
    ("jtj", "{c}教育和体育局", None, UnitKind.AGENCY),
    ("wjj", "{c}卫生健康局", None, UnitKind.AGENCY),
    ("yz", "{c}第一中学", "jtj", UnitKind.INSTITUTION),
    ("rmyy", "{c}人民医院", "wjj", UnitKind.INSTITUTION),
)
COUNTIES_PER_CITY = 3


def _serial(key: str) -> str:
    digest = hashlib.sha256(key.encode()).digest()
    # Organisation codes use the same alphabet as credit codes, minus a few for readability.
    return "".join(CREDIT_CODE_ALPHABET[b % 31] for b in digest[:9])


def credit_code_for(seed: UnitSeed) -> str:
    registrar = {UnitKind.AGENCY: "11", UnitKind.INSTITUTION: "12", UnitKind.SOE: "91"}[seed.kind]
    return make_credit_code(registrar=registrar, region_code=seed.region_code, serial=_serial(seed.key))


def unit_seeds(cities: list[tuple[str, str]], counties_by_city: dict[str, list[tuple[str, str]]]) -> list[UnitSeed]:
    """All demo units, parents before children. `cities` are (code, name) of the province's cities;
    the first few counties of each city get county offices (key counties first)."""
    seeds = [UnitSeed(k, n, kind, PROVINCE, p) for k, n, p, kind in PROVINCIAL]
    for code, city in cities:
        for suffix, name, parent, kind in CITY_UNITS:
            seeds.append(
                UnitSeed(f"{code}-{suffix}", name.format(c=city), kind, code, f"{code}-{parent}" if parent else None)
            )
        for county_code, county in counties_by_city.get(code, [])[:COUNTIES_PER_CITY]:
            for suffix, name, parent, kind in COUNTY_UNITS:
                seeds.append(
                    UnitSeed(
                        f"{county_code}-{suffix}",
                        name.format(c=county),
                        kind,
                        county_code,
                        f"{county_code}-{parent}" if parent else None,
                    )
                )
    return seeds

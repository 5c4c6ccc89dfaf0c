"""Demo accounts, one per role, all with the password `demo-pass-2026` (README lists them).

Scripts and checks outside the tests log in with these names: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

from mall.accounts.domain import Role

DEMO_PASSWORD = "demo-pass-2026"
DEMO_UNIT_KEY = "370100-jgsw"  # 济南市机关事务服务中心: runs canteens, the demo buyers' unit
OTHER_UNIT_KEY = "370200-jgsw"  # 青岛市机关事务服务中心
DEMO_SUPPLIER_COUNTY = "621102"  # 定西市安定区: the demo supplier sells potatoes from there
DEMO_AGRI_CITY = "371300"  # 临沂市: most of Shandong's key counties


@dataclass(frozen=True)
class AccountSeed:
    username: str
    display_name: str
    roles: frozenset[Role]
    unit_key: str | None = None
    region_code: str | None = None
    supplier: bool = False  # linked to the demo supplier


DEMO_ACCOUNTS = (
    AccountSeed("demo-buyer", "王晓梅", frozenset({Role.BUYER}), unit_key=DEMO_UNIT_KEY),
    AccountSeed("demo-buyer2", "李建国", frozenset({Role.BUYER}), unit_key=DEMO_UNIT_KEY),
    AccountSeed("demo-buyer-other", "张海燕", frozenset({Role.BUYER}), unit_key=OTHER_UNIT_KEY),
    AccountSeed("demo-unitadmin", "刘志强", frozenset({Role.UNIT_ADMIN}), unit_key=DEMO_UNIT_KEY),
    AccountSeed("demo-union", "陈丽娟", frozenset({Role.UNION_OFFICER}), unit_key=DEMO_UNIT_KEY),
    # A second admin of the demo unit: approves what demo-unitadmin places above the threshold
    # (nobody approves their own purchase), and is told of split purchases.
    AccountSeed("demo-unitadmin2", "赵红", frozenset({Role.UNIT_ADMIN}), unit_key=DEMO_UNIT_KEY),
    AccountSeed("demo-employee", "赵明", frozenset({Role.EMPLOYEE}), unit_key=DEMO_UNIT_KEY),
    AccountSeed("demo-supplier", "马永福", frozenset({Role.SUPPLIER}), supplier=True),
    AccountSeed("demo-coop", "孙红霞", frozenset({Role.COOP_OPERATOR})),
    AccountSeed("demo-operator", "周文博", frozenset({Role.PLATFORM_OPERATOR})),
    AccountSeed("demo-finance", "吴静", frozenset({Role.FINANCE_OFFICER}), region_code="370000"),
    AccountSeed("demo-agri", "郑国栋", frozenset({Role.AGRI_OFFICER}), region_code=DEMO_AGRI_CITY),
    AccountSeed("demo-sasac", "冯立新", frozenset({Role.SASAC_OFFICER}), region_code="370000"),
)

"""Build the demo data set by calling the services, step by step, deterministically.

`seed_demo(session, progress)` runs every step; each step reports through `progress(step, done, total)`
so the CLI can draw bars. Nothing here writes a table directly.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import services as catalog_services
from catalog.domain import EntityType, ListingInput, SourceProgram, Storage, SupplierStatus, default_program
from catalog.models import Supplier
from mall.accounts import services as account_services
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.policy import services as policy_services
from mall.regions import services as region_services
from mall.regions.domain import CountyFlags, RegionLevel
from mall.regions.models import Region
from mall.units import services as unit_services
from mall.units.domain import make_credit_code
from seed_data import accounts, datafiles, units
from seed_data.catalog_demo import EVIDENCE_URL, seed_catalog_workflows
from seed_data.categories import CATEGORIES
from seed_data.orders_demo import seed_orders_demo
from seed_data.records import ProductSeed, SupplierSeed

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
SEED = 2026
POLICY_YEARS = (2025, 2026)  # last year's rules exist, so "not below last year" has a year to compare with


def _quiet(step: str, done: int, total: int) -> None:
    return None


@dataclass
class SeedResult:
    counts: dict[str, int] = field(default_factory=dict)


def is_seeded(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.username == "demo-operator")) is not None


def seed_demo(session: Session, progress: Progress = _quiet) -> SeedResult:
    """The whole demo data set: regions, county flags, categories, units, suppliers, accounts, products."""
    result = SeedResult()
    for year in POLICY_YEARS:
        policy_services.ensure_year(session, year)
    result.counts["policy_years"] = len(POLICY_YEARS)
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    result.counts["regions"] = _load_regions(session, progress)
    result.counts["counties_flagged"] = _flag_counties(session, progress)
    for position, (slug, name, description) in enumerate(CATEGORIES):
        catalog_services.create_category(session, slug=slug, name=name, position=position, description=description)
    result.counts["categories"] = len(CATEGORIES)
    unit_ids = _create_units(session, progress, fake)
    result.counts["units"] = len(unit_ids)
    password_hash = account_services.hash_password(accounts.DEMO_PASSWORD)
    supplier_ids = _register_suppliers(session, progress, fake)
    result.counts["suppliers"] = len(supplier_ids)
    operator_id = _create_accounts(session, progress, unit_ids, supplier_ids, password_hash)
    result.counts["products"] = _create_products(session, progress, supplier_ids, operator_id)
    result.counts.update(seed_catalog_workflows(session))
    result.counts.update(seed_orders_demo(session, progress))
    return result


def _load_regions(session: Session, progress: Progress) -> int:
    rows = list(region_services.read_cpca_rows())
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        progress("行政区划", done, len(rows))

    written = region_services.load_regions(session, rows, progress=tick)
    progress("行政区划", len(rows), len(rows))
    return written


def _flag_counties(session: Session, progress: Progress) -> int:
    counties = datafiles.counties()
    for i, county in enumerate(counties, 1):
        region = session.get(Region, county.code)
        if region is None or region.name != county.name:
            raise RuntimeError(f"seed county {county.code} {county.name} does not match the region table")
        region_services.set_county_flags(
            session,
            code=county.code,
            profile=county.profile,
            flags=CountyFlags(
                is_poverty_county=county.poverty,
                is_national_key=county.national_key,
                is_provincial_key=county.provincial_key,
                is_counterpart=county.counterpart,
            ),
        )
        progress("县域标记", i, len(counties))
    return len(counties)


def _create_units(session: Session, progress: Progress, fake: Faker) -> dict[str, int]:
    cities = [
        (r.code, r.name)
        for r in session.scalars(
            select(Region)
            .where(Region.parent_code == units.PROVINCE, Region.level == RegionLevel.CITY)
            .order_by(Region.code)
        )
    ]
    counties_by_city: dict[str, list[tuple[str, str]]] = {}
    for region in session.scalars(
        select(Region)
        .where(Region.code.like("37%"), Region.level == RegionLevel.COUNTY)
        .order_by(Region.is_provincial_key.desc(), Region.code)
    ):
        if region.code.endswith(("01", "02", "03")) and not region.is_provincial_key:
            continue  # city districts: their offices are the city's
        counties_by_city.setdefault(region.parent_code or "", []).append((region.code, region.name))
    seeds = units.unit_seeds(cities, counties_by_city)
    ids: dict[str, int] = {}
    for i, seed in enumerate(seeds, 1):
        unit = unit_services.create_unit(
            session,
            actor_id=None,
            name=seed.name,
            kind=seed.kind,
            region_code=seed.region_code,
            parent_id=ids[seed.parent_key] if seed.parent_key else None,
            credit_code=units.credit_code_for(seed),
            contact_name=fake.name(),
            contact_phone=fake.phone_number(),
        )
        ids[seed.key] = unit.id
        progress("预算单位", i, len(seeds))
    return ids


def supplier_credit_code(seed: SupplierSeed) -> str:
    rng = random.Random(f"supplier:{seed.key}")
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    registrar = {"enterprise": "91", "cooperative": "93", "family_farm": "92"}[seed.entity_type]
    return make_credit_code(
        registrar=registrar, region_code=seed.county_code, serial="".join(rng.choice(alphabet) for _ in range(9))
    )


def _register_suppliers(session: Session, progress: Progress, fake: Faker) -> dict[str, int]:
    ids: dict[str, int] = {}
    seeds = datafiles.suppliers()
    for i, seed in enumerate(seeds, 1):
        county = session.get(Region, seed.county_code)
        supplier = catalog_services.register_supplier(
            session,
            actor_id=None,
            name=seed.name,
            credit_code=supplier_credit_code(seed),
            region_code=seed.county_code,
            entity_type=EntityType(seed.entity_type),
            contact_name=fake.name(),
            contact_phone=fake.phone_number(),
            address=f"{county.full_name if county else ''}{fake.street_address()}",
            intro=seed.intro,
            served_by_coop=seed.served_by_coop,
            status=SupplierStatus.APPROVED,
        )
        ids[seed.key] = supplier.id
        progress("供应商", i, len(seeds))
    return ids


def _create_accounts(
    session: Session, progress: Progress, unit_ids: dict[str, int], supplier_ids: dict[str, int], password_hash: str
) -> int:
    demo_supplier_id = session.scalar(
        select(Supplier.id).where(Supplier.region_code == accounts.DEMO_SUPPLIER_COUNTY).order_by(Supplier.id)
    )
    operator_id = 0
    total = len(accounts.DEMO_ACCOUNTS) + len(supplier_ids)
    for i, seed in enumerate(accounts.DEMO_ACCOUNTS, 1):
        user = account_services.create_user(
            session,
            actor=None,
            username=seed.username,
            password="",
            password_hash=password_hash,
            display_name=seed.display_name,
            roles=set(seed.roles),
            unit_id=unit_ids[seed.unit_key] if seed.unit_key else None,
            region_code=seed.region_code,
        )
        if seed.supplier and demo_supplier_id:
            catalog_services.add_supplier_member(session, supplier_id=demo_supplier_id, user_id=user.id)
        if Role.PLATFORM_OPERATOR in seed.roles:
            operator_id = user.id
        progress("账号", i, total)
    # Every other supplier gets a login too (supplier-<key>), so any of them can be tried.
    for j, (key, supplier_id) in enumerate(supplier_ids.items(), len(accounts.DEMO_ACCOUNTS) + 1):
        if supplier_id == demo_supplier_id:
            continue
        user = account_services.create_user(
            session,
            actor=None,
            username=f"supplier-{key}"[:40],
            password="",
            password_hash=password_hash,
            display_name=f"供应商{key}"[:40],
            roles={Role.SUPPLIER},
        )
        catalog_services.add_supplier_member(session, supplier_id=supplier_id, user_id=user.id)
        progress("账号", j, total)
    return operator_id


def listing_inputs(
    seed: ProductSeed, county_code: str, program: SourceProgram, *, sku_prefix: str
) -> list[ListingInput]:
    items = []
    for n, variant in enumerate(seed.variants, 1):
        title = f"{seed.name} {variant.title_suffix}".strip() if variant.title_suffix else seed.name
        items.append(
            ListingInput(
                sku=f"{sku_prefix}-{n}",
                title=f"{title} {variant.spec}",
                category_slug=seed.category,
                spec=variant.spec,
                sale_unit=variant.sale_unit,
                price_fen=variant.price_fen,
                stock_qty=0,
                origin_county_code=county_code,
                program=program,
                net_content=variant.net_content,
                storage=Storage(seed.storage),
                shelf_life_days=seed.shelf_life_days,
                season=seed.season,
                description=seed.description,
                cert_no=_cert_no(county_code, sku_prefix, n),
            )
        )
    return items


def _cert_no(county_code: str, sku_prefix: str, n: int) -> str:
    # 认定编号: demo format <year>-<county code>-<serial>; the serial is stable per product variant.
    serial = int.from_bytes(sku_prefix.encode()[:6].ljust(6, b"0"), "big") % 90000 + 10000
    return f"2026-{county_code}-{serial}{n}"


def program_for(region: Region) -> SourceProgram:
    return default_program(
        is_poverty_county=region.is_poverty_county,
        is_counterpart=region.is_counterpart,
        is_provincial_key=region.is_provincial_key,
    )


def _create_products(session: Session, progress: Progress, supplier_ids: dict[str, int], operator_id: int) -> int:
    rng = random.Random(SEED)
    suppliers = {s.key: s for s in datafiles.suppliers()}
    products = datafiles.products()
    total = sum(len(p.variants) for p in products)
    done = 0
    # Listed in a shuffled (but fixed) order, so "newest" mixes regions as a live catalogue would.
    order = list(enumerate(products, 1))
    random.Random(SEED + 1).shuffle(order)
    for index, seed in order:
        supplier_seed = suppliers[seed.supplier_key]
        region = session.get(Region, supplier_seed.county_code)
        items = [
            _with_stock(item, rng)
            for item in listing_inputs(seed, supplier_seed.county_code, program_for(region), sku_prefix=f"P{index:04d}")
        ]
        catalog_services.create_listings(
            session,
            supplier_id=supplier_ids[seed.supplier_key],
            items=items,
            actor_id=None,
            approved_by=operator_id or None,
            evidence={item.sku: [evidence_for(item)] for item in items},
        )
        done += len(items)
        progress("商品", done, total)
    return done


def evidence_for(item: ListingInput) -> tuple[str, str]:
    return EVIDENCE_URL, f"832平台同类产品参考价（{item.spec}），2026年10月采集"


def _with_stock(item: ListingInput, rng: random.Random) -> ListingInput:
    return replace(
        item, stock_qty=rng.choice((80, 120, 200, 300, 500, 800, 1200)), min_order_qty=rng.choice((1, 1, 1, 2, 5))
    )

"""Synthetic catalogues for benchmarks: N more listings derived from the real demo catalogue.

Each synthetic listing takes a real product of a real supplier and varies its grade, pack and
price (±15 %), so search and list pages see realistic text and price spreads at 20,000+ rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog import services as catalog_services
from catalog.domain import ListingInput, SourceProgram
from catalog.models import Product, Supplier
from mall.accounts.models import User
from mall.regions.models import Region
from seed_data import datafiles
from seed_data.demo import listing_inputs, program_for

GRADES = ("特级", "一级", "精选", "优选", "农家", "产地直供", "食堂专供", "新货", "当季", "原生态")
BATCH = 500


def synthetic_listings(
    count: int, *, start: int, programs: dict[str, SourceProgram], seed: int = 7
) -> dict[str, list[ListingInput]]:
    """`count` listings keyed by supplier key, numbered from `start` (SKUs SYN-<n> never collide).
    `programs` gives each origin county's source program."""
    rng = random.Random(seed + start)
    county_of = {s.key: s.county_code for s in datafiles.suppliers()}
    products = datafiles.products()
    out: dict[str, list[ListingInput]] = defaultdict(list)
    for n in range(start, start + count):
        base = rng.choice(products)
        county = county_of[base.supplier_key]
        variant = rng.choice(listing_inputs(base, county, programs[county], sku_prefix="SYN"))
        out[base.supplier_key].append(
            replace(
                variant,
                sku=f"SYN-{n:07d}",
                title=f"{rng.choice(GRADES)} {variant.title}",
                price_fen=max(100, round(variant.price_fen * rng.uniform(0.85, 1.15))),
                stock_qty=rng.choice((50, 100, 300, 1000)),
                cert_no=f"{variant.cert_no}-{n}",
            )
        )
    return out


def add_synthetic_products(session: Session, count: int, progress: Callable[[int], None]) -> int:
    """Create `count` approved synthetic listings on top of the demo data."""
    operator_id = session.scalar(select(User.id).where(User.username == "demo-operator"))
    supplier_ids = dict(session.execute(select(Supplier.name, Supplier.id)).all())
    counties = {s.county_code for s in datafiles.suppliers()}
    programs = {code: program_for(session.get(Region, code)) for code in counties}
    start = (session.scalar(select(func.count(Product.id)).where(Product.sku.like("SYN-%"))) or 0) + 1
    name_of = {s.key: s.name for s in datafiles.suppliers()}
    created = 0
    for key, items in synthetic_listings(count, start=start, programs=programs).items():
        for chunk_start in range(0, len(items), BATCH):
            chunk = items[chunk_start : chunk_start + BATCH]
            catalog_services.create_listings(
                session, supplier_id=supplier_ids[name_of[key]], items=chunk, actor_id=None, approved_by=operator_id
            )
            created += len(chunk)
            progress(len(chunk))
    return created

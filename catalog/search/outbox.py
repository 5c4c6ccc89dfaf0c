"""The search outbox: every change that the search index must learn of is a row here, written in
the same transaction as the change itself. One writer (catalog.search) applies the rows to the
index, so the database stays the truth and a web request never waits on (or fails on) an index lock.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Product, SearchOutbox
from mall import clock


def enqueue(session: Session, product_ids: Iterable[int]) -> None:
    """Ask the index to re-read these products (inside the caller's transaction; it commits)."""
    now = clock.now()
    session.add_all(SearchOutbox(product_id=pid, created_at=now) for pid in dict.fromkeys(product_ids))


def enqueue_county(session: Session, county_code: str) -> None:
    """A county's flags changed: its products' badges and facets must be indexed again."""
    enqueue(session, session.scalars(select(Product.id).where(Product.origin_county_code == county_code)))

"""Product cards on lists (storefront, county, search, home strips, similar products).

A card is rendered from a `Card`: the few values it shows, read as plain columns (no ORM
objects) by the page's own query. The rendered HTML is kept per process keyed by that row, so a
price, title or sales change, a new recommendation or county flag is a new key and shows on the
next request in every worker, while an unchanged card costs a dictionary lookup."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from flask import current_app, request
from markupsafe import Markup
from sqlalchemy import Select, bindparam
from sqlalchemy.orm import Session, aliased

from catalog.domain import PROGRAM_LABELS, SourceProgram, SupplierStatus
from catalog.models import Product, Supplier
from mall.fragments import fragment_cache
from mall.regions.domain import province_short_name, short_name
from mall.regions.models import Region

CARD_TEMPLATE = "catalog/_product_card.html"
_County = aliased(Region, name="card_county")
_Province = aliased(Region, name="card_province")
_Supplier = aliased(Supplier, name="card_supplier")


class Card(NamedTuple):
    """Everything a product card shows, and nothing else (it is the card's cache key)."""

    id: int
    title: str
    spec: str
    price_fen: int
    per_kilo_fen: int | None
    net_content_unit: str
    recommended_at: datetime | None
    program: SourceProgram
    sales_qty: int
    county_name: str
    province_name: str
    is_national_key: bool
    supplier_status: SupplierStatus

    @property
    def supplier_suspended(self) -> bool:
        return self.supplier_status is SupplierStatus.SUSPENDED

    @property
    def origin_label(self) -> str:
        """'甘肃·安定区', as Region.origin_label reads."""
        return f"{province_short_name(self.province_name)}·{short_name(self.county_name)}"

    @property
    def per_kilo_label(self) -> str:
        return "每千克" if self.net_content_unit == "g" else "每升"

    @property
    def program_label(self) -> str:
        return PROGRAM_LABELS[self.program]

    @classmethod
    def of(cls, product: Product) -> Card:
        """The card of a product already loaded (search hits)."""
        return cls(
            product.id,
            product.title,
            product.spec,
            product.price_fen,
            product.per_kilo_fen,
            product.net_content_unit,
            product.recommended_at,
            product.program,
            product.sales_qty,
            product.origin.name,
            product.origin.province.name,
            product.origin.is_national_key,
            product.supplier.status,
        )


CARD_COLUMNS = (
    Product.id,
    Product.title,
    Product.spec,
    Product.price_fen,
    Product.per_kilo_fen,
    Product.net_content_unit,
    Product.recommended_at,
    Product.program,
    Product.sales_qty,
    _County.name,
    _Province.name,
    _County.is_national_key,
    _Supplier.status,
)


def card_select(stmt: Select) -> Select:
    """`stmt` (a select of products: filters, order, limit) answering cards instead of products."""
    return (
        stmt.with_only_columns(*CARD_COLUMNS)
        .join(_County, _County.code == Product.origin_county_code)
        .join(_Province, _Province.code == Product.origin_province_code)
        .join(_Supplier, _Supplier.id == Product.supplier_id)
    )


def load_cards(session: Session, stmt: Select) -> list[Card]:
    return [Card._make(row) for row in session.execute(card_select(stmt))]


@lru_cache(maxsize=256)
def _page_select(stmt: Select) -> Select:
    return card_select(stmt).limit(bindparam("card_limit")).offset(bindparam("card_offset"))


def load_page(session: Session, stmt: Select, *, limit: int, offset: int) -> list[Card]:
    """One page of `stmt`'s cards (for `mall.pagination.paginate(load=…)`); the statement is
    built once per select object, so a caller reusing its selects saves the work."""
    params = {"card_limit": limit, "card_offset": offset}
    return [Card._make(row) for row in session.execute(_page_select(stmt), params)]


def product_card(product: Card | Product, hit: Any = None) -> Markup:
    """A card's HTML (a Jinja global). With a search `hit` the title and snippet are highlighted
    for that query, and such a card is rendered, not kept."""
    card = product if isinstance(product, Card) else Card.of(product)

    def render() -> Markup:
        return Markup(current_app.jinja_env.get_template(CARD_TEMPLATE).render(product=card, hit=hit))

    if hit is not None:
        return render()
    return fragment_cache("product_cards").get((request.script_root, card), render)

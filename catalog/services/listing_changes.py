"""Edits of a listing, shared by the form, the JSON API and the spreadsheet import: which values
apply at once and which wait for review as a ListingChange (catalog.domain.review decides), and
what a pending change changes, from what to what (for the review page and the API alike).

Every edit is one UPDATE of the product guarded on the revision it read, so of the supplier
and a reviewer (or two edits) acting at once exactly one wins; the loser writes nothing. Locks
are always taken product row first, then its change, as the review actions do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from catalog import domain
from catalog.domain import PHOTOS, REVIEW_FIELD_LABELS, ChangeStatus, ProductStatus, changed_meanwhile
from catalog.models import Category, ListingChange, Product, ProductPhoto
from catalog.services.catalogue import listing_input_of
from mall import transitions, uploads
from mall.money import format_yuan, per_kilo_fen
from mall.regions.models import Region

LIVE = (ProductStatus.APPROVED, ProductStatus.DELISTED)  # edits of these wait for review

# Review fields (ListingInput names) and the product columns each one changes. The minimum order
# travels with the pack size: applied alone it could stop being a multiple of the old pack.
REVIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "price_fen": ("price_fen", "per_kilo_fen"),
    "title": ("title",),
    "origin_county_code": ("origin_county_code", "origin_province_code"),
    "cert_no": ("cert_no",),
    "program": ("program",),
    "category_slug": ("category_id",),
    "spec": ("spec",),
    "sale_unit": ("sale_unit",),
    "net_content": ("net_content", "per_kilo_fen"),
    "net_content_unit": ("net_content_unit",),
    "pack_size": ("pack_size", "min_order_qty"),
    PHOTOS: (),
}


def review_columns(fields: set[str]) -> set[str]:
    return {col for f in fields for col in REVIEW_COLUMNS.get(f, (f,))}


def pending_change(session: Session, product_id: int) -> ListingChange | None:
    return session.scalar(
        select(ListingChange).where(
            ListingChange.product_id == product_id, ListingChange.status == ChangeStatus.PENDING
        )
    )


def _as_fields(session: Session, columns: dict) -> dict:
    """Checked product column values in the shape of the listing form (ListingInput names)."""
    keys = domain.ListingInput.__dataclass_fields__
    category = session.get(Category, columns["category_id"])
    return {k: v for k, v in columns.items() if k in keys} | {"category_slug": category.slug}


def submit_edit(
    session: Session, product: Product, columns: dict, *, actor, now, new_photos: int = 0
) -> tuple[set[str], ListingChange | None]:
    """Apply an edit of `product` (checked column values, as `listing_columns` returns them) inside
    the caller's transaction. Not on sale yet: updated in place and (re)submitted for review. On
    sale or delisted: minor values apply at once, the others (and `new_photos`) wait as a pending
    ListingChange, which replaces one still pending. Returns the fields sent to review and the
    change. Raises ChangedMeanwhileError when someone else edited or reviewed it meanwhile."""
    live = product.status in LIVE
    needs: set[str] = set()
    if live:
        needs = domain.fields_needing_review(
            asdict(listing_input_of(product)),
            _as_fields(session, columns),
            reviewed_price_fen=product.reviewed_price_fen,
            new_photos=new_photos,
        )
    held = review_columns(needs) | {"per_kilo_fen"}
    values = {k: v for k, v in columns.items() if k not in held}
    values["per_kilo_fen"] = per_kilo_fen(
        values.get("price_fen", product.price_fen), values.get("net_content", product.net_content)
    )
    status = product.status if live else ProductStatus.PENDING
    if status is not product.status:
        domain.ensure_product_transition(product.status, status)
    if not live:
        values["reject_reason"] = ""
    move_listing(session, product, to=status, revision=product.revision, updated_at=now, **values)
    change = _queue_change(session, product, columns, needs, actor=actor, now=now) if needs else None
    return needs, change


def move_listing(session: Session, product: Product, *, to: ProductStatus, revision: int, **values) -> None:
    """Move a listing (and set `values`) only from the status this action read and the revision
    its actor saw, counting the revision up; raises ChangedMeanwhileError when it moved meanwhile.
    Callers check a change of status against the transition table first."""
    moved = transitions.move(
        session,
        Product,
        product.id,
        frm=[product.status],
        to=to,
        where=[Product.revision == revision],
        revision=revision + 1,
        **values,
    )
    if not moved:
        raise changed_meanwhile("商品")
    session.expire(product, ["category", "origin"])


def close_change(
    session: Session, product: Product, change: ListingChange, to: ChangeStatus, *, by, now, reason: str = ""
) -> None:
    """Approve or reject a pending change (guarded on its status): its photos become public, or
    are removed with their files once the rejection commits."""
    moved = transitions.move(
        session,
        ListingChange,
        change.id,
        frm=[ChangeStatus.PENDING],
        to=to,
        ensure=domain.ensure_change_transition,
        reviewed_by_id=by.id,
        reviewed_at=now,
        reason=reason,
    )
    if not moved:
        raise changed_meanwhile("商品的修改申请")
    photos = select(ProductPhoto).where(ProductPhoto.change_id == change.id)
    if to is ChangeStatus.APPROVED:
        session.execute(update(ProductPhoto).where(ProductPhoto.change_id == change.id).values(change_id=None))
    else:
        for photo in session.scalars(photos):
            uploads.remove_on_commit(session, photo.path)
        session.execute(delete(ProductPhoto).where(ProductPhoto.change_id == change.id))
    session.expire(product, ["photos", "all_photos"])
    session.expire(change, ["photos"])


def _queue_change(session: Session, product: Product, columns: dict, needs: set[str], *, actor, now) -> ListingChange:
    """A new pending change with the reviewed values; one still pending is superseded by it (its
    photos, not yet reviewed, move to the new one)."""
    old = pending_change(session, product.id)
    held = review_columns(needs)
    change = ListingChange(
        product_id=product.id,
        proposed={k: (v.value if hasattr(v, "value") else v) for k, v in columns.items() if k in held},
        fields=sorted(needs),
        status=ChangeStatus.PENDING,
        submitted_by_id=actor.id,
        submitted_at=now,
    )
    session.add(change)
    session.flush()
    if old is not None:
        superseded = transitions.move(
            session,
            ListingChange,
            old.id,
            frm=[ChangeStatus.PENDING],
            to=ChangeStatus.SUPERSEDED,
            ensure=domain.ensure_change_transition,
        )
        if not superseded:
            raise changed_meanwhile("商品的修改申请")
        carried = session.execute(
            update(ProductPhoto).where(ProductPhoto.change_id == old.id).values(change_id=change.id)
        ).rowcount
        if carried and PHOTOS not in change.fields:
            change.fields = sorted({*change.fields, PHOTOS})
    return change


def change_values(change: ListingChange, product: Product) -> dict:
    """The product columns an approved change sets (with the price per kg/L derived again, and
    the reviewed price when the price was part of it)."""
    values = dict(change.proposed)
    if "program" in values:
        values["program"] = domain.SourceProgram(values["program"])
    values.pop("per_kilo_fen", None)
    values["per_kilo_fen"] = per_kilo_fen(
        values.get("price_fen", product.price_fen), values.get("net_content", product.net_content)
    )
    if "price_fen" in values:
        values["reviewed_price_fen"] = values["price_fen"]
    return values


# ---- what a change changes (the review page and the API) -----------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str  # ListingInput name, or "photos"
    label: str
    old: object  # JSON values: fen for prices, codes for places, slugs for categories
    new: object
    old_text: str  # for people: names instead of codes
    new_text: str

    def as_json(self) -> dict:
        return {"field": self.field, "label": self.label, "from": self.old, "to": self.new}


def change_diff(session: Session, change: ListingChange) -> list[FieldChange]:
    """Each reviewed field of a pending change with its current and proposed values, then what
    follows from them: the minimum order that travels with a pack size, and the price per kg/L
    whenever the price or the net content moves (500g→100g at one price is five times dearer)."""
    product, proposed = change.product, change.proposed
    out = [_field_change(session, change, field) for field in change.fields]
    if "pack_size" in change.fields and proposed.get("min_order_qty") != product.min_order_qty:
        old, new = product.min_order_qty, proposed.get("min_order_qty")
        out.append(FieldChange("min_order_qty", "起订量", old, new, str(old), str(new)))
    if {"price_fen", "net_content"} & set(change.fields):
        old = product.per_kilo_fen
        new = per_kilo_fen(
            proposed.get("price_fen", product.price_fen), proposed.get("net_content", product.net_content)
        )
        if new != old:
            out.append(FieldChange("per_kilo_fen", "每千克/升单价", old, new, format_yuan(old), format_yuan(new)))
    return out


def _field_change(session: Session, change: ListingChange, field: str) -> FieldChange:
    product, proposed = change.product, change.proposed
    label = REVIEW_FIELD_LABELS.get(field, field)
    if field == PHOTOS:
        waiting = session.scalar(select(func.count(ProductPhoto.id)).where(ProductPhoto.change_id == change.id))
        public = len(product.photos)
        return FieldChange(field, label, public, public + waiting, f"{public}张", f"新增{waiting}张")
    if field == "category_slug":
        new = session.get(Category, proposed["category_id"])
        return FieldChange(field, label, product.category.slug, new.slug, product.category.name, new.name)
    if field == "origin_county_code":
        new = session.get(Region, proposed["origin_county_code"])
        return FieldChange(field, label, product.origin_county_code, new.code, product.origin.full_name, new.full_name)
    if field == "program":
        old, new = product.program, domain.SourceProgram(proposed["program"])
        return FieldChange(field, label, old.value, new.value, domain.PROGRAM_LABELS[old], domain.PROGRAM_LABELS[new])
    column = REVIEW_COLUMNS[field][0]
    old, new = getattr(product, column), proposed.get(column)
    if field == "price_fen":
        return FieldChange(field, label, old, new, format_yuan(old), format_yuan(new))
    if field == "net_content":
        unit = proposed.get("net_content_unit", product.net_content_unit)
        return FieldChange(field, label, old, new, _amount(old, product.net_content_unit), _amount(new, unit))
    return FieldChange(field, label, old, new, "" if old is None else str(old), "" if new is None else str(new))


def _amount(value: int, unit: str) -> str:
    return f"{value}{'克' if unit == 'g' else '毫升'}"

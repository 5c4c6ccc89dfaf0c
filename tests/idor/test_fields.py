"""The IDOR sweep for ids outside the URL: every id field of a request model or a page form, found
by itself, names another side's object (refused, nothing written), then the sender's own (goes
through). A new id field without a probe fails."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from wtforms import StringField
from wtforms.fields.core import UnboundField

from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.api_schema import ApiModel
from mall.bounds import MAX_ID
from mall.extensions import db
from mall.forms import ChineseForm
from orders import queries as order_queries
from orders.domain import CartKind
from tests.catalog.test_import import GOOD, csv_bytes
from tests.factories import make_cart_line
from tests.idor.caller import (
    ATTACKING_SIDE,
    OWNING_SIDE,
    Answer,
    Caller,
    changed_tables,
    database_digest,
)
from tests.idor.world import (
    Side,
    World,
    accepted_order_line,
    address,
    checkout,
    delivered_order_line,
    on_sale_listing,
    paid_order_line,
    pending_listing,
    supplier,
    unit,
)

# ---- ids in forms, JSON bodies and query strings ------------------------------------------------


@dataclass(frozen=True)
class FieldProbe:
    """A request naming an object in a field. Sent by `who` of the attacking side (or staff) with
    the owning side's object, it is refused as `expect` says: "not found" (404), "refused" (a
    page shows the form's error), "empty" (a list filtered to nothing), "ignored" (the field is
    not the sender's to set: `naming(id)` — what in the database names the object — stays as
    it was); nothing is written unless ignored. Sent with the sender's own object (the control),
    it goes through: the refusal is the field's, not a flaw of the request."""

    who: str
    method: str
    path: str | Callable[[Side], str]  # the sender's side → the path (a route of its own object)
    send: Callable[[int, Side], dict]  # (the id named, the sender's side) → client.open arguments
    names: Callable[[Side], int]  # the object of a side the field names
    expect: str = "not found"
    naming: Callable[[int], object] | None = None
    control: Callable[[Side], int] | None = None  # the sender's object for the control, if not `names`


_serial = itertools.count(1)


def _listing_fields(side: Side) -> dict:
    return {
        "sku": f"IDOR-FIELD-{next(_serial)}",
        "title": "定西土豆粉条",
        "category": "dried",
        "spec": "2.5kg/箱",
        "sale_unit": "箱",
        "program": "counterpart",
        "origin_county_code": side.supplier.region_code,
    }


def _listing_json(supplier_id: int, side: Side) -> dict:
    extra = {"price_fen": 5_200, "stock_qty": 10, "price_evidence_url": "https://www.fupin832.com/goods/1"}
    return {"json": _listing_fields(side) | extra | {"supplier_id": supplier_id}}


def _listing_form(supplier_id: int, side: Side) -> dict:
    extra = {"price": "52.00", "stock_qty": "10", "storage": "ambient", "net_content_unit": "g"}
    extra |= {"evidence_url": "https://www.fupin832.com/goods/1", "supplier_id": str(supplier_id)}
    return {"data": _listing_fields(side) | extra}


def _import(supplier_id: int, side: Side) -> dict:
    rows = [GOOD | {"商品编码": f"IDOR-IMPORT-{next(_serial)}", "产地县代码": side.supplier.region_code}]
    return {"data": {"file": (io.BytesIO(csv_bytes(rows)), "goods.csv"), "supplier_id": str(supplier_id)}}


def _checkout(address_id: int, side: Side) -> dict:
    body = {"address_id": address_id, "payment_mode": "transfer", "expected_total_fen": _cart_total(side)}
    return {"json": body, "headers": {"Idempotency-Key": f"idor-{next(_serial)}"}}


def _checkout_form(address_id: int, side: Side) -> dict:
    fields = {"address_id": str(address_id), "payment_mode": "transfer", "idempotency_key": f"idor-{next(_serial)}"}
    return {"data": fields | {"expected_total_fen": str(_cart_total(side))}}


def _cart_total(side: Side) -> int:
    """The total the buyer's checkout page shows, with a canteen line put in the cart first when
    an earlier control checked it out."""
    buyer = side.users[Role.BUYER.value]
    cart = order_queries.cart_summary(db.session, buyer, CartKind.UNIT, checkout_only=True)
    if not cart.checkout_total_fen:
        make_cart_line(buyer, side.objects["listings"]["approved"], quantity=2)
        db.session.commit()
        cart = order_queries.cart_summary(db.session, buyer, CartKind.UNIT, checkout_only=True)
    return cart.checkout_total_fen


def _new_member(unit_id: int, side: Side) -> dict:
    account = {"username": f"idor{next(_serial)}", "password": "idor-pass-2026", "display_name": "新采购人"}
    return {"data": account | {"roles": "buyer", "unit_id": str(unit_id)}}


def _members(unit_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(User.id).where(User.unit_id == unit_id).order_by(User.id)))


BUY = {"quantity": 2, "purpose": "canteen"}
FIELD_PROBES: dict[str, FieldProbe] = {
    "api CartItemIn.product_id": FieldProbe(
        "buyer",
        "POST",
        "/api/v1/cart/items",
        lambda i, s: {"json": BUY | {"product_id": i}},
        pending_listing,
        control=on_sale_listing,
    ),
    "form CartAddForm.product_id": FieldProbe(
        "buyer",
        "POST",
        "/cart/lines",
        lambda i, s: {"data": BUY | {"product_id": str(i)}},
        pending_listing,
        control=on_sale_listing,
    ),
    "api CheckoutIn.address_id": FieldProbe("buyer", "POST", "/api/v1/checkout", _checkout, address),
    "form CheckoutForm.address_id": FieldProbe("buyer", "POST", "/checkout", _checkout_form, address, "refused"),
    "api ListingIn.supplier_id": FieldProbe("supplier", "POST", "/api/v1/listings", _listing_json, supplier),
    "form ListingForm.supplier_id": FieldProbe(
        "coop_operator@staff", "POST", "/supplier/listings/new", _listing_form, supplier, "refused"
    ),
    "api ImportForm.supplier_id": FieldProbe("supplier", "POST", "/api/v1/listings/import", _import, supplier),
    "form ImportForm.supplier_id": FieldProbe(
        "coop_operator@staff", "POST", "/supplier/listings/import", _import, supplier, "refused"
    ),
    "api OrderQuery.checkout": FieldProbe(
        "buyer", "GET", "/api/v1/orders", lambda i, s: {"query_string": {"checkout": i}}, checkout, "empty"
    ),
    # A parcel of the sender's own paid order naming a line of another side's order.
    "api ParcelLineIn.order_line_id": FieldProbe(
        "supplier",
        "POST",
        lambda s: f"/api/v1/orders/{s.objects['orders']['paid'].id}/shipments",
        lambda i, s: {
            "json": {
                "carrier": "sf",
                "tracking_no": f"SF{next(_serial) + 10**9:013d}",
                "lines": [{"order_line_id": i, "quantity": 1}],
            }
        },
        paid_order_line,
        "refused",
    ),
    # An after-sales case on the sender's own accepted order naming a line of another side's order.
    "api CaseLineIn.order_line_id": FieldProbe(
        "buyer",
        "POST",
        lambda s: f"/api/v1/orders/{s.objects['orders']['accepted'].id}/aftersales",
        lambda i, s: {"json": {"kind": "refund", "reason": "到货受潮", "lines": [{"order_line_id": i, "quantity": 1}]}},
        accepted_order_line,
        "refused",
    ),
    # The acceptance of the sender's own delivered order naming a line of another side's order.
    "api AcceptanceLineIn.order_line_id": FieldProbe(
        "buyer",
        "POST",
        lambda s: f"/api/v1/orders/{s.objects['orders']['delivered'].id}/acceptance",
        lambda i, s: {"json": {"lines": [{"order_line_id": i, "accepted_qty": 2}]}},
        delivered_order_line,
        "refused",
    ),
    "form UserCreateForm.unit_id": FieldProbe(
        "unit_admin", "POST", "/manage/users/new", _new_member, unit, "ignored", naming=_members
    ),
}
# Id fields whose object anyone who may send them may name.
OPEN_FIELDS = {
    "form ListedForm.product_id": "a listing on sale, which everyone sees, answers a product request",
    "form UserRolesForm.unit_id": "read only on the platform operator's form (a unit admin's edits no account's unit)",
}


def id_fields() -> set[str]:
    """Every id a request may carry outside its URL: the request models' integer fields bounded
    like ids (1…MAX_ID), the page forms' non-text fields named `…_id`."""
    found = set()
    for model in _subclasses(ApiModel):
        properties = model.model_json_schema().get("properties", {})
        for name, field in model.model_fields.items():
            schema = properties.get(field.alias or name, {})
            bounds = [schema, *schema.get("anyOf", [])]
            if any(b.get("minimum") == 1 and b.get("maximum") == MAX_ID for b in bounds):
                found.add(f"api {model.__qualname__}.{name}")
    for form in _subclasses(ChineseForm):
        for name in dir(form):
            field = getattr(form, name, None)
            if isinstance(field, UnboundField) and name.endswith("_id") and field.field_class is not StringField:
                found.add(f"form {form.__qualname__}.{name}")
    return found


def _subclasses(cls: type) -> set[type]:
    direct = set(cls.__subclasses__())
    return direct.union(*(_subclasses(c) for c in direct))


def probe_field(caller: Caller, world: World, key: str, probe: FieldProbe, failures: list[str]) -> None:
    owner, sender = world.sides[OWNING_SIDE], world.sides[ATTACKING_SIDE]
    who = probe.who if "@" in probe.who else f"{probe.who}@{ATTACKING_SIDE}"
    caller.act_as(who)
    theirs, own = probe.names(owner), (probe.control or probe.names)(sender)
    named_before = probe.naming(theirs) if probe.naming else None
    request, path = probe.send(theirs, sender), probe.path if isinstance(probe.path, str) else probe.path(sender)
    before = database_digest()
    answer = caller.send(probe.method, path, request)
    where = f"{key}: {who} {probe.method} {path} naming {theirs}"
    if probe.expect == "ignored":
        if probe.naming(theirs) != named_before:
            failures.append(f"{where}: the other side's object was linked to")
    elif changed := changed_tables(before):
        failures.append(f"{where}: written: {changed}")
    if not _as_expected(probe.expect, answer):
        failures.append(
            f"{where}: {answer.verdict}{' (form error)' if answer.form_error else ''}, expected: {probe.expect}"
        )
    control = caller.send(probe.method, path, probe.send(own, sender))
    if control.refused or control.form_error or (probe.expect == "empty" and not control.items):
        failures.append(f"{key}: the control with the sender's own {own} did not go through: {control.verdict}")


def _as_expected(expect: str, answer: Answer) -> bool:
    return {
        "not found": answer.verdict == "not found",
        "refused": answer.refused or answer.form_error,
        "empty": answer.status == 200 and answer.items == 0,
        "ignored": True,
    }[expect]


def test_ids_in_forms_bodies_and_query_strings_name_only_the_senders_own_objects(app, caller, world):
    # given: every id field of the request models and page forms, each with its probe
    fields = id_fields()
    assert len(fields) >= 8  # the discovery found the fields (a broken one would pass vacuously)
    failures = [
        f"{key}: the sweep has no probe for this id field; add one to FIELD_PROBES (or OPEN_FIELDS, with the reason)"
        for key in sorted(fields - FIELD_PROBES.keys() - OPEN_FIELDS.keys())
    ]
    failures += [f"{key}: probed, yet no longer an id field" for key in sorted(FIELD_PROBES.keys() - fields)]
    # when / then: each field names the other side's object, then the sender's own
    for key, probe in FIELD_PROBES.items():
        probe_field(caller, world, key, probe, failures)
    assert failures == [], "\n".join(failures)

"""Two mirror-image worlds for the IDOR sweep (tests/idor/test_urls.py): side A and side B each
have a unit with its buyer, admin, union officer and employee, a supplier with its account, a
finance officer and an agriculture officer of their own region, and one object of every kind the
routes take ids of (orders in several states, cart lines, a checkout waiting for approval,
listings under review and on sale with their photos and evidence, an application for the platform
with its licence, a product request, an import job). The platform and cooperative operators are
staff of both sides.

`KINDS` maps a URL variable name to the objects of one side it may name; `ENDPOINT_KINDS` overrides
it where one endpoint's argument names something else (the storefront shows listings on sale to
everyone). A route whose variable is in neither fails the sweep: adding a kind is one line, e.g.
``"shipment_id": Kind(owned(Shipment, Shipment.order_id, "orders"), SUPPLIER)``.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from catalog.domain import EntityType, ListingInput, SourceProgram
from catalog.models import PriceEvidence, Product, ProductPhoto, Supplier, SupplierDocument
from catalog.services import imports, listings, onboarding
from catalog.services import requests as product_requests
from fulfillment.domain import AftersalesStatus
from fulfillment.models import AcceptancePhoto, AftersalesCase, AftersalesPhoto, Evaluation, LineFulfillment, Payable
from fulfillment.services import evaluations
from mall import clock, uploads
from mall.accounts.domain import ROLE_LABELS, Role
from mall.accounts.models import User
from mall.extensions import db
from mall.units.domain import make_credit_code
from mall.units.models import Unit
from orders import services as order_services
from orders.domain import OrderStatus, PaymentMode, Purpose
from orders.models import CartLine, Checkout, Order, OrderLine
from tests.catalog.test_import import GOOD, csv_bytes
from tests.factories import (
    make_accepted_order,
    make_address,
    make_aftersales_case,
    make_cart_line,
    make_category,
    make_delivered_order,
    make_eligible_county,
    make_order,
    make_payment_card,
    make_purchase_settings,
    make_region,
    make_shipped_order,
    make_supplier,
    make_supplier_user,
    make_unit,
    make_user,
)
from tests.files import PDF_BYTES, PNG_BYTES

UNIT_ROLES = (Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER, Role.EMPLOYEE)
STAFF_ROLES = (Role.PLATFORM_OPERATOR, Role.COOP_OPERATOR)


@dataclass(frozen=True)
class Layout:
    """Where a side lives: its unit's county, its officers' city, its supplier's and its
    applicant's counties (each an eligible origin)."""

    label: str
    unit_region: str
    officer_region: str
    supplier_region: str
    applicant_region: str
    served_by_coop: bool  # B's supplier lists through the cooperative: its operator's control case


LAYOUTS = (
    Layout(
        "A",
        unit_region="370102",
        officer_region="370100",
        supplier_region="621102",
        applicant_region="370124",
        served_by_coop=False,
    ),
    Layout(
        "B",
        unit_region="371321",
        officer_region="371300",
        supplier_region="621121",
        applicant_region="371322",
        served_by_coop=True,
    ),
)


@dataclass
class Side:
    label: str
    unit: Unit
    supplier: Supplier
    users: dict[str, User]  # role value → its user on this side
    objects: dict[str, object] = field(default_factory=dict)  # what the kinds below pick from


@dataclass
class World:
    sides: dict[str, Side]
    staff: dict[str, User]  # role value → the one user of that role serving every side

    def users(self) -> dict[str, User]:
        every = {f"{who}@{s.label}": user for s in self.sides.values() for who, user in s.users.items()}
        return every | {f"{who}@staff": user for who, user in self.staff.items()}


# ---- the registry of id kinds -------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a URL variable names, for one side: `make(side)` → the ids of the side's objects of
    that kind (several states where states matter); `owners(id)`: the roles of the object's own
    side that may act on it by some route (its other users must be refused, though they may
    learn it exists); `staff`: the staff roles that may use them on every side; `public(side)`:
    ids anyone may see on this route (the hidden ones are `make`'s)."""

    make: Callable[[Side], list[int]]
    owners: Callable[[int], frozenset[str]]
    staff: frozenset[str] = frozenset({Role.PLATFORM_OPERATOR.value})
    public: Callable[[Side], list[int]] | None = None


def roles(*held: Role) -> Callable[[int], frozenset[str]]:
    return lambda _id: frozenset(r.value for r in held)


# DOMAIN.md, roles: the unit's cart is its buyers' (and admin's); the union officer handles
# welfare only; an employee's personal cart is theirs alone.
LINE_OWNERS = {
    Purpose.CANTEEN: roles(Role.BUYER, Role.UNIT_ADMIN),
    Purpose.UNION: roles(Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER),
    Purpose.PERSONAL: roles(Role.EMPLOYEE),
}


def line_owners(line_id: int) -> frozenset[str]:
    return LINE_OWNERS[db.session.get(CartLine, line_id).purpose](line_id)


def picked(name: str, *keys: str) -> Callable[[Side], list[int]]:
    """The ids of the side's objects stored under `name` (all of them, or those under `keys`)."""

    def make(side: Side) -> list[int]:
        found = side.objects[name]
        chosen = [found[k] for k in keys] if keys else list(found.values()) if isinstance(found, dict) else [found]
        return [o.id for o in chosen]

    return make


def owned(model, column: InstrumentedAttribute, name: str, *where) -> Callable[[Side], list[int]]:
    """The ids of `model` rows whose `column` is one of the side's `name` objects' ids (a
    shipment of one of the side's orders: ``owned(Shipment, Shipment.order_id, "orders")``)."""

    def make(side: Side) -> list[int]:
        parents = picked(name)(side)
        return list(db.session.scalars(select(model.id).where(column.in_(parents), *where).order_by(model.id)))

    return make


def nothing(side: Side) -> list[int]:
    return []


UNIT_MEMBERS = roles(Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER)


def managed_by_unit_admin(user_id: int) -> frozenset[str]:
    """DOMAIN.md, roles: a unit admin manages its unit's buyers (and union officers), not its peers."""
    managed = db.session.get(User, user_id).roles <= {Role.BUYER, Role.UNION_OFFICER}
    return roles(Role.UNIT_ADMIN)(user_id) if managed else frozenset()


def order_owners(order_id: int) -> frozenset[str]:
    """The unit's orders are its buyers', admin's and union officer's to see; an employee's
    personal order is theirs alone (the supplier's and finance's routes say so for themselves)."""
    personal = db.session.get(Order, order_id).purpose is Purpose.PERSONAL
    return (roles(Role.EMPLOYEE) if personal else UNIT_MEMBERS)(order_id)


SUPPLIER = roles(Role.SUPPLIER)
UNIT_AND_SUPPLIER = roles(Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER, Role.SUPPLIER)


def acceptance_photos(side: Side) -> list[int]:
    """Photos of goods rejected at acceptance of the side's orders."""
    return list(
        db.session.scalars(
            select(AcceptancePhoto.id)
            .join(LineFulfillment, LineFulfillment.order_line_id == AcceptancePhoto.order_line_id)
            .where(LineFulfillment.order_id.in_(picked("orders")(side)))
            .order_by(AcceptancePhoto.id)
        )
    )


def case_owners(case_id: int) -> frozenset[str]:
    """A case is its order's unit users' who may act on the order's purpose, and the supplier's."""
    return order_owners(db.session.get(AftersalesCase, case_id).order_id) | SUPPLIER(case_id)


def case_actors(case_id: int) -> frozenset[str]:
    """Who of the unit may take a case to arbitration: those who may act on the order's purpose."""
    order = db.session.get(Order, db.session.get(AftersalesCase, case_id).order_id)
    return LINE_OWNERS[order.purpose](case_id)


def photo_case_owners(photo_id: int) -> frozenset[str]:
    return case_owners(db.session.get(AftersalesPhoto, photo_id).case_id)


def own_supplier(side: Side) -> list[int]:
    return [side.supplier.id]


PAYABLE_READERS = roles(Role.UNIT_ADMIN, Role.FINANCE_OFFICER, Role.SUPPLIER)
COUNTY = roles(Role.AGRI_OFFICER)  # the county's recommendation, then the platform's review
KINDS: dict[str, Kind] = {
    "order_id": Kind(picked("orders"), order_owners),
    "checkout_id": Kind(picked("checkouts"), roles(Role.UNIT_ADMIN)),
    "line_id": Kind(picked("cart_lines"), line_owners),
    "product_id": Kind(picked("listings"), SUPPLIER),
    "photo_id": Kind(owned(ProductPhoto, ProductPhoto.product_id, "listings"), SUPPLIER),
    "evidence_id": Kind(owned(PriceEvidence, PriceEvidence.product_id, "listings", PriceEvidence.path != ""), SUPPLIER),
    "job_id": Kind(picked("import_jobs"), SUPPLIER),
    "request_id": Kind(
        picked("product_requests"),
        UNIT_MEMBERS,
        staff=frozenset({Role.PLATFORM_OPERATOR.value, Role.COOP_OPERATOR.value}),
    ),
    "supplier_id": Kind(picked("applicants"), COUNTY),
    "doc_id": Kind(owned(SupplierDocument, SupplierDocument.supplier_id, "applicants"), COUNTY),
    "user_id": Kind(picked("members"), roles(Role.UNIT_ADMIN)),  # a unit admin sees its unit's accounts
    "unit_id": Kind(picked("units"), roles(Role.UNIT_ADMIN)),
    "evaluation_id": Kind(owned(Evaluation, Evaluation.order_id, "orders"), SUPPLIER),
    "acceptance_photo_id": Kind(acceptance_photos, UNIT_AND_SUPPLIER),
    # After-sales: the operator arbitrates (and settles refused refunds) on every side.
    "case_id": Kind(owned(AftersalesCase, AftersalesCase.order_id, "orders"), case_owners),
    "aftersales_photo_id": Kind(owned(AftersalesPhoto, AftersalesPhoto.case_id, "cases"), photo_case_owners),
    # A payable is its unit admin's, its region's finance officer's and its supplier's (no staff).
    "payable_id": Kind(owned(Payable, Payable.order_id, "orders"), PAYABLE_READERS, staff=frozenset()),
}

_ON_SALE = picked("listings", "approved")
_PUBLIC_PHOTOS = owned(ProductPhoto, ProductPhoto.product_id, "on_sale")
ENDPOINT_KINDS: dict[tuple[str, str], Kind] = {
    # The storefront shows a listing on sale to everyone; one under review to no one.
    # The supplier's view of its orders; the finance office's confirmation of a bank transfer.
    ("orders_manage.supplier_order_show", "order_id"): Kind(picked("orders"), SUPPLIER),
    ("orders_manage.transfer_mark_paid", "order_id"): Kind(picked("orders"), roles(Role.FINANCE_OFFICER)),
    # Shipping: the supplier's accounts (and the cooperative's operator, for the suppliers it serves).
    ("shipping.ship", "order_id"): Kind(picked("orders"), SUPPLIER, staff=frozenset()),
    ("shipping_api.shipment_create", "order_id"): Kind(picked("orders"), SUPPLIER, staff=frozenset()),
    # ... and disables, or revokes the API tokens of, its buyers and union officers only.
    ("accounts.manage_user_active", "user_id"): Kind(picked("members"), managed_by_unit_admin),
    ("accounts.manage_user_tokens_revoke", "user_id"): Kind(picked("members"), managed_by_unit_admin),
    ("catalog.product_show", "product_id"): Kind(picked("listings", "pending"), SUPPLIER, public=_ON_SALE),
    ("catalog.product_photo", "product_id"): Kind(picked("listings", "pending"), SUPPLIER, public=_ON_SALE),
    ("catalog_api.product_show", "product_id"): Kind(picked("listings", "pending"), SUPPLIER, public=_ON_SALE),
    ("catalog_manage.photo_file", "photo_id"): Kind(
        owned(ProductPhoto, ProductPhoto.product_id, "hidden_listings"), SUPPLIER, public=_PUBLIC_PHOTOS
    ),
    # The directory of budget units (name, credit code, place in the tree), as /units lists it,
    # is open to every signed-in user; what a unit buys and files is not (other unit_id routes).
    ("units.unit_show", "unit_id"): Kind(nothing, UNIT_MEMBERS, public=picked("units")),
    # A supplier's scorecard is open to every signed-in user (a supplier's account reads its own
    # only); its standing page, suspension and lifting are the platform operator's.
    ("fulfillment_acceptance_api.supplier_scorecard", "supplier_id"): Kind(nothing, SUPPLIER, public=own_supplier),
    # A refused case goes to arbitration by the unit's users who may act on the order's purpose.
    **{
        (endpoint, "case_id"): Kind(owned(AftersalesCase, AftersalesCase.order_id, "orders"), case_actors)
        for endpoint in ("aftersales.case_escalate", "aftersales_api.case_escalate")
    },
    # Only the unit admin records a payment.
    **{
        (endpoint, "payable_id"): Kind(
            owned(Payable, Payable.order_id, "orders"), roles(Role.UNIT_ADMIN), staff=frozenset()
        )
        for endpoint in ("payables.payable_pay", "payables_api.payable_pay")
    },
    **{
        (f"fulfillment_acceptance.{endpoint}", "supplier_id"): Kind(own_supplier, roles())
        for endpoint in ("standing_show", "standing_suspend", "standing_lift")
    },
}


def _tracking_no() -> str:
    return f"SF{next(_tracking):013d}"


def _line_ids(order_id: int) -> list[int]:
    return list(db.session.scalars(select(OrderLine.id).where(OrderLine.order_id == order_id).order_by(OrderLine.id)))


def _parcel(order_id: int) -> dict:
    """A parcel holding one of each line of the order (a valid shipment, but for the order's id)."""
    return {
        "carrier": "sf",
        "tracking_no": _tracking_no(),
        "lines": [{"order_line_id": i, "quantity": 1} for i in _line_ids(order_id)],
    }


_tracking = itertools.count(1)
# What a route needs besides its id to go through (JSON, or a page's form fields), given that id:
# merged over the sweep's generic body, so that a refusal is the id's and not the body's.
BODIES: dict[str, Callable[[int], dict]] = {
    "shipping_api.shipment_create": _parcel,
    "shipping.ship": lambda order_id: {"carrier": "sf", "tracking_no": _tracking_no()},
    "aftersales_api.case_open": lambda order_id: {
        "kind": "refund",
        "lines": [{"order_line_id": i, "quantity": 1} for i in _line_ids(order_id)],
    },
    "aftersales.case_new": lambda order_id: {"kind": "refund"} | {f"qty-{i}": "1" for i in _line_ids(order_id)},
    "aftersales_api.case_answer": lambda _id: {"agree": False},
    "aftersales.case_answer": lambda _id: {"decision": "refuse"},
    "aftersales_api.case_decide": lambda _id: {"ruling": "for_supplier"},
    "aftersales.case_decide": lambda _id: {"ruling": "for_supplier"},
}


def kind_for(endpoint: str, name: str) -> Kind | None:
    return ENDPOINT_KINDS.get((endpoint, name)) or KINDS.get(name)


# What the id fields of forms, bodies and query strings name (tests/idor/test_urls.py, FIELD_PROBES).


def pending_listing(side: Side) -> int:
    return side.objects["listings"]["pending"].id


def on_sale_listing(side: Side) -> int:
    return side.objects["listings"]["approved"].id


def paid_order_line(side: Side) -> int:
    return side.objects["orders"]["paid"].lines[0].id


def accepted_order_line(side: Side) -> int:
    return side.objects["orders"]["accepted"].lines[0].id


def delivered_order_line(side: Side) -> int:
    return side.objects["orders"]["delivered"].lines[0].id


def address(side: Side) -> int:
    return side.objects["addresses"].id


def supplier(side: Side) -> int:
    return side.supplier.id


def unit(side: Side) -> int:
    return side.unit.id


def checkout(side: Side) -> int:
    return side.objects["checkouts"].id


def private_marks(side: Side) -> dict[str, str]:
    """Text that shows one of the side's private objects (what → the text): no page or answer
    may show it to a user of the other side."""
    marks = {f"order {o.id}": o.number for o in side.objects["orders"].values()}
    marks["listing under review"] = side.objects["listings"]["pending"].sku
    marks["address"] = side.objects["addresses"].detail
    marks["product request"] = side.objects["product_requests"].name
    marks["application"] = side.objects["applicants"].name
    marks["after-sales case"] = side.objects["cases"].reason
    marks |= {f"{role} account": side.users[role].display_name for role in (r.value for r in UNIT_ROLES)}
    return marks


# ---- building the worlds -------------------------------------------------------------------------


def build_world() -> World:
    make_category("dried", "干货")
    staff = {role.value: make_user(role) for role in STAFF_ROLES}
    sides = {layout.label: _side(layout) for layout in LAYOUTS}
    db.session.commit()
    for side in sides.values():
        _listings(side, staff[Role.PLATFORM_OPERATOR.value])
        _unit_objects(side)
        _orders(side)
        db.session.commit()
    return World(sides=sides, staff=staff)


def _side(layout: Layout) -> Side:
    for county in (layout.supplier_region, layout.applicant_region):
        make_eligible_county(county, is_provincial_key=county.startswith("37"))
    make_region(layout.officer_region)
    unit = make_unit(region_code=layout.unit_region, name=f"测试单位{layout.label}")
    supplier = make_supplier(
        region_code=layout.supplier_region,
        name=f"定西测试农业有限公司{layout.label}",
        served_by_coop=layout.served_by_coop,
    )
    users = {
        role.value: make_user(role, unit=unit, display_name=f"{ROLE_LABELS[role]}{layout.label}") for role in UNIT_ROLES
    }
    users[Role.SUPPLIER.value] = make_supplier_user(supplier)
    for role in (Role.FINANCE_OFFICER, Role.AGRI_OFFICER):
        users[role.value] = make_user(role, region_code=layout.officer_region)
    side = Side(label=layout.label, unit=unit, supplier=supplier, users=users)
    side.objects["units"] = unit
    # Accounts of the unit: a buyer its admin manages, and a second admin it only sees.
    colleague = make_user(Role.UNIT_ADMIN, unit=unit, display_name=f"另一位单位管理员{layout.label}")
    side.objects["members"] = {"buyer": users[Role.BUYER.value], "colleague": colleague}
    side.objects["layout"] = layout
    return side


def _listing(side: Side, sku: str) -> Product:
    return listings.create_listing(
        db.session,
        actor=side.users[Role.SUPPLIER.value],
        supplier_id=None,
        data=ListingInput(
            sku=sku,
            title=f"定西土豆粉条 {sku}",
            category_slug="dried",
            spec="2.5kg/箱",
            sale_unit="箱",
            price_fen=5_200,
            stock_qty=300,
            origin_county_code=side.supplier.region_code,
            program=SourceProgram.COUNTERPART,
        ),
        evidence_urls=["https://www.fupin832.com/goods/1"],
        evidence_files=[(io.BytesIO(PDF_BYTES), "比价截图.pdf")],
        photos=[(io.BytesIO(PNG_BYTES), "photo.png")],
    )


def _listings(side: Side, operator: User) -> None:
    """A listing on sale and one under review; an application; an import job; a product request."""
    label, layout = side.label, side.objects["layout"]
    approved = _listing(side, f"IDOR-{label}-1")
    listings.approve_listing(db.session, actor=operator, product_id=approved.id)
    pending = _listing(side, f"IDOR-{label}-2")
    side.objects["listings"] = {"approved": approved, "pending": pending}
    side.objects["on_sale"], side.objects["hidden_listings"] = approved, pending
    side.objects["applicants"] = onboarding.apply(
        db.session,
        name=f"沂蒙山测试申请合作社{label}",
        credit_code=make_credit_code(registrar="93", region_code=layout.applicant_region, serial=f"W{label}0000001"),
        region_code=layout.applicant_region,
        entity_type=EntityType.COOPERATIVE,
        contact_name="李申请",
        contact_phone="13912345678",
        licences=[(io.BytesIO(PDF_BYTES), "营业执照.pdf")],
    )
    side.objects["import_jobs"] = imports.queue_import(
        db.session,
        actor=side.users[Role.SUPPLIER.value],
        data=_import_file(side),
        filename="goods.csv",
        supplier_id=None,
        good_rows_only=False,
    )
    side.objects["product_requests"] = product_requests.create_request(
        db.session,
        actor=side.users[Role.BUYER.value],
        name=f"沂蒙山小米{side.label}型",
        spec="5kg/袋",
        quantity=20,
        wanted_by=None,
    )


def _import_file(side: Side) -> bytes:
    county = side.supplier.region_code
    return csv_bytes([GOOD | {"商品编码": f"IDOR-{side.label}-{i}", "产地县代码": county} for i in range(3)])


def _unit_objects(side: Side) -> None:
    unit, users = side.unit, side.users
    side.objects["addresses"] = make_address(unit, detail=f"山东省济南市历下区省府前街{side.label}号机关食堂后门")
    side.objects["cards"] = {
        "unit": make_payment_card(unit),
        "personal": make_payment_card(unit, user=users[Role.EMPLOYEE.value]),
    }


def _evaluated(side: Side, mine: dict) -> Order:
    """An order accepted with one unit rejected and photographed, then evaluated by its buyer."""
    order = make_accepted_order(**mine, rejected={0: 1})
    path = uploads.store_bytes(db.session, f"acceptance/{order.id}", "box.png", PNG_BYTES)
    db.session.add(
        AcceptancePhoto(
            order_line_id=order.lines[0].id,
            path=path,
            content_type="image/png",
            uploaded_by_id=order.buyer_id,
            created_at=clock.now(),
        )
    )
    db.session.commit()
    buyer = side.users[Role.BUYER.value]
    evaluations.evaluate_order(db.session, actor=buyer, order_id=order.id, quality=4, timeliness=4, service=4, price=4)
    return order


def _owing(side: Side, mine: dict) -> tuple[Order, AftersalesCase]:
    """A transfer order accepted and not paid (its payable due), with an after-sales case the
    supplier refused (the buyer may escalate it) and the case's photo."""
    order = make_accepted_order(**mine, payment_mode=PaymentMode.TRANSFER)
    case = make_aftersales_case(order, reason=f"到货后发现第{side.label}批受潮发霉", status=AftersalesStatus.REFUSED)
    path = uploads.store_bytes(db.session, f"aftersales/{order.id}", "mould.png", PNG_BYTES)
    db.session.add(
        AftersalesPhoto(
            case_id=case.id, path=path, content_type="image/png", uploaded_by_id=order.buyer_id, created_at=clock.now()
        )
    )
    db.session.commit()
    return order, case


def _orders(side: Side) -> None:
    """Orders of the side's unit from the side's supplier, in several states; a checkout waiting
    for the unit admin; lines left in the unit's cart and in the employee's own."""
    users, supplier = side.users, side.supplier
    buyer, product = users[Role.BUYER.value], side.objects["listings"]["approved"]
    mine = {"buyer": buyer, "supplier": supplier, "products": [product], "quantities": [2]}
    side.objects["orders"] = {
        "transfer": make_order(**mine, payment_mode=PaymentMode.TRANSFER),
        "paid": make_order(**mine),
        "union": make_order(**mine | {"buyer": users[Role.UNION_OFFICER.value]}, purpose=Purpose.UNION),
        "shipped": make_shipped_order(**mine),
        "delivered": make_delivered_order(**mine),
        "accepted": make_accepted_order(**mine),
        "cancelled": make_order(**mine, status=OrderStatus.CANCELLED),
        "personal": make_order(**mine | {"buyer": users[Role.EMPLOYEE.value]}, purpose=Purpose.PERSONAL),
    }
    side.objects["orders"]["evaluated"] = _evaluated(side, mine)
    side.objects["orders"]["owing"], side.objects["cases"] = _owing(side, mine)
    make_purchase_settings(side.unit, approval_threshold_fen=0)
    make_cart_line(buyer, product, quantity=3)
    db.session.commit()
    waiting = order_services.CheckoutRequest(
        address_id=side.objects["addresses"].id, payment_mode="transfer", expected_total_fen=15_600
    )
    order_services.checkout(db.session, actor=buyer, request=waiting, idempotency_key=f"idor-{side.label}")
    side.objects["checkouts"] = db.session.scalar(
        select(Checkout).where(Checkout.unit_id == side.unit.id).order_by(Checkout.id.desc())
    )
    side.objects["orders"]["waiting"] = db.session.scalar(
        select(Order).where(Order.checkout_id == side.objects["checkouts"].id)
    )
    side.objects["cart_lines"] = {
        "unit": make_cart_line(buyer, product, quantity=4),
        "union": make_cart_line(users[Role.UNION_OFFICER.value], product, quantity=2, purpose=Purpose.UNION),
        "personal": make_cart_line(users[Role.EMPLOYEE.value], product, quantity=1, purpose=Purpose.PERSONAL),
    }

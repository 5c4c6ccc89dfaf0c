"""A small mall with one object of every kind and one user of every role, for the tests that walk
every route by themselves (tests/test_route_walk.py): whatever route is added, its id arguments
are filled from here (by name, or by the table the name points to) and every role requests it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from catalog.domain import EntityType, ListingInput, SourceProgram
from catalog.models import Category, PriceEvidence, Product, ProductPhoto, SupplierDocument
from catalog.services import imports, listings, onboarding
from catalog.services import requests as product_requests
from fulfillment import services as fulfillment_services
from mall import uploads
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.extensions import db
from mall.units.domain import make_credit_code
from orders import services as order_services
from orders.domain import PaymentMode, Purpose
from orders.models import CartLine, Checkout, Order
from tests.catalog.test_import import GOOD, csv_bytes
from tests.factories import (
    make_accepted_order,
    make_address,
    make_cart_line,
    make_category,
    make_eligible_county,
    make_payment_card,
    make_product,
    make_purchase_settings,
    make_region,
    make_supplier,
    make_supplier_user,
    make_unit,
    make_user,
)
from tests.files import PDF_BYTES, PNG_BYTES

ANONYMOUS = "anonymous"
ARGUMENT_RE = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")


@dataclass
class World:
    users: dict[str, User | None]  # role (or "anonymous") → who requests as that role
    ids: dict[str, object] = field(default_factory=dict)  # route argument name → a real value


def build_world(app: Flask) -> World:
    """Every kind of object the routes name, made through the services where one exists."""
    make_category("dried", "干货")
    make_region("370000", name="山东省")
    make_region("371321", name="沂南县", is_provincial_key=True)
    county = make_eligible_county("621102")
    supplier = make_supplier(region_code=county.code, served_by_coop=True)
    unit = make_unit(region_code="370102")
    users: dict[str, User | None] = {
        ANONYMOUS: None,
        Role.BUYER.value: make_user(Role.BUYER, unit=unit),
        Role.UNIT_ADMIN.value: make_user(Role.UNIT_ADMIN, unit=unit),
        Role.UNION_OFFICER.value: make_user(Role.UNION_OFFICER, unit=unit),
        Role.EMPLOYEE.value: make_user(Role.EMPLOYEE, unit=unit),
        Role.SUPPLIER.value: make_supplier_user(supplier),
        Role.COOP_OPERATOR.value: make_user(Role.COOP_OPERATOR),
        Role.PLATFORM_OPERATOR.value: make_user(Role.PLATFORM_OPERATOR),
        Role.FINANCE_OFFICER.value: make_user(Role.FINANCE_OFFICER, region_code="370000"),
        Role.AGRI_OFFICER.value: make_user(Role.AGRI_OFFICER, region_code="371300"),
        Role.SASAC_OFFICER.value: make_user(Role.SASAC_OFFICER, region_code="370000"),
    }
    target = make_user(Role.BUYER, unit=unit, display_name="被管理的账号")  # the accounts pages' object
    make_address(unit)
    make_payment_card(unit)
    make_payment_card(unit, user=users[Role.EMPLOYEE.value])
    key_supplier = make_supplier(region_code="371321")
    make_product(supplier=key_supplier, title="沂南黄桃罐头")
    on_sale = make_product(supplier=supplier, title="定西马铃薯宽粉", stock_qty=500)
    db.session.commit()

    owner, operator = users[Role.SUPPLIER.value], users[Role.PLATFORM_OPERATOR.value]
    shown = _submitted_listing(owner, "DX-WALK-1")
    listings.approve_listing(db.session, actor=operator, product_id=shown.id)
    _submitted_listing(owner, "DX-WALK-2")  # waits for review
    applicant = onboarding.apply(
        db.session,
        name="定西市安定区测试申请合作社",
        credit_code=make_credit_code(registrar="93", region_code=county.code, serial="WALK00001"),
        region_code=county.code,
        entity_type=EntityType.COOPERATIVE,
        contact_name="李申请",
        contact_phone="13912345678",
        licences=[(io.BytesIO(PDF_BYTES), "营业执照.pdf")],
    )
    request = product_requests.create_request(
        db.session, actor=users[Role.BUYER.value], name="沂蒙山小米", spec="5kg/袋", quantity=20, wanted_by=None
    )
    job = imports.queue_import(
        db.session,
        actor=owner,
        data=_import_file(),
        filename="goods.csv",
        supplier_id=None,
        good_rows_only=False,
    )
    _orders(users, unit, on_sale)
    db.session.commit()
    _fulfillment(users, supplier, on_sale)

    world = World(users=users)
    world.ids = {
        "product_id": shown.id,
        "photo_id": db.session.scalar(select(ProductPhoto.id).where(ProductPhoto.product_id == shown.id)),
        "evidence_id": db.session.scalar(select(PriceEvidence.id).where(PriceEvidence.path != "")),
        "supplier_id": applicant.id,
        "doc_id": db.session.scalar(select(SupplierDocument.id)),
        "user_id": target.id,
        "unit_id": unit.id,
        "job_id": job.id,
        "request_id": request.id,
        "order_id": db.session.scalar(select(Order.id).order_by(Order.id)),
        "checkout_id": db.session.scalar(select(Checkout.id).order_by(Checkout.id.desc())),
        "line_id": db.session.scalar(select(CartLine.id).order_by(CartLine.id)),
        "slug": db.session.scalar(select(Category.slug)),
        "code": [county.code, "620000"],  # a county, a province
        "program": SourceProgram.COUNTERPART.value,
        "carrier": "sf",  # the carriers' webhook (unsigned calls: 401)
    }
    return world


def _submitted_listing(owner: User, sku: str) -> Product:
    return listings.create_listing(
        db.session,
        actor=owner,
        supplier_id=None,
        data=ListingInput(
            sku=sku,
            title=f"定西土豆粉条 {sku}",
            category_slug="dried",
            spec="2.5kg/箱",
            sale_unit="箱",
            price_fen=5_200,
            stock_qty=300,
            origin_county_code="621102",
            program=SourceProgram.COUNTERPART,
        ),
        evidence_urls=["https://www.fupin832.com/goods/1"],
        evidence_files=[(io.BytesIO(PDF_BYTES), "比价截图.pdf")],
        photos=[(io.BytesIO(PNG_BYTES), "photo.png")],
    )


def _import_file() -> bytes:
    return csv_bytes([GOOD | {"商品编码": f"IMP-{i}"} for i in range(30)])


def _orders(users: dict[str, User | None], unit, product: Product) -> None:
    """A placed transfer order, a checkout waiting for the admin, and lines left in both carts."""
    buyer, employee = users[Role.BUYER.value], users[Role.EMPLOYEE.value]
    address = make_address(unit, is_default=False)
    make_cart_line(buyer, product, quantity=2)
    db.session.commit()
    placed = order_services.CheckoutRequest(address_id=address.id, payment_mode="transfer", expected_total_fen=5_360)
    order_services.checkout(db.session, actor=buyer, request=placed, idempotency_key="walk-1")
    make_purchase_settings(unit, approval_threshold_fen=0)
    make_cart_line(buyer, product, quantity=3)
    db.session.commit()
    waiting = order_services.CheckoutRequest(address_id=address.id, payment_mode="transfer", expected_total_fen=8_040)
    order_services.checkout(db.session, actor=buyer, request=waiting, idempotency_key="walk-2")
    make_cart_line(buyer, product, quantity=4, purpose=Purpose.UNION)
    make_cart_line(employee, product, quantity=1, purpose=Purpose.PERSONAL)
    db.session.commit()


def _accepted_order(users: dict[str, User | None], supplier) -> None:
    """An order of the buyer's unit accepted with a rejection and its photo, then evaluated (the
    acceptance photo and evaluation routes' objects), and the supplier's monthly scorecards."""
    from fulfillment.domain import LineVerdict
    from fulfillment.services import acceptance, evaluations, standing
    from tests.factories import deliver_order, make_order, ship_order

    buyer = users[Role.BUYER.value]
    order = make_order(buyer=buyer, supplier=supplier, quantities=(6,))
    ship_order(order)
    deliver_order(order)
    db.session.commit()
    line_id = order.lines[0].id
    acceptance.accept_order(
        db.session,
        actor=buyer,
        order_id=order.id,
        verdicts=[LineVerdict(line_id, 5, 1, "破损")],
        photos={line_id: [(io.BytesIO(PNG_BYTES), "broken.png")]},
    )
    evaluations.evaluate_order(db.session, actor=buyer, order_id=order.id, quality=5, timeliness=4, service=5, price=4)
    standing.compute_scorecards(db.session)


def _aftersales(users: dict[str, User | None], supplier, product: Product) -> None:
    """An accepted transfer order (so a payable) with an after-sales case and its photo."""
    order = make_accepted_order(
        buyer=users[Role.BUYER.value],
        supplier=supplier,
        products=[product],
        quantities=(2,),
        payment_mode=PaymentMode.TRANSFER,
    )
    db.session.commit()
    photo = uploads.check_upload(
        io.BytesIO(PNG_BYTES), "破损.png", allowed=uploads.IMAGE_TYPES, max_bytes=uploads.MAX_IMAGE_BYTES
    )
    request = fulfillment_services.CaseRequest("refund", {order.lines[0].id: 1}, "外箱破损", [photo])
    fulfillment_services.open_case(db.session, actor=users[Role.BUYER.value], order_id=order.id, request=request)


def _fulfillment(users: dict[str, User | None], supplier, product: Product) -> None:
    _accepted_order(users, supplier)
    _aftersales(users, supplier, product)


# ---- filling a rule's arguments ----------------------------------------------------------------


def rule_arguments(rule: Rule) -> list[tuple[str, str, str]]:
    """(name, converter, converter arguments) of every variable part of a rule."""
    return [
        (m.group("name"), m.group("converter") or "default", m.group("args") or "")
        for m in ARGUMENT_RE.finditer(rule.rule)
    ]


def is_id_argument(converter: str, args: str) -> bool:
    return converter == "int" and not args


def fill_path(rule: Rule, values: dict[str, object]) -> str:
    def part(match: re.Match) -> str:
        return str(values[match.group("name")])

    return ARGUMENT_RE.sub(part, rule.rule)


def real_values(app: Flask, world: World, rule: Rule) -> list[dict[str, object]]:
    """Real values for a rule's arguments, one set per candidate (a region code may name a county
    or a province): the world's object of that name, else the smallest id of the table the name
    points to (`pool_id` → `pools`); [] when some argument has none."""
    values: dict[str, object] = {}
    for name, converter, args in rule_arguments(rule):
        if world.ids.get(name) is not None:
            values[name] = world.ids[name]
        elif converter == "int" and args:
            values[name] = int(re.search(r"min=(\d+)", args).group(1)) if "min=" in args else 0
        elif converter == "path":
            values[name] = _static_file(app, rule)
        elif is_id_argument(converter, args):
            values[name] = _smallest_id_for(name)
        if values.get(name) is None:
            return []
    several = {name: v for name, v in values.items() if isinstance(v, list)}
    if not several:
        return [values]
    name, candidates = next(iter(several.items()))
    return [values | {name: candidate} for candidate in candidates]


def _static_file(app: Flask, rule: Rule) -> str | None:
    blueprint = rule.endpoint.rpartition(".")[0]
    folder = app.blueprints[blueprint].static_folder if blueprint else app.static_folder
    files = sorted(p for p in Path(folder).rglob("*") if p.is_file()) if folder else []
    return files[0].relative_to(folder).as_posix() if files else None


def _smallest_id_for(name: str) -> int | None:
    noun = name.removesuffix("_id")
    for table in db.metadata.sorted_tables:
        if "id" in table.c and (table.name == noun + "s" or table.name.endswith("_" + noun + "s")):
            found = db.session.scalar(select(table.c.id).order_by(table.c.id).limit(1))
            if found is not None:
                return found
    return None


# ---- reading pages: forms and links ------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → the values the page would send
    kinds: dict[str, str] = field(default_factory=dict)  # name → input type, "select" or "textarea"
    choices: dict[str, list[str]] = field(default_factory=dict)  # select/radio/checkbox name → its values

    def signature(self) -> tuple[str, ...]:
        return tuple(sorted(self.fields))


class PageReader(HTMLParser):
    """The forms of a page (fields, values, choices) and the query argument names of its links."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.link_args: dict[str, set[str]] = {}  # a linked path → the query argument names its links carry
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "?" in a.get("href", ""):
            href = urlsplit(urljoin(self.page_url, a["href"]))
            self.link_args.setdefault(href.path, set()).update(parse_qs(href.query, keep_blank_values=True))
        elif tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._form = Form(method=(a.get("method") or "get").lower(), action=action)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "option" and self._select:
            self._form.choices[self._select].append(a.get("value", ""))
            if "selected" in a or not self._form.fields[self._select]:
                self._form.fields[self._select] = [a.get("value", "")]
        elif "disabled" in a or not a.get("name"):
            return
        elif tag == "input":
            self._input(a["name"], a.get("type", "text").lower(), a)
        elif tag == "select":
            self._select = a["name"]
            self._form.kinds[self._select], self._form.fields[self._select] = "select", []
            self._form.choices[self._select] = []
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.kinds[self._textarea], self._form.fields[self._textarea] = "textarea", [""]

    def _input(self, name: str, kind: str, a: dict[str, str]) -> None:
        form = self._form
        if kind in ("submit", "button", "image", "reset"):
            return
        form.kinds.setdefault(name, kind)
        values = form.fields.setdefault(name, [])
        if kind in ("checkbox", "radio"):
            form.choices.setdefault(name, []).append(a.get("value", "on"))
            if "checked" in a:
                values.append(a.get("value", "on"))
        elif kind != "file":
            values.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea][0] += data


def read_page(page_url: str, html: str) -> PageReader:
    reader = PageReader(page_url)
    reader.feed(html)
    return reader

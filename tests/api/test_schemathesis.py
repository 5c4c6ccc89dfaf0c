"""Schemathesis against the app's own OpenAPI document: every /api/v1 operation, fed generated input
(valid and invalid, at random ids and at the ids of real objects) as the role that uses it, never
answers 500, never answers outside its documented statuses and never breaks its documented schema.

Business rules beyond the shape (a minimum above the maximum, a quantity below the minimum order)
are refused with 400 although the shape is valid, so schemathesis's "valid data is accepted"
check is left out; every other check runs. SQLite only (the contract does not depend on the database); a bounded number of examples per
operation keeps the whole run near a minute on two cores.
"""

from __future__ import annotations

import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from catalog.domain import ProductStatus
from mall.accounts import services as account_services
from mall.accounts.domain import Role
from mall.api_docs import openapi_document
from mall.extensions import db
from orders.models import UnitAddress
from tests.conftest import make_test_app
from tests.factories import (
    make_cart_line,
    make_product,
    make_shopper,
    make_supplier,
    make_supplier_user,
    make_user,
)

EXAMPLES = 15  # per operation, mode and kind of id: ~30 operations × 2 × 2 × 15 requests


def _operations() -> list[tuple[str, str]]:
    app = make_test_app("sqlite://", tempfile.mkdtemp(prefix="mall-openapi-"))
    with app.app_context():
        paths = openapi_document()["paths"]
    return [(method, path) for path, item in sorted(paths.items()) for method in sorted(item)]


OPERATIONS = _operations()


@pytest.fixture
def world(app, db_kind, stripe):
    if db_kind != "sqlite":
        pytest.skip("the API contract is checked on SQLite")
    buyer = make_shopper(card=True, display_name="王晓梅")
    admin = make_user(Role.UNIT_ADMIN, unit=buyer.unit)
    supplier = make_supplier()
    owner = make_supplier_user(supplier)
    operator = make_user(Role.PLATFORM_OPERATOR)
    on_sale = make_product(supplier=supplier, title="定西马铃薯宽粉 2.5kg", stock_qty=500)
    pending = make_product(supplier=supplier, title="安定区土豆淀粉 1kg", status=ProductStatus.PENDING)
    make_cart_line(buyer, on_sale, quantity=2)
    db.session.commit()
    tokens = {user: account_services.issue_api_token(db.session, user=user) for user in (buyer, admin, owner, operator)}
    client = app.test_client()
    placed = client.post(
        "/api/v1/checkout",
        json={
            "address_id": db.session.query(UnitAddress.id).filter_by(unit_id=buyer.unit_id).scalar(),
            "payment_mode": "transfer",
            "expected_total_fen": 2 * on_sale.price_fen,
        },
        headers={"Authorization": f"Bearer {tokens[buyer]}", "Idempotency-Key": "world-1"},
    )
    assert placed.status_code == 201, placed.get_json()
    line = make_cart_line(buyer, on_sale, quantity=3)
    db.session.commit()
    order = placed.get_json()["orders"][0]
    return {
        "tokens": {
            "buyer": tokens[buyer],
            "admin": tokens[admin],
            "supplier": tokens[owner],
            "operator": tokens[operator],
        },
        "ids": {
            "product_id": pending.id,
            "line_id": line.id,
            "order_id": order["id"],
            "checkout_id": order["checkout_id"],
        },
    }


def role_for(method: str, path: str) -> str | None:
    """The demo role that uses an operation: review as the operator, listings as the supplier,
    approvals as the unit admin, the rest of a unit's purchasing as its buyer."""
    if path.endswith(("/approve", "/reject")) and path.startswith("/api/v1/listings"):
        return "operator"
    if path == "/api/v1/listings" and method == "get":
        return "operator"
    if path.startswith("/api/v1/listings") or path.endswith("/shipments"):
        return "supplier"
    if path.startswith("/api/v1/checkouts/"):
        return "admin"
    if path in ("/api/v1/auth/token", "/api/v1/openapi.json", "/api/v1/docs"):
        return None
    return "buyer"


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS])
def test_operation_keeps_its_documented_contract(app, world, method, path):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    role = role_for(method, path)
    headers = {"Authorization": f"Bearer {world['tokens'][role]}"} if role else {}
    real_ids = {name: value for name, value in world["ids"].items() if "{" + name + "}" in path}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for ids in ({}, real_ids) if real_ids else ({},):
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=ids or None)

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check_examples(case):
                case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

            try:
                check_examples()
            except Unsatisfiable:
                continue  # nothing left to make invalid once the real ids are fixed

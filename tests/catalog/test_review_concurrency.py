"""Reviews racing on PostgreSQL with real threads, each with its own app context, session and
connection: of two people acting on one listing, listing change, supplier, product request or
import job at once, exactly one wins; the other is told, and nothing of theirs is written (no
notification, audit event, search outbox row, note or role).

Each thread reads what it acts on, then waits for the other at its first write (`in_step`), so
both act on the same state every time, as two people would who opened the same page."""

import threading

import pytest
from sqlalchemy import func, select

from catalog.domain import ChangeStatus, ImportStatus, ProductStatus, RequestStatus, SupplierStatus
from catalog.models import ImportJob, ListingChange, Product, ProductRequest, SearchOutbox, Supplier
from catalog.services import imports, listings, onboarding
from catalog.services import requests as product_requests
from mall import transitions
from mall.accounts.domain import Role
from mall.accounts.models import User, UserRole
from mall.audit import AuditEvent
from mall.extensions import db
from mall.notifications import Notification
from tests.catalog.test_import import rows_of, xlsx
from tests.catalog.test_listings import listing
from tests.catalog.test_onboarding import application
from tests.factories import make_category, make_eligible_county, make_supplier, make_supplier_user, make_user
from tests.orders.test_concurrency import run_together

pytestmark = pytest.mark.postgresql


@pytest.fixture(autouse=True)
def in_step(monkeypatch):
    """Make each racing thread's first guarded write wait until both threads have read their
    state (the test's own set-up, on the main thread, goes straight through)."""
    barrier = threading.Barrier(2, timeout=30)
    local = threading.local()
    real_move = transitions.move

    def move(*args, **kwargs):
        racing = threading.current_thread() is not threading.main_thread()
        if racing and not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()
        return real_move(*args, **kwargs)

    monkeypatch.setattr(transitions, "move", move)
    return barrier


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audits(action_prefix: str) -> int:
    return count(AuditEvent, AuditEvent.action.like(action_prefix + "%"))


@pytest.fixture
def shop(app):
    make_category("dried", "干货")
    supplier = make_supplier(region_code="621102")
    owner = make_supplier_user(supplier)
    first, second = make_user(Role.PLATFORM_OPERATOR), make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    return {"owner": owner.id, "operators": (first.id, second.id)}


def _as(user_id: int) -> User:
    return db.session.get(User, user_id)


def _submit(shop, sku: str) -> int:
    product = listings.create_listing(
        db.session, actor=_as(shop["owner"]), supplier_id=None, data=listing(sku=sku), evidence_urls=["https://x.cn/1"]
    )
    return product.id


def test_approving_and_rejecting_one_listing_at_once_lets_exactly_one_through(app, shop):
    for round_no in range(3):
        # given a pending listing
        product_id = _submit(shop, f"DX-R{round_no}")
        outbox_before, reviews_before = count(SearchOutbox), audits("product.approve") + audits("product.reject")

        # when one operator approves while the other rejects
        def review(i: int, product_id: int = product_id) -> str:
            actor = _as(shop["operators"][i])
            if i == 0:
                listings.approve_listing(db.session, actor=actor, product_id=product_id)
            else:
                listings.reject_listing(db.session, actor=actor, product_id=product_id, reason="价格偏高")
            return "approved" if i == 0 else "rejected"

        results = run_together(app, 2, review)
        # then one wins, the other is told it changed meanwhile; the listing is as the winner left it
        winners = [r for r in results if r in ("approved", "rejected")]
        assert len(winners) == 1 and "changed_meanwhile" in results, results
        db.session.expire_all()
        product = db.session.get(Product, product_id)
        assert product.status is ProductStatus(winners[0])
        assert product.reject_reason == ("" if winners[0] == "approved" else "价格偏高")
        assert audits("product.approve") + audits("product.reject") == reviews_before + 1
        assert count(SearchOutbox) == outbox_before + 1


def test_approving_and_rejecting_one_price_change_at_once_applies_it_at_most_once(app, shop):
    for round_no in range(3):
        # given a listing on sale whose 30 % rise waits for review
        product_id = _submit(shop, f"DX-C{round_no}")
        listings.approve_listing(db.session, actor=_as(shop["operators"][0]), product_id=product_id)
        listings.edit_listing(
            db.session, actor=_as(shop["owner"]), product_id=product_id, data=listing(sku="x", price_fen=6_760)
        )
        before = audits("product.approve_change") + audits("product.reject")

        # when one operator approves the change while the other rejects it
        def review(i: int, product_id: int = product_id) -> str:
            actor = _as(shop["operators"][i])
            if i == 0:
                listings.approve_listing(db.session, actor=actor, product_id=product_id)
                return "approved"
            listings.reject_listing(db.session, actor=actor, product_id=product_id, reason="涨价无依据")
            return "rejected"

        results = run_together(app, 2, review)
        winners = [r for r in results if r in ("approved", "rejected")]
        assert len(winners) == 1 and "changed_meanwhile" in results, results
        db.session.expire_all()
        product = db.session.get(Product, product_id)
        change = db.session.scalar(select(ListingChange).where(ListingChange.product_id == product_id))
        assert change.status is ChangeStatus(winners[0])
        expected = (6_760, 6_760) if winners[0] == "approved" else (5_200, 5_200)
        assert (product.price_fen, product.reviewed_price_fen) == expected
        assert product.status is ProductStatus.APPROVED
        assert audits("product.approve_change") + audits("product.reject") == before + 1


def test_the_supplier_editing_while_the_operator_approves_never_gets_an_unreviewed_price_through(app, shop):
    for round_no in range(3):
        # given a new listing waiting for review at ¥52.00
        product_id = _submit(shop, f"DX-E{round_no}")

        # when the supplier raises it to ¥99.00 while the operator approves what it saw
        def act(i: int, product_id: int = product_id) -> str:
            if i == 0:
                listings.approve_listing(db.session, actor=_as(shop["operators"][0]), product_id=product_id)
                return "approved"
            listings.edit_listing(
                db.session, actor=_as(shop["owner"]), product_id=product_id, data=listing(sku="x", price_fen=9_900)
            )
            return "edited"

        results = run_together(app, 2, act)
        assert sorted(results) in (["approved", "changed_meanwhile"], ["changed_meanwhile", "edited"]), results
        db.session.expire_all()
        product = db.session.get(Product, product_id)
        # then either the operator approved the ¥52.00 it saw, or the rise waits for a new review
        if "approved" in results:
            assert (product.status, product.price_fen, product.reviewed_price_fen) == (
                ProductStatus.APPROVED,
                5_200,
                5_200,
            )
        else:
            assert (product.status, product.price_fen, product.reviewed_price_fen) == (
                ProductStatus.PENDING,
                9_900,
                None,
            )


@pytest.fixture
def applicant(app):
    make_eligible_county("621102", name="安定区")
    agri = make_user(Role.AGRI_OFFICER, region_code="621100")
    operators = (make_user(Role.PLATFORM_OPERATOR).id, make_user(Role.PLATFORM_OPERATOR).id)
    db.session.commit()
    supplier = onboarding.apply(db.session, **application())
    onboarding.recommend(db.session, actor=agri, supplier_id=supplier.id)
    return {"supplier": supplier.id, "operators": operators}


def test_a_supplier_approved_twice_at_once_is_approved_once(app, applicant):
    def approve(i: int) -> str:
        onboarding.approve(db.session, actor=_as(applicant["operators"][i]), supplier_id=applicant["supplier"])
        return "ok"

    results = run_together(app, 2, approve)
    assert sorted(results) == ["changed_meanwhile", "ok"], results
    db.session.expire_all()
    assert db.session.get(Supplier, applicant["supplier"]).status is SupplierStatus.APPROVED
    assert audits("supplier.approve") == 1
    assert count(Notification, Notification.text.like("%通过平台审核%")) == 1
    assert count(UserRole, UserRole.role == Role.SUPPLIER) == 1


def test_a_supplier_approved_and_declined_at_once_ends_one_way(app, applicant):
    def decide(i: int) -> str:
        actor = _as(applicant["operators"][i])
        if i == 0:
            onboarding.approve(db.session, actor=actor, supplier_id=applicant["supplier"])
            return "approved"
        onboarding.decline(db.session, actor=actor, supplier_id=applicant["supplier"], reason="资质不全")
        return "declined"

    results = run_together(app, 2, decide)
    winners = [r for r in results if r in ("approved", "declined")]
    assert len(winners) == 1 and "changed_meanwhile" in results, results
    db.session.expire_all()
    supplier = db.session.get(Supplier, applicant["supplier"])
    assert supplier.status is SupplierStatus(winners[0])
    assert supplier.decline_reason == ("资质不全" if winners[0] == "declined" else "")
    assert count(Notification) == 1
    assert count(UserRole, UserRole.role == Role.SUPPLIER) == (1 if winners[0] == "approved" else 0)


def test_a_product_request_assigned_and_closed_at_once_tells_the_unit_once(app):
    buyer = make_user(Role.BUYER)
    operator, coop = make_user(Role.PLATFORM_OPERATOR), make_user(Role.COOP_OPERATOR)
    db.session.commit()
    request = product_requests.create_request(
        db.session, actor=buyer, name="有机小米", spec="5kg/袋", quantity=40, wanted_by=None
    )
    ids = {"request": request.id, "operator": operator.id, "coop": coop.id, "unit": buyer.unit_id}

    def act(i: int) -> str:
        if i == 0:
            product_requests.assign_to_coop(db.session, actor=_as(ids["operator"]), request_id=ids["request"])
            return "assigned"
        product_requests.close_request(db.session, actor=_as(ids["coop"]), request_id=ids["request"], reason="无货源")
        return "closed"

    results = run_together(app, 2, act)
    # then exactly one happened, and the unit is told only that
    winners = [r for r in results if r in ("assigned", "closed")]
    assert len(winners) == 1 and "changed_meanwhile" in results, results
    db.session.expire_all()
    request = db.session.get(ProductRequest, ids["request"])
    assert request.status is RequestStatus(winners[0])
    assert request.closed_reason == ("无货源" if winners[0] == "closed" else "")
    assert count(Notification, Notification.unit_id == ids["unit"]) == 1
    assert audits("product_request.assign") + audits("product_request.close") == 1


def test_two_job_loops_run_one_queued_import_once(app):
    make_category("dried", "干货")
    owner = make_supplier_user(make_supplier(region_code="621102"))
    db.session.commit()
    job = imports.queue_import(
        db.session,
        actor=owner,
        data=xlsx(rows_of({}, {}, {})),
        filename="goods.xlsx",
        supplier_id=None,
        good_rows_only=False,
    )
    ran = run_together(app, 2, lambda _: imports.run_queued_imports(db.session))
    assert sorted(ran) == [0, 1]
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert job.status is ImportStatus.DONE and job.result["created"] == 3
    assert count(Product) == 3 and audits("listing.import") == 1

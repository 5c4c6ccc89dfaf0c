"""Supplier scorecards and standing through the real services: a hand-computed scorecard with
default evaluations, the monthly job, the API's answer; the operator's suspension (暂停) blocking
checkout until lifted, each with a reason."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from catalog.domain import SupplierStatus
from catalog.models import Product, Supplier
from fulfillment import domain
from fulfillment.domain import Standing
from fulfillment.models import SupplierScorecard, SupplierStanding
from fulfillment.queries import scorecards as standing_queries
from fulfillment.services import acceptance, evaluations, standing
from mall import clock
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import DomainError
from mall.extensions import db
from orders import services as order_services
from orders.models import Order, UnitAddress
from tests.api.test_api_contract import bearer
from tests.factories import (
    deliver_order,
    make_cart_line,
    make_order,
    make_product,
    make_shopper,
    make_supplier,
    make_supplier_user,
    make_user,
    ship_order,
)

MAY_FIRST = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def buyer_of(order: Order) -> User:
    return db.session.get(User, order.buyer_id)


def accept(order: Order, rejected: int = 0) -> None:
    line = order.lines[0]
    verdict = domain.LineVerdict(line.id, line.quantity - rejected, rejected, "破损" if rejected else "")
    acceptance.accept_order(db.session, actor=buyer_of(order), order_id=order.id, verdicts=[verdict])


def evaluate(order: Order, quality: int, timeliness: int, service: int, price: int) -> None:
    evaluations.evaluate_order(
        db.session,
        actor=buyer_of(order),
        order_id=order.id,
        quality=quality,
        timeliness=timeliness,
        service=service,
        price=price,
    )


def five_orders_of_may(supplier: Supplier) -> list[Order]:
    """Five orders placed on 1 May, each promised for 6 May: four delivered and accepted on 1 May
    (one with 1 of 10 rejected), two of them evaluated; the fifth delivered late, on 8 May."""
    clock.travel_to(db.session, MAY_FIRST)
    orders = [make_order(supplier=supplier, quantities=(10,)) for _ in range(5)]
    for order in orders:
        ship_order(order)
    for order in orders[:4]:
        deliver_order(order)
    db.session.commit()
    accept(orders[0], rejected=1)
    for order in orders[1:4]:
        accept(order)
    evaluate(orders[0], 4, 4, 5, 3)
    evaluate(orders[1], 5, 3, 5, 4)
    clock.travel_to(db.session, datetime(2026, 5, 8, 2, 0, tzinfo=UTC))
    deliver_order(orders[4])
    db.session.commit()
    accept(orders[4])
    return orders


def test_the_monthly_scorecard_on_a_hand_computed_example_with_default_evaluations(app, client):
    supplier = make_supplier()
    five_orders_of_may(supplier)
    # on 17 May the two orders accepted on 1 May and never evaluated get the default (5s, half weight)
    clock.travel_to(db.session, datetime(2026, 5, 17, 1, 0, tzinfo=UTC))
    db.session.commit()
    assert evaluations.record_default_evaluations(db.session) == 2
    # weights 1, 1, ½, ½ (total 3):
    #   quality    (4 + 5 + 2.5 + 2.5) / 3 = 14/3 → 11/12 × 25 = 22.917
    #   timeliness (4 + 3 + 2.5 + 2.5) / 3 = 4    → 0.75  × 10 =  7.5
    #   service    (5 + 5 + 2.5 + 2.5) / 3 = 5    → 1     × 10 = 10
    #   price      (3 + 4 + 2.5 + 2.5) / 3 = 4    → 0.75  × 10 =  7.5
    #   on time    4 of 5 by 6 May                → 0.8   × 20 = 16
    #   rejection  1 of 5 = 20 %, zero at 20 %    → 0     × 10 =  0
    #   after-sales none                          → 1     × 10 = 10
    #   answer time: no case, left out: 73.917 of 95 → 77.8 → 78, 合格
    assert standing.compute_scorecards(db.session) == 12  # May and the eleven months before it
    assert standing.compute_scorecards(db.session) == 0  # once a day
    may = db.session.scalar(select(SupplierScorecard).where(SupplierScorecard.month == date(2026, 5, 1)))
    assert (may.score, may.standing, may.orders) == (78, Standing.PASS, 5)
    assert (may.evaluations, may.default_evaluations) == (4, 2)
    assert (may.quality_x100, may.timeliness_x100, may.price_x100) == (467, 400, 400)
    assert (may.on_time_rate_bp, may.rejection_rate_bp, may.aftersales_rate_bp) == (8_000, 2_000, 0)
    april = db.session.scalar(select(SupplierScorecard).where(SupplierScorecard.month == date(2026, 4, 1)))
    assert (april.score, april.standing) == (None, Standing.INSUFFICIENT)
    row = db.session.scalar(select(SupplierStanding).where(SupplierStanding.supplier_id == supplier.id))
    assert (row.standing, row.score, row.set_by_id) == (Standing.PASS, 78, None)
    assert db.session.get(Supplier, supplier.id).standing_score == 78
    # and the API answers the same figures
    body = client.get(f"/api/v1/suppliers/{supplier.id}/scorecard", headers=bearer(make_shopper())).get_json()
    db.session.commit()
    assert (body["score"], body["band"], body["standing"], body["evaluations"]) == (78, "pass", "pass", 4)
    assert (body["on_time_rate"], body["rejection_rate"], body["aftersales_rate"]) == (0.8, 0.2, 0.0)
    assert len(body["months"]) == 12 and body["months"][-1] == {"month": "2026-05", "score": 78, "band": "pass"}


def test_the_scorecard_api_scope(app, client):
    supplier, other = make_supplier(), make_supplier()
    own = bearer(make_supplier_user(supplier))
    db.session.commit()
    assert client.get(f"/api/v1/suppliers/{supplier.id}/scorecard", headers=own).status_code == 200
    for target in (other.id, 99_999):
        answer = client.get(f"/api/v1/suppliers/{target}/scorecard", headers=own)
        assert (answer.status_code, answer.get_json()["error"]["code"]) == (404, "not_found")
    fresh = client.get(f"/api/v1/suppliers/{supplier.id}/scorecard", headers=own).get_json()
    assert (fresh["score"], fresh["band"], fresh["months"]) == (None, "insufficient", [])


def checkout(buyer: User, total: int, key: str = "suspended"):
    address = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == buyer.unit_id))
    request = order_services.CheckoutRequest(address_id=address, payment_mode="transfer", expected_total_fen=total)
    return order_services.checkout(db.session, actor=buyer, request=request, idempotency_key=key)


def code_of(call) -> str:
    with pytest.raises(DomainError) as err:
        call()
    db.session.rollback()
    return err.value.code


def test_a_suspended_supplier_takes_no_order_until_the_operator_lifts_it(app):
    # given a supplier's product in a buyer's cart, and the platform operator
    supplier = make_supplier()
    noodles = make_product(supplier=supplier, stock_qty=30)
    buyer = make_shopper()
    make_cart_line(buyer, noodles, quantity=2)
    operator = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    # a suspension needs a reason, and only the operator may
    assert code_of(lambda: standing.suspend_supplier(db.session, actor=operator, supplier_id=supplier.id, reason=" "))
    assert code_of(
        lambda: standing.suspend_supplier(db.session, actor=buyer, supplier_id=supplier.id, reason="多次拒收")
    ) == ("not_found")
    # when the operator suspends it
    row = standing.suspend_supplier(db.session, actor=operator, supplier_id=supplier.id, reason="食品安全抽检不合格")
    assert (row.standing, row.set_by_id, row.reason) == (Standing.SUSPENDED, operator.id, "食品安全抽检不合格")
    assert db.session.get(Supplier, supplier.id).status is SupplierStatus.SUSPENDED
    assert code_of(
        lambda: standing.suspend_supplier(db.session, actor=operator, supplier_id=supplier.id, reason="再次")
    ) == ("supplier_already_suspended")
    # then checkout refuses it and nothing is taken
    assert code_of(lambda: checkout(buyer, 2 * 2_680)) == "supplier_suspended"
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert db.session.scalar(select(Product.stock_qty).where(Product.id == noodles.id)) == 30
    # and the scorecard job does not lift it
    clock.advance(db.session, days=1)
    db.session.commit()
    standing.compute_scorecards(db.session)
    assert db.session.get(Supplier, supplier.id).status is SupplierStatus.SUSPENDED
    # until the operator lifts it, with a reason: the buyer checks out
    lifted = standing.lift_suspension(db.session, actor=operator, supplier_id=supplier.id, reason="整改完成，复检合格")
    assert (lifted.standing, lifted.reason) == (Standing.INSUFFICIENT, "整改完成，复检合格")
    assert db.session.get(Supplier, supplier.id).status is SupplierStatus.APPROVED
    checkout(buyer, 2 * 2_680, key="lifted")
    assert db.session.scalar(select(func.count(Order.id))) == 1
    assert code_of(
        lambda: standing.lift_suspension(db.session, actor=operator, supplier_id=supplier.id, reason="再次")
    ) == ("supplier_not_suspended")
    history = db.session.scalars(
        select(SupplierStanding.standing)
        .where(SupplierStanding.supplier_id == supplier.id)
        .order_by(SupplierStanding.id)
    ).all()
    assert history[0] is Standing.SUSPENDED and history[-1] is not Standing.SUSPENDED


def test_a_score_below_the_warning_band_suspends_until_the_operator_lifts_it(app):
    # given five orders of May, all rejected in part, all delivered late, all rated 1
    supplier = make_supplier()
    make_product(supplier=supplier, title="陇西腊肉")
    clock.travel_to(db.session, MAY_FIRST)
    orders = [make_order(supplier=supplier, quantities=(10,)) for _ in range(5)]
    for order in orders:
        ship_order(order)
        deliver_order(order, at=datetime(2026, 5, 9, 2, 0, tzinfo=UTC))  # promised 6 May
    clock.travel_to(db.session, datetime(2026, 5, 9, 3, 0, tzinfo=UTC))
    db.session.commit()
    for order in orders:
        accept(order, rejected=2)
        evaluate(order, 1, 1, 1, 1)
    # when the monthly job scores it: evaluations, on-time and rejections earn 0, after-sales 1:
    # 10 of 95 → 10.5 → 11, below 50: 暂停
    standing.compute_scorecards(db.session)
    row = standing_queries.latest_standing(db.session, supplier.id)
    assert (row.standing, row.score, row.set_by_id) == (Standing.SUSPENDED, 11, None)
    assert db.session.get(Supplier, supplier.id).status is SupplierStatus.SUSPENDED
    # then the operator lifts it with a reason: 警告 (its band is 暂停), and the job that month
    # leaves it so
    operator = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    lifted = standing.lift_suspension(db.session, actor=operator, supplier_id=supplier.id, reason="约谈整改")
    assert lifted.standing is Standing.WARNING
    clock.advance(db.session, days=1)
    db.session.commit()
    assert standing.compute_scorecards(db.session) == 1
    assert standing_queries.latest_standing(db.session, supplier.id).standing is Standing.WARNING
    assert db.session.get(Supplier, supplier.id).status is SupplierStatus.APPROVED

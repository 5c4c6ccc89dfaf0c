"""不得拖欠: a transfer order's payable falls due after acceptance; late, it accrues simple daily
interest on the undisputed rest (the contract's rate, else the policy year's); the unit admin
pays it once (two clicks at once: one pays); a disputed part is held and falls due again or
goes away with the case; arrears per unit and the supplier's ageing read the same figures."""

from datetime import date

import pytest
from sqlalchemy import select

from fulfillment import services
from fulfillment.domain import PayableStatus
from fulfillment.models import Payable
from fulfillment.queries import payables as queries
from fulfillment.queries.aftersales import supplier_member_ids
from fulfillment.queries.payables import PayableFilter
from fulfillment.services import CaseRequest
from mall import clock, jobs
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import DomainError, NotFoundError
from mall.extensions import db
from mall.notifications import Notification
from mall.policy.domain import PolicyTerms
from orders.domain import PaymentMode, PaymentStatus
from orders.models import Order
from tests.factories import (
    make_accepted_order,
    make_shopper,
    make_supplier,
    make_supplier_user,
    make_user,
)


@pytest.fixture
def world(app):
    supplier = make_supplier()
    buyer = make_shopper()
    # 40 boxes at ¥26.80: ¥1,072.00 owed, due 30 days after acceptance
    order = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(40,), payment_mode=PaymentMode.TRANSFER)
    people = {
        "buyer": buyer,
        "admin": make_user(Role.UNIT_ADMIN, unit=buyer.unit),
        "second_admin": make_user(Role.UNIT_ADMIN, unit=buyer.unit),
        "other_admin": make_user(Role.UNIT_ADMIN),
        "supplier": make_supplier_user(supplier),
    }
    db.session.commit()
    payable = db.session.scalar(select(Payable).where(Payable.order_id == order.id))
    return order, payable, people


def test_late_interest_on_a_hand_computed_payable():
    # ¥1,072.00 unpaid, ¥300.00 of it disputed, 17 days late at the policy's 0.05 %/day:
    # (107200 - 30000) × 17 × 5 / 10000 = 656.2 → 656 fen; at a contract's 0.03 %/day: 393.72 → 394
    payable = Payable(
        amount_fen=107_200,
        paid_fen=0,
        disputed_fen=30_000,
        due_on=date(2026, 5, 10),
        status=PayableStatus.DUE,
        interest_paid_fen=0,
        interest_bp_per_day=None,
    )
    now = clock.local(clock.now()).replace(year=2026, month=5, day=27, hour=10)
    seen = queries.figures(payable, now, PolicyTerms())
    assert (seen.overdue_fen, seen.days_overdue, seen.interest_fen, seen.is_overdue) == (77_200, 17, 656, True)
    payable.interest_bp_per_day = 3
    assert queries.figures(payable, now, PolicyTerms()).interest_fen == 394
    # on the due date itself nothing is late
    on_time = queries.figures(payable, now.replace(day=10, hour=23), PolicyTerms())
    assert (on_time.days_overdue, on_time.interest_fen, on_time.is_overdue) == (0, 0, False)


def test_the_admin_pays_a_late_payable_with_its_interest_and_the_order_is_paid(world):
    order, payable, people = world
    clock.advance(db.session, days=42)  # 12 days past the due date
    db.session.commit()
    assert [
        p.id
        for p in db.session.scalars(
            queries.payables_select(db.session, people["admin"], PayableFilter.OVERDUE, clock.now())
        )
    ] == [payable.id]
    with pytest.raises(NotFoundError):
        services.mark_paid(db.session, actor=people["other_admin"], payable_id=payable.id)
    with pytest.raises(NotFoundError):
        services.mark_paid(db.session, actor=people["supplier"], payable_id=payable.id)
    services.mark_paid(db.session, actor=people["admin"], payable_id=payable.id)
    db.session.expire_all()
    payable = db.session.get(Payable, payable.id)
    # 107200 × 12 × 5 / 10000 = 643.2 → 643 fen
    assert (payable.status, payable.paid_fen, payable.interest_paid_fen) == (PayableStatus.PAID, 107_200, 643)
    order = db.session.get(Order, order.id)
    assert (order.payment_status, order.paid_fen) == (PaymentStatus.PAID, 107_200)
    with pytest.raises(DomainError) as err:
        services.mark_paid(db.session, actor=people["second_admin"], payable_id=payable.id)
    assert err.value.code == "payable_changed"
    db.session.rollback()
    # paid: the figures stay as they were on the day of payment, whatever the date now
    clock.advance(db.session, days=30)
    db.session.commit()
    seen = queries.figures(db.session.get(Payable, payable.id), clock.now(), PolicyTerms())
    assert (seen.days_overdue, seen.interest_fen, seen.is_overdue) == (12, 643, False)


def test_a_disputed_part_is_held_while_the_rest_is_paid_then_falls_due_when_refused(world):
    order, payable, people = world
    case = services.open_case(
        db.session,
        actor=people["buyer"],
        order_id=order.id,
        request=CaseRequest("return", {order.lines[0].id: 10}, "十箱规格不符"),
    )
    db.session.expire_all()
    assert db.session.get(Payable, payable.id).disputed_fen == 26_800
    services.mark_paid(db.session, actor=people["admin"], payable_id=payable.id)
    db.session.expire_all()
    held = db.session.get(Payable, payable.id)
    assert (held.status, held.paid_fen, held.disputed_fen) == (PayableStatus.HELD, 80_400, 26_800)
    # the supplier refuses and the buyer lets it go to the operator, who rules for the supplier
    services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=False, note="规格一致")
    services.escalate_case(db.session, actor=people["buyer"], case_id=case.id)
    operator = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    services.decide_case(db.session, actor=operator, case_id=case.id, ruling="for_supplier", note="证据不足")
    db.session.expire_all()
    due = db.session.get(Payable, payable.id)
    assert (due.status, due.amount_fen, due.paid_fen, due.disputed_fen) == (PayableStatus.DUE, 107_200, 80_400, 0)


def test_a_held_part_refunded_by_ruling_leaves_the_payable_paid_up(world):
    order, payable, people = world
    case = services.open_case(
        db.session,
        actor=people["buyer"],
        order_id=order.id,
        request=CaseRequest("refund", {order.lines[0].id: 5}, "五箱霉变"),
    )
    services.mark_paid(db.session, actor=people["admin"], payable_id=payable.id)
    services.answer_case(db.session, actor=people["supplier"], case_id=case.id, agree=True)
    db.session.expire_all()
    paid = db.session.get(Payable, payable.id)
    # ¥134.00 of goods refunded: the payable shrinks to what was paid and is paid up
    assert (paid.status, paid.amount_fen, paid.paid_fen, paid.disputed_fen) == (PayableStatus.PAID, 93_800, 93_800, 0)


def test_arrears_per_unit_and_the_supplier_s_ageing(world):
    order, payable, people = world
    other_buyer = make_shopper()
    make_accepted_order(buyer=other_buyer, supplier=order.supplier, quantities=(10,), payment_mode=PaymentMode.TRANSFER)
    finance = make_user(Role.FINANCE_OFFICER, region_code="370000")
    db.session.commit()
    clock.advance(db.session, days=65)  # 35 days late
    db.session.commit()
    terms = PolicyTerms()
    arrears = queries.arrears_by_unit(db.session, finance, clock.now(), terms)
    # 107200 × 35 × 5 / 10000 = 1876; 26800 × 35 × 5 / 10000 = 469
    assert [(a.unit.id, a.count, a.overdue_fen, a.interest_fen, a.max_days) for a in arrears] == [
        (order.unit_id, 1, 107_200, 1_876, 35),
        (other_buyer.unit_id, 1, 26_800, 469, 35),
    ]
    assert [a.unit.id for a in queries.arrears_by_unit(db.session, people["admin"], clock.now(), terms)] == [
        order.unit_id
    ]
    ageing = queries.supplier_ageing(db.session, order.supplier_id, clock.now(), terms)
    assert ageing == {"未到期": 0, "逾期1-30天": 0, "逾期31-60天": 134_000, "逾期61-90天": 0, "逾期90天以上": 0}


@pytest.mark.postgresql
def test_two_admins_paying_at_once_pay_once(app, world):
    from tests.orders.test_concurrency import run_together

    _, payable, people = world
    admins = [people["admin"].id, people["second_admin"].id]

    def pay(i: int):
        services.mark_paid(db.session, actor=db.session.get(User, admins[i]), payable_id=payable.id)
        return "ok"

    assert sorted(run_together(app, 2, pay)) == ["ok", "payable_changed"]
    db.session.expire_all()
    assert db.session.get(Payable, payable.id).paid_fen == 107_200


def test_an_overdue_payable_is_announced_once_by_the_jobs_loop(world):
    order, payable, people = world
    clock.advance(db.session, days=30)  # the due date itself: not late yet
    db.session.commit()
    assert jobs.run_due_jobs(db.session)["fulfillment.remind_overdue_payables"] == 0
    clock.advance(db.session, days=1)
    db.session.commit()
    assert jobs.run_due_jobs(db.session)["fulfillment.remind_overdue_payables"] == 1
    assert services.remind_overdue_payables(db.session) == 0
    notes = db.session.scalars(select(Notification).where(Notification.link == queries.reminder_link(payable.id))).all()
    # once to the unit, once to each of the supplier's accounts (the shipping clerk and the sales one)
    assert [n.unit_id for n in notes if n.unit_id] == [order.unit_id]
    members = supplier_member_ids(db.session, order.supplier_id)
    assert len(members) == 2 and sorted(n.user_id for n in notes if n.user_id) == sorted(members)
    assert all("货款已逾期" in n.text for n in notes)

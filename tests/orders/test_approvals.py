"""Four eyes on purchases above the approval threshold: the one who placed a checkout never
approves or rejects it; another admin of the unit does, or an admin of its supervising unit
(主管单位). Purchases split into several checkouts under the threshold on one Beijing day are
flagged to the admins (疑似拆分采购). Services and pages."""

from datetime import datetime

import pytest
from sqlalchemy import delete, select

from catalog.models import Product
from mall import clock
from mall.accounts.domain import Role
from mall.errors import NotFoundError
from mall.extensions import db
from mall.notifications import Notification
from orders import domain, services
from orders.domain import ApprovalStatus, ApproverKind, OrderStatus, Purpose
from orders.models import CartLine, Checkout, Order, SplitPurchaseFlag, UnitAddress
from orders.queries import approvals as approval_queries
from orders.services import CheckoutRequest
from tests.factories import (
    login,
    make_address,
    make_cart_line,
    make_payment_card,
    make_product,
    make_purchase_settings,
    make_supplier,
    make_unit,
    make_user,
)

THRESHOLD = 50_000  # ¥500


def place(user, *, total: int, mode: str = "transfer", key: str = "key-1") -> Checkout:
    address = db.session.scalar(select(UnitAddress.id).where(UnitAddress.unit_id == user.unit_id))
    request = CheckoutRequest(address_id=address, payment_mode=mode, expected_total_fen=total)
    return services.checkout(db.session, actor=user, request=request, idempotency_key=key)


def statuses(checkout_id: int) -> set[OrderStatus]:
    db.session.expire_all()
    return set(db.session.scalars(select(Order.status).where(Order.checkout_id == checkout_id)))


@pytest.fixture
def units(app):
    """济南市 (the supervising unit) and its 机关事务服务中心 with one admin, a buyer, a 公务卡 and a
    ¥500 approval threshold; ¥600 of rice in the cart, put there by the admin."""
    parent = make_unit(name="济南市人民政府办公厅")
    unit = make_unit(name="济南市机关事务服务中心", parent_id=parent.id)
    make_address(unit)
    make_payment_card(unit)
    make_purchase_settings(unit, approval_threshold_fen=THRESHOLD)
    admin = make_user(Role.UNIT_ADMIN, unit=unit, display_name="刘志强")
    buyer = make_user(Role.BUYER, unit=unit, display_name="王晓梅")
    supervisor = make_user(Role.UNIT_ADMIN, unit=parent, display_name="孙建华")
    supplier = make_supplier(name="陇南市武都区粮油有限公司")
    rice = make_product(supplier=supplier, title="陇南大米 5kg", price_fen=6_000, stock_qty=100)
    make_cart_line(admin, rice, quantity=10)
    db.session.commit()
    return {
        "parent": parent,
        "unit": unit,
        "admin": admin,
        "buyer": buyer,
        "supervisor": supervisor,
        "supplier": supplier,
        "rice": rice,
    }


# ---- four eyes ---------------------------------------------------------------------------------


def test_an_admin_cannot_approve_or_reject_their_own_checkout(units):
    # given the admin's own ¥600 checkout, above the ¥500 threshold
    checkout = place(units["admin"], total=60_000)
    assert checkout.approval_status is ApprovalStatus.PENDING
    # when they try to approve it, then to reject it
    for decide in (services.approve_checkout, services.reject_checkout):
        with pytest.raises(domain.SelfApprovalError):
            decide(db.session, actor=units["admin"], checkout_id=checkout.id)
        db.session.rollback()
    # then it still waits, its stock held
    assert db.session.get(Checkout, checkout.id).approval_status is ApprovalStatus.PENDING
    assert statuses(checkout.id) == {OrderStatus.PENDING_APPROVAL}


def test_another_admin_of_the_unit_approves_it(units, stripe):
    checkout = place(units["admin"], total=60_000, mode="card")
    colleague = make_user(Role.UNIT_ADMIN, unit=units["unit"], display_name="赵红")
    db.session.commit()
    services.approve_checkout(db.session, actor=colleague, checkout_id=checkout.id)
    assert statuses(checkout.id) == {OrderStatus.PLACED}
    assert [c["amount"] for c in stripe.charges()] == [60_000]
    decided = db.session.get(Checkout, checkout.id)
    assert (decided.decided_by_id, decided.decision_note) == (colleague.id, "单位管理员批准")


def test_the_supervising_units_admin_approves_when_the_unit_has_no_other_admin(units):
    checkout = place(units["admin"], total=60_000)
    services.approve_checkout(db.session, actor=units["supervisor"], checkout_id=checkout.id)
    assert statuses(checkout.id) == {OrderStatus.PLACED}
    order = db.session.scalars(select(Order).where(Order.checkout_id == checkout.id)).one()
    assert order.history[-1].note == "主管单位管理员已批准，对公转账（验收后30日内付款）"


def test_the_supervising_units_admin_rejects_with_a_reason(units):
    checkout = place(units["admin"], total=60_000)
    services.reject_checkout(db.session, actor=units["supervisor"], checkout_id=checkout.id, note="超出预算")
    order = db.session.scalars(select(Order).where(Order.checkout_id == checkout.id)).one()
    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "主管单位管理员未批准：超出预算")
    assert db.session.scalar(select(Product.stock_qty).where(Product.id == units["rice"].id)) == 100


def test_admins_two_levels_up_or_elsewhere_do_not_see_it(units):
    checkout = place(units["admin"], total=60_000)
    grandparent_admin = make_user(Role.UNIT_ADMIN, unit=make_unit())
    units["parent"].parent_id = grandparent_admin.unit_id
    stranger = make_user(Role.UNIT_ADMIN, unit=make_unit())
    db.session.commit()
    for outsider in (grandparent_admin, stranger, units["buyer"]):
        with pytest.raises(NotFoundError):
            services.approve_checkout(db.session, actor=outsider, checkout_id=checkout.id)
        db.session.rollback()
        assert approval_queries.approval_queue(db.session, outsider) == []


def test_the_one_who_placed_it_can_still_cancel_it(units):
    checkout = place(units["admin"], total=60_000)
    order_id = db.session.scalar(select(Order.id).where(Order.checkout_id == checkout.id))
    services.cancel_order(db.session, actor=units["admin"], order_id=order_id, reason="改为分批采购")
    assert statuses(checkout.id) == {OrderStatus.CANCELLED}
    assert db.session.scalar(select(Product.stock_qty).where(Product.id == units["rice"].id)) == 100


def test_the_approval_queue_shows_who_may_decide(units):
    # given the admin's own checkout in a unit without another admin
    checkout = place(units["admin"], total=60_000)
    # then the admin sees it as their own, and the supervising unit's admin as theirs to decide
    (own,) = approval_queries.approval_queue(db.session, units["admin"])
    (supervised,) = approval_queries.approval_queue(db.session, units["supervisor"])
    assert (own.checkout.id, own.own, own.escalated) == (checkout.id, True, True)
    assert (supervised.checkout.id, supervised.approver, supervised.escalated, supervised.unit.name) == (
        checkout.id,
        ApproverKind.SUPERVISING_ADMIN,
        True,
        "济南市机关事务服务中心",
    )
    # when a second admin joins the unit, it is no longer escalated, and theirs to decide
    colleague = make_user(Role.UNIT_ADMIN, unit=units["unit"])
    db.session.commit()
    (item,) = approval_queries.approval_queue(db.session, colleague)
    assert (item.approver, item.escalated) == (ApproverKind.UNIT_ADMIN, False)
    assert approval_queries.approval_queue(db.session, units["supervisor"])[0].escalated is False


def test_a_disabled_admin_does_not_count_as_another_admin(units):
    checkout = place(units["admin"], total=60_000)
    make_user(Role.UNIT_ADMIN, unit=units["unit"], is_active_account=False)
    db.session.commit()
    (item,) = approval_queries.approval_queue(db.session, units["supervisor"])
    assert (item.checkout.id, item.escalated) == (checkout.id, True)


# ---- four eyes on the pages --------------------------------------------------------------------


def test_the_approval_page_does_not_let_the_admin_approve_their_own(client, units):
    checkout = place(units["admin"], total=60_000)
    login(client, units["admin"])
    page = client.get("/unit/approvals").get_data(as_text=True)
    assert f"结算单 #{checkout.id}" in page
    assert "这是您提交的采购单，您不能审批：本单位没有其他管理员，已转主管单位管理员审批；" in page
    assert f"/unit/approvals/{checkout.id}/approve" not in page
    assert "待审批采购单：<b>0</b>" in client.get("/dashboard").get_data(as_text=True)
    answer = client.post(f"/unit/approvals/{checkout.id}/approve", follow_redirects=True).get_data(as_text=True)
    assert "不能审批自己提交的采购单" in answer
    client.post(f"/unit/approvals/{checkout.id}/reject")
    assert db.session.get(Checkout, checkout.id).approval_status is ApprovalStatus.PENDING


def test_the_supervising_admin_approves_on_their_page(client, units):
    checkout = place(units["admin"], total=60_000)
    login(client, units["supervisor"])
    page = client.get("/unit/approvals").get_data(as_text=True)
    assert "所属单位" in page and "济南市机关事务服务中心" in page and "陇南大米 5kg × 10" in page
    assert "待审批采购单：<b>1</b>" in client.get("/dashboard").get_data(as_text=True)
    client.post(f"/unit/approvals/{checkout.id}/approve")
    assert statuses(checkout.id) == {OrderStatus.PLACED}


def test_the_admins_checkout_tells_them_who_approves(client, units):
    login(client, units["admin"])
    page = client.get("/checkout").get_data(as_text=True)
    assert "提交后需本单位其他管理员或主管单位管理员审批" in page


# ---- split purchases ---------------------------------------------------------------------------


def at_beijing(hour: int, minute: int = 0, *, day: int = 12) -> None:
    clock.travel_to(db.session, datetime(2026, 5, day, hour, minute, tzinfo=clock.SHANGHAI))
    db.session.commit()


def buy(user, product, quantity: int, *, key: str, purpose: Purpose = Purpose.CANTEEN, mode: str = "transfer"):
    make_cart_line(user, product, quantity=quantity, purpose=purpose)
    db.session.commit()
    return place(user, total=quantity * product.price_fen, key=key, mode=mode)


@pytest.fixture
def shopping_day(units):
    """The admin's rice is out of the cart; the unit shops on 12 May from 09:00 Beijing time."""
    db.session.execute(delete(CartLine))
    at_beijing(9)
    return units


def test_two_checkouts_under_the_threshold_adding_up_above_it_are_flagged(shopping_day):
    # given ¥480 of rice checked out at 09:00, then ¥300 more at 10:30, by card
    first = buy(shopping_day["buyer"], shopping_day["rice"], 8, key="k1")
    at_beijing(10, 30)
    second = buy(shopping_day["buyer"], shopping_day["rice"], 5, key="k2", mode="card")
    # then one flag holds both checkouts and their ¥780
    flag = db.session.scalars(select(SplitPurchaseFlag)).one()
    assert (flag.checkout_ids, flag.total_fen, flag.threshold_fen, flag.purpose) == (
        [first.id, second.id],
        78_000,
        THRESHOLD,
        Purpose.CANTEEN,
    )
    assert flag.placed_on.isoformat() == "2026-05-12"
    # and the unit's admin is told, not the buyer
    notes = db.session.scalars(select(Notification)).all()
    assert [n.user_id for n in notes] == [shopping_day["admin"].id]
    assert notes[0].text == (
        f"疑似拆分采购：济南市机关事务服务中心05月12日向“陇南市武都区粮油有限公司”分2次结算食堂食材"
        f"（结算单 #{first.id}、#{second.id}），合计 ¥780.00，超过审批额度 ¥500.00"
    )
    assert notes[0].link == "/unit/approvals"


def test_a_third_checkout_joins_the_flag_and_the_admin_is_told_again(shopping_day):
    checkouts = [buy(shopping_day["buyer"], shopping_day["rice"], 4, key=f"k{i}").id for i in range(3)]
    # ¥240 + ¥240 stays under ¥500; the third makes ¥720
    flag = db.session.scalars(select(SplitPurchaseFlag)).one()
    assert (flag.checkout_ids, flag.total_fen) == (checkouts, 72_000)
    buy(shopping_day["buyer"], shopping_day["rice"], 1, key="k3")
    db.session.expire_all()
    assert db.session.scalars(select(SplitPurchaseFlag)).one().total_fen == 78_000
    assert len(db.session.scalars(select(Notification)).all()) == 2


def test_checkouts_either_side_of_beijing_midnight_are_not_one_purchase(shopping_day):
    at_beijing(23, 50)
    buy(shopping_day["buyer"], shopping_day["rice"], 8, key="k1")
    at_beijing(0, 10, day=13)
    buy(shopping_day["buyer"], shopping_day["rice"], 8, key="k2")
    assert db.session.scalars(select(SplitPurchaseFlag)).all() == []


def test_another_supplier_or_purpose_the_same_day_is_another_purchase(shopping_day):
    oil = make_product(supplier=make_supplier(), title="定西胡麻油 5L", price_fen=6_000, stock_qty=100)
    db.session.commit()
    buy(shopping_day["buyer"], shopping_day["rice"], 8, key="k1")
    buy(shopping_day["buyer"], oil, 8, key="k2")
    buy(shopping_day["buyer"], shopping_day["rice"], 8, key="k3", purpose=Purpose.UNION)
    assert db.session.scalars(select(SplitPurchaseFlag)).all() == []


def test_a_cancelled_checkout_no_longer_counts(shopping_day):
    first = buy(shopping_day["buyer"], shopping_day["rice"], 8, key="k1")
    order_id = db.session.scalar(select(Order.id).where(Order.checkout_id == first.id))
    services.cancel_order(db.session, actor=shopping_day["buyer"], order_id=order_id)
    buy(shopping_day["buyer"], shopping_day["rice"], 5, key="k2")
    assert db.session.scalars(select(SplitPurchaseFlag)).all() == []


def test_a_checkout_that_went_to_approval_is_not_part_of_a_split(shopping_day):
    buy(shopping_day["buyer"], shopping_day["rice"], 9, key="k1")  # ¥540: approval
    buy(shopping_day["buyer"], shopping_day["rice"], 5, key="k2")
    assert db.session.scalars(select(SplitPurchaseFlag)).all() == []


def test_the_only_admin_splitting_their_own_purchase_is_told_to_the_supervising_unit(shopping_day):
    buy(shopping_day["admin"], shopping_day["rice"], 8, key="k1")
    buy(shopping_day["admin"], shopping_day["rice"], 8, key="k2")
    assert [n.user_id for n in db.session.scalars(select(Notification))] == [shopping_day["supervisor"].id]


# ---- split purchases on the pages --------------------------------------------------------------


def test_the_approval_page_and_the_order_list_mark_a_split(client, shopping_day):
    # given two checkouts adding up to ¥780 on one day
    first = buy(shopping_day["buyer"], shopping_day["rice"], 8, key="k1")
    second = buy(shopping_day["buyer"], shopping_day["rice"], 5, key="k2")
    mark = (
        f'结算单 #{first.id}</a>、<a href="/orders?checkout={second.id}">结算单 #{second.id}</a>，合计 <b>¥780.00</b>'
    )
    # then the admin's approval page shows it with the checkouts and their sum
    login(client, shopping_day["admin"])
    page = client.get("/unit/approvals").get_data(as_text=True)
    assert "疑似拆分采购" in page and mark in page and "超过审批额度 ¥500.00" in page
    # and the order list marks both orders, the order page too
    orders = client.get("/orders").get_data(as_text=True)
    assert orders.count("疑似拆分采购") == 2 and mark in orders
    order_id = db.session.scalar(select(Order.id).where(Order.checkout_id == first.id))
    assert "疑似拆分采购" in client.get(f"/orders/{order_id}").get_data(as_text=True)
    # and the supervising admin sees it with the unit's name, without links into its orders
    login(client, shopping_day["supervisor"])
    page = client.get("/unit/approvals").get_data(as_text=True)
    assert "<b>济南市机关事务服务中心</b>" in page and f"结算单 #{first.id}、结算单 #{second.id}" in page


def test_the_buyer_is_told_at_checkout_that_the_split_was_flagged(client, shopping_day):
    buy(shopping_day["buyer"], shopping_day["rice"], 8, key="k1")
    make_cart_line(shopping_day["buyer"], shopping_day["rice"], quantity=5)
    db.session.commit()
    login(client, shopping_day["buyer"])
    html = client.get("/checkout").get_data(as_text=True)
    key = html.split('name="idempotency_key" type="hidden" value="')[1].split('"')[0]
    form = {
        "address_id": db.session.scalar(select(UnitAddress.id)),
        "payment_mode": "transfer",
        "expected_total_fen": "30000",
        "idempotency_key": key,
    }
    page = client.post("/checkout", data=form, follow_redirects=True).get_data(as_text=True)
    assert "已作为疑似拆分采购提示单位管理员" in page and "合计 ¥780.00" in page

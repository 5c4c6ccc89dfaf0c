"""The after-sales and payables pages: the buyer's form with photos, the supplier's answer, the
operator's work lists, the order page's part; payables red when late with interest, paid from
the page, arrears per unit and the supplier's ageing; other people's objects are 404."""

import io

import pytest
from sqlalchemy import select

from fulfillment.domain import AftersalesStatus, CaseRefundStatus, PayableStatus
from fulfillment.models import AftersalesCase, AftersalesPhoto, Payable
from mall import clock
from mall.accounts.domain import Role
from mall.extensions import db
from orders.domain import PaymentMode
from tests.factories import (
    login,
    make_accepted_order,
    make_aftersales_case,
    make_shopper,
    make_supplier,
    make_supplier_user,
    make_user,
)
from tests.files import PNG_BYTES


@pytest.fixture
def world(app):
    supplier = make_supplier(name="定西市安定区薯业合作社")
    buyer = make_shopper()
    order = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(10,))
    transfer = make_accepted_order(buyer=buyer, supplier=supplier, quantities=(5,), payment_mode=PaymentMode.TRANSFER)
    people = {
        "buyer": buyer,
        "admin": make_user(Role.UNIT_ADMIN, unit=buyer.unit),
        "supplier": make_supplier_user(supplier),
        "operator": make_user(Role.PLATFORM_OPERATOR),
        "outsider": make_shopper(),
        "other_supplier": make_supplier_user(make_supplier()),
        "finance": make_user(Role.FINANCE_OFFICER, region_code="370000"),
    }
    db.session.commit()
    return {"order": order, "transfer": transfer, **people}


def as_(client, user):
    login(client, user)
    return client


def test_the_buyer_opens_a_case_with_a_photo_the_supplier_agrees_and_the_money_goes_back(client, world):
    order = world["order"]
    page = as_(client, world["buyer"]).get(f"/orders/{order.id}/aftersales/new")
    assert page.status_code == 200 and "申请售后" in page.get_data(as_text=True)
    answer = client.post(
        f"/orders/{order.id}/aftersales/new",
        data={
            "kind": "refund",
            "reason": "三箱受潮发霉",
            f"qty-{order.lines[0].id}": "3",
            "photos": [(io.BytesIO(PNG_BYTES), "霉变.png")],
        },
        content_type="multipart/form-data",
    )
    case = db.session.scalar(select(AftersalesCase).where(AftersalesCase.order_id == order.id))
    assert answer.status_code == 302 and answer.location.endswith(f"/aftersales/{case.id}")
    photo = db.session.scalar(select(AftersalesPhoto).where(AftersalesPhoto.case_id == case.id))
    # the supplier sees the case and its photo; another supplier does not
    with as_(client, world["supplier"]).get(f"/aftersales/photos/{photo.id}") as served:
        assert served.data == PNG_BYTES
    shown = client.get(f"/aftersales/{case.id}").get_data(as_text=True)
    assert "三箱受潮发霉" in shown and "提交答复" in shown
    with as_(client, world["other_supplier"]).get(f"/aftersales/photos/{photo.id}") as hidden:
        assert hidden.status_code == 404
    assert client.get(f"/aftersales/{case.id}").status_code == 404
    as_(client, world["supplier"]).post(f"/aftersales/{case.id}/answer", data={"decision": "agree"})
    db.session.expire_all()
    case = db.session.get(AftersalesCase, case.id)
    assert (case.status, case.refund_status, case.refund_fen) == (
        AftersalesStatus.CLOSED,
        CaseRefundStatus.SUCCEEDED,
        8_040,
    )
    # the buyer's order page shows the case
    shown = as_(client, world["buyer"]).get(f"/orders/{order.id}").get_data(as_text=True)
    assert f"#{case.id}" in shown and "已完结" in shown


def test_a_bad_form_says_why_in_chinese_and_stores_nothing(client, world):
    order = world["order"]
    answer = as_(client, world["buyer"]).post(
        f"/orders/{order.id}/aftersales/new",
        data={"kind": "refund", "reason": "太多", f"qty-{order.lines[0].id}": "11"},
        follow_redirects=True,
    )
    assert "售后数量不能超过已验收数量" in answer.get_data(as_text=True)
    assert db.session.scalar(select(AftersalesCase.id)) is None
    assert as_(client, world["outsider"]).get(f"/orders/{order.id}/aftersales/new").status_code == 404


def test_another_suppliers_answer_is_not_found_whatever_its_form_says(client, world):
    # given: an open case of the world's supplier
    case = make_aftersales_case(world["order"])
    db.session.commit()
    as_(client, world["other_supplier"])
    # when: another supplier answers it with a decision and with none
    answers = [client.post(f"/aftersales/{case.id}/answer", data=data) for data in ({"decision": "agree"}, {})]
    # then: 404 both times (the scope before the form), and the case is still open
    assert [a.status_code for a in answers] == [404, 404]
    db.session.expire_all()
    assert db.session.get(AftersalesCase, case.id).status is AftersalesStatus.OPEN


def test_the_escalate_button_shows_only_to_those_who_may_act_on_the_orders_purpose(client, world):
    # given: a canteen order's case refused by the supplier
    case = make_aftersales_case(world["order"], status=AftersalesStatus.REFUSED)
    union_officer = make_user(Role.UNION_OFFICER, unit=world["buyer"].unit)
    db.session.commit()
    # when: the buyer and the unit's union officer open it
    pages = [as_(client, who).get(f"/aftersales/{case.id}") for who in (world["buyer"], union_officer)]
    # then: both see the case; only the buyer may take it to arbitration
    assert [p.status_code for p in pages] == [200, 200]
    assert ["申请平台仲裁" in p.get_data(as_text=True) for p in pages] == [True, False]


def test_the_operator_arbitrates_from_the_work_list(client, world):
    order = world["order"]
    as_(client, world["buyer"]).post(
        f"/orders/{order.id}/aftersales/new",
        data={"kind": "replace", "reason": "规格不符", f"qty-{order.lines[0].id}": "2"},
    )
    case = db.session.scalar(select(AftersalesCase))
    as_(client, world["supplier"]).post(
        f"/aftersales/{case.id}/answer", data={"decision": "refuse", "note": "规格一致"}
    )
    as_(client, world["buyer"]).post(f"/aftersales/{case.id}/escalate")
    listed = as_(client, world["operator"]).get("/aftersales").get_data(as_text=True)
    assert "待仲裁" in listed and f"#{case.id}" in listed
    client.post(f"/aftersales/{case.id}/decide", data={"ruling": "for_buyer", "note": "照片显示规格不符"})
    db.session.expire_all()
    assert db.session.get(AftersalesCase, case.id).status is AftersalesStatus.DECIDED
    shown = as_(client, world["supplier"]).get(f"/aftersales/{case.id}").get_data(as_text=True)
    assert "换货已发出" in shown
    client.post(f"/aftersales/{case.id}/replaced")
    db.session.expire_all()
    assert db.session.get(AftersalesCase, case.id).status is AftersalesStatus.CLOSED


def test_a_late_payable_is_red_with_interest_and_the_admin_pays_it_from_the_page(client, world):
    clock.advance(db.session, days=35)
    db.session.commit()
    page = as_(client, world["admin"]).get("/payables?status=overdue").get_data(as_text=True)
    # ¥134.00 five days late at 0.05 %/day: 13400 × 5 × 5 / 10000 = 33.5 → 34 fen
    assert "逾期 5 天" in page and "¥0.34" in page and 'class="badge red"' in page
    arrears = client.get("/payables/arrears").get_data(as_text=True)
    assert world["buyer"].unit.name in arrears and "¥134.00" in arrears
    assert "¥134.00" in as_(client, world["finance"]).get("/payables/arrears").get_data(as_text=True)
    ageing = as_(client, world["supplier"]).get("/payables").get_data(as_text=True)
    assert "逾期1-30天" in ageing and "¥134.00" in ageing
    assert "登记已付款" not in ageing
    payable = db.session.scalar(select(Payable).where(Payable.order_id == world["transfer"].id))
    assert client.post(f"/payables/{payable.id}/pay").status_code == 404  # only the unit admin pays
    as_(client, world["admin"]).post(f"/payables/{payable.id}/pay")
    db.session.expire_all()
    payable = db.session.get(Payable, payable.id)
    assert (payable.status, payable.paid_fen, payable.interest_paid_fen) == (PayableStatus.PAID, 13_400, 34)
    assert as_(client, world["outsider"]).get("/payables").status_code == 404

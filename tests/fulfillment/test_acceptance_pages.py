"""The pages of acceptance, evaluations and standing, as their users see them: the buyer's
acceptance form with a photo, the evaluation form, the supplier's answer, the scorecard pages
with their trend chart (no inline script: the data in a JSON tag, drawn by a static file), the
operator's suspension, and the standing on product pages and cards."""

import io
import re
from datetime import UTC, datetime

from sqlalchemy import select

from catalog.domain import SupplierStatus
from catalog.models import Supplier
from fulfillment.models import AcceptancePhoto, Evaluation, OrderFulfillment
from fulfillment.services import standing
from mall import clock
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.extensions import db
from orders.domain import OrderStatus
from orders.models import Order
from tests.factories import (
    deliver_order,
    login,
    make_accepted_order,
    make_order,
    make_product,
    make_shopper,
    make_supplier,
    make_supplier_user,
    make_user,
    ship_order,
)
from tests.files import PNG_BYTES


def fetched(client, path: str) -> tuple[int, bytes]:
    response = client.get(path)
    try:
        return response.status_code, response.data
    finally:
        response.close()


def test_the_buyer_accepts_with_a_rejection_and_its_photo_and_both_sides_see_it(app, client):
    order = make_order(quantities=(10,))
    ship_order(order)
    deliver_order(order)
    buyer, supplier_user, stranger = (
        db.session.get(User, order.buyer_id),
        make_supplier_user(order.supplier),
        make_shopper(),
    )
    db.session.commit()
    line = order.lines[0]
    login(client, buyer)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "验收收货" in page
    form = client.get(f"/orders/{order.id}/acceptance").get_data(as_text=True)
    assert f'name="rejected-{line.id}"' in form and 'enctype="multipart/form-data"' in form
    answer = client.post(
        f"/orders/{order.id}/acceptance",
        data={
            f"accepted-{line.id}": "8",
            f"rejected-{line.id}": "2",
            f"reason-{line.id}": "两箱受潮",
            f"photos-{line.id}": (io.BytesIO(PNG_BYTES), "damp.png"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    text = answer.get_data(as_text=True)
    assert "订单已验收" in text and "两箱受潮" in text and "¥53.60" in text
    assert db.session.get(Order, order.id).status is OrderStatus.ACCEPTED
    photo = db.session.scalar(select(AcceptancePhoto))
    assert fetched(client, f"/acceptance/photos/{photo.id}") == (200, PNG_BYTES)
    login(client, supplier_user)
    assert "两箱受潮" in client.get(f"/supplier/orders/{order.id}").get_data(as_text=True)
    assert fetched(client, f"/acceptance/photos/{photo.id}")[0] == 200
    login(client, stranger)
    assert client.get(f"/acceptance/photos/{photo.id}").status_code == 404
    assert client.get(f"/orders/{order.id}/acceptance").status_code == 404


def test_a_refused_acceptance_is_explained_in_chinese_and_changes_nothing(app, client):
    order = make_order(quantities=(10,))
    ship_order(order)
    deliver_order(order)
    db.session.commit()
    line = order.lines[0]
    login(client, db.session.get(User, order.buyer_id))
    answer = client.post(
        f"/orders/{order.id}/acceptance",
        data={f"accepted-{line.id}": "9", f"rejected-{line.id}": "1", f"reason-{line.id}": ""},
        follow_redirects=True,
    )
    assert "拒收须填写原因" in answer.get_data(as_text=True)
    assert db.session.get(OrderFulfillment, order.id).accepted_at is None


def test_the_buyer_evaluates_and_the_supplier_answers_on_the_pages(app, client):
    order = make_accepted_order()
    buyer, supplier_user = db.session.get(User, order.buyer_id), make_supplier_user(order.supplier)
    db.session.commit()
    login(client, buyer)
    assert "评价本订单" in client.get(f"/orders/{order.id}").get_data(as_text=True)
    scores = {"quality": "5", "timeliness": "4", "service": "5", "price": "3", "comment": "粉条筋道"}
    page = client.post(f"/orders/{order.id}/evaluation", data=scores, follow_redirects=True).get_data(as_text=True)
    assert "评价已提交" in page and "粉条筋道" in page and "修改评价" in page
    client.post(f"/orders/{order.id}/evaluation", data=scores | {"price": "9"})  # not a choice: refused
    assert db.session.scalar(select(Evaluation.price)) == 3
    login(client, supplier_user)
    listing = client.get("/supplier/evaluations").get_data(as_text=True)
    assert "粉条筋道" in listing and "回复" in listing
    evaluation_id = db.session.scalar(select(Evaluation.id))
    client.post(f"/supplier/evaluations/{evaluation_id}/reply", data={"reply": "感谢支持"})
    assert "感谢支持" in client.get("/supplier/evaluations").get_data(as_text=True)
    login(client, buyer)
    assert "供应商回复：感谢支持" in client.get(f"/orders/{order.id}").get_data(as_text=True)


def test_scorecard_pages_draw_the_trend_from_data_without_inline_script(app, client):
    supplier = make_supplier()
    owner = make_supplier_user(supplier)
    operator = make_user(Role.PLATFORM_OPERATOR)
    clock.travel_to(db.session, datetime(2026, 5, 20, 2, 0, tzinfo=UTC))
    db.session.commit()
    standing.compute_scorecards(db.session)
    for who, path in ((owner, "/supplier/scorecard"), (operator, f"/manage/standing/{supplier.id}")):
        login(client, who)
        page = client.get(path).get_data(as_text=True)
        assert '<script type="application/json" id="scorecard-trend">' in page
        assert "2026-05" in page and "评价不足" in page
        assert "vendor/echarts/echarts.min.js" in page and "scorecard_chart.js" in page
        inline = [s for s in re.findall(r"<script([^>]*)>", page) if "src=" not in s and "application/json" not in s]
        assert inline == []
    assert fetched(client, "/static/fulfillment/acceptance/scorecard_chart.js")[0] == 200
    login(client, owner)
    assert client.get(f"/manage/standing/{supplier.id}").status_code == 404


def test_the_operator_suspends_on_the_page_and_the_product_page_and_cards_say_so(app, client):
    supplier = make_supplier()
    product = make_product(supplier=supplier, title="岷县当归片")
    operator = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    login(client, operator)
    assert "暂停该供应商" in client.get(f"/manage/standing/{supplier.id}").get_data(as_text=True)
    refused = client.post(f"/manage/standing/{supplier.id}/suspend", data={"reason": ""}, follow_redirects=True)
    assert "暂停或恢复供应商须填写原因" in refused.get_data(as_text=True)
    assert db.session.get(Supplier, supplier.id).status is SupplierStatus.APPROVED
    page = client.post(
        f"/manage/standing/{supplier.id}/suspend", data={"reason": "抽检不合格"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "已暂停该供应商接单" in page and "抽检不合格" in page and "解除暂停" in page
    assert "已暂停" in client.get("/manage/standing").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Supplier, supplier.id).status is SupplierStatus.SUSPENDED
    login(client, make_shopper())
    product_page = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "该供应商已暂停接单" in product_page
    listing = client.get(f"/categories/{product.category.slug}").get_data(as_text=True)
    assert "供应商履约暂停" in listing


def test_a_final_evaluation_shows_no_form(app, client):
    order = make_accepted_order()
    buyer = db.session.get(User, order.buyer_id)
    db.session.commit()
    login(client, buyer)
    scores = {"quality": "4", "timeliness": "4", "service": "4", "price": "4"}
    client.post(f"/orders/{order.id}/evaluation", data=scores)
    assert "修改评价" in client.get(f"/orders/{order.id}/evaluation").get_data(as_text=True)
    clock.advance(db.session, hours=25)
    db.session.commit()
    page = client.get(f"/orders/{order.id}/evaluation").get_data(as_text=True)
    assert "已为最终评价" in page and "修改评价" not in page

"""商品上架需求: a unit asks, the operator assigns to the cooperative, the listing is linked, the unit is told."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from catalog.models import ProductRequest
from catalog.services import requests as product_requests
from mall import clock
from mall.accounts.domain import Role
from mall.errors import InvalidTransitionError
from mall.extensions import db
from mall.notifications import recent_for
from tests.factories import login, make_product, make_user


@pytest.fixture
def people(app):
    buyer = make_user(Role.BUYER)
    colleague = make_user(Role.BUYER, unit=buyer.unit)
    stranger = make_user(Role.BUYER)
    operator = make_user(Role.PLATFORM_OPERATOR)
    coop = make_user(Role.COOP_OPERATOR)
    db.session.commit()
    return {"buyer": buyer, "colleague": colleague, "stranger": stranger, "operator": operator, "coop": coop}


def test_request_flow_ends_with_a_link_to_the_new_product(client, people):
    request = product_requests.create_request(
        db.session,
        actor=people["buyer"],
        name="有机小米",
        spec="5kg/袋",
        quantity=40,
        wanted_by=clock.today() + timedelta(days=20),
    )
    product_requests.assign_to_coop(db.session, actor=people["operator"], request_id=request.id)
    product = make_product(title="镇原黄小米 2.5kg/袋")
    db.session.commit()
    product_requests.mark_listed(db.session, actor=people["coop"], request_id=request.id, product_id=product.id)
    assert request.status == "listed"
    # the whole unit is told, with the link
    note = recent_for(db.session, people["colleague"])[0]
    assert "已上架" in note.text and note.link == f"/products/{product.id}"
    login(client, people["colleague"])
    assert "镇原黄小米" in client.get("/product-requests").get_data(as_text=True)


def test_requests_are_private_to_the_unit(client, people):
    product_requests.create_request(
        db.session, actor=people["buyer"], name="有机小米", spec="", quantity=1, wanted_by=None
    )
    login(client, people["stranger"])
    assert "有机小米" not in client.get("/product-requests").get_data(as_text=True)


def test_bad_requests_and_transitions(people):
    with pytest.raises(product_requests.RequestInvalidError) as err:
        product_requests.create_request(
            db.session, actor=people["buyer"], name="米", spec="", quantity=0, wanted_by=None
        )
    assert err.value.code == "product_request_invalid"
    with pytest.raises(product_requests.RequestInvalidError) as err:
        product_requests.create_request(
            db.session,
            actor=people["buyer"],
            name="有机小米",
            spec="",
            quantity=5,
            wanted_by=clock.today() - timedelta(days=1),
        )
    assert "早于今天" in err.value.message
    request = product_requests.create_request(
        db.session, actor=people["buyer"], name="有机小米", spec="", quantity=5, wanted_by=None
    )
    with pytest.raises(InvalidTransitionError):
        product_requests.mark_listed(
            db.session, actor=people["coop"], request_id=request.id, product_id=make_product().id
        )
    db.session.rollback()
    assert db.session.get(ProductRequest, request.id).status == "open"


def test_operator_page_assigns_a_request(client, people):
    request = product_requests.create_request(
        db.session, actor=people["buyer"], name="有机小米", spec="", quantity=5, wanted_by=None
    )
    login(client, people["operator"])
    assert "有机小米" in client.get("/manage/product-requests").get_data(as_text=True)
    client.post(f"/manage/product-requests/{request.id}/assign")
    assert db.session.scalar(select(ProductRequest.status)) == "assigned"
    login(client, people["buyer"])
    assert client.get("/manage/product-requests").status_code == 403

"""A higher package adds fields to a lower package's answer: in the JSON and in the document."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from mall.api_docs import openapi_document
from mall.api_schema import AnswerPart, extend_answer
from mall.config import Config
from mall.extensions import db
from tests.api.test_api_contract import bearer
from tests.factories import make_order


@pytest.fixture
def app_overrides() -> dict:
    return {"MALL_PACKAGES": (*Config.MALL_PACKAGES, "tests.api.answer_probe")}


def test_a_registered_part_is_in_the_order_detail_and_its_document(app, client):
    # given an order of two lines
    order = make_order(quantities=(2, 3))
    headers = bearer(order.buyer)
    db.session.commit()
    # when its buyer reads it
    body = client.get(f"/api/v1/orders/{order.id}", headers=headers).get_json()
    # then the probe's part is there, and the document declares it on the order's answer
    assert body["probe"] == {"lines": 2}
    answer = openapi_document()["paths"]["/api/v1/orders/{order_id}"]["get"]["responses"]["200"]
    schema_name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "probe" in openapi_document()["components"]["schemas"][schema_name]["properties"]


def test_a_field_is_added_once(app):
    class Twice(BaseModel):
        n: int

    with pytest.raises(ValueError, match="probe"):
        extend_answer(app, "order_detail", AnswerPart("probe", Twice, lambda order: {"n": 1}))

"""Pure review rules: which edits need review, duplicate detection, applications."""

import pytest

from catalog.domain import (
    CHANGE_STATUS_LABELS,
    CHANGE_TRANSITIONS,
    IMPORT_STATUS_LABELS,
    IMPORT_TRANSITIONS,
    PRODUCT_TRANSITIONS,
    REQUEST_STATUS_LABELS,
    REQUEST_TRANSITIONS,
    SUPPLIER_TRANSITIONS,
    ApplicationInvalidError,
    ChangeStatus,
    ImportStatus,
    ListingKey,
    ProductStatus,
    RequestStatus,
    SupplierCountyNotEligibleError,
    SupplierStatus,
    check_application,
    ensure_change_transition,
    ensure_import_transition,
    ensure_product_transition,
    ensure_request_transition,
    ensure_supplier_transition,
    fields_needing_review,
    likely_twin,
    normalise_title,
    title_similarity,
)
from mall.errors import InvalidTransitionError
from tests.state_tables import reachable

BASE = {
    "title": "定西土豆宽粉条 2.5kg/箱",
    "price_fen": 5_000,
    "stock_qty": 10,
    "cert_no": "A1",
    "origin_county_code": "621102",
    "program": "counterpart",
    "category_slug": "dried",
    "description": "好",
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"stock_qty": 99}, set()),
        ({"description": "更好"}, set()),
        ({"price_fen": 5_500}, set()),  # exactly 10 %: no review
        ({"price_fen": 5_501}, {"price_fen"}),
        ({"price_fen": 4_400}, {"price_fen"}),
        ({"title": "定西土豆粉"}, {"title"}),
        ({"origin_county_code": "621121"}, {"origin_county_code"}),
        ({"cert_no": "B2"}, {"cert_no"}),
        ({"program": "national_poverty", "stock_qty": 1}, {"program"}),
    ],
)
def test_fields_needing_review(change, expected):
    assert fields_needing_review(BASE, BASE | change) == expected


def test_eight_small_rises_add_up_to_a_review_from_the_last_reviewed_price():
    # given a listing reviewed at ¥12.80 and a supplier raising it 10 % at a time
    reviewed, price, sent = 1_280, 1_280, []
    for _ in range(8):
        proposed = price * 11 // 10
        needs = fields_needing_review(
            BASE | {"price_fen": price}, BASE | {"price_fen": proposed}, reviewed_price_fen=reviewed
        )
        sent.append("price_fen" in needs)
        if not needs:
            price = proposed  # applied at once
    # then only the first step applies; every later one is measured from ¥12.80 and waits
    assert sent == [False] + [True] * 7
    assert price == 1_408


def test_a_fall_back_within_ten_percent_of_the_reviewed_price_applies_at_once():
    current = BASE | {"price_fen": 5_500}  # drifted up 10 % from the reviewed 5,000
    assert fields_needing_review(current, current | {"price_fen": 4_600}, reviewed_price_fen=5_000) == set()
    assert fields_needing_review(current, current | {"price_fen": 4_400}, reviewed_price_fen=5_000) == {"price_fen"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"spec": "100g/袋"}, {"spec"}),  # 500g → 100g at the same price: five times dearer per kg
        ({"net_content": 100}, {"net_content"}),
        ({"net_content_unit": "ml"}, {"net_content_unit"}),
        ({"pack_size": 6}, {"pack_size"}),
        ({"sale_unit": "箱"}, {"sale_unit"}),
        ({"min_order_qty": 2}, set()),
        ({"shelf_life_days": 180}, set()),
    ],
)
def test_what_a_buyer_gets_needs_review(change, expected):
    current = BASE | {"spec": "500g/袋", "net_content": 500, "net_content_unit": "g", "pack_size": 1, "sale_unit": "袋"}
    current |= {"min_order_qty": 1, "shelf_life_days": 365}
    assert fields_needing_review(current, current | change) == expected


def test_new_photos_need_review():
    assert fields_needing_review(BASE, BASE, new_photos=1) == {"photos"}
    assert fields_needing_review(BASE, BASE, new_photos=0) == set()


@pytest.mark.parametrize(
    ("table", "ensure", "frm", "to"),
    [
        (PRODUCT_TRANSITIONS, ensure_product_transition, ProductStatus.APPROVED, ProductStatus.REJECTED),
        (CHANGE_TRANSITIONS, ensure_change_transition, ChangeStatus.APPROVED, ChangeStatus.REJECTED),
        (SUPPLIER_TRANSITIONS, ensure_supplier_transition, SupplierStatus.APPROVED, SupplierStatus.APPROVED),
        (REQUEST_TRANSITIONS, ensure_request_transition, RequestStatus.LISTED, RequestStatus.CLOSED),
        (IMPORT_TRANSITIONS, ensure_import_transition, ImportStatus.DONE, ImportStatus.RUNNING),
    ],
)
def test_every_review_state_has_a_table_that_refuses_what_it_lacks(table, ensure, frm, to):
    assert set(table) == set(type(frm))  # every state has its row
    with pytest.raises(InvalidTransitionError) as err:
        ensure(frm, to)
    assert "不能改为" in err.value.message


def test_review_states_have_chinese_labels():
    for labels, enum in (
        (CHANGE_STATUS_LABELS, ChangeStatus),
        (REQUEST_STATUS_LABELS, RequestStatus),
        (IMPORT_STATUS_LABELS, ImportStatus),
    ):
        assert set(labels) == set(enum) and all("\u4e00" <= label[0] <= "\u9fff" for label in labels.values())


def test_normalised_titles_drop_specs_packs_and_grades():
    assert normalise_title("特级 定西土豆宽粉条 礼盒装 2.5kg×2袋") == normalise_title("定西土豆宽粉条 5kg/箱")
    assert title_similarity("和田骏枣 一级 1kg/袋", "和田骏枣 家庭装 2kg/袋") == 1.0
    assert title_similarity("和田骏枣 1kg/袋", "城口老腊肉 1kg/袋") < 0.2


def test_likely_twin_needs_same_category_and_origin():
    candidate = ListingKey(9, "定西土豆宽粉条 精选 5kg/箱", "dried", "621102")
    others = [
        ListingKey(1, "定西土豆宽粉条 2.5kg/箱", "dried", "621102"),
        ListingKey(2, "定西土豆宽粉条 2.5kg/箱", "grain-oil", "621102"),
        ListingKey(3, "定西马铃薯精淀粉 1kg/袋", "dried", "621102"),
    ]
    assert likely_twin(candidate, others) == (1, 1.0)
    assert likely_twin(candidate, others[1:]) is None


def test_application_in_an_ineligible_county_is_refused_with_the_reason():
    with pytest.raises(SupplierCountyNotEligibleError) as err:
        check_application(
            name="若羌县红枣有限公司",
            contact_name="买买提",
            contact_phone="13912345678",
            county_level=True,
            county_eligible=False,
            licence_count=1,
        )
    assert "脱贫县" in err.value.message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"contact_phone": "12345"}, "联系电话"),
        ({"licence_count": 0}, "资质文件"),
        ({"name": "某"}, "主体名称"),
        ({"county_level": False}, "县级"),
    ],
)
def test_application_needs_its_fields(kwargs, message):
    good = {
        "name": "定西市薯源农业科技有限公司",
        "contact_name": "马永福",
        "contact_phone": "0932-8123456",
        "county_level": True,
        "county_eligible": True,
        "licence_count": 1,
    }
    with pytest.raises(ApplicationInvalidError) as err:
        check_application(**(good | kwargs))
    assert message in err.value.message


@pytest.mark.parametrize(
    ("table", "start"),
    [
        (PRODUCT_TRANSITIONS, ProductStatus.DRAFT),
        (CHANGE_TRANSITIONS, ChangeStatus.PENDING),
        (SUPPLIER_TRANSITIONS, SupplierStatus.APPLIED),
        (REQUEST_TRANSITIONS, RequestStatus.OPEN),
        (IMPORT_TRANSITIONS, ImportStatus.QUEUED),
    ],
)
def test_every_review_state_is_reachable_from_the_first(table, start):
    assert reachable(table, start) == set(type(start))

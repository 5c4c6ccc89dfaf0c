"""Pure review rules: which edits need review, duplicate detection, applications."""

import pytest

from catalog.domain import (
    ApplicationInvalidError,
    ListingKey,
    SupplierCountyNotEligibleError,
    check_application,
    fields_needing_review,
    likely_twin,
    normalise_title,
    title_similarity,
)

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

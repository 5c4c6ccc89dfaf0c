"""Supplier onboarding: apply online, county recommendation, platform review; refusals."""

import io

import pytest
from sqlalchemy import func, select

from catalog import access
from catalog.domain import (
    ApplicationInvalidError,
    EntityType,
    ListingInput,
    SourceProgram,
    SupplierCountyNotEligibleError,
    SupplierNotApprovedError,
    SupplierStatus,
)
from catalog.models import Supplier, SupplierMember
from catalog.services import listings, onboarding
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.errors import InvalidInputError, InvalidTransitionError, NotFoundError
from mall.extensions import db
from mall.notifications import recent_for
from mall.rate_limits import RateLimitHit
from mall.units.domain import make_credit_code
from tests.factories import login, make_category, make_eligible_county, make_region, make_user
from tests.files import PDF_BYTES

CODE = make_credit_code(registrar="93", region_code="621102", serial="MA7XK2N1Q")


def application(**overrides) -> dict:
    return {
        "name": "定西市安定区薯乡马铃薯专业合作社",
        "credit_code": CODE,
        "region_code": "621102",
        "entity_type": EntityType.COOPERATIVE,
        "contact_name": "马永福",
        "contact_phone": "13993212345",
        "licences": [(io.BytesIO(PDF_BYTES), "营业执照.pdf")],
        "username": "shuxiang",
        "password": "shuxiang-2026",
    } | overrides


@pytest.fixture
def places(app):
    make_eligible_county("621102", name="安定区")
    make_region("652824", name="若羌县")
    make_category("dried", "干货")
    agri_dingxi = make_user(Role.AGRI_OFFICER, region_code="621100")
    agri_linyi = make_user(Role.AGRI_OFFICER, region_code="371300")
    operator = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    return {"agri": agri_dingxi, "other_agri": agri_linyi, "operator": operator}


def test_full_onboarding_then_the_supplier_lists(places):
    # given an application
    supplier = onboarding.apply(db.session, **application())
    account = db.session.scalar(select(User).where(User.username == "shuxiang"))
    assert supplier.status is SupplierStatus.APPLIED and not account.has_role(Role.SUPPLIER)
    # when the county recommends and the platform approves
    onboarding.recommend(db.session, actor=places["agri"], supplier_id=supplier.id)
    onboarding.approve(db.session, actor=places["operator"], supplier_id=supplier.id)
    # then the supplier is told, its account holds the supplier role, and it may list
    assert supplier.status is SupplierStatus.APPROVED and account.has_role(Role.SUPPLIER)
    assert "通过平台审核" in recent_for(db.session, account)[0].text
    product = listings.create_listing(
        db.session,
        actor=account,
        supplier_id=None,
        evidence_urls=["https://x.cn/1"],
        data=ListingInput(
            sku="SX-1",
            title="安定区马铃薯 10kg/箱",
            category_slug="dried",
            spec="10kg/箱",
            sale_unit="箱",
            price_fen=3_500,
            stock_qty=100,
            origin_county_code="621102",
            program=SourceProgram.COUNTERPART,
        ),
    )
    assert product.supplier_id == supplier.id


def test_an_applicant_cannot_list_before_approval(places):
    onboarding.apply(db.session, **application())
    account = db.session.scalar(select(User).where(User.username == "shuxiang"))
    with pytest.raises(SupplierNotApprovedError) as err:
        listings.create_listing(
            db.session,
            actor=account,
            supplier_id=None,
            evidence_urls=["https://x.cn/1"],
            data=ListingInput(
                sku="SX-1",
                title="安定区马铃薯",
                category_slug="dried",
                spec="10kg/箱",
                sale_unit="箱",
                price_fen=3_500,
                stock_qty=1,
                origin_county_code="621102",
                program=SourceProgram.COUNTERPART,
            ),
        )
    assert err.value.code == "supplier_not_approved"


def test_a_supplier_outside_an_eligible_county_is_refused_with_the_reason(places):
    code = make_credit_code(registrar="91", region_code="652824", serial="MA7XK2N1Q")
    with pytest.raises(SupplierCountyNotEligibleError) as err:
        onboarding.apply(db.session, **application(region_code="652824", credit_code=code))
    assert err.value.code == "supplier_county_not_eligible" and "脱贫县" in err.value.message
    db.session.rollback()
    assert db.session.scalar(select(Supplier.id)) is None


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"credit_code": CODE[:-1] + ("0" if CODE[-1] != "0" else "1")}, "invalid_credit_code"),
        ({"licences": []}, "application_invalid"),
        ({"contact_phone": "call me"}, "application_invalid"),
        ({"licences": [(io.BytesIO(b"<html>"), "执照.html")]}, "upload_type_not_allowed"),
        ({"password": "short"}, "weak_password"),
    ],
)
def test_bad_applications_are_refused_and_write_nothing(places, overrides, code):
    with pytest.raises(InvalidInputError) as err:
        onboarding.apply(db.session, **application(**overrides))
    assert err.value.code == code
    db.session.rollback()
    assert db.session.scalar(select(Supplier.id)) is None


def test_an_agriculture_officer_outside_the_county_cannot_see_or_recommend_it(client, places):
    supplier = onboarding.apply(db.session, **application())
    with pytest.raises(NotFoundError):
        onboarding.recommend(db.session, actor=places["other_agri"], supplier_id=supplier.id)
    login(client, places["other_agri"])
    assert client.get(f"/manage/suppliers/{supplier.id}").status_code == 404
    assert supplier.name not in client.get("/manage/suppliers?status=applied").get_data(as_text=True)
    login(client, places["agri"])
    assert supplier.name in client.get("/manage/suppliers?status=applied").get_data(as_text=True)


def test_the_cooperative_onboards_with_the_countys_letter(places):
    coop = make_user(Role.COOP_OPERATOR)
    db.session.commit()
    supplier = onboarding.apply(
        db.session, actor=coop, **{k: v for k, v in application().items() if k not in ("username", "password")}
    )
    assert supplier.served_by_coop
    with pytest.raises(ApplicationInvalidError) as err:
        onboarding.recommend(db.session, actor=coop, supplier_id=supplier.id)
    assert "推荐函" in err.value.message
    onboarding.recommend(
        db.session, actor=coop, supplier_id=supplier.id, letter=(io.BytesIO(PDF_BYTES), "安定区推荐函.pdf")
    )
    assert supplier.status is SupplierStatus.RECOMMENDED


def test_declined_with_a_reason_the_applicant_sees(client, places):
    supplier = onboarding.apply(db.session, **application())
    onboarding.decline(db.session, actor=places["agri"], supplier_id=supplier.id, reason="营业执照已过期")
    account = db.session.scalar(select(User).where(User.username == "shuxiang"))
    login(client, account)
    assert "营业执照已过期" in client.get("/supplier/application").get_data(as_text=True)
    with pytest.raises(InvalidTransitionError):
        onboarding.approve(db.session, actor=places["operator"], supplier_id=supplier.id)


def test_public_application_form_creates_the_account_and_logs_in(client, places):
    response = client.post(
        "/suppliers/apply",
        data={
            "name": "定西市安定区薯乡马铃薯专业合作社",
            "credit_code": CODE,
            "region_code": "621102",
            "entity_type": "cooperative",
            "contact_name": "马永福",
            "contact_phone": "13993212345",
            "username": "shuxiang",
            "password": "shuxiang-2026",
            "licences": [(io.BytesIO(PDF_BYTES), "执照.pdf")],
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "入驻申请" in response.get_data(as_text=True) and "待推荐" in response.get_data(as_text=True)
    member = db.session.scalar(select(SupplierMember))
    assert member is not None


def _form(**overrides) -> dict:
    return {
        "name": "定西市安定区薯乡马铃薯专业合作社",
        "credit_code": CODE,
        "region_code": "621102",
        "entity_type": "cooperative",
        "contact_name": "马永福",
        "contact_phone": "13993212345",
        "username": "shuxiang",
        "password": "shuxiang-2026",
        "licences": [(io.BytesIO(PDF_BYTES), "执照.pdf")],
    } | overrides


def test_an_applicant_sees_its_application_and_nothing_of_a_supplier_until_approved(client, places):
    # given an application sent through the public form (which logs the applicant in)
    client.post("/suppliers/apply", data=_form(), content_type="multipart/form-data")
    account = db.session.scalar(select(User).where(User.username == "shuxiang"))
    assert account.roles == frozenset()
    # then it sees its application's status, and no supplier page
    assert "已申请" in client.get("/supplier/application").get_data(as_text=True)
    assert "查看入驻申请" in client.get("/dashboard").get_data(as_text=True)
    for path in ("/supplier/listings", "/supplier/listings/new", "/supplier/listings/import", "/supplier/orders"):
        assert client.get(path).status_code in (403, 404), path
    token = client.post("/api/v1/auth/token", json={"username": "shuxiang", "password": "shuxiang-2026"})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert client.get("/api/v1/listings", headers=headers).status_code == 403
    # when the county recommends and the platform approves, the supplier pages open
    supplier = db.session.scalar(select(Supplier))
    onboarding.recommend(db.session, actor=places["agri"], supplier_id=supplier.id)
    onboarding.approve(db.session, actor=places["operator"], supplier_id=supplier.id)
    assert client.get("/supplier/listings").status_code == 200
    assert client.get("/api/v1/listings", headers=headers).status_code == 200


def test_an_account_of_a_declined_application_never_gets_the_supplier_role(places):
    supplier = onboarding.apply(db.session, **application())
    onboarding.decline(db.session, actor=places["agri"], supplier_id=supplier.id, reason="营业执照已过期")
    account = db.session.scalar(select(User).where(User.username == "shuxiang"))
    assert not account.has_role(Role.SUPPLIER)
    with pytest.raises(SupplierNotApprovedError):
        access.supplier_for_actor(db.session, account, None)


def test_the_public_form_is_rate_limited_per_address_across_workers(client, app, places):
    limit = app.config["SUPPLIER_APPLY_MAX_PER_ADDRESS"]
    here, elsewhere = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.9"}
    # given as many refused applications from one address as the limit allows (no licence)
    for _ in range(limit):
        page = client.post("/suppliers/apply", data=_form(licences=[]), environ_base=here)
        assert "资质文件" in page.get_data(as_text=True)
    # when a valid one follows from the same address, it is refused, and nothing is written
    page = client.post("/suppliers/apply", data=_form(), content_type="multipart/form-data", environ_base=here)
    assert "过于频繁" in page.get_data(as_text=True)
    assert db.session.scalar(select(Supplier.id)) is None
    # another address is not held back; the count lives in the database, not in a worker
    assert db.session.scalar(select(func.count(RateLimitHit.id))) == limit
    response = client.post("/suppliers/apply", data=_form(), content_type="multipart/form-data", environ_base=elsewhere)
    assert response.status_code == 302 and db.session.scalar(select(Supplier.id)) is not None

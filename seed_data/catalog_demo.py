"""Catalog work in progress for the demo, so every role finds something to do after `make run`:
supplier applications waiting for the county and the platform, new listings and a price change
waiting for review (one a likely duplicate), a rejected listing, recommendations by the 临沂
agriculture officer, and product requests from the demo buyers' unit. All through the services.
"""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.domain import EntityType, ListingInput, ProductStatus, SourceProgram
from catalog.models import Product, Supplier, SupplierMember
from catalog.services import listing_input_of, listings, onboarding
from catalog.services import requests as product_requests
from mall import clock
from mall.accounts.models import User
from mall.regions.models import Region
from mall.units.domain import make_credit_code

# A one-page PDF standing for a scanned licence or letter (the demo has no real scans).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


# 价格佐证 of demo listings: the national 832 platform, where the same specialties sell.
EVIDENCE_URL = "https://www.fupin832.com/"


def _user(session: Session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def _pdf(name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(DEMO_PDF), name


def seed_catalog_workflows(session: Session) -> dict[str, int]:
    operator, coop, agri = _user(session, "demo-operator"), _user(session, "demo-coop"), _user(session, "demo-agri")
    supplier_user, buyer = _user(session, "demo-supplier"), _user(session, "demo-buyer")
    applications = _seed_applications(session, coop)
    pending_listings = _seed_listings_in_review(session, supplier_user, operator)
    recommended = _seed_recommendations(session, agri)
    requests = _seed_requests(session, buyer, operator)
    return {
        "applications": applications,
        "pending_listings": pending_listings,
        "requests": requests,
        "recommended": recommended,
    }


def _seed_applications(session: Session, coop) -> int:
    """Two applications: one waiting for the county (岳普湖, applied online), one recommended by
    the cooperative on 西和县's letter and waiting for the platform."""
    onboarding.apply(
        session,
        name="岳普湖县达瓦昆红枣农民专业合作社",
        credit_code=make_credit_code(registrar="93", region_code="653128", serial="MA78YPH3K"),
        region_code="653128",
        entity_type=EntityType.COOPERATIVE,
        contact_name="阿布都热依木",
        contact_phone="13899812345",
        address="新疆喀什地区岳普湖县阿其克乡",
        intro="社员种植灰枣两千余亩。",
        licences=[_pdf("营业执照.pdf")],
        username="yph-hongzao",
        password="demo-pass-2026",
    )
    xihe = onboarding.apply(
        session,
        actor=coop,
        name="西和县仇池半夏种植专业合作社",
        credit_code=make_credit_code(registrar="93", region_code="621225", serial="MA72XHBX9"),
        region_code="621225",
        entity_type=EntityType.COOPERATIVE,
        contact_name="王建军",
        contact_phone="09393212345",
        address="甘肃省陇南市西和县汉源镇",
        intro="种植加工半夏、花椒，带动脱贫户三百余户。",
        licences=[_pdf("营业执照.pdf"), _pdf("食品经营许可证.pdf")],
    )
    onboarding.recommend(session, actor=coop, supplier_id=xihe.id, letter=_pdf("西和县农业农村局推荐函.pdf"))
    return 2


def _seed_listings_in_review(session: Session, supplier_user, operator) -> int:
    """The demo supplier's listings in review: a new one, a likely duplicate, a price change; and
    one the operator rejected."""
    supplier_id = session.scalar(select(SupplierMember.supplier_id).where(SupplierMember.user_id == supplier_user.id))
    base = _listing_base(session, session.get(Supplier, supplier_id))

    def submit(data: ListingInput) -> Product:
        return listings.create_listing(
            session, actor=supplier_user, supplier_id=None, evidence_urls=[EVIDENCE_URL], data=data
        )

    submit(
        ListingInput(
            sku="DEMO-NEW-1",
            title="定西马铃薯 黄心土豆 食堂装 15kg/箱",
            spec="15kg/箱",
            price_fen=5_800,
            description="当季新薯，窖藏保鲜，适合机关食堂大批量使用。",
            **base,
        ),
    )
    _seed_changes_of_own(session, supplier_user, supplier_id, submit)
    rejected = submit(
        ListingInput(
            sku="DEMO-REJ-1",
            title="定西马铃薯 礼盒装 2.5kg/盒",
            spec="2.5kg/盒",
            price_fen=12_800,
            **{**base, "sale_unit": "盒"},
        ),
    )
    listings.reject_listing(
        session,
        actor=operator,
        product_id=rejected.id,
        reason="价格明显高于同类产品（每千克51.2元），请提供价格佐证或调整价格",
    )
    return 3


def _listing_base(session: Session, supplier: Supplier) -> dict:
    county = supplier.region_code
    program = (
        SourceProgram.COUNTERPART if session.get(Region, county).is_counterpart else SourceProgram.NATIONAL_POVERTY
    )
    return dict(
        category_slug="fruit-veg",
        sale_unit="箱",
        stock_qty=400,
        origin_county_code=county,
        program=program,
        shelf_life_days=120,
        season="9月-次年5月",
    )


def _seed_changes_of_own(session: Session, supplier_user, supplier_id: int, submit) -> None:
    """A likely duplicate of the supplier's first approved listing, and a price rise on its last."""
    own = session.scalars(
        select(Product)
        .where(Product.supplier_id == supplier_id, Product.status == ProductStatus.APPROVED)
        .order_by(Product.id)
    ).all()
    if not own:
        return
    first = own[0]
    submit(
        ListingInput(
            **{
                **listing_input_of(first).__dict__,
                "sku": "DEMO-TWIN-1",
                "title": f"精选 {first.title}",
                "price_fen": first.price_fen + 300,
            }
        ),
    )
    moved = listing_input_of(own[-1])
    listings.edit_listing(
        session,
        actor=supplier_user,
        product_id=own[-1].id,
        data=ListingInput(**{**moved.__dict__, "price_fen": round(moved.price_fen * 1.25)}),
    )


def _seed_recommendations(session: Session, agri) -> int:
    """The 临沂 agriculture officer recommends key-county products of the city."""
    linyi = session.scalars(
        select(Product)
        .join(Region, Region.code == Product.origin_county_code)
        .where(
            Product.status == ProductStatus.APPROVED,
            Region.parent_code == agri.region_code,
            Region.is_provincial_key.is_(True),
        )
        .order_by(Product.id)
        .limit(4)
    ).all()
    for product in linyi:
        listings.set_recommended(session, actor=agri, product_id=product.id, recommended=True)
    return len(linyi)


def _seed_requests(session: Session, buyer, operator) -> int:
    """Product requests from the demo buyers' unit: one new, one with the cooperative."""
    product_requests.create_request(
        session,
        actor=buyer,
        name="有机黑小米",
        spec="5kg/袋",
        quantity=60,
        wanted_by=clock.today() + timedelta(days=30),
        note="职工食堂杂粮粥用",
    )
    second = product_requests.create_request(
        session,
        actor=buyer,
        name="冷冻牛腱子肉",
        spec="5kg/箱",
        quantity=20,
        wanted_by=clock.today() + timedelta(days=21),
        note="春节前备货",
    )
    product_requests.assign_to_coop(session, actor=operator, request_id=second.id)
    return 2

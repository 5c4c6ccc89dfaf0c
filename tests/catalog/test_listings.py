"""Listing actions: submission with eligibility and evidence, review transitions, edits of a
listing on sale, delist/relist, recommendations, and other suppliers' listings hidden (404)."""

import io

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from catalog.domain import (
    ChangedMeanwhileError,
    ChangeStatus,
    ListingInput,
    ProductStatus,
    ReasonRequiredError,
    SourceProgram,
    SupplierNotApprovedError,
    SupplierStatus,
)
from catalog.models import ListingChange, Product, ProductPhoto, SearchOutbox
from catalog.services import listings
from mall import uploads
from mall.accounts.domain import Role
from mall.audit import AuditEvent
from mall.errors import InvalidInputError, InvalidTransitionError, NotFoundError, PermissionDeniedError
from mall.extensions import db
from mall.regions.domain import CountyFlags
from mall.regions.services import set_county_flags
from tests.factories import (
    login,
    make_category,
    make_eligible_county,
    make_product,
    make_region,
    make_supplier,
    make_supplier_user,
    make_user,
)
from tests.files import PDF_BYTES, PNG_BYTES


def listing(**overrides) -> ListingInput:
    return ListingInput(
        **(
            {
                "sku": "DX-001",
                "title": "定西土豆宽粉条 2.5kg/箱",
                "category_slug": "dried",
                "spec": "2.5kg/箱",
                "sale_unit": "箱",
                "price_fen": 5_200,
                "stock_qty": 300,
                "origin_county_code": "621102",
                "program": SourceProgram.COUNTERPART,
            }
            | overrides
        )
    )


@pytest.fixture
def shop(app):
    make_category("dried", "干货")
    supplier = make_supplier(region_code="621102", name="定西市安定区薯源农业科技有限公司")
    owner = make_supplier_user(supplier)
    operator = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    return {"supplier": supplier, "owner": owner, "operator": operator}


def submit(shop, **overrides) -> Product:
    return listings.create_listing(
        db.session,
        actor=shop["owner"],
        supplier_id=None,
        data=listing(**overrides),
        evidence_urls=["https://www.fupin832.com/goods/1"],
    )


def test_a_new_listing_waits_for_review_and_is_not_on_the_storefront(client, shop):
    product = submit(shop)
    assert product.status is ProductStatus.PENDING
    assert product.per_kilo_fen == 2_080 and product.net_content == 2_500
    assert client.get(f"/products/{product.id}").status_code == 404
    assert db.session.scalar(select(SearchOutbox.product_id)) is None  # the index learns of it once approved


def test_operator_approves_and_the_listing_goes_on_sale(client, shop):
    product = submit(shop)
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    assert product.status is ProductStatus.APPROVED
    assert client.get(f"/products/{product.id}").status_code == 200
    assert product.id in set(db.session.scalars(select(SearchOutbox.product_id)))


def test_reject_needs_a_reason_the_supplier_sees(client, shop):
    product = submit(shop)
    with pytest.raises(ReasonRequiredError) as err:
        listings.reject_listing(db.session, actor=shop["operator"], product_id=product.id, reason=" ")
    assert err.value.code == "reason_required"
    listings.reject_listing(db.session, actor=shop["operator"], product_id=product.id, reason="价格高于同类产品")
    login(client, shop["owner"])
    assert "价格高于同类产品" in client.get("/supplier/listings").get_data(as_text=True)


def test_nobody_reviews_their_own_listing(app, shop):
    both = make_user(Role.PLATFORM_OPERATOR, Role.COOP_OPERATOR)
    shop["supplier"].served_by_coop = True
    db.session.commit()
    product = listings.create_listing(
        db.session,
        actor=both,
        supplier_id=shop["supplier"].id,
        data=listing(),
        evidence_urls=["https://www.fupin832.com/goods/1"],
    )
    with pytest.raises(listings.SelfReviewError):
        listings.approve_listing(db.session, actor=both, product_id=product.id)


def test_only_the_operator_reviews(app, shop):
    product = submit(shop)
    with pytest.raises(PermissionDeniedError):
        listings.approve_listing(db.session, actor=shop["owner"], product_id=product.id)


def test_approving_twice_is_an_invalid_transition(app, shop):
    product = submit(shop)
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    with pytest.raises(InvalidTransitionError):
        listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"origin_county_code": "652824"}, "county_not_eligible"),  # 若羌: famous jujubes, never a poverty county
        ({"origin_county_code": "621121"}, "supplier_not_in_county"),  # eligible, but not where it is registered
        ({"origin_county_code": "999999"}, "unknown_county"),
        ({"program": SourceProgram.PROVINCIAL_KEY}, "program_mismatch"),
        ({"price_fen": 0}, "listing_invalid"),
        ({"stock_qty": -1}, "listing_invalid"),
        ({"category_slug": "toys"}, "unknown_category"),
        ({"pack_size": 6, "min_order_qty": 4}, "listing_invalid"),
    ],
)
def test_ineligible_or_bad_listings_are_refused_with_the_reason(app, shop, overrides, code):
    make_region("652824", name="若羌县")
    make_eligible_county("621121", name="通渭县")
    db.session.commit()
    with pytest.raises(InvalidInputError) as err:
        submit(shop, **overrides)
    assert err.value.code == code
    db.session.rollback()
    assert db.session.scalar(select(Product.id)) is None


def test_a_supplier_not_yet_approved_cannot_list(app, shop):
    shop["supplier"].status = SupplierStatus.RECOMMENDED
    db.session.commit()
    with pytest.raises(SupplierNotApprovedError) as err:
        submit(shop)
    assert err.value.code == "supplier_not_approved"


def test_price_evidence_is_required(app, shop):
    with pytest.raises(listings.EvidenceRequiredError):
        listings.create_listing(db.session, actor=shop["owner"], supplier_id=None, data=listing(), evidence_urls=[])


def test_evidence_document_and_photos_are_stored_and_checked(app, shop):
    product = listings.create_listing(
        db.session,
        actor=shop["owner"],
        supplier_id=None,
        data=listing(),
        evidence_urls=[],
        evidence_files=[(io.BytesIO(PDF_BYTES), "京东价格截图.pdf")],
        photos=[(io.BytesIO(PNG_BYTES), "a.png")],
    )
    assert product.evidence[0].original_name == "京东价格截图.pdf"
    assert product.photos[0].content_type == "image/png"
    with pytest.raises(uploads.UploadTypeError) as err:
        listings.create_listing(
            db.session,
            actor=shop["owner"],
            supplier_id=None,
            data=listing(sku="DX-002"),
            evidence_urls=["https://x.cn/1"],
            photos=[(io.BytesIO(b"MZ\x90\x00evil"), "a.png")],
        )
    assert err.value.code == "upload_type_not_allowed"
    db.session.rollback()  # as the error handler does: the action wrote nothing
    assert db.session.scalar(select(Product.id).where(Product.sku == "DX-002")) is None


def test_a_likely_duplicate_is_flagged_for_the_reviewer(app, shop):
    first = submit(shop)
    twin = submit(shop, sku="DX-002", title="特级 定西土豆宽粉条 家庭装 5kg/箱", spec="5kg/箱", price_fen=9_900)
    other = submit(shop, sku="DX-003", title="定西马铃薯精淀粉 1kg/袋", spec="1kg/袋", price_fen=1_600)
    assert twin.twin_of_id == first.id and twin.twin_score_pct == 100
    assert other.twin_of_id is None


def test_small_edits_apply_at_once_and_big_ones_wait_while_the_old_values_sell(client, shop):
    # given a listing on sale
    product = submit(shop)
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    # when the supplier moves the price 5 % and the stock: applied at once
    _, sent = listings.edit_listing(
        db.session, actor=shop["owner"], product_id=product.id, data=listing(price_fen=5_460, stock_qty=50)
    )
    assert not sent and product.price_fen == 5_460 and product.stock_qty == 50
    # when it raises the price 30 % and changes the stock: stock applies, the price waits
    _, sent = listings.edit_listing(
        db.session, actor=shop["owner"], product_id=product.id, data=listing(price_fen=7_100, stock_qty=40)
    )
    # then
    assert sent and product.status is ProductStatus.APPROVED
    assert product.price_fen == 5_460 and product.stock_qty == 40
    assert "¥54.60" in client.get(f"/products/{product.id}").get_data(as_text=True)
    change = db.session.scalar(select(ListingChange).where(ListingChange.status == "pending"))
    assert change.fields == ["price_fen"]
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    assert product.price_fen == 7_100 and product.per_kilo_fen == 2_840
    assert change.status == "approved"


def test_a_rejected_change_keeps_the_old_values(app, shop):
    product = submit(shop)
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    listings.edit_listing(db.session, actor=shop["owner"], product_id=product.id, data=listing(title="定西粉条"))
    listings.reject_listing(db.session, actor=shop["operator"], product_id=product.id, reason="名称不规范")
    assert product.title == "定西土豆宽粉条 2.5kg/箱" and product.status is ProductStatus.APPROVED


def test_delist_and_relist(app, shop):
    product = submit(shop)
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    listings.delist(db.session, actor=shop["owner"], product_id=product.id)
    assert product.status is ProductStatus.DELISTED
    listings.relist(db.session, actor=shop["owner"], product_id=product.id)
    assert product.status is ProductStatus.APPROVED
    # the operator delists for quality: relisting goes back to review
    listings.delist(db.session, actor=shop["operator"], product_id=product.id, reason="抽检不合格")
    listings.relist(db.session, actor=shop["owner"], product_id=product.id)
    assert product.status is ProductStatus.PENDING


def test_another_suppliers_listing_is_not_found(client, shop):
    product = make_product(supplier=shop["supplier"])
    stranger = make_supplier_user(make_supplier(region_code="621102"))
    db.session.commit()
    with pytest.raises(NotFoundError):
        listings.edit_listing(db.session, actor=stranger, product_id=product.id, data=listing())
    login(client, stranger)
    assert client.get(f"/supplier/listings/{product.id}").status_code == 404
    assert client.get(f"/supplier/listings/{product.id}/edit").status_code == 404
    assert client.post(f"/supplier/listings/{product.id}/delist").status_code == 404
    assert product.status is ProductStatus.APPROVED


def test_the_cooperative_lists_for_suppliers_it_serves_only(app, shop):
    coop = make_user(Role.COOP_OPERATOR)
    db.session.commit()
    with pytest.raises(NotFoundError):
        listings.create_listing(
            db.session, actor=coop, supplier_id=shop["supplier"].id, data=listing(), evidence_urls=["https://x.cn/1"]
        )
    shop["supplier"].served_by_coop = True
    db.session.commit()
    product = listings.create_listing(
        db.session, actor=coop, supplier_id=shop["supplier"].id, data=listing(), evidence_urls=["https://x.cn/1"]
    )
    assert product.supplier_id == shop["supplier"].id


def test_agriculture_officer_recommends_key_county_products_of_its_city_only(client, app):
    make_category("dried", "干货")
    make_region("371321", name="沂南县", is_provincial_key=True)
    local = make_product(
        supplier=make_supplier(region_code="371321"),
        origin_county_code="371321",
        origin_province_code="370000",
        program=SourceProgram.PROVINCIAL_KEY,
        title="沂南黄瓜",
    )
    far = make_product(supplier=make_supplier(region_code="621102"))
    officer = make_user(Role.AGRI_OFFICER, region_code="371300")
    db.session.commit()
    listings.set_recommended(db.session, actor=officer, product_id=local.id, recommended=True)
    assert local.recommended_at is not None
    with pytest.raises(listings.RecommendationScopeError):
        listings.set_recommended(db.session, actor=officer, product_id=far.id, recommended=True)
    html = client.get("/").get_data(as_text=True)
    assert "农业农村局推荐" in html and "沂南黄瓜" in html


def test_listing_form_submits_through_the_page(client, shop):
    login(client, shop["owner"])
    response = client.post(
        "/supplier/listings/new",
        data={
            "sku": "DX-100",
            "title": "定西马铃薯精淀粉 1kg/袋",
            "category": "dried",
            "spec": "1kg/袋",
            "sale_unit": "袋",
            "price": "16.00",
            "stock_qty": "200",
            "min_order_qty": "1",
            "origin_county_code": "621102",
            "program": "counterpart",
            "storage": "ambient",
            "shelf_life_days": "730",
            "net_content_unit": "g",
            "evidence_url": "https://www.fupin832.com/goods/2",
            "photos": [(io.BytesIO(PNG_BYTES), "photo.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    product = db.session.scalar(select(Product).where(Product.sku == "DX-100"))
    assert product.status is ProductStatus.PENDING and product.price_fen == 1_600 and len(product.photos) == 1
    # the owner can see its pending photo; a visitor cannot
    response = client.get(f"/media/photos/{product.photos[0].id}")
    assert response.status_code == 200 and response.get_data() == PNG_BYTES
    response.close()
    client.post("/logout")
    assert client.get(f"/media/photos/{product.photos[0].id}").status_code == 404
    # once approved, anyone sees it, and cards show it as the cover
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    cover = client.get(f"/products/{product.id}/photo-0.svg")
    assert cover.status_code == 302 and cover.headers["Location"].endswith(f"/media/photos/{product.photos[0].id}")
    public = client.get(f"/media/photos/{product.photos[0].id}")
    assert public.status_code == 200
    public.close()


def test_listing_form_shows_a_clear_error_and_writes_nothing(client, shop):
    login(client, shop["owner"])
    response = client.post(
        "/supplier/listings/new",
        data={
            "sku": "DX-101",
            "title": "定西马铃薯精淀粉",
            "category": "dried",
            "spec": "1kg/袋",
            "sale_unit": "袋",
            "price": "12.345",
            "stock_qty": "200",
            "origin_county_code": "621102",
            "program": "counterpart",
            "storage": "ambient",
            "net_content_unit": "g",
            "evidence_url": "https://x.cn",
        },
    )
    assert response.status_code == 200
    assert "价格格式不正确" in response.get_data(as_text=True)
    assert db.session.scalar(select(Product.id)) is None


def test_review_page_compares_the_price_per_kilo_with_similar_products(client, shop):
    other = make_supplier(region_code="621102")
    make_product(supplier=other, title="定西土豆宽粉条 5kg/箱", price_fen=9_000, net_content=5_000)  # 18.00/kg
    make_product(supplier=other, title="土豆宽粉条 2.5kg/箱", price_fen=5_000, net_content=2_500)  # 20.00/kg
    make_product(supplier=other, title="城口老腊肉 1kg/袋", price_fen=11_000, net_content=1_000)  # not similar
    db.session.commit()
    product = submit(shop, price_fen=7_500)  # 30.00/kg
    login(client, shop["operator"])
    html = client.get("/manage/listings").get_data(as_text=True)
    assert "2 个同类在售" in html and "¥19.00" in html and "高于中位价20%以上" in html
    assert product.title in html


def test_a_countys_new_flags_send_its_products_to_the_index(app, shop):
    product = make_product(supplier=shop["supplier"])
    db.session.commit()
    set_county_flags(
        db.session, code="621102", flags=CountyFlags(is_poverty_county=True, is_national_key=True, is_counterpart=True)
    )
    assert product.id in set(db.session.scalars(select(SearchOutbox.product_id)))


def on_sale(shop, **overrides) -> Product:
    product = submit(shop, **overrides)
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    return product


def test_eight_ten_percent_rises_cannot_walk_the_price_up_unreviewed(app, shop):
    # given a listing approved at ¥12.80
    product = on_sale(shop, price_fen=1_280, spec="500g/袋", sale_unit="袋")
    assert product.reviewed_price_fen == 1_280
    # when the supplier raises the price by 10 % eight times, each from the price it sees
    for _ in range(8):
        listings.edit_listing(
            db.session,
            actor=shop["owner"],
            product_id=product.id,
            data=listing(price_fen=product.price_fen * 11 // 10, spec="500g/袋", sale_unit="袋"),
        )
    # then the listing sells at most 10 % above the reviewed price, and the rise waits for review
    assert product.price_fen == 1_408
    change = db.session.scalar(select(ListingChange).where(ListingChange.status == ChangeStatus.PENDING))
    assert change.fields == ["price_fen"] and change.proposed["price_fen"] == 1_548
    # once approved, drift is measured from the new reviewed price
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    assert (product.price_fen, product.reviewed_price_fen) == (1_548, 1_548)


def test_a_smaller_pack_at_the_same_price_waits_for_review(client, shop):
    # given 500 g at ¥12.80 (¥25.60 per kg) on sale
    product = on_sale(shop, price_fen=1_280, spec="500g/袋", sale_unit="袋")
    assert product.per_kilo_fen == 2_560
    # when the supplier changes the spec to 100 g (and the stock, a minor field)
    _, sent = listings.edit_listing(
        db.session,
        actor=shop["owner"],
        product_id=product.id,
        data=listing(price_fen=1_280, spec="100g/袋", sale_unit="袋", net_content=100, stock_qty=7),
    )
    # then the stock applies, but the storefront still sells 500 g at ¥25.60/kg until approved
    assert sent and product.stock_qty == 7
    assert (product.spec, product.net_content, product.per_kilo_fen) == ("500g/袋", 500, 2_560)
    assert "500g/袋" in client.get(f"/products/{product.id}").get_data(as_text=True)
    change = db.session.scalar(select(ListingChange).where(ListingChange.status == ChangeStatus.PENDING))
    assert change.fields == ["net_content", "spec"]
    login(client, shop["operator"])
    queue = client.get("/manage/listings").get_data(as_text=True)
    assert "500克" in queue and "100克" in queue and "¥25.60" in queue and "¥128.00" in queue
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    assert (product.spec, product.net_content, product.per_kilo_fen) == ("100g/袋", 100, 12_800)


def test_a_pack_size_change_waits_with_its_minimum_order(app, shop):
    product = on_sale(shop)
    listings.edit_listing(
        db.session, actor=shop["owner"], product_id=product.id, data=listing(pack_size=6, min_order_qty=6)
    )
    assert (product.pack_size, product.min_order_qty) == (1, 1)
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    assert (product.pack_size, product.min_order_qty) == (6, 6)


def test_a_new_photo_of_a_listing_on_sale_is_private_until_approved(client, shop):
    # given a listing on sale
    product = on_sale(shop)
    # when the supplier adds a photo
    _, sent = listings.edit_listing(
        db.session,
        actor=shop["owner"],
        product_id=product.id,
        data=listing(),
        photos=[(io.BytesIO(PNG_BYTES), "new.png")],
    )
    photo = db.session.scalar(select(ProductPhoto))
    # then it waits for review: not on the product page, not served to visitors
    assert sent and photo.change_id is not None and product.photos == []
    assert client.get(f"/media/photos/{photo.id}").status_code == 404
    assert f"/media/photos/{photo.id}" not in client.get(f"/products/{product.id}").get_data(as_text=True)
    login(client, shop["operator"])
    assert f"/media/photos/{photo.id}" in client.get("/manage/listings").get_data(as_text=True)
    # when the operator approves, it is public
    listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    client.post("/logout")
    response = client.get(f"/media/photos/{photo.id}")
    assert response.status_code == 200
    response.close()


def test_the_photo_of_a_rejected_change_is_removed_with_its_file(app, shop):
    product = on_sale(shop)
    listings.edit_listing(
        db.session,
        actor=shop["owner"],
        product_id=product.id,
        data=listing(),
        photos=[(io.BytesIO(PNG_BYTES), "new.png")],
    )
    path = uploads.resolve(uploads.app_uploads_root(), db.session.scalar(select(ProductPhoto.path)))
    assert path.exists()
    listings.reject_listing(db.session, actor=shop["operator"], product_id=product.id, reason="照片与商品不符")
    assert db.session.scalar(select(ProductPhoto.id)) is None and not path.exists()


def test_a_newer_edit_supersedes_the_pending_change_and_keeps_its_photo(app, shop):
    product = on_sale(shop)
    listings.edit_listing(
        db.session,
        actor=shop["owner"],
        product_id=product.id,
        data=listing(),
        photos=[(io.BytesIO(PNG_BYTES), "new.png")],
    )
    listings.edit_listing(db.session, actor=shop["owner"], product_id=product.id, data=listing(title="定西宽粉条"))
    changes = db.session.scalars(select(ListingChange).order_by(ListingChange.id)).all()
    assert [c.status for c in changes] == [ChangeStatus.SUPERSEDED, ChangeStatus.PENDING]
    assert changes[1].fields == ["photos", "title"] and len(changes[1].photos) == 1


def test_a_reviewer_acting_on_what_someone_else_just_changed_changes_nothing(app, shop):
    # given a pending listing, rejected by another reviewer after this session read it
    product = submit(shop)
    db.session.execute(
        update(Product).where(Product.id == product.id).values(status=ProductStatus.REJECTED, revision=1)
    )
    db.session.commit()
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    set_committed_value(product, "status", ProductStatus.PENDING)  # what this session read before
    set_committed_value(product, "revision", 0)
    # then approving what this session read is refused, and nothing of it is written
    with pytest.raises(ChangedMeanwhileError) as err:
        listings.approve_listing(db.session, actor=shop["operator"], product_id=product.id)
    assert err.value.code == "changed_meanwhile" and "刷新" in err.value.message
    db.session.rollback()
    assert db.session.get(Product, product.id).status is ProductStatus.REJECTED
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before
    assert db.session.scalar(select(SearchOutbox.id)) is None


def test_the_page_refuses_to_approve_a_revision_the_reviewer_did_not_see(client, shop):
    product = submit(shop)
    seen = product.revision
    listings.edit_listing(db.session, actor=shop["owner"], product_id=product.id, data=listing(price_fen=9_900))
    login(client, shop["operator"])
    response = client.post(
        f"/manage/listings/{product.id}/approve", data={"revision": str(seen)}, follow_redirects=True
    )
    assert "刚刚已被他人处理" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.PENDING

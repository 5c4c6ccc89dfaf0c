"""A refused supplier application, a refused listing form and an import whose transaction rolls
back leave the uploads folder as it was: files are checked first, written last, and removed when
their transaction does not commit."""

import io

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from catalog.models import ImportJob, Product, Supplier
from catalog.services import imports, listings, onboarding
from mall import uploads
from mall.accounts.domain import WeakPasswordError
from mall.errors import DomainError
from mall.extensions import db
from mall.uploads import UploadTypeError
from tests.catalog.test_import import GOOD, rows_of, xlsx
from tests.catalog.test_listings import listing
from tests.catalog.test_onboarding import application
from tests.factories import login, make_category, make_eligible_county, make_supplier, make_supplier_user
from tests.files import PDF_BYTES, PNG_BYTES


def _files() -> set[str]:
    root = uploads.app_uploads_root()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def shop(app):
    make_category("dried", "干货")
    make_eligible_county("621102", name="安定区")
    supplier = make_supplier(region_code="621102")
    owner = make_supplier_user(supplier)
    db.session.commit()
    return {"supplier": supplier, "owner": owner}


def test_a_refused_application_leaves_no_licence_behind(app, shop):
    before = _files()
    licences = [(io.BytesIO(PDF_BYTES), "营业执照.pdf"), (io.BytesIO(PDF_BYTES * 1000), "食品经营许可证.pdf")]
    with pytest.raises(WeakPasswordError):
        onboarding.apply(db.session, **application(licences=licences, password="short"))
    db.session.rollback()
    assert _files() == before and db.session.scalar(select(Supplier.id).where(Supplier.name.like("%薯乡%"))) is None


def test_a_refused_application_through_the_public_form_leaves_no_file(client, shop):
    before = _files()
    response = client.post(
        "/suppliers/apply",
        data={
            "name": "定西市安定区薯乡马铃薯专业合作社",
            "credit_code": application()["credit_code"],
            "region_code": "621102",
            "entity_type": "cooperative",
            "contact_name": "马永福",
            "contact_phone": "13993212345",
            "username": "shuxiang",
            "password": "shuxiang-2026",
            "licences": [(io.BytesIO(PDF_BYTES), "执照.pdf"), (io.BytesIO(b"<html>"), "执照.html")],
        },
        content_type="multipart/form-data",
    )
    assert "文件类型不支持" in response.get_data(as_text=True)
    assert _files() == before


def test_a_refused_listing_leaves_no_photo_or_evidence_behind(client, shop):
    before = _files()
    with pytest.raises(UploadTypeError):
        listings.create_listing(
            db.session,
            actor=shop["owner"],
            supplier_id=None,
            data=listing(),
            evidence_urls=[],
            evidence_files=[(io.BytesIO(PDF_BYTES), "京东价格截图.pdf")],
            photos=[(io.BytesIO(PNG_BYTES), "a.png"), (io.BytesIO(b"MZ\x90\x00evil"), "b.png")],
        )
    db.session.rollback()
    assert _files() == before
    # the page, refused after its photo was read (the SKU is taken), leaves nothing either
    listings.create_listing(
        db.session, actor=shop["owner"], supplier_id=None, data=listing(), evidence_urls=["https://x.cn/1"]
    )
    before = _files()
    login(client, shop["owner"])
    page = client.post(
        "/supplier/listings/new",
        data={
            "sku": "DX-001",
            "title": "定西马铃薯精淀粉 1kg/袋",
            "category": "dried",
            "spec": "1kg/袋",
            "sale_unit": "袋",
            "price": "16.00",
            "stock_qty": "200",
            "origin_county_code": "621102",
            "program": "counterpart",
            "storage": "ambient",
            "net_content_unit": "g",
            "evidence_file": (io.BytesIO(PDF_BYTES), "佐证.pdf"),
            "photos": [(io.BytesIO(PNG_BYTES), "photo.png")],
        },
        content_type="multipart/form-data",
    )
    assert "相同商品编码" in page.get_data(as_text=True)
    assert _files() == before and db.session.scalar(select(Product.id).where(Product.title.like("%精淀粉%"))) is None


def test_an_import_whose_transaction_rolls_back_leaves_no_file(app, shop, monkeypatch):
    before = _files()

    def commit_fails() -> None:
        raise OperationalError("COMMIT", {}, Exception("could not write to the database"))

    monkeypatch.setattr(db.session, "commit", commit_fails)
    with pytest.raises(OperationalError):
        imports.queue_import(
            db.session,
            actor=shop["owner"],
            data=xlsx(rows_of({}, {})),
            filename="goods.xlsx",
            supplier_id=None,
            good_rows_only=False,
        )
    assert _files() != before  # the file was written inside the transaction…
    db.session.rollback()
    monkeypatch.undo()
    assert _files() == before  # …and went with it
    assert db.session.scalar(select(ImportJob.id)) is None


def test_a_refused_import_file_is_never_written(client, shop):
    before = _files()
    login(client, shop["owner"])
    bad = xlsx([GOOD] * 2)[:-40]  # truncated: not a readable archive
    page = client.post(
        "/supplier/listings/import", data={"file": (io.BytesIO(bad), "g.xlsx")}, content_type="multipart/form-data"
    )
    assert "无法读取" in page.get_data(as_text=True)
    assert _files() == before
    with pytest.raises(DomainError):
        imports.queue_import(
            db.session, actor=shop["owner"], data=bad, filename="g.xlsx", supplier_id=None, good_rows_only=False
        )
    assert _files() == before

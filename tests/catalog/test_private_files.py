"""Uploaded files only some users may see are never kept by a cache; approved listings' photos may be."""

import io

import pytest

from catalog.domain import ProductStatus
from catalog.models import PriceEvidence, ProductPhoto, SupplierDocument
from mall import clock, uploads
from mall.accounts.domain import Role
from mall.extensions import db
from tests.factories import login, make_product, make_user
from tests.files import PDF_BYTES, PNG_BYTES


def stored(area: str, data: bytes, name: str) -> str:
    return uploads.save_upload(
        uploads.app_uploads_root(), area, io.BytesIO(data), name, allowed=uploads.DOCUMENT_TYPES, max_bytes=10**6
    ).path


@pytest.fixture
def files(app):
    now = clock.now()
    pending = make_product(status=ProductStatus.PENDING)
    approved = make_product()
    rows = {
        "pending_photo": ProductPhoto(
            product_id=pending.id, path=stored("products", PNG_BYTES, "p.png"), content_type="image/png", created_at=now
        ),
        "approved_photo": ProductPhoto(
            product_id=approved.id,
            path=stored("products", PNG_BYTES, "a.png"),
            content_type="image/png",
            created_at=now,
        ),
        "evidence": PriceEvidence(
            product_id=approved.id,
            path=stored("evidence", PDF_BYTES, "价格.pdf"),
            original_name="价格.pdf",
            created_at=now,
        ),
        "licence": SupplierDocument(
            supplier_id=pending.supplier_id,
            kind="licence",
            path=stored("suppliers", PDF_BYTES, "执照.pdf"),
            original_name="执照.pdf",
            content_type="application/pdf",
            uploaded_at=now,
        ),
    }
    db.session.add_all(rows.values())
    operator = make_user(Role.PLATFORM_OPERATOR)
    db.session.commit()
    return {
        "private": [
            f"/media/photos/{rows['pending_photo'].id}",
            f"/media/evidence/{rows['evidence'].id}",
            f"/manage/suppliers/documents/{rows['licence'].id}",
        ],
        "public": f"/media/photos/{rows['approved_photo'].id}",
        "operator": operator,
    }


def test_private_files_are_never_stored_by_a_cache(client, files):
    # given the operator, who may see every file
    login(client, files["operator"])
    for url in files["private"]:
        # when they open a licence, a price evidence or an unapproved listing's photo
        response = client.get(url)
        response.close()
        # then neither a shared cache nor the browser keeps it
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-store", url
        assert "Expires" not in response.headers


def test_an_approved_listings_photo_may_be_cached(client, files):
    response = client.get(files["public"])
    response.close()
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"] and "max-age=3600" in response.headers["Cache-Control"]

"""JSON API for listings: create, edit, list by status or review queue, import a spreadsheet, review.

Shapes: `POST /api/v1/listings` → 201 `{"id", "status": "pending", …}`;
`POST /api/v1/listings/import` → `{"created", "updated", "errors": [{"row", "column", "message"}]}`,
422 when there are errors and nothing was written. `GET /api/v1/listings?review=pending` is the
review queue of the operator's page (`/manage/listings`): new listings and listings on sale with
a pending change, each with `pending_change.changes` ([{"field", "label", "from", "to"}]).
"""

from __future__ import annotations

from dataclasses import asdict

from flask import request
from sqlalchemy import select

from catalog import access, queries, services
from catalog.api import product_json
from catalog.api_schemas import (
    ImportForm,
    ImportOut,
    ImportQuery,
    ListingIn,
    ListingOut,
    ListingPage,
    ListingPatch,
    ListingQuery,
    ListingUpdateOut,
    ReasonIn,
    ReviewIn,
    RevisionIn,
    listing_values,
)
from catalog.domain import ListingInput, ListingInvalidError
from catalog.models import Product
from catalog.services import imports, listing_changes, listings
from mall.accounts.domain import Role
from mall.api import api_blueprint, api_user, paginated
from mall.api_schema import Auth, documented
from mall.extensions import db

api = api_blueprint("listings_api", __name__)
LISTINGS = "商品上架与审核"


def _input(values: dict, base: ListingInput | None = None) -> ListingInput:
    """A ListingInput from the checked JSON (mall.api_schema did the types and bounds), over
    `base` for PATCH; the SKU is the listing's key and never edited."""
    merged = asdict(base) if base else {}
    merged.update({k: v for k, v in values.items() if not (base is not None and k == "sku")})
    blank = [k for k, v in merged.items() if isinstance(v, str) and not v.strip() and k in _REQUIRED_TEXT]
    if blank:
        raise ListingInvalidError("缺少字段：" + "、".join("category" if b == "category_slug" else b for b in blank))
    return ListingInput(**merged)


_REQUIRED_TEXT = ("sku", "title", "category_slug", "spec", "sale_unit", "origin_county_code")


def _change_json(change) -> dict:
    return {
        "id": change.id,
        "fields": change.fields,
        "submitted_at": change.submitted_at.isoformat(),
        "changes": [c.as_json() for c in listing_changes.change_diff(db.session, change)],
        "photo_ids": [photo.id for photo in change.photos],
    }


def listing_json(product: Product) -> dict:
    body = product_json(product)
    change = listing_changes.pending_change(db.session, product.id)
    body.update(
        {
            "reject_reason": product.reject_reason or None,
            "revision": product.revision,
            "reviewed_price_fen": product.reviewed_price_fen,
            "pending_change": _change_json(change) if change else None,
            "twin_of_id": product.twin_of_id,
            "price_evidence": [{"url": e.url, "document": bool(e.path), "note": e.note} for e in product.evidence],
        }
    )
    return body


@api.post("/listings")
@documented(LISTINGS, Auth.BEARER, ListingOut, status=201, errors=(404,))
def listing_create(json: ListingIn):
    """上架一件商品（供应商、供销社），进入待审核

    新品须附价格依据（price_evidence_urls）；产地须为脱贫县或本省重点帮扶县，且与供应商注册地一致。
    """
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR)
    urls = json.price_evidence_urls or ([json.price_evidence_url] if json.price_evidence_url else [])
    product = listings.create_listing(
        db.session, actor=user, supplier_id=json.supplier_id, data=_input(listing_values(json)), evidence_urls=urls
    )
    return listing_json(product), 201


@api.patch("/listings/<int:product_id>")
@documented(LISTINGS, Auth.BEARER, ListingUpdateOut, errors=(404, 409))
def listing_update(product_id: int, json: ListingPatch):
    """修改商品：只改给出的字段

    在售商品的大幅涨价等改动先经平台审核（sent_to_review 为 true，审核前照旧在售）。
    """
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR)
    product = access.listing_for_actor(db.session, user, product_id)
    data = _input(listing_values(json), base=services.listing_input_of(product))
    product, sent = listings.edit_listing(
        db.session, actor=user, product_id=product.id, data=data, evidence_urls=json.price_evidence_urls or []
    )
    return listing_json(product) | {"sent_to_review": sent}


@api.get("/listings")
@documented(LISTINGS, Auth.BEARER, ListingPage)
def listing_list(query: ListingQuery):
    """商品列表：供应商看自己的，平台运营看全部

    按 status 筛选（最新的在前）；或 review=pending：与运营审核页相同的待审核队列（新商品与在售商品待审核的改动，
    等得最久的在前），每项的 pending_change.changes 列出改动的字段、原值与新值。
    """
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR, Role.PLATFORM_OPERATOR)
    scope = None if user.has_role(Role.PLATFORM_OPERATOR) else access.actable_supplier_ids(db.session, user)
    if query.review:
        stmt = queries.review_queue_select(scope)
    else:
        stmt = select(Product).order_by(Product.id.desc())
        if scope is not None:
            stmt = stmt.where(Product.supplier_id.in_(scope))
    if query.status:
        stmt = stmt.where(Product.status == query.status)
    return paginated(stmt, listing_json, page=query.page, per_page=query.per_page)


@api.get("/listings/<int:product_id>")
@documented(LISTINGS, Auth.BEARER, ListingOut, errors=(404,))
def listing_show(product_id: int):
    """一件商品及其审核信息"""
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR, Role.PLATFORM_OPERATOR)
    return listing_json(access.listing_for_viewer(db.session, user, product_id))


@api.post("/listings/import")
@documented(LISTINGS, Auth.BEARER, ImportOut, errors=(404,), answers={422: (ImportOut, "有错误，未写入任何行")})
def listing_import(form: ImportForm, query: ImportQuery):
    """以表格批量上架或更新（multipart 表单）

    mode=all 时只要有一行出错就全部不写入（422，errors 列出每个错误）；mode=good_rows 只写入无错的行。
    """
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR)
    supplier_id, rows = imports.parse_upload(
        db.session,
        actor=user,
        supplier_id=form.supplier_id,
        data=request.files["file"].read(),
        filename=request.files["file"].filename or "",
    )
    good_rows_only = "good_rows" in (form.mode, query.mode)
    result = imports.run_import(
        db.session, actor=user, rows=rows, supplier_id=supplier_id, good_rows_only=good_rows_only
    )
    return result.as_dict(), (200 if result.written else 422)


@api.post("/listings/<int:product_id>/approve")
@documented(LISTINGS, Auth.BEARER, ListingOut, errors=(404, 409))
def listing_approve(product_id: int, json: RevisionIn):
    """审核通过（平台运营）：新商品或其待审核的改动

    可带 revision（列表中看到的值）：商品此后又有改动时拒绝通过（409）。
    """
    user = api_user(Role.PLATFORM_OPERATOR)
    product = listings.approve_listing(db.session, actor=user, product_id=product_id, revision=json.revision)
    return listing_json(product)


@api.post("/listings/<int:product_id>/reject")
@documented(LISTINGS, Auth.BEARER, ListingOut, errors=(404, 409))
def listing_reject(product_id: int, json: ReviewIn):
    """驳回（平台运营）新商品或其待审核的改动，须写明理由；revision 同通过"""
    user = api_user(Role.PLATFORM_OPERATOR)
    product = listings.reject_listing(
        db.session, actor=user, product_id=product_id, reason=json.reason, revision=json.revision
    )
    return listing_json(product)


@api.post("/listings/<int:product_id>/delist")
@documented(LISTINGS, Auth.BEARER, ListingOut, errors=(404, 409))
def listing_delist(product_id: int, json: ReasonIn):
    """下架（供应商、供销社或平台运营），理由可省略"""
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR, Role.PLATFORM_OPERATOR)
    return listing_json(listings.delist(db.session, actor=user, product_id=product_id, reason=json.reason))


@api.post("/listings/<int:product_id>/relist")
@documented(LISTINGS, Auth.BEARER, ListingOut, errors=(404, 409))
def listing_relist(product_id: int):
    """重新上架（平台下架的须重新审核）"""
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR)
    return listing_json(listings.relist(db.session, actor=user, product_id=product_id))

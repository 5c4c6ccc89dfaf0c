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

from catalog import access, imports, listing_changes, listings, queries, services
from catalog.api import product_json
from catalog.domain import ListingInput, ListingInvalidError, ProductStatus, SourceProgram, Storage
from catalog.models import Product
from mall import bounds
from mall.accounts.domain import Role
from mall.api import api_blueprint, api_user, json_body, page_args, paginated
from mall.extensions import db

api = api_blueprint("listings_api", __name__)

_INT_FIELDS = ("price_fen", "stock_qty", "net_content", "min_order_qty", "shelf_life_days")


ListingFieldError = ListingInvalidError  # a bad JSON field is a bad listing, with the same code


def _input(body: dict, base: ListingInput | None = None) -> ListingInput:
    """A ListingInput from JSON (API names: `category`, money in `_fen`), over `base` for PATCH."""
    values = asdict(base) if base else {}
    mapping = {"category": "category_slug"}
    for key, value in body.items():
        name = mapping.get(key, key)
        if name not in ListingInput.__dataclass_fields__ or (name == "sku" and base is not None):
            continue  # unknown keys are ignored; the SKU is the listing's key and never edited
        values[name] = value
    for name in _INT_FIELDS:
        if name in values and (not isinstance(values[name], int) or isinstance(values[name], bool)):
            raise ListingFieldError(f"{name} 须为整数")
    required = (
        "sku",
        "title",
        "category_slug",
        "spec",
        "sale_unit",
        "price_fen",
        "stock_qty",
        "origin_county_code",
        "program",
    )
    missing = [k for k in required if values.get(k) in (None, "")]
    if missing:
        raise ListingFieldError("缺少字段：" + "、".join("category" if m == "category_slug" else m for m in missing))
    try:
        values["program"] = SourceProgram(values["program"])
        values["storage"] = Storage(values.get("storage") or "ambient")
    except ValueError:
        raise ListingFieldError("program 或 storage 取值不正确") from None
    for name in (
        "sku",
        "title",
        "category_slug",
        "spec",
        "sale_unit",
        "origin_county_code",
        "cert_no",
        "season",
        "description",
        "net_content_unit",
    ):
        if name in values and not isinstance(values[name], str):
            raise ListingFieldError(f"{name} 须为字符串")
    return ListingInput(**values)


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
def listing_create():
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR)
    body = json_body()
    urls = body.get("price_evidence_urls") or ([body["price_evidence_url"]] if body.get("price_evidence_url") else [])
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ListingFieldError("price_evidence_urls 须为链接列表")
    supplier_id = body.get("supplier_id")
    if supplier_id is not None and not isinstance(supplier_id, int):
        raise ListingFieldError("supplier_id 须为整数")
    product = listings.create_listing(
        db.session, actor=user, supplier_id=supplier_id, data=_input(body), evidence_urls=urls
    )
    return listing_json(product), 201


@api.patch("/listings/<int:product_id>")
def listing_update(product_id: int):
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR)
    product = access.listing_for_actor(db.session, user, product_id)
    body = json_body()
    data = _input(body, base=services.listing_input_of(product))
    urls = body.get("price_evidence_urls") or []
    product, sent = listings.edit_listing(
        db.session, actor=user, product_id=product.id, data=data, evidence_urls=urls if isinstance(urls, list) else []
    )
    return listing_json(product) | {"sent_to_review": sent}


@api.get("/listings")
def listing_list():
    """Listings the caller may see, newest first, by `status`; or `review=pending`: the review
    queue (new listings and listings with a pending change), longest waiting first."""
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR, Role.PLATFORM_OPERATOR)
    status = request.args.get("status") or None
    if status is not None and status not in set(ProductStatus):
        raise ListingFieldError("status 只能是 draft、pending、approved、rejected、delisted")
    review = request.args.get("review") or None
    if review not in (None, "pending"):
        raise ListingFieldError("review 只能是 pending")
    page, per_page = page_args()
    scope = None if user.has_role(Role.PLATFORM_OPERATOR) else access.actable_supplier_ids(db.session, user)
    if review:
        stmt = queries.review_queue_select(scope)
    else:
        stmt = select(Product).order_by(Product.id.desc())
        if scope is not None:
            stmt = stmt.where(Product.supplier_id.in_(scope))
    if status:
        stmt = stmt.where(Product.status == ProductStatus(status))
    return paginated(stmt, listing_json, page=page, per_page=per_page)


@api.get("/listings/<int:product_id>")
def listing_show(product_id: int):
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR, Role.PLATFORM_OPERATOR)
    return listing_json(access.listing_for_viewer(db.session, user, product_id))


@api.post("/listings/import")
def listing_import():
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR)
    upload = request.files.get("file")
    if upload is None:
        raise ListingFieldError("请以 multipart 表单字段 file 上传文件")
    mode = request.form.get("mode") or request.args.get("mode") or ""
    supplier_id, rows = imports.parse_upload(
        db.session,
        actor=user,
        supplier_id=request.form.get("supplier_id", type=int),
        data=upload.read(),
        filename=upload.filename or "",
    )
    result = imports.run_import(
        db.session, actor=user, rows=rows, supplier_id=supplier_id, good_rows_only=mode == "good_rows"
    )
    return result.as_dict(), (200 if result.written else 422)


@api.post("/listings/<int:product_id>/approve")
def listing_approve(product_id: int):
    """Approve a new listing or its pending change; an optional `revision` (as the listing showed
    it) refuses to approve anything changed since."""
    user = api_user(Role.PLATFORM_OPERATOR)
    revision = _revision(request.get_json(silent=True))
    return listing_json(listings.approve_listing(db.session, actor=user, product_id=product_id, revision=revision))


@api.post("/listings/<int:product_id>/reject")
def listing_reject(product_id: int):
    user = api_user(Role.PLATFORM_OPERATOR)
    body = json_body()
    reason = body.get("reason") if isinstance(body.get("reason"), str) else ""
    product = listings.reject_listing(
        db.session, actor=user, product_id=product_id, reason=reason, revision=_revision(body)
    )
    return listing_json(product)


def _revision(body: object) -> int | None:
    value = body.get("revision") if isinstance(body, dict) else None
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= bounds.MAX_ID:
        raise ListingFieldError("revision 须为非负整数（列表中商品的 revision）")
    return value


@api.post("/listings/<int:product_id>/delist")
def listing_delist(product_id: int):
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR, Role.PLATFORM_OPERATOR)
    body = request.get_json(silent=True) or {}
    reason = body.get("reason") if isinstance(body.get("reason"), str) else ""
    return listing_json(listings.delist(db.session, actor=user, product_id=product_id, reason=reason))


@api.post("/listings/<int:product_id>/relist")
def listing_relist(product_id: int):
    user = api_user(Role.SUPPLIER, Role.COOP_OPERATOR)
    return listing_json(listings.relist(db.session, actor=user, product_id=product_id))

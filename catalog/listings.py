"""Listing actions: create one with its price evidence and photos, edit, review (approve/reject),
delist and relist, and the agriculture officer's recommendation.

One public function per user action, one transaction each. Edits of a listing on sale that touch
price (> 10 %), title, origin, program, category or certification wait for review as a
ListingChange; the product keeps selling with its old values meanwhile (DOMAIN.md, review).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, replace
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import access, domain, outbox
from catalog.domain import ListingInput, ProductStatus
from catalog.models import Category, ListingChange, PriceEvidence, Product, ProductPhoto, SupplierMember
from catalog.services import ListingContext, listing_columns, listing_input_of
from mall import audit, clock, uploads
from mall.accounts.domain import Role
from mall.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from mall.money import per_kilo_fen
from mall.notifications import notify
from mall.regions.models import Region

log = logging.getLogger(__name__)
MAX_PHOTOS = 6


class EvidenceRequiredError(InvalidInputError):
    code, message = "price_evidence_required", "请提供价格佐证（同款商品在其他平台的价格链接或截图、文件）"


class SelfReviewError(PermissionDeniedError):
    code, message = "self_review_forbidden", "不能审核自己提交的商品"


class SkuTakenError(InvalidInputError):
    code, message, http_status = "sku_taken", "该供应商已有相同商品编码（SKU）的商品", 409


class RecommendationScopeError(PermissionDeniedError):
    code, message = "recommendation_out_of_scope", "只能推荐本辖区省级重点帮扶县的产品"


def _store(area: str, upload: tuple[BinaryIO, str], allowed: frozenset[str], max_bytes: int) -> uploads.StoredFile:
    stream, name = upload
    return uploads.save_upload(uploads.app_uploads_root(), area, stream, name, allowed=allowed, max_bytes=max_bytes)


def flag_twin(session: Session, product: Product) -> None:
    """Mark the supplier's own listing this one most likely duplicates (for the reviewer)."""
    others = session.execute(
        select(Product.id, Product.title, Product.origin_county_code, Product.category_id).where(
            Product.supplier_id == product.supplier_id,
            Product.id != product.id,
            Product.status != ProductStatus.REJECTED,
        )
    ).all()
    key = domain.ListingKey(product.id, product.title, str(product.category_id), product.origin_county_code)
    twin = domain.likely_twin(key, (domain.ListingKey(i, t, str(c), o) for i, t, o, c in others))
    product.twin_of_id, product.twin_score_pct = (twin[0], round(twin[1] * 100)) if twin else (None, None)


def create_listing(
    session: Session,
    *,
    actor,
    supplier_id: int | None,
    data: ListingInput,
    evidence_urls: list[str],
    evidence_files: list[tuple[BinaryIO, str]] = (),
    photos: list[tuple[BinaryIO, str]] = (),
) -> Product:
    """A supplier (or the cooperative for a supplier it serves) submits a new listing for review.

    Needs at least one piece of price evidence (a link or a document). Raises the listing and
    eligibility errors, EvidenceRequiredError, SkuTakenError, and the upload errors.
    """
    supplier = access.supplier_for_actor(session, actor, supplier_id)
    urls = [u.strip() for u in evidence_urls if u and u.strip()]
    if not urls and not evidence_files:
        raise EvidenceRequiredError()
    ctx = ListingContext(session, supplier)
    columns = listing_columns(ctx, data)
    if session.scalar(select(Product.id).where(Product.supplier_id == supplier.id, Product.sku == columns["sku"])):
        raise SkuTakenError()
    if len(photos) > MAX_PHOTOS:
        raise InvalidInputError(f"最多上传{MAX_PHOTOS}张照片")
    now = clock.now()
    product = Product(
        supplier_id=supplier.id,
        status=ProductStatus.PENDING,
        created_at=now,
        updated_at=now,
        created_by_id=actor.id,
        **columns,
    )
    session.add(product)
    session.flush()
    _add_evidence(session, product, urls, evidence_files, now)
    for position, upload in enumerate(photos):
        stored = _store(f"products/{product.id}", upload, uploads.IMAGE_TYPES, uploads.MAX_IMAGE_BYTES)
        session.add(
            ProductPhoto(
                product_id=product.id,
                path=stored.path,
                content_type=stored.content_type,
                position=position,
                created_at=now,
            )
        )
    flag_twin(session, product)
    audit.record(
        session,
        actor_id=actor.id,
        action="product.create",
        target_type="product",
        target_id=product.id,
        sku=product.sku,
        twin_of=product.twin_of_id,
    )
    session.commit()
    log.info("listing submitted: product=%s supplier=%s twin=%s", product.id, supplier.id, product.twin_of_id)
    return product


def _add_evidence(session, product, urls, files, now) -> None:
    for url in urls:
        if not url.lower().startswith(("http://", "https://")):
            raise InvalidInputError("价格佐证链接须以 http:// 或 https:// 开头")
        session.add(PriceEvidence(product_id=product.id, url=url[:500], created_at=now))
    for upload in files:
        stored = _store(f"evidence/{product.id}", upload, uploads.DOCUMENT_TYPES, uploads.MAX_DOCUMENT_BYTES)
        session.add(
            PriceEvidence(product_id=product.id, path=stored.path, original_name=stored.original_name, created_at=now)
        )


def edit_listing(
    session: Session,
    *,
    actor,
    product_id: int,
    data: ListingInput,
    evidence_urls: list[str] = (),
    photos: list[tuple[BinaryIO, str]] = (),
) -> tuple[Product, bool]:
    """Edit a listing. Returns (product, sent_to_review).

    Not yet on sale (pending/rejected/draft): updated in place and (re)submitted for review.
    On sale or delisted: minor changes apply at once; reviewed fields wait as a ListingChange.
    """
    product = access.listing_for_actor(session, actor, product_id)
    now = clock.now()
    ctx = ListingContext(session, product.supplier)
    data = replace(data, sku=product.sku)  # the SKU is the listing's key: never edited
    proposed = listing_columns(ctx, data)
    current_input = asdict(listing_input_of(product))
    needs = domain.fields_needing_review(current_input, asdict(domain.check_listing(data)))
    _add_evidence(session, product, [u.strip() for u in evidence_urls if u and u.strip()], [], now)
    start = len(product.photos)
    if start + len(photos) > MAX_PHOTOS:
        raise InvalidInputError(f"最多上传{MAX_PHOTOS}张照片")
    for offset, upload in enumerate(photos):
        stored = _store(f"products/{product.id}", upload, uploads.IMAGE_TYPES, uploads.MAX_IMAGE_BYTES)
        session.add(
            ProductPhoto(
                product_id=product.id,
                path=stored.path,
                content_type=stored.content_type,
                position=start + offset,
                created_at=now,
            )
        )
    sent = False
    if product.status in (ProductStatus.APPROVED, ProductStatus.DELISTED) and needs:
        minor = {k: v for k, v in proposed.items() if k not in _review_columns(needs)}
        _apply(product, minor, now)
        _queue_change(session, product, proposed, needs, actor, now)
        sent = True
    else:
        _apply(product, proposed, now)
        if product.status in (ProductStatus.REJECTED, ProductStatus.DRAFT):
            domain.ensure_product_transition(product.status, ProductStatus.PENDING)
            product.status, product.reject_reason = ProductStatus.PENDING, ""
        sent = product.status is ProductStatus.PENDING
        flag_twin(session, product)
    outbox.enqueue(session, [product.id])
    audit.record(
        session,
        actor_id=actor.id,
        action="product.edit",
        target_type="product",
        target_id=product.id,
        review_fields=sorted(needs),
    )
    session.commit()
    return product, sent


def apply_import_update(session: Session, product: Product, columns: dict, *, actor, now) -> bool:
    """A re-imported row for an existing listing, with the same review rules as the form (the
    caller commits). Returns whether the change waits for review."""
    proposed_input = {**asdict(listing_input_of(product))}
    new_input = {
        "title": columns["title"],
        "price_fen": columns["price_fen"],
        "origin_county_code": columns["origin_county_code"],
        "cert_no": columns["cert_no"],
        "program": columns["program"],
        "category_slug": _slug_of(session, columns),
    }
    needs = domain.fields_needing_review(proposed_input, new_input)
    if product.status in (ProductStatus.APPROVED, ProductStatus.DELISTED) and needs:
        _apply(product, {k: v for k, v in columns.items() if k not in _review_columns(needs)}, now)
        _queue_change(session, product, columns, needs, actor, now)
        return True
    _apply(product, columns, now)
    if product.status is ProductStatus.REJECTED:
        product.status, product.reject_reason = ProductStatus.PENDING, ""
    return product.status is ProductStatus.PENDING


def _slug_of(session: Session, columns: dict) -> str:
    return session.get(Category, columns["category_id"]).slug


# Review fields of the form and the product columns they change.
_REVIEW_COLUMNS = {
    "price_fen": ("price_fen", "per_kilo_fen"),
    "title": ("title",),
    "origin_county_code": ("origin_county_code", "origin_province_code"),
    "cert_no": ("cert_no",),
    "program": ("program",),
    "category_slug": ("category_id",),
}


def _review_columns(fields: set[str]) -> set[str]:
    return {col for f in fields for col in _REVIEW_COLUMNS.get(f, (f,))}


def _apply(product: Product, values: dict, now) -> None:
    for key, value in values.items():
        setattr(product, key, value)
    # Price and net content may change in different steps (one reviewed, one not): derive again.
    product.per_kilo_fen = per_kilo_fen(product.price_fen, product.net_content)
    product.updated_at = now


def _queue_change(session, product, proposed, needs, actor, now) -> ListingChange:
    change = session.scalar(
        select(ListingChange).where(ListingChange.product_id == product.id, ListingChange.status == "pending")
    )
    if change is None:
        change = ListingChange(product_id=product.id, submitted_at=now, proposed={}, fields=[])
        session.add(change)
    reviewed = {k: (v.value if hasattr(v, "value") else v) for k, v in proposed.items() if k in _review_columns(needs)}
    change.proposed, change.fields = reviewed, sorted(needs)
    change.submitted_by_id, change.submitted_at = actor.id, now
    return change


def _check_reviewer(actor, submitted_by_id: int | None) -> None:
    if not actor.has_role(Role.PLATFORM_OPERATOR):
        raise PermissionDeniedError("只有采购中心运营人员可以审核商品")
    if submitted_by_id == actor.id:
        raise SelfReviewError()


def approve_listing(session: Session, *, actor, product_id: int) -> Product:
    """The platform operator approves a pending listing (or its pending change): it goes on sale."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFoundError("未找到该商品")
    now = clock.now()
    change = _pending_change(session, product.id)
    domain.check_listing_price(change.proposed.get("price_fen", product.price_fen) if change else product.price_fen)
    if change is not None:
        _check_reviewer(actor, change.submitted_by_id)
        values = dict(change.proposed)
        if "program" in values:
            values["program"] = domain.SourceProgram(values["program"])
        _apply(product, values, now)
        change.status, change.reviewed_by_id, change.reviewed_at = "approved", actor.id, now
        action = "product.approve_change"
    else:
        _check_reviewer(actor, product.created_by_id)
        domain.ensure_product_transition(product.status, ProductStatus.APPROVED)
        product.status = ProductStatus.APPROVED
        action = "product.approve"
    product.reviewed_by_id, product.reviewed_at, product.reject_reason = actor.id, now, ""
    product.delisted_by_operator = False
    outbox.enqueue(session, [product.id])
    audit.record(session, actor_id=actor.id, action=action, target_type="product", target_id=product.id)
    session.commit()
    log.info("%s: product=%s by=%s", action, product.id, actor.id)
    return product


def reject_listing(session: Session, *, actor, product_id: int, reason: str) -> Product:
    """Reject a pending listing or change with a reason the supplier sees."""
    reason = domain.require_reason(reason)
    product = session.get(Product, product_id)
    if product is None:
        raise NotFoundError("未找到该商品")
    now = clock.now()
    change = _pending_change(session, product.id)
    if change is not None:
        _check_reviewer(actor, change.submitted_by_id)
        change.status, change.reviewed_by_id, change.reviewed_at, change.reason = "rejected", actor.id, now, reason
    else:
        _check_reviewer(actor, product.created_by_id)
        domain.ensure_product_transition(product.status, ProductStatus.REJECTED)
        product.status = ProductStatus.REJECTED
    product.reject_reason, product.reviewed_by_id, product.reviewed_at = reason, actor.id, now
    outbox.enqueue(session, [product.id])
    audit.record(
        session, actor_id=actor.id, action="product.reject", target_type="product", target_id=product.id, reason=reason
    )
    session.commit()
    return product


def _pending_change(session: Session, product_id: int) -> ListingChange | None:
    return session.scalar(
        select(ListingChange).where(ListingChange.product_id == product_id, ListingChange.status == "pending")
    )


def delist(session: Session, *, actor, product_id: int, reason: str = "") -> Product:
    """Take a listing off the storefront: its supplier (or the cooperative), or the operator."""
    by_operator = actor.has_role(Role.PLATFORM_OPERATOR)
    if by_operator:
        product = session.get(Product, product_id)
        if product is None:
            raise NotFoundError("未找到该商品")
        reason = domain.require_reason(reason)
    else:
        product = access.listing_for_actor(session, actor, product_id)
    domain.ensure_product_transition(product.status, ProductStatus.DELISTED)
    product.status, product.updated_at = ProductStatus.DELISTED, clock.now()
    product.delisted_by_operator = by_operator
    if by_operator:
        product.reject_reason = reason
    outbox.enqueue(session, [product.id])
    audit.record(
        session, actor_id=actor.id, action="product.delist", target_type="product", target_id=product.id, reason=reason
    )
    session.commit()
    return product


def relist(session: Session, *, actor, product_id: int) -> Product:
    """Put a delisted listing back on sale; if the operator had delisted it, it goes to review."""
    product = access.listing_for_actor(session, actor, product_id)
    new = ProductStatus.PENDING if product.delisted_by_operator else ProductStatus.APPROVED
    domain.ensure_product_transition(product.status, new)
    product.status, product.updated_at = new, clock.now()
    outbox.enqueue(session, [product.id])
    audit.record(
        session,
        actor_id=actor.id,
        action="product.relist",
        target_type="product",
        target_id=product.id,
        status=new.value,
    )
    session.commit()
    return product


def set_recommended(session: Session, *, actor, product_id: int, recommended: bool) -> Product:
    """A city's agriculture officer recommends (or stops recommending) a product of one of its
    provincial key counties: it carries a badge and appears in the 本省重点帮扶县 section."""
    if not actor.has_role(Role.AGRI_OFFICER) or not actor.region_code:
        raise PermissionDeniedError()
    product = session.get(Product, product_id)
    if product is None or product.status is not ProductStatus.APPROVED:
        raise NotFoundError("未找到该商品")
    county: Region = product.origin
    scope = actor.region_code
    in_scope = county.code == scope or county.parent_code == scope or county.code[:2] + "0000" == scope
    if not (county.is_provincial_key and in_scope):
        raise RecommendationScopeError()
    now = clock.now()
    product.recommended_by_id, product.recommended_at = (actor.id, now) if recommended else (None, None)
    outbox.enqueue(session, [product.id])
    audit.record(
        session,
        actor_id=actor.id,
        action="product.recommend" if recommended else "product.unrecommend",
        target_type="product",
        target_id=product.id,
    )
    for member_id in _supplier_member_ids(session, product.supplier_id):
        if recommended:
            notify(
                session,
                user_id=member_id,
                text=f"您的商品“{product.title}”获{actor.region.name}农业农村局推荐",
                link=f"/products/{product.id}",
            )
    session.commit()
    return product


def _supplier_member_ids(session: Session, supplier_id: int) -> list[int]:
    return list(session.scalars(select(SupplierMember.user_id).where(SupplierMember.supplier_id == supplier_id)))

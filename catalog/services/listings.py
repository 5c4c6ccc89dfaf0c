"""Listing actions: create one with its price evidence and photos, edit, review (approve/reject),
delist and relist, and the agriculture officer's recommendation.

One public function per user action, one transaction each. Edits of a listing on sale that change
what a buyer gets or pays wait for review as a ListingChange (catalog.domain.review says which);
the product keeps selling with its old values, and new photos stay private, until the operator
approves (catalog.services.listing_changes). Every review transition is an UPDATE guarded on the state and
revision it read: of two people acting at once exactly one wins, the other is told and nothing
of theirs (notification, audit, search outbox, file) is written. Uploads are checked before
anything is written and stored last, kept only if the action commits (mall.uploads).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import access, domain
from catalog.domain import ChangeStatus, ListingInput, ProductStatus, changed_meanwhile
from catalog.domain.errors import EvidenceRequiredError, RecommendationScopeError, SelfReviewError, SkuTakenError
from catalog.models import PriceEvidence, Product, ProductPhoto, SupplierMember
from catalog.search import outbox
from catalog.services import listing_changes
from catalog.services.catalogue import ListingContext, listing_columns
from mall import audit, clock, transitions, uploads
from mall.accounts.domain import Role
from mall.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from mall.notifications import notify
from mall.regions.models import Region

log = logging.getLogger(__name__)
MAX_PHOTOS = 6


Upload = tuple[BinaryIO, str]


def _check_files(uploads_: list[Upload], allowed: frozenset[str], max_bytes: int) -> list[uploads.CheckedUpload]:
    return [uploads.check_upload(stream, name, allowed=allowed, max_bytes=max_bytes) for stream, name in uploads_]


def _evidence_urls(urls: list[str]) -> list[str]:
    clean = [u.strip() for u in urls if u and u.strip()]
    for url in clean:
        if not url.lower().startswith(("http://", "https://")):
            raise InvalidInputError("价格佐证链接须以 http:// 或 https:// 开头")
    return [u[:500] for u in clean]


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
    evidence_files: list[Upload] = (),
    photos: list[Upload] = (),
) -> Product:
    """A supplier (or the cooperative for a supplier it serves) submits a new listing for review.

    Needs at least one piece of price evidence (a link or a document). Raises the listing and
    eligibility errors, EvidenceRequiredError, SkuTakenError, and the upload errors.
    """
    supplier = access.supplier_for_actor(session, actor, supplier_id)
    urls = _evidence_urls(evidence_urls)
    if not urls and not evidence_files:
        raise EvidenceRequiredError()
    ctx = ListingContext(session, supplier)
    columns = listing_columns(ctx, data)
    if session.scalar(select(Product.id).where(Product.supplier_id == supplier.id, Product.sku == columns["sku"])):
        raise SkuTakenError()
    if len(photos) > MAX_PHOTOS:
        raise InvalidInputError(f"最多上传{MAX_PHOTOS}张照片")
    documents = _check_files(evidence_files, uploads.DOCUMENT_TYPES, uploads.MAX_DOCUMENT_BYTES)
    images = _check_files(photos, uploads.IMAGE_TYPES, uploads.MAX_IMAGE_BYTES)
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
    session.add_all(PriceEvidence(product_id=product.id, url=url, created_at=now) for url in urls)
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
    _store_documents(session, product, documents, now)
    _store_photos(session, product, images, start=0, change_id=None, now=now)
    session.commit()
    log.info("listing submitted: product=%s supplier=%s twin=%s", product.id, supplier.id, product.twin_of_id)
    return product


def _store_documents(session: Session, product: Product, documents, now: datetime) -> None:
    for document in documents:
        stored = uploads.store(session, f"evidence/{product.id}", document)
        session.add(
            PriceEvidence(product_id=product.id, path=stored.path, original_name=stored.original_name, created_at=now)
        )


def _store_photos(session: Session, product: Product, images, *, start: int, change_id: int | None, now) -> None:
    for offset, image in enumerate(images):
        stored = uploads.store(session, f"products/{product.id}", image)
        session.add(
            ProductPhoto(
                product_id=product.id,
                path=stored.path,
                content_type=stored.content_type,
                position=start + offset,
                change_id=change_id,
                created_at=now,
            )
        )


def edit_listing(
    session: Session,
    *,
    actor,
    product_id: int,
    data: ListingInput,
    evidence_urls: list[str] = (),
    photos: list[Upload] = (),
) -> tuple[Product, bool]:
    """Edit a listing. Returns (product, sent_to_review).

    Not yet on sale (pending/rejected/draft): updated in place and (re)submitted for review.
    On sale or delisted: minor changes apply at once; reviewed fields and new photos wait as a
    ListingChange. Raises ChangedMeanwhileError when it was reviewed or edited meanwhile.
    """
    product = access.listing_for_actor(session, actor, product_id)
    ctx = ListingContext(session, product.supplier)
    data = replace(data, sku=product.sku)  # the SKU is the listing's key: never edited
    columns = listing_columns(ctx, data)
    urls = _evidence_urls(evidence_urls)
    start = len(product.all_photos)
    if start + len(photos) > MAX_PHOTOS:
        raise InvalidInputError(f"最多上传{MAX_PHOTOS}张照片")
    images = _check_files(photos, uploads.IMAGE_TYPES, uploads.MAX_IMAGE_BYTES)
    now = clock.now()
    needs, change = listing_changes.submit_edit(session, product, columns, actor=actor, now=now, new_photos=len(images))
    if change is None:
        flag_twin(session, product)
    session.add_all(PriceEvidence(product_id=product.id, url=url, created_at=now) for url in urls)
    outbox.enqueue(session, [product.id])
    audit.record(
        session,
        actor_id=actor.id,
        action="product.edit",
        target_type="product",
        target_id=product.id,
        review_fields=sorted(needs),
    )
    _store_photos(session, product, images, start=start, change_id=change.id if change else None, now=now)
    session.commit()
    return product, bool(needs) or product.status is ProductStatus.PENDING


def apply_import_update(session: Session, product: Product, columns: dict, *, actor, now) -> bool:
    """A re-imported row for an existing listing, with the same review rules as the form (the
    caller commits). Returns whether the change waits for review."""
    needs, _ = listing_changes.submit_edit(session, product, columns, actor=actor, now=now)
    return bool(needs) or product.status is ProductStatus.PENDING


def _check_reviewer(actor, submitted_by_id: int | None) -> None:
    if not actor.has_role(Role.PLATFORM_OPERATOR):
        raise PermissionDeniedError("只有采购中心运营人员可以审核商品")
    if submitted_by_id == actor.id:
        raise SelfReviewError()


def _get(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFoundError("未找到该商品")
    return product


def approve_listing(session: Session, *, actor, product_id: int, revision: int | None = None) -> Product:
    """The platform operator approves a pending listing (or its pending change): it goes on sale.
    `revision` is the one the reviewer saw (default: the one read now)."""
    product = _get(session, product_id)
    revision = product.revision if revision is None else revision
    now = clock.now()
    change = listing_changes.pending_change(session, product.id)
    domain.check_listing_price(change.proposed.get("price_fen", product.price_fen) if change else product.price_fen)
    reviewed = {"reviewed_by_id": actor.id, "reviewed_at": now, "reject_reason": ""}
    if change is not None:
        _check_reviewer(actor, change.submitted_by_id)
        values = listing_changes.change_values(change, product)
        listing_changes.move_listing(
            session, product, to=product.status, revision=revision, updated_at=now, **values, **reviewed
        )
        listing_changes.close_change(session, product, change, ChangeStatus.APPROVED, by=actor, now=now)
        action = "product.approve_change"
    else:
        _check_reviewer(actor, product.created_by_id)
        domain.ensure_product_transition(product.status, ProductStatus.APPROVED)
        listing_changes.move_listing(
            session,
            product,
            to=ProductStatus.APPROVED,
            revision=revision,
            reviewed_price_fen=product.price_fen,
            delisted_by_operator=False,
            **reviewed,
        )
        action = "product.approve"
    outbox.enqueue(session, [product.id])
    audit.record(session, actor_id=actor.id, action=action, target_type="product", target_id=product.id)
    session.commit()
    log.info("%s: product=%s by=%s", action, product.id, actor.id)
    return product


def reject_listing(session: Session, *, actor, product_id: int, reason: str, revision: int | None = None) -> Product:
    """Reject a pending listing or change with a reason the supplier sees; the photos of a
    rejected change are removed."""
    reason = domain.require_reason(reason)
    product = _get(session, product_id)
    revision = product.revision if revision is None else revision
    now = clock.now()
    change = listing_changes.pending_change(session, product.id)
    reviewed = {"reviewed_by_id": actor.id, "reviewed_at": now, "reject_reason": reason}
    if change is not None:
        _check_reviewer(actor, change.submitted_by_id)
        listing_changes.move_listing(session, product, to=product.status, revision=revision, **reviewed)
        listing_changes.close_change(session, product, change, ChangeStatus.REJECTED, by=actor, now=now, reason=reason)
    else:
        _check_reviewer(actor, product.created_by_id)
        domain.ensure_product_transition(product.status, ProductStatus.REJECTED)
        listing_changes.move_listing(session, product, to=ProductStatus.REJECTED, revision=revision, **reviewed)
    outbox.enqueue(session, [product.id])
    audit.record(
        session, actor_id=actor.id, action="product.reject", target_type="product", target_id=product.id, reason=reason
    )
    session.commit()
    return product


def delist(session: Session, *, actor, product_id: int, reason: str = "") -> Product:
    """Take a listing off the storefront: its supplier (or the cooperative), or the operator."""
    by_operator = actor.has_role(Role.PLATFORM_OPERATOR)
    if by_operator:
        product = _get(session, product_id)
        reason = domain.require_reason(reason)
    else:
        product = access.listing_for_actor(session, actor, product_id)
    values: dict = {"updated_at": clock.now(), "delisted_by_operator": by_operator}
    if by_operator:
        values["reject_reason"] = reason
    moved = transitions.move(
        session,
        Product,
        product.id,
        frm=[ProductStatus.APPROVED],
        to=ProductStatus.DELISTED,
        ensure=domain.ensure_product_transition,
        **values,
    )
    if not moved:
        domain.ensure_product_transition(product.status, ProductStatus.DELISTED)
        raise changed_meanwhile("商品")
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
    moved = transitions.move(
        session,
        Product,
        product.id,
        frm=[ProductStatus.DELISTED],
        to=new,
        where=[Product.delisted_by_operator == product.delisted_by_operator],
        updated_at=clock.now(),
    )
    if not moved:
        raise changed_meanwhile("商品")
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

"""Supplier onboarding (入驻): an online application with licences, the county's recommendation
(the agriculture officer whose region holds the county, or the cooperative filing the county's
letter for a supplier it serves), and the platform operator's review. DOMAIN.md, regions.
"""

from __future__ import annotations

import logging
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import domain
from catalog.domain import EntityType, SupplierStatus
from catalog.models import Supplier, SupplierDocument, SupplierMember
from catalog.services import SupplierCodeTakenError
from mall import audit, clock, uploads
from mall.accounts import services as account_services
from mall.accounts.domain import Role
from mall.errors import NotFoundError, PermissionDeniedError
from mall.notifications import notify
from mall.regions.domain import RegionLevel
from mall.regions.models import Region
from mall.units.domain import check_credit_code

log = logging.getLogger(__name__)


def apply(
    session: Session,
    *,
    actor=None,
    name: str,
    credit_code: str,
    region_code: str,
    entity_type: EntityType,
    contact_name: str,
    contact_phone: str,
    address: str = "",
    intro: str = "",
    licences: list[tuple[BinaryIO, str]],
    username: str | None = None,
    password: str | None = None,
) -> Supplier:
    """A supplier applies to join (自愿申请), with an account for itself; or the cooperative operator
    (actor) onboards a supplier it will serve. Refused with the reason when the county is not eligible.
    Raises InvalidCreditCodeError, SupplierCountyNotEligibleError, ApplicationInvalidError,
    SupplierCodeTakenError, the account errors and the upload errors."""
    credit_code = check_credit_code(credit_code)
    county = session.get(Region, (region_code or "").strip())
    domain.check_application(
        name=name,
        contact_name=contact_name,
        contact_phone=contact_phone,
        county_level=county is not None and county.level is RegionLevel.COUNTY,
        county_eligible=county is not None and county.is_eligible,
        licence_count=len(licences),
    )
    if session.scalar(select(Supplier.id).where(Supplier.credit_code == credit_code)):
        raise SupplierCodeTakenError()
    by_coop = actor is not None and actor.has_role(Role.COOP_OPERATOR)
    now = clock.now()
    supplier = Supplier(
        name=name.strip(),
        credit_code=credit_code,
        region_code=county.code,
        entity_type=entity_type,
        status=SupplierStatus.APPLIED,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        address=address.strip(),
        intro=intro.strip(),
        served_by_coop=by_coop,
        created_at=now,
    )
    session.add(supplier)
    session.flush()
    for stream, filename in licences:
        _add_document(session, supplier, "licence", (stream, filename), actor.id if actor else None, now)
    if username:
        user = account_services.add_user(
            session,
            username=username,
            password=password or "",
            display_name=contact_name,
            roles={Role.SUPPLIER},
            unit_id=None,
            region_code=None,
            phone=contact_phone,
            password_hash=None,
        )
        session.add(SupplierMember(user_id=user.id, supplier_id=supplier.id))
    audit.record(
        session,
        actor_id=actor.id if actor else None,
        action="supplier.apply",
        target_type="supplier",
        target_id=supplier.id,
        by_coop=by_coop,
    )
    session.commit()
    log.info("supplier applied: %s county=%s by_coop=%s", supplier.id, county.code, by_coop)
    return supplier


def _add_document(session, supplier, kind, upload, actor_id, now) -> SupplierDocument:
    stream, filename = upload
    stored = uploads.save_upload(
        uploads.app_uploads_root(),
        f"suppliers/{supplier.id}",
        stream,
        filename,
        allowed=uploads.DOCUMENT_TYPES,
        max_bytes=uploads.MAX_DOCUMENT_BYTES,
    )
    doc = SupplierDocument(
        supplier_id=supplier.id,
        kind=kind,
        path=stored.path,
        original_name=stored.original_name,
        content_type=stored.content_type,
        uploaded_by_id=actor_id,
        uploaded_at=now,
    )
    session.add(doc)
    return doc


def may_recommend(actor, supplier: Supplier) -> bool:
    """The county recommendation: an agriculture officer whose region holds the county, or the
    cooperative for a supplier it serves (filing the county's letter)."""
    if actor.has_role(Role.AGRI_OFFICER) and actor.region_code:
        scope, county = actor.region_code, supplier.region
        return scope in (county.code, county.parent_code) or scope == county.code[:2] + "0000"
    return actor.has_role(Role.COOP_OPERATOR) and supplier.served_by_coop


def recommend(session: Session, *, actor, supplier_id: int, letter: tuple[BinaryIO, str] | None = None) -> Supplier:
    """县级推荐. The cooperative must attach the county's recommendation letter."""
    supplier = _get(session, supplier_id)
    if not may_recommend(actor, supplier):
        raise NotFoundError("未找到该供应商")
    if actor.has_role(Role.COOP_OPERATOR) and not actor.has_role(Role.AGRI_OFFICER) and letter is None:
        raise domain.ApplicationInvalidError("请上传县级推荐函")
    domain.ensure_supplier_transition(supplier.status, SupplierStatus.RECOMMENDED)
    now = clock.now()
    if letter is not None:
        _add_document(session, supplier, "recommendation", letter, actor.id, now)
    supplier.status, supplier.recommended_by_id, supplier.recommended_at = SupplierStatus.RECOMMENDED, actor.id, now
    audit.record(session, actor_id=actor.id, action="supplier.recommend", target_type="supplier", target_id=supplier.id)
    session.commit()
    return supplier


def decline(session: Session, *, actor, supplier_id: int, reason: str) -> Supplier:
    """Decline at either step (the county, or the platform) with a reason the applicant sees."""
    reason = domain.require_reason(reason)
    supplier = _get(session, supplier_id)
    if not (actor.has_role(Role.PLATFORM_OPERATOR) or may_recommend(actor, supplier)):
        raise NotFoundError("未找到该供应商")
    domain.ensure_supplier_transition(supplier.status, SupplierStatus.DECLINED)
    supplier.status, supplier.decline_reason = SupplierStatus.DECLINED, reason
    supplier.reviewed_by_id, supplier.reviewed_at = actor.id, clock.now()
    _tell_members(session, supplier, f"入驻申请未通过：{reason}")
    audit.record(
        session,
        actor_id=actor.id,
        action="supplier.decline",
        target_type="supplier",
        target_id=supplier.id,
        reason=reason,
    )
    session.commit()
    return supplier


def approve(session: Session, *, actor, supplier_id: int) -> Supplier:
    """平台审核: the platform operator approves a recommended supplier; it may list from now on."""
    if not actor.has_role(Role.PLATFORM_OPERATOR):
        raise PermissionDeniedError()
    supplier = _get(session, supplier_id)
    if supplier.recommended_by_id == actor.id:
        raise PermissionDeniedError("推荐人不能同时审核")
    domain.ensure_supplier_transition(supplier.status, SupplierStatus.APPROVED)
    supplier.status, supplier.reviewed_by_id, supplier.reviewed_at = SupplierStatus.APPROVED, actor.id, clock.now()
    _tell_members(session, supplier, "入驻申请已通过平台审核，现在可以上架商品")
    audit.record(session, actor_id=actor.id, action="supplier.approve", target_type="supplier", target_id=supplier.id)
    session.commit()
    log.info("supplier approved: %s", supplier.id)
    return supplier


def _tell_members(session: Session, supplier: Supplier, text: str) -> None:
    for user_id in session.scalars(select(SupplierMember.user_id).where(SupplierMember.supplier_id == supplier.id)):
        notify(session, user_id=user_id, text=text, link="/supplier/application")


def _get(session: Session, supplier_id: int) -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFoundError("未找到该供应商")
    return supplier

"""Supplier onboarding (入驻): an online application with licences, the county's recommendation
(the agriculture officer whose region holds the county, or the cooperative filing the county's
letter for a supplier it serves), and the platform operator's review. DOMAIN.md, regions.

An applicant's account holds no role until the platform approves: it sees its application's
status, and nothing of a supplier's (listing, import, orders). The public form is rate-limited
per address. Each step is an UPDATE guarded on the status it read: of two people deciding at
once exactly one wins, and the other's notifications, roles and files are never written.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import domain
from catalog.domain import EntityType, SupplierStatus, changed_meanwhile
from catalog.models import Supplier, SupplierDocument, SupplierMember
from catalog.services.suppliers import SupplierCodeTakenError
from mall import audit, clock, rate_limits, transitions, uploads
from mall.accounts import services as account_services
from mall.accounts.domain import Role
from mall.accounts.models import UserRole
from mall.errors import NotFoundError, PermissionDeniedError
from mall.notifications import notify
from mall.regions.domain import RegionLevel
from mall.regions.models import Region
from mall.units.domain import check_credit_code

log = logging.getLogger(__name__)


def _apply_limit() -> rate_limits.Limit:
    config = current_app.config
    return rate_limits.Limit(
        "supplier_apply",
        config["SUPPLIER_APPLY_MAX_PER_ADDRESS"],
        timedelta(seconds=config["SUPPLIER_APPLY_WINDOW_SECONDS"]),
    )


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
    remote_addr: str | None = None,
) -> Supplier:
    """A supplier applies to join (自愿申请), with an account for itself; or the cooperative operator
    (actor) onboards a supplier it will serve. Refused with the reason when the county is not eligible.
    The public form passes `remote_addr`: its attempts are counted per address first (committed,
    so refused ones count too). Licences are checked before anything is written and stored last.
    Raises RateLimitedError, InvalidCreditCodeError, SupplierCountyNotEligibleError,
    ApplicationInvalidError, SupplierCodeTakenError, the account errors and the upload errors."""
    if remote_addr is not None:
        rate_limits.hit(session, _apply_limit(), remote_addr, message="该网络地址提交入驻申请过于频繁，请一小时后再试")
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
    documents = [_check_document(upload) for upload in licences]
    if session.scalar(select(Supplier.id).where(Supplier.credit_code == credit_code)):
        raise SupplierCodeTakenError()
    by_coop = actor is not None and actor.has_role(Role.COOP_OPERATOR)
    now = clock.now()
    contact = (contact_name.strip(), contact_phone.strip())
    supplier = _new_supplier(
        session, name, credit_code, county.code, entity_type, contact, address, intro, by_coop=by_coop, now=now
    )
    if username:
        _add_applicant_account(session, supplier, username, password or "", contact_name, contact_phone)
    actor_id = actor.id if actor else None
    audit.record(
        session,
        actor_id=actor_id,
        action="supplier.apply",
        target_type="supplier",
        target_id=supplier.id,
        by_coop=by_coop,
    )
    for document in documents:
        _store_document(session, supplier, "licence", document, actor_id, now)
    session.commit()
    log.info("supplier applied: %s county=%s by_coop=%s", supplier.id, county.code, by_coop)
    return supplier


def _new_supplier(
    session: Session,
    name: str,
    credit_code: str,
    region_code: str,
    entity_type: EntityType,
    contact: tuple[str, str],
    address: str,
    intro: str,
    *,
    by_coop: bool,
    now,
) -> Supplier:
    supplier = Supplier(
        name=name.strip(),
        credit_code=credit_code,
        region_code=region_code,
        entity_type=entity_type,
        status=SupplierStatus.APPLIED,
        contact_name=contact[0],
        contact_phone=contact[1],
        address=address.strip(),
        intro=intro.strip(),
        served_by_coop=by_coop,
        created_at=now,
    )
    session.add(supplier)
    session.flush()
    return supplier


def _add_applicant_account(
    session: Session, supplier: Supplier, username: str, password: str, contact_name: str, contact_phone: str
) -> None:
    """The applicant's own account, a member of the supplier; the supplier role comes with the
    platform's approval."""
    user = account_services.add_user(
        session,
        username=username,
        password=password,
        display_name=contact_name,
        roles=set(),
        unit_id=None,
        region_code=None,
        phone=contact_phone,
        password_hash=None,
    )
    session.add(SupplierMember(user_id=user.id, supplier_id=supplier.id))


def _check_document(upload: tuple[BinaryIO, str]) -> uploads.CheckedUpload:
    stream, filename = upload
    return uploads.check_upload(stream, filename, allowed=uploads.DOCUMENT_TYPES, max_bytes=uploads.MAX_DOCUMENT_BYTES)


def _store_document(session, supplier, kind, document: uploads.CheckedUpload, actor_id, now) -> SupplierDocument:
    stored = uploads.store(session, f"suppliers/{supplier.id}", document)
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


def _move(session: Session, supplier: Supplier, to: SupplierStatus, **values) -> None:
    """The guarded step: only from the status this action read."""
    domain.ensure_supplier_transition(supplier.status, to)
    moved = transitions.move(
        session,
        Supplier,
        supplier.id,
        frm=[supplier.status],
        to=to,
        ensure=domain.ensure_supplier_transition,
        **values,
    )
    if not moved:
        raise changed_meanwhile("入驻申请")


def recommend(session: Session, *, actor, supplier_id: int, letter: tuple[BinaryIO, str] | None = None) -> Supplier:
    """县级推荐. The cooperative must attach the county's recommendation letter."""
    supplier = _get(session, supplier_id)
    if not may_recommend(actor, supplier):
        raise NotFoundError("未找到该供应商")
    if actor.has_role(Role.COOP_OPERATOR) and not actor.has_role(Role.AGRI_OFFICER) and letter is None:
        raise domain.ApplicationInvalidError("请上传县级推荐函")
    document = _check_document(letter) if letter is not None else None
    now = clock.now()
    _move(session, supplier, SupplierStatus.RECOMMENDED, recommended_by_id=actor.id, recommended_at=now)
    audit.record(session, actor_id=actor.id, action="supplier.recommend", target_type="supplier", target_id=supplier.id)
    if document is not None:
        _store_document(session, supplier, "recommendation", document, actor.id, now)
    session.commit()
    return supplier


def decline(session: Session, *, actor, supplier_id: int, reason: str) -> Supplier:
    """Decline at either step (the county, or the platform) with a reason the applicant sees."""
    reason = domain.require_reason(reason)
    supplier = _get(session, supplier_id)
    if not (actor.has_role(Role.PLATFORM_OPERATOR) or may_recommend(actor, supplier)):
        raise NotFoundError("未找到该供应商")
    _move(
        session,
        supplier,
        SupplierStatus.DECLINED,
        decline_reason=reason,
        reviewed_by_id=actor.id,
        reviewed_at=clock.now(),
    )
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
    """平台审核: the platform operator approves a recommended supplier; its accounts get the
    supplier role and it may list from now on."""
    if not actor.has_role(Role.PLATFORM_OPERATOR):
        raise PermissionDeniedError()
    supplier = _get(session, supplier_id)
    if supplier.recommended_by_id == actor.id:
        raise PermissionDeniedError("推荐人不能同时审核")
    _move(session, supplier, SupplierStatus.APPROVED, reviewed_by_id=actor.id, reviewed_at=clock.now())
    _grant_supplier_role(session, supplier)
    _tell_members(session, supplier, "入驻申请已通过平台审核，现在可以上架商品")
    audit.record(session, actor_id=actor.id, action="supplier.approve", target_type="supplier", target_id=supplier.id)
    session.commit()
    log.info("supplier approved: %s", supplier.id)
    return supplier


def _grant_supplier_role(session: Session, supplier: Supplier) -> None:
    members = select(SupplierMember.user_id).where(SupplierMember.supplier_id == supplier.id)
    holders = select(UserRole.user_id).where(UserRole.role == Role.SUPPLIER)
    for user_id in session.scalars(members.where(SupplierMember.user_id.not_in(holders))):
        session.add(UserRole(user_id=user_id, role=Role.SUPPLIER))


def _tell_members(session: Session, supplier: Supplier, text: str) -> None:
    for user_id in session.scalars(select(SupplierMember.user_id).where(SupplierMember.supplier_id == supplier.id)):
        notify(session, user_id=user_id, text=text, link="/supplier/application")


def _get(session: Session, supplier_id: int) -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFoundError("未找到该供应商")
    return supplier

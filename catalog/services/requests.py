"""商品上架需求: a unit asks for a product the mall lacks; the platform operator assigns it to the
cooperative; the cooperative gets it listed and links the listing; the unit is told (DOMAIN.md).

Each step is an UPDATE guarded on the status it read (catalog.domain.states): of two people
acting on one request at once exactly one wins, and only the winner's notice reaches the unit.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.domain import (
    REQUEST_STATUS_LABELS,
    ProductStatus,
    RequestStatus,
    changed_meanwhile,
    ensure_request_transition,
)
from catalog.domain.errors import RequestInvalidError
from catalog.models import Product, ProductRequest
from mall import audit, clock, transitions
from mall.accounts.domain import Role
from mall.accounts.models import User, UserRole
from mall.bounds import MAX_DATE, MAX_QUANTITY, is_id
from mall.errors import NotFoundError, PermissionDeniedError
from mall.notifications import notify

log = logging.getLogger(__name__)

STATUS_LABELS = REQUEST_STATUS_LABELS


def _move(session: Session, request: ProductRequest, to: RequestStatus, **values) -> None:
    ensure_request_transition(request.status, to)
    moved = transitions.move(
        session,
        ProductRequest,
        request.id,
        frm=[request.status],
        to=to,
        ensure=ensure_request_transition,
        updated_at=clock.now(),
        **values,
    )
    if not moved:
        raise changed_meanwhile("上架需求")
    session.expire(request, ["product"])


def create_request(
    session: Session, *, actor, name: str, spec: str, quantity: int, wanted_by: date | None, note: str = ""
) -> ProductRequest:
    """A unit buyer asks for a product; the request belongs to the unit."""
    if not actor.has_role(Role.BUYER, Role.UNIT_ADMIN, Role.UNION_OFFICER) or not actor.unit_id:
        raise PermissionDeniedError("只有预算单位的采购人可以提出上架需求")
    name = (name or "").strip()
    if not 2 <= len(name) <= 100:
        raise RequestInvalidError("请填写商品名称（2-100个字）")
    if type(quantity) is not int or not 1 <= quantity <= MAX_QUANTITY:
        raise RequestInvalidError(f"需求数量须为1至{MAX_QUANTITY:,}之间的整数")
    today = clock.today()
    if wanted_by is not None and wanted_by < today:
        raise RequestInvalidError("期望到货日期不能早于今天")
    if wanted_by is not None and wanted_by > MAX_DATE:
        raise RequestInvalidError(f"期望到货日期不能晚于{MAX_DATE}")
    now = clock.now()
    request = ProductRequest(
        unit_id=actor.unit_id,
        requested_by_id=actor.id,
        name=name,
        spec=(spec or "").strip()[:60],
        quantity=quantity,
        wanted_by=wanted_by,
        note=(note or "").strip()[:500],
        status=RequestStatus.OPEN,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    for operator_id in _ids_with_role(session, Role.PLATFORM_OPERATOR):
        notify(session, user_id=operator_id, text=f"新的商品上架需求：{name}", link="/manage/product-requests")
    audit.record(
        session, actor_id=actor.id, action="product_request.create", target_type="product_request", target_id=request.id
    )
    session.commit()
    return request


def assign_to_coop(session: Session, *, actor, request_id: int) -> ProductRequest:
    if not actor.has_role(Role.PLATFORM_OPERATOR):
        raise PermissionDeniedError()
    request = _get(session, request_id)
    _move(session, request, RequestStatus.ASSIGNED)
    for coop_id in _ids_with_role(session, Role.COOP_OPERATOR):
        notify(session, user_id=coop_id, text=f"请对接商品上架需求：{request.name}", link="/manage/product-requests")
    notify(
        session,
        unit_id=request.unit_id,
        text=f"您单位的上架需求“{request.name}”已交供销社对接",
        link="/product-requests",
    )
    audit.record(
        session, actor_id=actor.id, action="product_request.assign", target_type="product_request", target_id=request.id
    )
    session.commit()
    return request


def mark_listed(session: Session, *, actor, request_id: int, product_id: int) -> ProductRequest:
    """The cooperative links the listing that answers the request; the unit is told with a link.
    The listing must be on sale, so the unit never follows a link to nothing."""
    if not actor.has_role(Role.COOP_OPERATOR, Role.PLATFORM_OPERATOR):
        raise PermissionDeniedError()
    request = _get(session, request_id)
    product = session.get(Product, product_id) if is_id(product_id) else None
    if product is None or product.status is not ProductStatus.APPROVED:
        raise RequestInvalidError("请选择已上架（审核通过）的商品")
    _move(session, request, RequestStatus.LISTED, product_id=product.id)
    notify(
        session,
        unit_id=request.unit_id,
        text=f"您单位需要的“{request.name}”已上架：{product.title}",
        link=f"/products/{product.id}",
    )
    audit.record(
        session,
        actor_id=actor.id,
        action="product_request.listed",
        target_type="product_request",
        target_id=request.id,
        product_id=product.id,
    )
    session.commit()
    return request


def close_request(session: Session, *, actor, request_id: int, reason: str) -> ProductRequest:
    if not actor.has_role(Role.COOP_OPERATOR, Role.PLATFORM_OPERATOR):
        raise PermissionDeniedError()
    reason = (reason or "").strip()
    if not reason:
        raise RequestInvalidError("请填写关闭原因")
    request = _get(session, request_id)
    _move(session, request, RequestStatus.CLOSED, closed_reason=reason[:300])
    notify(
        session,
        unit_id=request.unit_id,
        text=f"您单位的上架需求“{request.name}”已关闭：{reason}",
        link="/product-requests",
    )
    audit.record(
        session,
        actor_id=actor.id,
        action="product_request.close",
        target_type="product_request",
        target_id=request.id,
        reason=reason,
    )
    session.commit()
    return request


def request_for_unit(session: Session, *, actor, request_id: int) -> ProductRequest:
    request = session.get(ProductRequest, request_id)
    if request is None or request.unit_id != actor.unit_id:
        raise NotFoundError("未找到该需求")
    return request


def _get(session: Session, request_id: int) -> ProductRequest:
    request = session.get(ProductRequest, request_id)
    if request is None:
        raise NotFoundError("未找到该需求")
    return request


def _ids_with_role(session: Session, role: Role) -> list[int]:
    return list(
        session.scalars(
            select(User.id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role, User.is_active_account.is_(True))
        )
    )

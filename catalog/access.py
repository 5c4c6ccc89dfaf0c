"""Who may act for which supplier, and getters that hide other suppliers' objects (404, never 403).

A supplier's accounts act for it; the cooperative's operators act for the suppliers it serves;
the platform operator reviews everything but lists for no one.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from catalog.domain import SupplierNotApprovedError, SupplierStatus
from catalog.models import Product, Supplier, SupplierMember
from mall.accounts.domain import Role
from mall.bounds import is_id
from mall.errors import NotFoundError, PermissionDeniedError
from mall.regions.models import Region
from mall.regions.queries import within


def actable_supplier_ids(session: Session, user) -> Select | None:
    """A select of the supplier ids `user` may list for, or None when it may list for none."""
    if user.has_role(Role.COOP_OPERATOR):
        own = select(SupplierMember.supplier_id).where(SupplierMember.user_id == user.id)
        served = select(Supplier.id).where(Supplier.served_by_coop.is_(True))
        return served.union(own)
    if user.has_role(Role.SUPPLIER):
        return select(SupplierMember.supplier_id).where(SupplierMember.user_id == user.id)
    return None


def actable_suppliers(session: Session, user) -> list[Supplier]:
    """The suppliers `user` may list for (the listing form's choices), by county."""
    ids = actable_supplier_ids(session, user)
    if ids is None:
        return []
    return list(session.scalars(select(Supplier).where(Supplier.id.in_(ids)).order_by(Supplier.region_code)))


def can_act_for(session: Session, user, supplier: Supplier) -> bool:
    if user.has_role(Role.COOP_OPERATOR) and supplier.served_by_coop:
        return True
    if user.has_role(Role.SUPPLIER, Role.COOP_OPERATOR):
        return (
            session.scalar(
                select(SupplierMember.id).where(
                    SupplierMember.user_id == user.id, SupplierMember.supplier_id == supplier.id
                )
            )
            is not None
        )
    return False


def supplier_for_actor(session: Session, user, supplier_id: int | None) -> Supplier:
    """The supplier a listing action is for: the given one if the user may act for it, else the
    user's own supplier when none is given. Another supplier's id is "not found"; an applicant's
    account (no supplier role until the platform approves) may not act for its supplier yet."""
    if supplier_id is None:
        own = session.scalar(
            select(Supplier)
            .join(SupplierMember, SupplierMember.supplier_id == Supplier.id)
            .where(SupplierMember.user_id == user.id)
        )
        if own is None:
            raise PermissionDeniedError(
                "请选择要代为上架的供应商" if user.has_role(Role.COOP_OPERATOR) else "该账号未关联供应商"
            )
        if not user.has_role(Role.SUPPLIER, Role.COOP_OPERATOR):
            raise SupplierNotApprovedError()
        return own
    supplier = session.get(Supplier, supplier_id) if is_id(supplier_id) else None
    if supplier is None or not can_act_for(session, user, supplier):
        raise NotFoundError("未找到该供应商")
    return supplier


def listing_for_actor(session: Session, user, product_id: int) -> Product:
    """A listing the user may edit (its supplier's, or one the cooperative serves), or 404."""
    product = session.get(Product, product_id)
    if product is None or not can_act_for(session, user, product.supplier):
        raise NotFoundError("未找到该商品")
    return product


def listing_for_viewer(session: Session, user, product_id: int) -> Product:
    """A listing in any state, for its owners and for the platform operator (review)."""
    if user.has_role(Role.PLATFORM_OPERATOR):
        product = session.get(Product, product_id)
        if product is None:
            raise NotFoundError("未找到该商品")
        return product
    return listing_for_actor(session, user, product_id)


def supplier_queue_select(user, status: SupplierStatus | None) -> Select | None:
    """The suppliers in `user`'s onboarding queue, newest first: all for the platform operator,
    the county's for its agriculture officer, the served ones for the cooperative; None for
    anyone else (no queue)."""
    stmt = select(Supplier).order_by(Supplier.created_at.desc(), Supplier.id.desc())
    if status is not None:
        stmt = stmt.where(Supplier.status == status)
    if user.has_role(Role.PLATFORM_OPERATOR):
        return stmt
    if user.has_role(Role.AGRI_OFFICER) and user.region_code:
        return stmt.where(Supplier.region_code.in_(select(Region.code).where(within(user.region_code))))
    if user.has_role(Role.COOP_OPERATOR):
        return stmt.where(Supplier.served_by_coop.is_(True))
    return None

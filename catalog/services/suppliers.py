"""Suppliers registered directly (seeding, the platform) and the accounts that act for them.
Applications through the county or the cooperative are in `onboarding`."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.domain import EntityType, SupplierStatus
from catalog.domain.errors import SupplierCodeTakenError
from catalog.models import Supplier, SupplierMember
from catalog.services.catalogue import UnknownCountyError
from mall import audit, clock
from mall.regions.domain import RegionLevel
from mall.regions.models import Region
from mall.units.domain import check_credit_code

log = logging.getLogger(__name__)


def register_supplier(
    session: Session,
    *,
    actor_id: int | None,
    name: str,
    credit_code: str,
    region_code: str,
    entity_type: EntityType,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    intro: str = "",
    served_by_coop: bool = False,
    status: SupplierStatus = SupplierStatus.APPLIED,
) -> Supplier:
    """Record a supplier registered in a county. Seeding passes status=APPROVED for suppliers that
    already went through county recommendation and platform review."""
    credit_code = check_credit_code(credit_code)
    county = session.get(Region, region_code)
    if county is None or county.level is not RegionLevel.COUNTY:
        raise UnknownCountyError("注册地须为县级行政区")
    if session.scalar(select(Supplier.id).where(Supplier.credit_code == credit_code)):
        raise SupplierCodeTakenError()
    supplier = Supplier(
        name=name.strip(),
        credit_code=credit_code,
        region_code=region_code,
        entity_type=entity_type,
        status=status,
        contact_name=contact_name,
        contact_phone=contact_phone,
        address=address,
        intro=intro,
        served_by_coop=served_by_coop,
        created_at=clock.now(),
    )
    session.add(supplier)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="supplier.register",
        target_type="supplier",
        target_id=supplier.id,
        status=status.value,
    )
    session.commit()
    log.info("supplier registered: %s county=%s", supplier.id, region_code)
    return supplier


def add_supplier_member(session: Session, *, supplier_id: int, user_id: int) -> SupplierMember:
    """Let an account act for a supplier (its supplier role's scope)."""
    member = SupplierMember(supplier_id=supplier_id, user_id=user_id)
    session.add(member)
    session.commit()
    return member

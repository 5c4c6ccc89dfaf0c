"""Unit actions: register a unit in the tree (by region and supervising unit)."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall import audit, clock
from mall.errors import InvalidInputError
from mall.regions.models import Region
from mall.units.domain import UnitKind, check_credit_code
from mall.units.models import Unit

log = logging.getLogger(__name__)


class UnitInvalidError(InvalidInputError):
    code, message = "unit_invalid", "单位信息不正确"


class UnitCodeTakenError(InvalidInputError):
    code, message, http_status = "unit_credit_code_taken", "该统一社会信用代码已有单位使用", 409


def create_unit(
    session: Session,
    *,
    actor_id: int | None,
    name: str,
    kind: UnitKind,
    region_code: str,
    parent_id: int | None = None,
    credit_code: str | None = None,
    contact_name: str = "",
    contact_phone: str = "",
) -> Unit:
    """Register a unit. An SOE must have a parent unit: its spend counts to that parent (DOMAIN.md)."""
    name = (name or "").strip()
    if not 2 <= len(name) <= 100:
        raise UnitInvalidError("单位名称应为2-100个字")
    if session.get(Region, region_code) is None:
        raise UnitInvalidError("所在地区不存在")
    if parent_id is not None and session.get(Unit, parent_id) is None:
        raise UnitInvalidError("主管单位不存在")
    if kind is UnitKind.SOE and parent_id is None:
        raise UnitInvalidError("国有企业须指定主管单位")
    if credit_code:
        credit_code = check_credit_code(credit_code)
        if session.scalar(select(Unit.id).where(Unit.credit_code == credit_code)):
            raise UnitCodeTakenError()
    unit = Unit(
        name=name,
        kind=kind,
        region_code=region_code,
        parent_id=parent_id,
        credit_code=credit_code or None,
        contact_name=contact_name,
        contact_phone=contact_phone,
        created_at=clock.now(),
    )
    session.add(unit)
    session.flush()
    audit.record(session, actor_id=actor_id, action="unit.create", target_type="unit", target_id=unit.id)
    session.commit()
    log.info("unit created: %s region=%s", unit.id, region_code)
    return unit

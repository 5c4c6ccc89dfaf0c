"""Supplier onboarding (入驻): apply → county recommendation → platform review (DOMAIN.md).
Its states and transition table are in catalog.domain.states.

Only suppliers registered in an eligible county may join; one outside is refused with the reason.
"""

from __future__ import annotations

import re

from catalog.domain.errors import ApplicationInvalidError, ReasonRequiredError, SupplierCountyNotEligibleError


def check_application(
    *, name: str, contact_name: str, contact_phone: str, county_level: bool, county_eligible: bool, licence_count: int
) -> None:
    """What an application needs: a name, a contact, licences, and an eligible county of registration."""
    if not 4 <= len(name.strip()) <= 100:
        raise ApplicationInvalidError("主体名称应为4-100个字")
    if not contact_name.strip():
        raise ApplicationInvalidError("请填写联系人")
    if not re.fullmatch(r"1\d{10}|0\d{2,3}-?\d{7,8}", contact_phone.strip()):
        raise ApplicationInvalidError("联系电话格式不正确（手机号或座机号）")
    if not county_level:
        raise ApplicationInvalidError("注册地须为县级行政区")
    if not county_eligible:
        raise SupplierCountyNotEligibleError()
    if licence_count < 1:
        raise ApplicationInvalidError("请上传营业执照等资质文件")


def require_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequiredError()
    return reason[:500]

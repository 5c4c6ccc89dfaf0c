"""Rules about units: kinds, lifecycle states, and the unified social credit code check digit."""

from __future__ import annotations

from enum import StrEnum

from mall.errors import InvalidInputError, InvalidTransitionError


class UnitKind(StrEnum):
    AGENCY = "agency"  # 机关 (government department)
    INSTITUTION = "institution"  # 事业单位 (school, hospital, centre)
    SOE = "soe"  # 国有企业: trades with its own account, spend counts to its parent


UNIT_KIND_LABELS = {UnitKind.AGENCY: "机关", UnitKind.INSTITUTION: "事业单位", UnitKind.SOE: "国有企业"}


class UnitStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"  # 合并: totals follow the successor
    ABOLISHED = "abolished"  # 撤销


UNIT_STATUS_LABELS = {UnitStatus.ACTIVE: "正常", UnitStatus.MERGED: "已合并", UnitStatus.ABOLISHED: "已撤销"}

UNIT_TRANSITIONS: dict[UnitStatus, frozenset[UnitStatus]] = {
    UnitStatus.ACTIVE: frozenset({UnitStatus.MERGED, UnitStatus.ABOLISHED}),
    UnitStatus.MERGED: frozenset(),
    UnitStatus.ABOLISHED: frozenset(),
}


def ensure_unit_transition(current: UnitStatus, new: UnitStatus) -> None:
    if new not in UNIT_TRANSITIONS[current]:
        raise InvalidTransitionError(current=current, new=new)


class InvalidCreditCodeError(InvalidInputError):
    code, message = "invalid_credit_code", "统一社会信用代码应为18位且校验位正确"


# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z); the last is a check digit.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(code: str) -> str:
    """Normalise and verify a unified social credit code (统一社会信用代码); raise if it is wrong."""
    code = (code or "").strip().upper()
    if len(code) != 18 or any(ch not in CREDIT_CODE_ALPHABET for ch in code):
        raise InvalidCreditCodeError()
    if credit_code_check_char(code[:17]) != code[17]:
        raise InvalidCreditCodeError()
    return code


def make_credit_code(*, registrar: str, region_code: str, serial: str) -> str:
    """Build a valid code: registrar kind (2 chars, e.g. '11' agency, '12' institution, '91' company),
    the 6-digit region code, a 9-character organisation code, and the check digit."""
    body = (registrar + region_code + serial).upper()
    if len(body) != 17:
        raise ValueError("registrar(2) + region(6) + serial(9) must be 17 characters")
    return body + credit_code_check_char(body)

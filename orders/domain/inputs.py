"""What people type, checked: Idempotency-Keys and request fingerprints, order list filters,
addresses, purchase settings and cards."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from mall.bounds import MAX_AMOUNT_FEN, MAX_DATE, MIN_DATE, parse_date, parse_id
from mall.money import format_yuan
from orders.domain.errors import (
    InvalidAddressError,
    InvalidCardError,
    InvalidIdempotencyKeyError,
    InvalidOrderFilterError,
    InvalidSettingsError,
)
from orders.domain.states import OrderStatus, Purpose

# ---- idempotency -------------------------------------------------------------------------------

_KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def check_idempotency_key(key: str | None) -> str:
    if not key or not _KEY_RE.match(key):
        raise InvalidIdempotencyKeyError()
    return key


def request_fingerprint(fields: Mapping[str, object]) -> str:
    """A stable digest of what a request asked for: the same key with another body is a conflict."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


# ---- addresses and settings --------------------------------------------------------------------

_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


@dataclass(frozen=True)
class AddressInput:
    label: str
    recipient: str
    phone: str
    detail: str


def check_address(data: AddressInput) -> AddressInput:
    """A delivery address: a label (e.g. 机关食堂), a recipient, a mainland mobile or a landline
    with its area code, and a street address of 5-200 characters."""
    clean = AddressInput(
        label=(data.label or "").strip()[:20] or "收货地址",
        recipient=(data.recipient or "").strip(),
        phone=re.sub(r"\s", "", data.phone or ""),
        detail=(data.detail or "").strip(),
    )
    if not 1 <= len(clean.recipient) <= 40:
        raise InvalidAddressError("请填写收货人（不超过40字）")
    if not _PHONE_RE.match(clean.phone):
        raise InvalidAddressError("联系电话须为11位手机号或带区号的固定电话")
    if not 5 <= len(clean.detail) <= 200:
        raise InvalidAddressError("详细地址须为5至200字")
    return clean


def check_threshold(threshold_fen: int | None) -> int | None:
    if threshold_fen is not None and (
        isinstance(threshold_fen, bool)
        or not isinstance(threshold_fen, int)
        or not 0 <= threshold_fen <= MAX_AMOUNT_FEN
    ):
        raise InvalidSettingsError(f"审批金额须为0至{format_yuan(MAX_AMOUNT_FEN)}之间的金额，或留空表示无需审批")
    return threshold_fen


def check_invoice_title(title: str) -> str:
    title = (title or "").strip()
    if not 2 <= len(title) <= 100:
        raise InvalidSettingsError("发票抬头须为2至100字")
    return title


# ---- order list filters ------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderFilters:
    status: OrderStatus | None = None
    purpose: Purpose | None = None
    date_from: date | None = None  # Beijing dates, both ends included
    date_to: date | None = None
    checkout_id: int | None = None


def parse_order_filters(args: Mapping[str, str]) -> OrderFilters:
    """`status`, `purpose`, `from`, `to` (YYYY-MM-DD) and `checkout` from a query string; empty
    values are ignored, anything else unknown is refused with a clear message (never a 500)."""

    def text(name: str) -> str:
        return (args.get(name) or "").strip()

    status, purpose = text("status"), text("purpose")
    if status and status not in set(OrderStatus):
        raise InvalidOrderFilterError("未知的订单状态")
    if purpose and purpose not in set(Purpose):
        raise InvalidOrderFilterError("未知的采购用途")
    date_from, date_to = _filter_date(text("from")), _filter_date(text("to"))
    if date_from and date_to and date_from > date_to:
        raise InvalidOrderFilterError("起始日期不能晚于结束日期")
    checkout = text("checkout")
    checkout_id = parse_id(checkout) if checkout else None
    if checkout and checkout_id is None:
        raise InvalidOrderFilterError("结算单编号应为正整数")
    return OrderFilters(
        status=OrderStatus(status) if status else None,
        purpose=Purpose(purpose) if purpose else None,
        date_from=date_from,
        date_to=date_to,
        checkout_id=checkout_id,
    )


def _filter_date(text: str) -> date | None:
    if not text:
        return None
    value = parse_date(text)
    if value is None:
        raise InvalidOrderFilterError(f"日期格式应为 YYYY-MM-DD，且在{MIN_DATE}至{MAX_DATE}之间")
    return value


# ---- saved cards -------------------------------------------------------------------------------


def check_card(number: str, exp_month: int, exp_year: int, cvc: str, *, today: date) -> str:
    """A card to save: 16 digits passing the Luhn check, not expired, a 3-digit security code.
    Returns the digits (spaces and dashes removed)."""
    digits = re.sub(r"[\s-]", "", number or "")
    if not re.fullmatch(r"\d{16}", digits) or not re.fullmatch(r"\d{3}", cvc or ""):
        raise InvalidCardError()
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    if total % 10:
        raise InvalidCardError("卡号校验未通过，请核对")
    if not 1 <= exp_month <= 12 or (exp_year, exp_month) < (today.year, today.month) or exp_year > today.year + 20:
        raise InvalidCardError("卡片有效期不正确或已过期")
    return digits

"""Carriers as data (`fulfillment/data/carriers.csv`): code, name, cold chain, pace, and the form of
their tracking numbers; the signature on their webhook calls; the event payload both sides agree on.

Every carrier posts events to `POST /webhooks/carrier/<code>` with a JSON body signed by an
HMAC-SHA256 of the raw body under that carrier's secret (`X-Carrier-Signature: sha256=<hex>`). The
built-in simulated carrier (`simulation.py`) posts the same payload the same way."""

from __future__ import annotations

import csv
import hashlib
import hmac
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from catalog.domain import Storage
from fulfillment.domain.errors import (
    BadSignatureError,
    ColdChainRequiredError,
    InvalidCarrierEventError,
    InvalidTrackingNumberError,
    UnknownCarrierError,
)
from fulfillment.domain.states import CarrierEventCode

DATA = Path(__file__).resolve().parent.parent / "data"
SIGNATURE_HEADER = "X-Carrier-Signature"

# Lengths of what carriers send; the tables' columns are declared with these.
CARRIER_CODE_LENGTH = 20
TRACKING_NO_LENGTH = 40
EVENT_ID_LENGTH = 64
CITY_LENGTH = 40
NOTE_LENGTH = 200

COLD_STORAGE = frozenset({Storage.CHILLED, Storage.FROZEN})


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    cold_chain: bool  # 冷链: may carry chilled and frozen goods
    km_per_day: int  # line-haul pace, in great-circle km a day (the simulated carrier's speed)
    tracking_prefix: str
    tracking_digits: int

    def check_tracking_no(self, text: str) -> str:
        """A tracking number of this carrier's form (spaces removed, letters upper-cased).
        Raises InvalidTrackingNumberError."""
        cleaned = re.sub(r"\s", "", text or "").upper()
        if not re.fullmatch(rf"{re.escape(self.tracking_prefix)}\d{{{self.tracking_digits}}}", cleaned):
            raise InvalidTrackingNumberError(
                f"{self.name}运单号应为 {self.tracking_prefix} 加 {self.tracking_digits} 位数字", carrier=self.code
            )
        return cleaned

    def sample_tracking_no(self, seed: object) -> str:
        """A well-formed tracking number, the same for the same seed (demo data, simulations)."""
        rng = random.Random(f"{self.code}:{seed}")
        return self.tracking_prefix + "".join(rng.choice("0123456789") for _ in range(self.tracking_digits))


@cache
def all_carriers() -> tuple[Carrier, ...]:
    """Every carrier the mall knows, in the file's order (the order of the shipping form)."""
    with open(DATA / "carriers.csv", encoding="utf-8", newline="") as fh:
        return tuple(
            Carrier(
                code=row["code"],
                name=row["name"],
                cold_chain=row["cold_chain"] == "1",
                km_per_day=int(row["km_per_day"]),
                tracking_prefix=row["tracking_prefix"],
                tracking_digits=int(row["tracking_digits"]),
            )
            for row in csv.DictReader(fh)
        )


def carrier_by_code(code: str) -> Carrier:
    """The carrier with this code. Raises UnknownCarrierError."""
    found = next((c for c in all_carriers() if c.code == code), None)
    if found is None:
        raise UnknownCarrierError(carrier=code)
    return found


def check_carrier_for(carrier: Carrier, storages: Iterable[Storage]) -> Carrier:
    """Chilled and frozen goods travel only with a cold-chain carrier. Raises ColdChainRequiredError."""
    if COLD_STORAGE.intersection(storages) and not carrier.cold_chain:
        raise ColdChainRequiredError(
            f"冷藏、冷冻商品须由冷链承运商配送，{carrier.name}不是冷链承运商", carrier=carrier.code
        )
    return carrier


# ---- the webhook's signature and payload -------------------------------------------------------


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for a raw body: `sha256=<hex HMAC-SHA256>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_signature(secret: str, body: bytes, header: str | None) -> None:
    """Refuse a body whose signature is missing or wrong, before anything is read from it
    (constant-time comparison). Raises BadSignatureError."""
    if not secret or not header or not hmac.compare_digest(sign(secret, body), header.strip()):
        raise BadSignatureError()


@dataclass(frozen=True)
class CarrierEventInput:
    """One event as a carrier sends it. `event_id` is unique per carrier: a redelivery is stored once."""

    event_id: str
    tracking_no: str
    code: CarrierEventCode
    event_at: datetime  # aware: the carrier's clock, which orders the timeline
    city: str = ""
    note: str = ""


_EVENT_ID_RE = re.compile(rf"^[A-Za-z0-9_.:-]{{1,{EVENT_ID_LENGTH}}}$")


def event_payload(event: CarrierEventInput) -> dict[str, str]:
    """The JSON body of a webhook call (what the simulated carrier posts)."""
    return {
        "event_id": event.event_id,
        "tracking_no": event.tracking_no,
        "code": event.code.value,
        "event_at": event.event_at.isoformat(),
        "city": event.city,
        "note": event.note,
    }


def parse_event_payload(data: object) -> CarrierEventInput:
    """A webhook body, checked field by field. Raises InvalidCarrierEventError naming the field."""
    if not isinstance(data, Mapping):
        raise InvalidCarrierEventError("物流事件须为 JSON 对象")

    def text(name: str, limit: int, *, required: bool) -> str:
        value = data.get(name, "")
        if not isinstance(value, str) or len(value.strip()) > limit or (required and not value.strip()):
            raise InvalidCarrierEventError(f"物流事件字段 {name} 不正确", field=name)
        return value.strip()

    event_id = text("event_id", EVENT_ID_LENGTH, required=True)
    if not _EVENT_ID_RE.match(event_id):
        raise InvalidCarrierEventError("物流事件字段 event_id 不正确", field="event_id")
    code = text("code", 20, required=True)
    if code not in set(CarrierEventCode):
        raise InvalidCarrierEventError("未知的物流事件类型", field="code")
    try:
        event_at = datetime.fromisoformat(text("event_at", 40, required=True))
    except ValueError:
        raise InvalidCarrierEventError("物流事件时间须为带时区的 ISO 8601 时间", field="event_at") from None
    if event_at.tzinfo is None:
        raise InvalidCarrierEventError("物流事件时间须为带时区的 ISO 8601 时间", field="event_at")
    return CarrierEventInput(
        event_id=event_id,
        tracking_no=text("tracking_no", TRACKING_NO_LENGTH, required=True).upper(),
        code=CarrierEventCode(code),
        event_at=event_at,
        city=text("city", CITY_LENGTH, required=False),
        note=text("note", NOTE_LENGTH, required=False),
    )

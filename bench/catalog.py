#!/usr/bin/env python3
"""Catalog benchmark: the mall's list and product pages against a bare Flask + SQLAlchemy
baseline over the same rows, with 2,000 and 20,000 products, both under gunicorn (2 workers)
and loaded with wrk in the same run. Prints requests/s, p50/p99 latency and the ratio.

    make bench-catalog            (or: .venv/bin/python bench/catalog.py --sizes 2000,20000)

Target: the list page and the product page each ≥ 50 % of the baseline's requests/s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def prepare_database(instance: Path, size: int) -> Path:
    env = os.environ | {
        "MALL_INSTANCE_PATH": str(instance),
        "DATABASE_URL": "",
        "FLASK_APP": "wsgi:app",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([str(BIN / "flask"), "seed", "--quiet-accounts"], cwd=ROOT, env=env, check=True)
    db_path = instance / "mall.db"
    with sqlite3.connect(db_path) as conn:
        have = conn.execute("SELECT count(*) FROM products").fetchone()[0]
    if size > have:
        subprocess.run(
            [str(BIN / "flask"), "seed", "--quiet-accounts", "--products", str(size - have)],
            cwd=ROOT,
            env=env,
            check=True,
        )
    return db_path


def start(name: str, app: str, port: int, env: dict) -> subprocess.Popen:
    argv = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--preload", "--log-level", "warning", app]
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wrk(base: str, paths: list[str], seconds: int, connections: int) -> dict:
    quoted = ",".join(f'"{p}"' for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(
            f"paths = {{{quoted}}}\ncounter = 0\n"
            "request = function()\n  counter = counter + 1\n"
            "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n"
        )
        script.flush()
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def pct(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "errors": int(errors.group(1)) if errors else 0}


def run_size(size: int, seconds: int, connections: int) -> list[tuple]:
    instance = Path(tempfile.mkdtemp(prefix=f"bench-catalog-{size}-"))
    try:
        db_path = prepare_database(instance, size)
        with sqlite3.connect(db_path) as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM products WHERE status='approved'")]
            total = len(ids)
        rng = random.Random(size)
        product_paths = [f"/products/{i}" for i in rng.sample(ids, min(200, len(ids)))]
        pages = max(1, total // 20)
        list_paths = [f"/products?page={rng.randint(1, min(pages, 50))}" for _ in range(50)]
        mall_port, bare_port = free_port(), free_port()
        env = os.environ | {
            "MALL_INSTANCE_PATH": str(instance),
            "DATABASE_URL": "",
            "LOG_LEVEL": "WARNING",
            "MALL_SIMULATION": "1",
        }
        mall = start("mall", "wsgi:app", mall_port, env)
        bare = start("bare", "bench.bare_app:app", bare_port, env | {"DATABASE_URL": f"sqlite:///{db_path}"})
        try:
            wait_up(f"http://127.0.0.1:{mall_port}/products")
            wait_up(f"http://127.0.0.1:{bare_port}/products")
            rows = []
            for label, paths in (("list page", list_paths), ("product page", product_paths)):
                for name, port in (("bare", bare_port), ("mall", mall_port)):
                    wrk(f"http://127.0.0.1:{port}", paths[:5], 2, connections)  # warm-up
                    result = wrk(f"http://127.0.0.1:{port}", paths, seconds, connections)
                    rows.append((size, label, name, result))
            return rows
        finally:
            for proc in (mall, bare):
                proc.terminate()
                proc.wait(timeout=10)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (make system-deps installs it)", file=sys.stderr)
        return 2
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        results.extend(run_size(size, args.seconds, args.connections))
    print(f"\ncatalog benchmark: gunicorn 2 workers each, wrk -t2 -c{args.connections} -d{args.seconds}s, SQLite\n")
    print(f"{'products':>8}  {'page':<13} {'app':<5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}  ratio")
    ok = True
    for i in range(0, len(results), 2):
        (size, label, _, bare), (_, _, _, mall) = results[i], results[i + 1]
        ratio = mall["rps"] / bare["rps"] if bare["rps"] else 0.0
        ok &= ratio >= 0.5
        for name, r in (("bare", bare), ("mall", mall)):
            tail = f"  {ratio:.0%} of bare" if name == "mall" else ""
            print(
                f"{size:>8}  {label:<13} {name:<5} {r['rps']:>8.1f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['errors']:>8}{tail}"
            )
    print(f"\ntarget: mall ≥ 50 % of bare requests/s on both pages: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

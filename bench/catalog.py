#!/usr/bin/env python3
"""Catalog benchmark: the mall's list and product pages against a bare Flask + SQLAlchemy
baseline over the same rows, with 2,000 and 20,000 products, both under gunicorn (2 workers)
and loaded with wrk in the same run, after a warm-up that requests every path 3 times (the mall
keeps rendered fragments per worker), in 5 rounds alternating between the two apps. Prints
requests/s, p50/p99 latency and the ratio (the median of the rounds' ratios).

    make bench-catalog            (or: .venv/bin/python bench/catalog.py --sizes 2000,20000)

Target: the list page and the product page each ≥ 90 % of the baseline's requests/s, at both
sizes, in the same run (the machine's load moves both apps alike, so the ratio is the figure).

    .venv/bin/python bench/catalog.py --profile      (cProfile of the same requests, in-process)
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET = 0.9
ROUNDS = 5


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


def stop(proc: subprocess.Popen) -> None:
    """gunicorn's graceful stop, then a kill if a busy machine makes it late."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


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


def request_paths(db_path: Path, size: int) -> tuple[list[str], list[str]]:
    """50 list pages among the first 50 and 200 product pages, the same for every run of a size."""
    with sqlite3.connect(db_path) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM products WHERE status='approved'")]
    rng = random.Random(size)
    product_paths = [f"/products/{i}" for i in rng.sample(ids, min(200, len(ids)))]
    pages = max(1, len(ids) // 20)
    list_paths = [f"/products?page={rng.randint(1, min(pages, 50))}" for _ in range(50)]
    return list_paths, product_paths


def profile(size: int, rounds: int = 3) -> None:
    """The benchmark's requests through the mall in this process under cProfile (what to fix first)."""
    import cProfile
    import pstats

    instance = Path(tempfile.mkdtemp(prefix=f"bench-catalog-{size}-"))
    try:
        db_path = prepare_database(instance, size)
        os.environ.update(MALL_INSTANCE_PATH=str(instance), DATABASE_URL="", LOG_LEVEL="WARNING")
        sys.path.insert(0, str(ROOT))
        from mall import create_app
        from mall.templating import compile_templates

        app = create_app()
        compile_templates(app)
        client = app.test_client()
        for label, paths in zip(("list page", "product page"), request_paths(db_path, size), strict=True):
            for path in paths:
                client.get(path)  # warm caches, as wrk's warm-up does
            profiler = cProfile.Profile()
            profiler.runcall(lambda paths=paths: [client.get(p) for _ in range(rounds) for p in paths])
            print(f"\n== {label}, {size} products: {rounds} × {len(paths)} requests ==")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def warm_up(base: str, paths: list[str], connections: int, passes: int = 3) -> None:
    """Every path requested `passes` times over `connections` connections: each gunicorn worker
    has served (and, in the mall, kept the fragments of) nearly every page before measuring."""
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(lambda path: urllib.request.urlopen(base + path, timeout=30).read(), paths * passes))


def measure(apps: tuple[tuple[str, str], ...], paths: list[str], seconds: int, connections: int, rounds: int = ROUNDS):
    """wrk on each app in turn, `rounds` times `seconds / rounds`: the machine's load drifts over a
    run, and alternating short rounds lets it weigh on both apps alike. Mean requests/s, median
    p50, worst p99, and each app's ratio to the first app as the median of the rounds' ratios
    (a burst of load in one round moves one ratio, not the figure)."""
    runs: dict[str, list[dict]] = {name: [] for name, _ in apps}
    for _ in range(rounds):
        for name, base in apps:
            runs[name].append(wrk(base, paths, max(1, seconds // rounds), connections))
    first = runs[apps[0][0]]
    out = {
        name: {
            "rps": statistics.mean(r["rps"] for r in rs),
            "p50": statistics.median(r["p50"] for r in rs),
            "p99": max(r["p99"] for r in rs),
            "errors": sum(r["errors"] for r in rs),
            "ratios": [r["rps"] / b["rps"] if b["rps"] else 0.0 for r, b in zip(rs, first, strict=True)],
        }
        for name, rs in runs.items()
    }
    for result in out.values():
        result["ratio"] = statistics.median(result["ratios"])
    return out


def run_size(size: int, seconds: int, connections: int) -> list[tuple]:
    instance = Path(tempfile.mkdtemp(prefix=f"bench-catalog-{size}-"))
    try:
        db_path = prepare_database(instance, size)
        list_paths, product_paths = request_paths(db_path, size)
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
            apps = (("bare", f"http://127.0.0.1:{bare_port}"), ("mall", f"http://127.0.0.1:{mall_port}"))
            for label, paths in (("list page", list_paths), ("product page", product_paths)):
                for _, base in apps:
                    warm_up(base, paths, connections)
                results = measure(apps, paths, seconds, connections)
                rows.extend((size, label, name, results[name]) for name, _ in apps)
            return rows
        finally:
            for proc in (mall, bare):
                stop(proc)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--seconds", type=int, default=15, help=f"per app and page, in {ROUNDS} alternating rounds")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--profile", action="store_true", help="profile the requests in-process instead (first size)")
    args = parser.parse_args()
    if args.profile:
        profile(int(args.sizes.split(",")[0]))
        return 0
    if not shutil.which("wrk"):
        print("wrk is not installed (make system-deps installs it)", file=sys.stderr)
        return 2
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        results.extend(run_size(size, args.seconds, args.connections))
    print(
        f"\ncatalog benchmark: gunicorn 2 workers each, SQLite; after a warm-up requesting every path 3 times, "
        f"wrk -t2 -c{args.connections} on bare and mall in turn, {ROUNDS} rounds of {max(1, args.seconds // ROUNDS)} s each; "
        "ratio: the median of the rounds' ratios\n"
    )
    print(f"{'products':>8}  {'page':<13} {'app':<5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}  ratio")
    ok = True
    for i in range(0, len(results), 2):
        (size, label, _, bare), (_, _, _, mall) = results[i], results[i + 1]
        ratio = mall["ratio"]
        ok &= ratio >= TARGET
        for name, r in (("bare", bare), ("mall", mall)):
            rounds = " ".join(f"{x:.0%}" for x in mall["ratios"])
            tail = f"  {ratio:.0%} of bare (rounds: {rounds})" if name == "mall" else ""
            print(
                f"{size:>8}  {label:<13} {name:<5} {r['rps']:>8.1f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['errors']:>8}{tail}"
            )
    print(f"\ntarget: mall ≥ {TARGET:.0%} of bare requests/s on both pages: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

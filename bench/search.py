#!/usr/bin/env python3
"""Search benchmark: 20,000 products (the demo catalogue plus seed_data's synthetic listings) on
SQLite. Prints the index build time with and without jieba's cold start, then p50/p95/p99 latency
of 50 fixed queries (Chinese words, pinyin, initials, with filters and facets) in-process, and
over HTTP under gunicorn (2 workers, --preload) with wrk.

    make bench-search             (or: .venv/bin/python bench/search.py --size 20000)

Targets: build ≤ 60 s; p95 ≤ 25 ms in-process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench.catalog import free_port, prepare_database, wait_up  # noqa: E402 - needs ROOT on sys.path

# 50 queries: (q, extra filters). Words, pinyin, initials, then filtered ones (facets always come back).
QUERIES: list[tuple[str, dict[str, str]]] = [
    *[
        (q, {})
        for q in (
            "土豆",
            "马铃薯",
            "腊肉",
            "苹果",
            "核桃",
            "蜂蜜",
            "大米",
            "花椒",
            "牛肉",
            "羊肉",
            "红枣",
            "地瓜",
            "粉条",
            "绿茶",
            "香菇",
            "木耳",
            "猕猴桃",
            "脐橙",
            "花生油",
            "当归",
            "定西马铃薯",
            "和田骏枣",
            "城口老腊肉",
            "甘肃 苹果",
            "礼盒装",
        )
    ],  # fmt: skip
    *[(q, {}) for q in ("tudou", "malingshu", "larou", "pingguo", "hetao", "hetiandazao", "huajiao", "mihoutao")],
    *[(q, {}) for q in ("mls", "htjz", "htdz", "lr", "pg", "fm", "mht")],
    ("苹果", {"province": "620000"}),
    ("土豆", {"category": "fruit-veg"}),
    ("蜂蜜", {"price_max": "50"}),
    ("larou", {"program": "national_poverty"}),
    ("茶", {"category": "tea", "sort": "price_asc"}),
    ("", {"province": "500000"}),
    ("牛肉", {"national_key": "1"}),
    ("核桃", {"price_min": "20", "price_max": "80", "sort": "per_kilo_asc"}),
    ("pg", {"province": "620000", "page": "2"}),
    ("", {"category": "dried", "storage": "ambient"}),
]
assert len(QUERIES) == 50


def child_env(instance: Path) -> dict[str, str]:
    return os.environ | {"MALL_INSTANCE_PATH": str(instance), "DATABASE_URL": "", "LOG_LEVEL": "WARNING"}


# ---- run inside a fresh process (`--child …`) ------------------------------------------------------


def child_build() -> dict:
    """Time jieba's start and a full rebuild in this (new) process."""
    started = time.monotonic()
    from catalog import search
    from catalog.search import analysis
    from mall import create_app
    from mall.extensions import db

    app = create_app()
    with app.app_context():
        t0 = time.monotonic()
        analysis.init_jieba()
        jieba_s = time.monotonic() - t0
        t1 = time.monotonic()
        total = search.rebuild_index(db.session)
        build_s = time.monotonic() - t1
    return {"products": total, "jieba_s": jieba_s, "build_s": build_s, "process_s": time.monotonic() - started}


def child_query(rounds: int) -> dict:
    """Latency of the 50 queries in this process: the engine alone, and the whole service a page
    or the API uses (engine, facet labels, product rows)."""
    from catalog import search
    from catalog.domain import parse_list_filters
    from mall import create_app
    from mall.extensions import db

    app = create_app()
    with app.app_context():
        engine = search.get_engine()
        filters = [parse_list_filters({"q": q, **extra}, money_in_fen=False) for q, extra in QUERIES]
        search.warm_up()  # as gunicorn's master does before forking
        t = time.perf_counter()
        engine.search(parse_list_filters({}, money_in_fen=False))  # a worker's first search opens the index
        open_ms = (time.perf_counter() - t) * 1000
        first: list[float] = []
        for f in filters:  # first pass: a fresh process, nothing cached but the open index
            t = time.perf_counter()
            engine.search(f)
            first.append((time.perf_counter() - t) * 1000)
        engine_ms: list[float] = []
        service_ms: list[float] = []
        totals = []
        for _ in range(rounds):
            for f in filters:
                t = time.perf_counter()
                result = engine.search(f)
                engine_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                result = search.search_products(db.session, f)
                search.products_for(db.session, result.hits)
                service_ms.append((time.perf_counter() - t) * 1000)
                totals.append(result.total)
        db.session.remove()
    return {
        "open_ms": open_ms,
        "first": first,
        "engine": engine_ms,
        "service": service_ms,
        "totals": totals[: len(filters)],
    }


# ---- the parent: prepare, measure, print ---------------------------------------------------------


def run_child(instance: Path, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        cwd=ROOT,
        env=child_env(instance),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wrk(base: str, paths: list[str], seconds: int, connections: int) -> dict:
    quoted = ",".join(json.dumps(p) for p in paths)
    script = (
        f"paths = {{{quoted}}}\ncounter = 0\n"
        "request = function()\n  counter = counter + 1\n"
        "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('RESULT %d %d %d %d %d %d\\n', summary.requests, summary.errors.status,\n"
        "    summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99)))\nend\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", lua.name, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("RESULT"))
    requests, non2xx, duration_us, p50, p95, p99 = (int(x) for x in line.split()[1:])
    return {
        "rps": requests / (duration_us / 1e6),
        "non2xx": non2xx,
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
    }


def http_paths(api: bool) -> list[str]:
    out = []
    for q, extra in QUERIES:
        args = {"q": q, **extra}
        if api:
            args = {
                ("price_min_fen" if k == "price_min" else "price_max_fen" if k == "price_max" else k): v
                for k, v in args.items()
            }
            for key in ("price_min_fen", "price_max_fen"):
                if key in args:
                    args[key] = str(int(args[key]) * 100)
            out.append("/api/v1/search?" + urlencode(args))
        else:
            out.append("/search?" + urlencode(args))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=10, help="in-process passes over the 50 queries")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--keep", help="reuse (or keep) this instance folder")
    parser.add_argument("--skip-build", action="store_true", help="with --keep: reuse its index (latency only)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child_build() if args.child[0] == "build" else child_query(int(args.child[1]))
        print(json.dumps(result))
        return 0
    if not shutil.which("wrk"):
        print("wrk is not installed (make system-deps installs it)", file=sys.stderr)
        return 2

    instance = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-search-"))
    instance.mkdir(parents=True, exist_ok=True)
    try:
        print(f"preparing {args.size} products in {instance} …", flush=True)
        prepare_database(instance, args.size)
        if args.skip_build and (instance / "search" / "CURRENT").exists():
            cold = warm = None
        else:
            # Build 1: jieba's cold start (no dictionary cache yet) in a new process.
            (instance / "jieba.cache").unlink(missing_ok=True)
            cold = run_child(instance, "build")
            # Build 2: jieba's cache in the instance folder, as every later start finds it.
            warm = run_child(instance, "build")
        query = run_child(instance, "query", str(args.rounds))

        port = free_port()
        env = child_env(instance) | {"MALL_SIMULATION": "1"}
        argv = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--preload", "--log-level", "warning"]
        server = subprocess.Popen([*argv, "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        try:
            wait_up(f"http://127.0.0.1:{port}/api/v1/search?q=x")
            http = {}
            for label, paths in (("API /api/v1/search", http_paths(True)), ("page /search", http_paths(False))):
                wrk(f"http://127.0.0.1:{port}", paths, 2, args.connections)  # warm both workers
                for connections in (2, args.connections):  # one request per worker, then queued
                    http[f"{label}, c{connections}"] = wrk(f"http://127.0.0.1:{port}", paths, args.seconds, connections)
        finally:
            server.terminate()
            server.wait(timeout=15)
    finally:
        if not args.keep:
            shutil.rmtree(instance, ignore_errors=True)

    print(f"\nsearch benchmark: {args.size} products, SQLite, {os.cpu_count()} CPUs\n")
    if cold and warm:
        print(f"index build of {cold['products']} products (flask search rebuild's work, each in a new process)")
        print(
            f"  {'with jieba cold start, no cache file':<44} {cold['jieba_s'] + cold['build_s']:5.1f} s"
            f"  (jieba {cold['jieba_s']:.2f} s + indexing {cold['build_s']:.1f} s)"
        )
        print(
            f"  {'with jieba cold start, cache in instance/':<44} {warm['jieba_s'] + warm['build_s']:5.1f} s"
            f"  (jieba {warm['jieba_s']:.2f} s + indexing {warm['build_s']:.1f} s)"
        )
        print(f"  {'without jieba cold start (already loaded)':<44} {min(cold['build_s'], warm['build_s']):5.1f} s")
        print(f"  {'the whole process (imports, app, jieba, build)':<44} {warm['process_s']:5.1f} s")
    print(f"\nopening the index in a new process (first search: segments and column arrays): {query['open_ms']:.0f} ms")
    zero = sum(1 for t in query["totals"] if t == 0)
    print(f"\nin-process latency, 50 queries × {args.rounds} rounds ({zero} of 50 find nothing)")
    print(f"  {'':<44} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for label, values in (
        ("engine, first pass in a new process", query["first"]),
        ("engine (words → ranked page + facets)", query["engine"]),
        ("service (+ labels + product rows from DB)", query["service"]),
    ):
        print(f"  {label:<44} {pct(values, 50):7.2f} {pct(values, 95):7.2f} {pct(values, 99):7.2f} {max(values):7.2f}")
    print(
        f"\nHTTP under gunicorn (2 workers, --preload), wrk -t2 -d{args.seconds}s, the 50 queries' URLs in turn;"
        f" c2: one connection per worker, c{args.connections}: requests queue"
    )
    print(f"  {'':<28} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'non-2xx':>8}")
    for label, r in http.items():
        print(f"  {label:<28} {r['rps']:8.1f} {r['p50']:7.2f} {r['p95']:7.2f} {r['p99']:7.2f} {r['non2xx']:>8}")
    build_ok = not cold or max(cold["jieba_s"] + cold["build_s"], warm["jieba_s"] + warm["build_s"]) <= 60
    p95_ok = pct(query["engine"], 95) <= 25 and pct(query["service"], 95) <= 25
    print(
        f"\ntargets: build ≤ 60 s {'met' if build_ok else 'NOT met'}; p95 ≤ 25 ms in-process {'met' if p95_ok else 'NOT met'}"
    )
    print(f"mean hits per query: {statistics.mean(query['totals']):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Serve the mall as in production: localstripe (the Stripe-compatible mock) first, then — with
`--setup` — migrations and the demo data (seeding saves every unit's 公务卡 with Stripe), then
gunicorn with several workers and the jobs loop beside it. Ctrl-C stops them all; localstripe
saves its store to the instance folder as it stops, so a second `make run` keeps the payments.

Called by `make run` (and, with `--localstripe-only`, by `make localstripe` beside `make dev`);
run from the project root. localstripe is started only when STRIPE_API_BASE points at this
machine (the default, http://127.0.0.1:8420). It signs webhooks with the mall's own secret (from
the environment, or generated into instance/secrets.toml on the first start: mall/instance_secrets.py),
handed over in its environment, never on a command line that `ps` shows.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from seed_data.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD  # noqa: E402 - plain data, needs ROOT on the path

DEFAULT_STRIPE = "http://127.0.0.1:8420"


def mall_config() -> dict:
    """The configuration every process of the mall will run with (the app factory's, secrets included)."""
    from mall import create_app

    return dict(create_app().config)


def start_localstripe(env: dict[str, str], *, web_port: int) -> subprocess.Popen | None:
    """localstripe on the port of STRIPE_API_BASE, its store in the instance folder, our webhook
    registered with the mall's secret; returns once it accepts connections (None when Stripe is not local)."""
    base = urlparse(env.get("STRIPE_API_BASE") or DEFAULT_STRIPE)
    if base.hostname not in ("127.0.0.1", "localhost"):
        return None
    config = mall_config()
    instance = Path(config["INSTANCE_PATH"])
    argv = [
        str(BIN / "python"),
        str(ROOT / "scripts" / "localstripe_server.py"),
        "--port",
        str(8420 if base.port is None else base.port),  # 0: any free port (tests)
        "--store",
        str(instance / "localstripe.pickle"),
        "--webhook-url",
        f"http://127.0.0.1:{web_port}/webhooks/stripe",
    ]
    print(f"starting localstripe: {' '.join(argv)}", flush=True)
    child_env = env | {"STRIPE_WEBHOOK_SECRET": config["STRIPE_WEBHOOK_SECRET"]}
    proc = subprocess.Popen(argv, cwd=ROOT, env=child_env, stdout=subprocess.PIPE, text=True)
    first = proc.stdout.readline().strip() if proc.stdout else ""
    if not first.startswith("localstripe listening on"):
        proc.wait(timeout=10)
        raise SystemExit(f"localstripe did not start (is port {base.port} taken?)")
    print(first, flush=True)
    return proc


def main() -> int:
    args = _parse_args()
    env = os.environ | {"FLASK_APP": "wsgi:app"}
    env.setdefault("STRIPE_API_BASE", DEFAULT_STRIPE)
    env.setdefault("MALL_BASE_URL", f"http://{args.host}:{args.port}")  # the simulated carrier posts here
    children: list[subprocess.Popen] = []

    def stop_all() -> None:
        for child in reversed(children):  # localstripe last: the web workers may still call it
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()

    stripe = start_localstripe(env, web_port=args.port)
    if stripe is not None:
        children.append(stripe)
    if args.localstripe_only:
        if stripe is None:
            print("STRIPE_API_BASE is not on this machine: no localstripe to start", flush=True)
            return 1
        return wait_for(children, stop_all)
    if args.setup and not set_up(env):
        stop_all()
        return 1
    start_mall(args, env, children)
    print(f"\n脱贫地区农副产品馆: http://{args.host}:{args.port}  (Ctrl-C stops)", flush=True)
    print(
        f"demo accounts, password {DEMO_PASSWORD}: " + ", ".join(a.username for a in DEMO_ACCOUNTS) + "\n", flush=True
    )
    return wait_for(children, stop_all)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--setup", action="store_true", help="migrate and seed (once localstripe is up)")
    parser.add_argument("--localstripe-only", action="store_true", help="only localstripe, until Ctrl-C (make dev)")
    return parser.parse_args()


def set_up(env: dict[str, str]) -> bool:
    """Migrations, the demo data, and the search index, built once here (if missing or stale)
    before any worker serves. False when a step failed."""
    for step in (["db", "upgrade"], ["seed"], ["search", "rebuild", "--if-needed"]):
        if subprocess.run([str(BIN / "flask"), *step], cwd=ROOT, env=env).returncode != 0:
            print(f"flask {' '.join(step)} failed; stopping", flush=True)
            return False
    return True


def start_mall(args: argparse.Namespace, env: dict[str, str], children: list[subprocess.Popen]) -> None:
    """The jobs loop, the search worker (the one index writer: applies the outbox, so an approved
    listing is found within ~1 s) and gunicorn, each added to `children` as it starts."""
    gunicorn = [str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind", f"{args.host}:{args.port}"]
    gunicorn += ["--preload", "--access-logfile", "-", "--timeout", "60", "wsgi:app"]
    for name, argv in (
        ("jobs loop", [str(BIN / "flask"), "jobs", "loop"]),
        ("search worker", [str(BIN / "flask"), "search", "worker"]),
        ("gunicorn", gunicorn),
    ):
        print(f"starting {name}: {' '.join(argv)}", flush=True)
        children.append(subprocess.Popen(argv, cwd=ROOT, env=env))


def wait_for(children: list[subprocess.Popen], stop_all) -> int:
    """Until Ctrl-C, SIGTERM or a child's exit; then stop them all."""
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for child in children:
            if child.poll() is not None:
                print(f"process {child.args[0]} exited with {child.returncode}; stopping the others", flush=True)
                code = child.returncode or 1
                stopping = True
                break
        time.sleep(0.5)
    stop_all()
    return code


if __name__ == "__main__":
    sys.exit(main())

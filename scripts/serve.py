#!/usr/bin/env python3
"""Serve the mall as in production: gunicorn with several workers, and beside it the jobs loop
(and, as later parts need them, the Stripe-compatible mock). Ctrl-C stops them all.

Called by `make run` after migrating and seeding; run from the project root.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    env = os.environ | {"FLASK_APP": "wsgi:app"}
    children: list[subprocess.Popen] = []

    def start(name: str, argv: list[str]) -> None:
        print(f"starting {name}: {' '.join(argv)}", flush=True)
        children.append(subprocess.Popen(argv, cwd=ROOT, env=env))

    start("jobs loop", [str(BIN / "flask"), "jobs", "loop"])
    start(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(args.workers),
            "--bind",
            f"{args.host}:{args.port}",
            "--preload",
            "--access-logfile",
            "-",
            "--timeout",
            "60",
            "wsgi:app",
        ],
    )
    print(f"\n脱贫地区农副产品馆: http://{args.host}:{args.port}  (Ctrl-C stops)\n", flush=True)

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
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    return code


if __name__ == "__main__":
    sys.exit(main())

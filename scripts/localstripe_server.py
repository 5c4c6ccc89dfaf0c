#!/usr/bin/env python3
"""Run localstripe (the Stripe-compatible mock) on 127.0.0.1, with its store kept in memory.

Stock localstripe binds every interface and pickles its whole store to /tmp/localstripe.pickle
after every write, so each payment gets slower as the store grows (20 ms at first, ~320 ms after
1,000; DESIGN.md, "Known quirks"). This wrapper keeps the store in memory and writes it to
`--store` (the instance folder under `make run`) only when it changed, every `--save-every`
seconds and once at shutdown, atomically (temporary file, then rename). Without `--store` nothing
is ever written (tests; flush with `DELETE /_config/data`).

It registers the mall's webhook endpoint (`--webhook-url`, and `--webhook-secret` or, kept out of
`ps`, the environment's STRIPE_WEBHOOK_SECRET) exactly as `POST /_config/webhooks/<id>` would,
before it accepts the first request. `--port 0` takes a free
port; the first line on stdout is always `localstripe listening on http://127.0.0.1:<port>`.

    .venv/bin/python scripts/localstripe_server.py --port 8420 --store instance/localstripe.pickle \\
        --webhook-url http://127.0.0.1:5000/webhooks/stripe   # secret: $STRIPE_WEBHOOK_SECRET
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import pickle
import socket
import sys
import tempfile
from pathlib import Path

from aiohttp import web
from localstripe import resources, server
from localstripe.webhooks import register_webhook

log = logging.getLogger("localstripe_server")


class StoreKeeper:
    """Marks the store dirty on every write and saves it, when dirty, now and then."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.dirty = False

    def mark_dirty(self) -> None:
        self.dirty = True

    def load(self) -> int:
        if self.path is None or not self.path.exists():
            return 0
        with self.path.open("rb") as f:
            saved = pickle.load(f)
        resources.store.clear()
        dict.update(resources.store, saved)  # dict.update: no write-back while loading
        return len(saved)

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        # Pickled on the event loop: every request runs there, so the snapshot is consistent.
        data = pickle.dumps(dict(resources.store), protocol=pickle.HIGHEST_PROTOCOL)
        self.dirty = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".localstripe-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, self.path)

    async def save_periodically(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                self.save()
            except OSError:
                log.exception("could not save the localstripe store to %s", self.path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420, help="0 picks a free port")
    parser.add_argument("--store", type=Path, default=None, help="file the store is saved to and loaded from")
    parser.add_argument("--save-every", type=float, default=30.0, help="seconds between saves (when changed)")
    parser.add_argument("--webhook-url", default=None)
    parser.add_argument("--webhook-secret", default=os.environ.get("STRIPE_WEBHOOK_SECRET") or None)
    parser.add_argument("--access-log", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.access_log:
        # localstripe reports each webhook delivery on aiohttp's access logger; during seeding
        # (before the mall listens) that is hundreds of "failed" lines burying the demo accounts.
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    keeper = StoreKeeper(args.store)
    # Both hooks are called on every write (Store.__setitem__/__delitem__ and a middleware after
    # every POST/PUT/DELETE); here they only mark the store dirty.
    resources.Store.dump_to_disk = lambda self: keeper.mark_dirty()
    resources.Store.try_load_from_disk = lambda self: None
    loaded = keeper.load()
    if args.webhook_url:
        if not args.webhook_secret:
            parser.error("--webhook-url needs --webhook-secret")
        register_webhook("mall", args.webhook_url, args.webhook_secret, None)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(256)  # before announcing: a client may connect at once (queued until the loop runs)
    port = sock.getsockname()[1]

    app = server.app

    async def start_saver(_app: web.Application) -> None:
        _app["saver"] = asyncio.get_running_loop().create_task(keeper.save_periodically(args.save_every))

    async def final_save(_app: web.Application) -> None:
        _app["saver"].cancel()
        keeper.save()

    app.on_startup.append(start_saver)
    app.on_cleanup.append(final_save)
    print(f"localstripe listening on http://{args.host}:{port}", flush=True)
    log.info("store: %s (%d objects loaded); webhook: %s", args.store or "memory only", loaded, args.webhook_url)
    access_log = logging.getLogger("aiohttp.access") if args.access_log else None
    web.run_app(app, sock=sock, access_log=access_log, print=None, handle_signals=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

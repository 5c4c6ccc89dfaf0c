"""Rendered HTML fragments kept per app and process, least recently used dropped first.

A fragment is cached under a key that holds every value it shows, read from the database by the
request that asks for it (a product card's key is its row). Changed data is a new key, so a
cached fragment is never stale, in this process or any other worker: nothing has to be told to
forget anything, and an old entry simply ages out."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask, current_app
from markupsafe import Markup


class FragmentCache:
    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], str]) -> Markup:
        """The fragment under `key`, rendered by `render()` when it is not kept yet."""
        with self._lock:
            html = self._data.get(key)
            if html is not None:
                self._data.move_to_end(key)
                return html
        html = Markup(render())
        with self._lock:
            self._data[key] = html
            if len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return html

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def fragment_cache(name: str, maxsize: int = 4096, app: Flask | None = None) -> FragmentCache:
    """The app's cache called `name` (made on first use)."""
    caches: dict[str, FragmentCache] = (app or current_app).extensions.setdefault("fragments", {})
    cache = caches.get(name)
    if cache is None:
        cache = caches.setdefault(name, FragmentCache(maxsize))
    return cache


def clear_all(app: Flask) -> None:
    for cache in app.extensions.get("fragments", {}).values():
        cache.clear()

"""Rendered HTML fragments (and values read to render them) kept per app and process, least
recently used dropped first.

A fragment is kept under a key that holds every value it shows, or a number the database changes
whenever they change, read by the request that asks for it (a product card's key is its row;
storefront counts are keyed by the catalogue's generation). Changed data is a new key, so a kept
fragment is never stale, in this process or any other worker: nothing has to be told to forget
anything, and an old entry simply ages out."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app


class FragmentCache:
    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], Any]) -> Any:
        """The value under `key`, made by `render()` when it is not kept yet."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = render()
        with self._lock:
            self._data[key] = value
            if len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def fragment_cache(name: str, maxsize: int = 4096, app: Flask | None = None) -> FragmentCache:
    """The app's cache called `name` (made on first use, holding at most `maxsize` entries)."""
    caches: dict[str, FragmentCache] = (app or current_app).extensions.setdefault("fragments", {})
    cache = caches.get(name)
    if cache is None:
        cache = caches.setdefault(name, FragmentCache(maxsize))
    return cache

"""Small per-process caches of things that never change once made (rendered HTML, parsed snapshots)."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app


class FragmentCache:
    """A thread-safe LRU of rendered HTML (or of anything else that never changes), at most ``size`` entries."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        html = render()  # outside the lock: a miss renders at most once per thread, never blocks the others
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return html

    def __len__(self) -> int:
        return len(self._items)


def app_cache(name: str, size: int = 256) -> FragmentCache:
    """This application's cache called ``name`` (one app per process in production; each test has its own)."""
    extensions = current_app.extensions
    if name not in extensions:
        extensions.setdefault(name, FragmentCache(size))
    return extensions[name]

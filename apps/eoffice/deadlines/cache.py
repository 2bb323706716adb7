"""A per-process cache of small tables an administrator edits (calendar days, deadline rules).

Deadlines are computed often (every assignment, every sweep), the tables behind them change a
few times a year. Each process keeps what it read; it is dropped at once when a row changes in
this process (model signals), and every ``ttl`` seconds it is checked against a fingerprint of
the tables (row count and latest ``modified`` of each), so an edit made in another web or
worker process is seen within ``ttl`` seconds without a query per computation.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

#: Seconds a process trusts what it read before checking the fingerprint again.
DEFAULT_TTL = 30.0


class TableCache:
    """The value ``loader()`` computes from ``models``' rows, reloaded when they change."""

    def __init__(self, loader: Callable, models: tuple, ttl: float = DEFAULT_TTL):
        self.loader = loader
        self.models = models
        self.ttl = ttl
        self._lock = threading.Lock()
        self._value = None
        self._stamp = None
        self._checked = 0.0
        for model in models:
            post_save.connect(self._changed, sender=model, weak=False)
            post_delete.connect(self._changed, sender=model, weak=False)

    def _changed(self, **_kwargs):
        self.clear()

    def clear(self) -> None:
        """Forget the value: the next :meth:`get` reads the tables again."""
        with self._lock:
            self._value, self._stamp, self._checked = None, None, 0.0

    def _fingerprint(self):
        stamp = []
        for model in self.models:
            row = model.objects.order_by().aggregate(n=Count("pk"), m=Max("modified"))
            stamp.append((row["n"], row["m"]))
        return tuple(stamp)

    def get(self):
        """The cached value, read again when the tables changed."""
        now = time.monotonic()
        with self._lock:
            if self._value is not None and now - self._checked < self.ttl:
                return self._value
        stamp = self._fingerprint()
        with self._lock:
            if self._value is not None and stamp == self._stamp:
                self._checked = now
                return self._value
        value = self.loader()
        with self._lock:
            self._value, self._stamp, self._checked = value, stamp, now
        return value

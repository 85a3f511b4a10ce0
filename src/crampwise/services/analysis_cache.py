"""Analyses computed once per change of an athlete's data, not once per request.

The trigger analysis (`crampwise insights`, the web's Insights page, a report's summary, a
coach's roster) and the session-risk model (every plan, the Today page) are pure functions of
the athlete's records and a day. A web worker used to recompute them on every request: about
0.05 s for a year of data, 0.6 s for sixteen. Here each result is kept, in this process, under
the *data version* of the records it was computed from, and served again until they change.

The data version is a digest (BLAKE2b) of the records themselves, as loaded for the request:
- it changes with any change of the data, whoever made it (this worker, another worker of a
  server, a CLI command on the same SQLite file, an import job), so a cached analysis can never
  be served for data it was not computed from, and nothing has to remember to invalidate it;
- it needs no column and no migration.
Its cost is reading the journal and hashing it (a tenth of the analysis it saves). A change
counter kept by the database would also spare the read; see docs/performance.md.

The cache is bounded (least recently used entries go first) and safe to share between the
threads of one web worker.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Final, TypeVar, cast

from crampwise.domain.history import History

T = TypeVar("T")

MAX_ENTRIES: Final = 512  # a few analyses of each of a few hundred athletes; each a few kB


def data_version(history: History) -> str:
    """A digest of everything in `history` (the athlete's fields and every record).

    Any changed field gives another digest. Records loaded twice from the same rows give the
    same one in this process (the same values pickled the same way), which is all a
    per-process cache needs.
    """
    payload = (history.athlete, history.sessions, history.cramps, history.days, history.medications)
    return hashlib.blake2b(pickle.dumps(payload, protocol=5), digest_size=20).hexdigest()


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0


class AnalysisCache:
    """A bounded, thread-safe map from (what, data version, arguments) to a computed result."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self.stats = CacheStats()
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.stats.hits += 1
                return cast(T, self._entries[key])
            self.stats.misses += 1
        value = compute()  # outside the lock: two threads may both compute; both get equal values
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.stats = CacheStats()

    def __len__(self) -> int:
        return len(self._entries)


ANALYSES: Final = AnalysisCache()  # one per process; holds no connection, no settings


def memoised(what: str, history: History, args: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its result for the same `what`, records and `args` computed earlier."""
    return ANALYSES.get_or_compute((what, data_version(history), args), compute)

"""A cache in each process's memory, bounded in bytes: where the kept pages live by default.

Django's LocMemCache is bounded in entries only (MAX_ENTRIES), and the pages kept for visitors
(programs/web/page_cache.py) differ in size by a hundredfold: 5,000 entries of crafted addresses
grew one worker to 862 MB. Here the least recently used values go once the pickled values
together pass OPTIONS["MAX_BYTES"] (cachetools' TLRUCache does the accounting), so a process
holds at most that much however many addresses are asked for. Like LocMemCache, each process
has its own, and values are pickled, so a caller never shares an object with the cache.
"""

import math
import pickle
import threading
import time

from cachetools import TLRUCache
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

# One store per cache name, shared by the threads (and cache objects) of a process.
_stores = {}
_stores_lock = threading.Lock()


def _expires(key, entry, now):
    return entry[0]


def _size(entry):
    return len(entry[1])


class BytesBoundedMemoryCache(BaseCache):
    """An in-process cache holding at most OPTIONS["MAX_BYTES"] bytes of pickled values."""

    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, name, params):
        super().__init__(params)
        max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 64 * 1024 * 1024))
        with _stores_lock:
            if name not in _stores:
                store = TLRUCache(max_bytes, _expires, timer=time.time, getsizeof=_size)
                _stores[name] = (store, threading.Lock())
            self._store, self._lock = _stores[name]

    def _entry(self, value, timeout):
        expires = self.get_backend_timeout(timeout)
        return (math.inf if expires is None else expires, pickle.dumps(value, self.pickle_protocol))

    def _put(self, key, entry):
        try:
            self._store[key] = entry
        except ValueError:  # larger than the whole cache: not kept, and no older value either
            self._store.pop(key, None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        entry = self._entry(value, timeout)
        with self._lock:
            if key in self._store:
                return False
            self._put(key, entry)
            return True

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            entry = self._store.get(key)
        return default if entry is None else pickle.loads(entry[1])

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        entry = self._entry(value, timeout)
        with self._lock:
            self._put(key, entry)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            entry = self._store.get(key)
            if entry is None:
                return False
            expires = self.get_backend_timeout(timeout)
            self._put(key, (math.inf if expires is None else expires, entry[1]))
            return True

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._store.pop(key, None) is not None

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return key in self._store

    def clear(self):
        with self._lock:
            self._store.clear()

    def bytes_held(self):
        """The size of the pickled values held now (what MAX_BYTES bounds)."""
        with self._lock:
            self._store.expire()
            return self._store.currsize

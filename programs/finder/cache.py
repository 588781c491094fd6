"""Results computed from the public catalog, cached under the catalog's revision.

Every write to the catalog bumps its revision in the writer's transaction (see
programs/actions/revision.py), and every key here starts with the revision read at the start of
the request. So a cached value is never served after a change has committed, in this process or
any other sharing the cache, without any invalidation: old keys simply stop being asked for and
age out.

Values are plain data (dicts, lists, strings, numbers), never instances of our classes: a shared
cache (Redis) outlives a deploy, and a pickled instance names its class's module, so a value
stored by one release would fail to load in the next one once that class moved.
"""

import hashlib

from django.core.cache import cache
from django.utils import translation

from programs.models import CatalogRevision

# Old revisions' entries are never read again; let them go within the day.
TIMEOUT = 24 * 3600


class CatalogCache:
    """The cache for one request: the revision is read once, when first needed."""

    def __init__(self):
        self._state = None
        self._changed_at = None

    @property
    def state(self):
        """(database token, change count), read once per request."""
        if self._state is None:
            self._state = CatalogRevision.objects.state()
        return self._state

    @property
    def changed_at(self):
        """When the catalog last changed (None before its first change), read with the state in
        one query when it is asked first, as a harvester's conditional request does."""
        if self._changed_at is None:
            token, number, changed_at = CatalogRevision.objects.stamp()
            if self._state is None:
                self._state = (token, number)
            self._changed_at = changed_at
        return self._changed_at

    @property
    def revision(self):
        token, number = self.state
        return f"{token}-{number}" if token else "none"

    def key(self, namespace, *parts):
        """A key naming the revision, the page's language and what the value depends on."""
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        language = translation.get_language() or ""
        return f"catalog:{self.revision}:{namespace}:{language}:{digest}"

    def get_or_compute(self, namespace, parts, compute):
        """The cached value for `parts`, computing and storing it on a miss."""
        key = self.key(namespace, *parts)
        value = cache.get(key)
        if value is None:
            value = compute()
            _check_plain(value)
            cache.set(key, value, TIMEOUT)
        return value


PLAIN_SCALARS = frozenset({str, bytes, int, float, bool, type(None)})


def _check_plain(value):
    """Refuse to cache anything but plain data (see above): convert before storing.

    Checked a container at a time (the types of its items gathered in C), and only containers
    looked into one by one: the list's counts hold thousands of names and numbers, and this runs
    on every cold page."""
    kind = type(value)
    if kind in PLAIN_SCALARS:
        return
    if kind is dict:
        groups = (value.keys(), value.values())
    elif kind in (list, tuple):
        groups = (value,)
    else:
        raise TypeError(f"Only plain data is cached, not {kind.__qualname__}: {value!r}")
    for items in groups:
        if not set(map(type, items)) <= PLAIN_SCALARS:
            for item in items:
                _check_plain(item)

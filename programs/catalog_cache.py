"""Results computed from the public catalog, cached under the catalog's revision.

Every write to the catalog bumps its revision in the writer's transaction (see
programs/catalog_revision.py), and every key here starts with the revision read at the start of
the request. So a cached value is never served after a change has committed, in this process or
any other sharing the cache, without any invalidation: old keys simply stop being asked for and
age out.
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
        self._revision = None

    @property
    def revision(self):
        if self._revision is None:
            self._revision = CatalogRevision.objects.current()
        return self._revision

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
            cache.set(key, value, TIMEOUT)
        return value

"""Large public downloads kept per catalog revision: the sitemap's pages and the CSV export.

At 100,000 programmes such a body is megabytes and costs a worker from a fraction of a second
(a sitemap page) to seconds (10,000 rows of CSV), yet it is the same for everyone who asks for
the same address until the catalog changes. So it is made once per revision and kept, as
programs/finder/cache.py keeps the list's counts: the key starts with the catalog revision (and
names the page's language, the site's address and what the body depends on), so no one is ever
served a body older than the last committed write, in any process sharing the cache.

Bodies are kept gzip-compressed (a 4 MB CSV is 0.25 MB, a sitemap page shrinks 40-fold), in a
cache of their own (CACHES["downloads"] in catalog/settings.py) that holds a bounded number of
them, so that no run of requests can fill a worker's memory with them. A client that accepts
gzip (every browser and crawler) gets the kept bytes as they are; another gets them unpacked.
"""

import gzip
import re
import zlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from programs.finder.cache import TIMEOUT, CatalogCache

CACHE_ALIAS = "downloads"
# As Django's GZipMiddleware decides whether a client takes gzip.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# zlib's gzip container (wbits 16 + 15), at zlib's usual level.
GZIP_WBITS = 31
LEVEL = 6


class KeptDownload:
    """One download's place among the kept ones: `namespace` and `parts` name what its body
    depends on besides the revision, the language and the site's address, which the key adds.
    `cache_alias` names another cache to keep it in (the API's many small bodies go with the
    pages, in a cache bounded in bytes: programs/web/harvesting.py)."""

    def __init__(self, request, namespace, *parts, cache_alias=CACHE_ALIAS):
        # The view's own cached results (the list's filters) read the same revision: one
        # reading a request.
        if getattr(request, "catalog_cache", None) is None:
            request.catalog_cache = CatalogCache()
        catalog_cache = request.catalog_cache
        # The body's addresses start with the site's public address (SITE_URL), never the
        # request's Host, so the Host can't make a body or a key of its own.
        self.key = catalog_cache.key(namespace, settings.SITE_URL, *parts)
        self.request = request
        self.cache_alias = cache_alias

    def kept(self):
        """(gzip-compressed body, [(header, value), ...]) as kept, or None."""
        return caches[self.cache_alias].get(self.key)

    def keep(self, body, headers=()):
        """Keep `body` (bytes) with `headers`; returns what kept() will."""
        kept = (gzip.compress(body, LEVEL), list(headers))
        caches[self.cache_alias].set(self.key, kept, TIMEOUT)
        return kept

    def recorded(self, chunks, headers=()):
        """`chunks` (str or bytes), passed on one by one as a streamed response sends them, and
        kept once the last has gone. A download cut off (the client went away, or an error) is
        not kept: its generator is closed before the end."""
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, GZIP_WBITS)
        compressed = []
        for chunk in chunks:
            data = chunk.encode() if isinstance(chunk, str) else chunk
            compressed.append(compressor.compress(data))
            yield data
        compressed.append(compressor.flush())
        caches[self.cache_alias].set(self.key, (b"".join(compressed), list(headers)), TIMEOUT)

    def response(self, kept, content_type):
        """The kept body as a response: compressed for a client that accepts gzip, unpacked
        for one that doesn't (GZipMiddleware leaves a response with a Content-Encoding alone)."""
        compressed, headers = kept
        if ACCEPTS_GZIP.search(self.request.headers.get("Accept-Encoding", "")):
            response = HttpResponse(compressed, content_type=content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(gzip.decompress(compressed), content_type=content_type)
        for name, value in headers:
            response[name] = value
        patch_vary_headers(response, ("Accept-Encoding",))
        return response

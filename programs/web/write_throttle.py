"""Anonymous writes are limited per client: VISITOR_WRITES_PER_MINUTE in a minute, then 429.

Every change a visitor makes (adding to a shortlist, a note, the compare choice, a sign-in try)
is a POST that needs no account, and each first "Add to shortlist" keeps a shortlist and a session
for a year. Counting each client's writes (by the address programs/web/clients.py names) caps
what one client can make; a person adding a dozen programmes, or their whole list of fifty, stays
below. Signed-in staff are not counted. An IPv6 client is counted by its /64, the block one
household or one device gets whole, so it can't step past the limit by changing address.

The counts live in Django's cache "throttle", one key per client per minute, which every app
process shares: Redis or the database cache when CACHE_URL names one, else files in THROTTLE_DIR
(catalog/settings.py). Two processes counting the same client at the same instant may lose one
count between them (the file cache reads, then writes); the limit holds within a few writes.
With dummy:// (no cache) nothing is counted.
"""

import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.template import loader

from programs.web.clients import client_address
from programs.web.middleware import signed_in

WINDOW_SECONDS = 60
READS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

logger = logging.getLogger(__name__)


def _counted_as(address):
    """What one client is, for counting: its address, or for IPv6 its /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def spend_a_write(address):
    """Count one write by the client at `address`. Returns None while it is within the limit,
    else the seconds until its next write is counted afresh."""
    limit = settings.VISITOR_WRITES_PER_MINUTE
    if not limit or not address:
        return None
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"writes:{_counted_as(address)}:{window}"
    counts = caches["throttle"]
    counts.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = counts.incr(key)
    except ValueError:  # a cache that keeps nothing (dummy://), or the minute just ended
        return None
    if count <= limit:
        return None
    if count == limit + 1:  # once a minute per client, not once per refused request
        logger.warning(
            "Refusing writes from %s for the rest of the minute: more than %d", address, limit
        )
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


class AnonymousWriteThrottleMiddleware:
    """After the session and the user are known, before any view (or the CSRF check) runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in READS or signed_in(request):
            return self.get_response(request)
        wait = spend_a_write(client_address(request))
        if wait is None:
            return self.get_response(request)
        response = HttpResponse(loader.render_to_string("429.html"), status=429)
        response["Retry-After"] = str(wait)
        return response

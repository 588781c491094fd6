"""The site's public address (settings.SITE_URL), the one base of every absolute link it writes.

Canonical links, og:url, hreflang alternates, the JSON-LD, sitemaps, feeds, CSV rows and the
links a visitor shares all name the site's own origin, never the Host header of the request that
happened to render them: pages are kept and served again to everyone (programs/web/page_cache.py),
and Django's host check lets through a port, upper case or a trailing dot, so a page rendered for
`Host: catalog.example.org:31337` would send every later visitor and crawler to port 31337.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(address: str) -> str:
    """`address`, a path on this site (from reverse() or get_absolute_url(), query and all), as
    an absolute URL on the site's public origin."""
    if not address.startswith("/") or address.startswith("//"):
        # Only our own paths are made absolute here; anything else is a mistake in the caller.
        raise ValueError(f"not a path on this site: {address!r}")
    return settings.SITE_URL + address


def scheme() -> str:
    """`https` or `http`, as SITE_URL says."""
    return urlsplit(settings.SITE_URL).scheme


def authority() -> str:
    """SITE_URL's host with its port, if it names one (`catalog.example.org`)."""
    return urlsplit(settings.SITE_URL).netloc


def host_name() -> str:
    """SITE_URL's host name alone, without a port (a feed's tag URIs can't hold one)."""
    return urlsplit(settings.SITE_URL).hostname

"""Who a request comes from: the client's address, as the sign-in lockout, the write throttle and
the logs name it.

Straight from the internet the client is whoever opened the connection (REMOTE_ADDR). Behind the
reverse proxy we run (deploy/nginx/catalog.conf) every connection comes from the proxy, which
appends the address it was connected from to X-Forwarded-For; anything to the left of that was
written by whoever sent the request and proves nothing. So the client is found by walking
X-Forwarded-For from the right, past the proxies we trust (settings.TRUSTED_PROXIES): the first
address that is not one of ours is the client. A request that reaches the app from anywhere else
is counted by its own address, whatever X-Forwarded-For it carries.

django-ipware, which django-axes would otherwise use, trusts the header by its contents (a count
of proxies or a prefix of their addresses), not by who is connected, so a client reaching the app
directly could still name any address it likes; hence this one function of ours.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(trusted):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _parsed(text):
    """An address as written by a proxy (no port), or None when it is not one."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client on a dual-stack socket arrives as ::ffff:198.51.100.4: the same client.
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def address_from(meta):
    """The client's address from a request's META (or a WSGI environ): a string, or None when
    the connection's own address is missing."""
    peer = meta.get("REMOTE_ADDR") or None
    address = _parsed(peer) if peer else None
    if address is None:
        return peer
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    hops = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while hops and any(address in network for network in trusted):
        forwarded = _parsed(hops.pop())
        if forwarded is None:
            break  # not written by a proxy of ours: the last trusted hop is all we know
        address = forwarded
    return str(address)


def client_address(request):
    """The address of the client who sent `request` (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    return address_from(request.META)


class ClientAddressFilter(logging.Filter):
    """Adds `client_note` to log records: " [client 198.51.100.4]" for a record about a request
    (Django's request and security loggers attach it), so the logs can tell clients apart."""

    def filter(self, record):
        request = getattr(record, "request", None)
        meta = getattr(request, "META", None)
        address = address_from(meta) if isinstance(meta, dict) else None
        record.client_note = f" [client {address}]" if address else ""
        return True

"""Who a request comes from (programs/web/clients.py): behind our proxy, the address it forwarded;
otherwise the connection's own, whatever X-Forwarded-For says."""

import logging

import pytest

from programs.web.clients import ClientAddressFilter, address_from


def meta(peer, forwarded_for=None):
    found = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        found["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return found


@pytest.fixture
def behind_our_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]  # what HTTPS=1 sets


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address_from(meta("198.51.100.7", "203.0.113.9")) == "198.51.100.7"
    assert address_from(meta("127.0.0.1", "203.0.113.9")) == "127.0.0.1"


@pytest.mark.usefixtures("behind_our_proxy")
def test_behind_the_proxy_the_client_is_the_address_it_appended():
    assert address_from(meta("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    # Whatever the client wrote itself stands to the left, and counts for nothing.
    assert address_from(meta("127.0.0.1", "203.0.113.9, 10.1.1.1,198.51.100.7")) == "198.51.100.7"
    assert address_from(meta("127.0.0.1", "2001:db8::5")) == "2001:db8::5"


@pytest.mark.usefixtures("behind_our_proxy")
def test_a_request_from_elsewhere_is_its_own_address_whatever_it_claims():
    assert address_from(meta("198.51.100.7", "203.0.113.9")) == "198.51.100.7"
    assert address_from(meta("127.0.0.2", "203.0.113.9")) == "127.0.0.2"


def test_a_chain_of_our_proxies_is_walked_back_to_the_first_address_not_ours(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]  # a load balancer, then nginx
    forwarded = "192.0.2.1, 203.0.113.9, 10.0.0.5"
    assert address_from(meta("127.0.0.1", forwarded)) == "203.0.113.9"


@pytest.mark.usefixtures("behind_our_proxy")
def test_what_is_not_an_address_stops_the_walk_at_the_last_proxy():
    assert address_from(meta("127.0.0.1", "")) == "127.0.0.1"
    assert address_from(meta("127.0.0.1", "unknown")) == "127.0.0.1"
    assert address_from(meta("127.0.0.1", "198.51.100.7:4711")) == "127.0.0.1"
    assert address_from(meta("::ffff:127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    assert address_from(meta("127.0.0.1", "::ffff:198.51.100.7")) == "198.51.100.7"
    assert address_from({}) is None


@pytest.mark.usefixtures("behind_our_proxy")
def test_log_lines_about_a_request_name_its_client(rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    about_request = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "Not Found", (), None
    )
    about_request.request = request
    other = logging.LogRecord("axes", logging.INFO, "", 0, "Cleaned up", (), None)
    formatter = logging.Formatter("%(message)s%(client_note)s")

    for record in (about_request, other):
        ClientAddressFilter().filter(record)

    assert formatter.format(about_request) == "Not Found [client 198.51.100.7]"
    assert formatter.format(other) == "Cleaned up"

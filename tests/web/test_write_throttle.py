"""Anonymous writes are limited per client (VISITOR_WRITES_PER_MINUTE, 60 by default): past it a
translated 429 with Retry-After, and nothing made. A person's own use stays well within."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from programs.models import Shortlist
from tests.finder import test_catalog_cache

# The throwaway Redis server of the cache tests (skipped without redis-server, failed under CI).
redis_url = test_catalog_cache.redis_url

pytestmark = pytest.mark.django_db

ADD = reverse("programs:shortlist-add")
LIMIT = 60  # the default, as production has it (catalog/settings.py)


@pytest.fixture
def programme(programme_factory):
    return programme_factory(slug="alpha", title="Alpha")


def a_minute_at(second):
    """A moment `second` seconds into a minute (the throttle counts per minute)."""
    return timezone.now().replace(second=second, microsecond=0)


def add_as_a_new_visitor(address="198.51.100.7", path=ADD, **headers):
    """One POST from a client without a session, as a script sends them."""
    return Client().post(path, {"programme": "alpha"}, REMOTE_ADDR=address, **headers)


def test_the_default_limit_is_sixty_a_minute(settings):
    assert settings.VISITOR_WRITES_PER_MINUTE == LIMIT


@pytest.mark.usefixtures("programme")
def test_two_hundred_adds_without_a_session_make_sixty_lists_and_then_429s():
    with time_machine.travel(a_minute_at(1), tick=False):
        answers = [add_as_a_new_visitor() for _ in range(200)]

    assert [answer.status_code for answer in answers[:LIMIT]] == [302] * LIMIT
    refused = answers[LIMIT:]
    assert {answer.status_code for answer in refused} == {429}
    assert {answer["Retry-After"] for answer in refused} == {"59"}
    assert "Too many changes at once" in refused[0].content.decode()
    assert Shortlist.objects.count() == LIMIT
    assert Session.objects.count() == LIMIT


@pytest.mark.usefixtures("programme")
def test_one_client_over_the_limit_leaves_others_free_and_may_write_again_next_minute():
    start = a_minute_at(30)
    with time_machine.travel(start, tick=False):
        for _ in range(LIMIT):
            add_as_a_new_visitor("198.51.100.7")
        assert add_as_a_new_visitor("198.51.100.7").status_code == 429
        assert add_as_a_new_visitor("203.0.113.9").status_code == 302
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        assert add_as_a_new_visitor("198.51.100.7").status_code == 302


@pytest.mark.usefixtures("programme")
def test_behind_the_proxy_each_forwarded_client_has_its_own_count(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    with time_machine.travel(a_minute_at(1), tick=False):
        for _ in range(LIMIT):
            add_as_a_new_visitor("127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        through_proxy = add_as_a_new_visitor("127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        other = add_as_a_new_visitor("127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert through_proxy.status_code == 429
    assert other.status_code == 302


@pytest.mark.usefixtures("programme")
def test_an_ipv6_client_cannot_step_past_the_limit_by_changing_its_address():
    with time_machine.travel(a_minute_at(1), tick=False):
        answers = [add_as_a_new_visitor(f"2001:db8:1:2::{n:x}") for n in range(LIMIT + 1)]
        elsewhere = add_as_a_new_visitor("2001:db8:1:3::1")
    assert answers[-1].status_code == 429
    assert elsewhere.status_code == 302


@pytest.mark.usefixtures("programme")
def test_the_refusal_is_in_the_address_language():
    with time_machine.travel(a_minute_at(1), tick=False):
        for _ in range(LIMIT):
            add_as_a_new_visitor()
        refused = add_as_a_new_visitor(path="/sv" + ADD)
    assert refused.status_code == 429
    assert "För många ändringar på en gång" in refused.content.decode()


def test_a_person_working_on_their_list_stays_well_within(programme_factory):
    """A dozen programmes added, each with a note, half of them moved, and the list shared:
    42 changes within the same minute, every one made."""
    slugs = [f"programme-{n}" for n in range(12)]
    for slug in slugs:
        programme_factory(slug=slug)
    person = Client(REMOTE_ADDR="198.51.100.7")
    with time_machine.travel(a_minute_at(1), tick=False):
        answers = [person.post(ADD, {"programme": slug}) for slug in slugs]
        answers += [
            person.post(reverse("programs:shortlist-note"), {"programme": slug, "note": "why"})
            for slug in slugs
        ]
        answers += [
            person.post(reverse("programs:shortlist-move"), {"programme": slug, "direction": "up"})
            for slug in slugs[:6]
        ]
        answers += [person.post(reverse("programs:shortlist-share")) for _ in range(12)]
    assert {answer.status_code for answer in answers} == {302}


def test_signed_in_staff_are_not_counted(user_factory, programme):
    staff = Client(REMOTE_ADDR="198.51.100.7")
    staff.force_login(user_factory(is_staff=True, is_superuser=True))
    with time_machine.travel(a_minute_at(1), tick=False):
        answers = [staff.post(ADD, {"programme": "alpha"}) for _ in range(LIMIT + 5)]
    assert {answer.status_code for answer in answers} == {302}


@pytest.mark.usefixtures("programme")
def test_with_redis_every_app_process_shares_the_count(redis_url):
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    redis_cache = {"default": redis, "throttle": {**redis, "KEY_PREFIX": "throttle"}}
    with override_settings(CACHES=redis_cache):
        cache.clear()
        with time_machine.travel(a_minute_at(1), tick=False):
            answers = [add_as_a_new_visitor() for _ in range(LIMIT + 1)]
        assert cache._cache.get_client().keys("*writes:198.51.100.7:*")
        cache.clear()
    assert [answer.status_code for answer in answers] == [302] * LIMIT + [429]

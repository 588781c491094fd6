"""Staff sessions end with the browser, after an idle hour, and 8 hours after signing in."""

import time

import pytest
from django.urls import reverse

from programs.web.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from tests.support import factories

pytestmark = pytest.mark.django_db

PROGRAMMES_ADMIN = "admin:programs_programme_changelist"


@pytest.fixture
def staff_client(client):
    client.force_login(factories.StaffUserFactory(username="alice"))
    assert client.get(reverse(PROGRAMMES_ADMIN)).status_code == 200
    return client


def backdate(client, **seconds_ago):
    """Move the session's sign-in and last-request times into the past, as time passing would."""
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_the_staff_session_cookie_ends_with_the_browser_and_is_http_only_and_same_site(client):
    client.force_login(factories.StaffUserFactory())

    response = client.get(reverse(PROGRAMMES_ADMIN))

    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_an_hour_without_a_request_signs_staff_out(staff_client):
    backdate(staff_client, **{LAST_SEEN_AT: 3601})

    response = staff_client.get(reverse(PROGRAMMES_ADMIN))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_working_within_the_hour_keeps_staff_signed_in(staff_client):
    backdate(staff_client, **{SIGNED_IN_AT: 4 * 3600, LAST_SEEN_AT: 50 * 60})

    assert staff_client.get(reverse(PROGRAMMES_ADMIN)).status_code == 200


def test_eight_hours_after_signing_in_staff_sign_in_again_even_when_active(staff_client):
    backdate(staff_client, **{SIGNED_IN_AT: 8 * 3600 + 1, LAST_SEEN_AT: 60})

    response = staff_client.get(reverse(PROGRAMMES_ADMIN))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_visitors_sessions_are_not_cut_short(client):
    session = client.session
    session["kept"] = "yes"
    session.save()

    client.get(reverse("programs:programme-list"))

    assert client.session.get_expiry_age() == 14 * 24 * 3600
    assert client.session["kept"] == "yes"

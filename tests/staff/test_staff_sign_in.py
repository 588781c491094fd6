"""Signing in to the admin: password guessing is locked out, and staff use a second factor."""

import logging
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password


def sign_in(client, username, password=PASSWORD, code=None, address="198.51.100.4"):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    if code is not None:
        data["otp_token"] = code
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address)


def current_code(device):
    """The code an authenticator app holding the device's key shows now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def admin_index_status(client):
    return client.get(reverse("admin:index")).status_code


# --- password guessing ----------------------------------------------------------------------


def test_five_wrong_passwords_lock_that_username_and_address_out_with_a_clear_429(client):
    factories.StaffUserFactory(username="alice")
    for _ in range(4):
        assert sign_in(client, "alice", "wrong").status_code == 200  # "please try again"

    fifth = sign_in(client, "alice", "wrong")
    right_password = sign_in(client, "alice")

    assert fifth.status_code == 429
    assert right_password.status_code == 429
    html = right_password.content.decode()
    assert "Too many sign-in attempts" in html
    assert "Try again in 30 minutes" in html
    assert right_password["Retry-After"] == str(30 * 60)
    assert admin_index_status(client) == 302  # still not signed in


def test_a_lockout_is_per_username_and_address(client):
    factories.StaffUserFactory(username="alice")
    factories.StaffUserFactory(username="bob")
    for _ in range(5):
        sign_in(client, "alice", "wrong")

    assert sign_in(client, "alice", address="203.0.113.9").status_code == 302
    client.logout()
    assert sign_in(client, "bob").status_code == 302


def sign_in_through_the_proxy(client, username, password=PASSWORD, forwarded_for=""):
    """A sign-in as the proxy on this machine passes it on: from 127.0.0.1, with the address it
    was connected from appended to X-Forwarded-For (after whatever the client wrote there)."""
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    return client.post(
        reverse("admin:login"),
        data,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_proxy_a_lockout_holds_its_client_and_leaves_another_free(
    settings, client, caplog
):
    """Every request comes from the proxy's address: counting that would let anyone lock a staff
    member out, so the lockout counts (and logs) the address the proxy forwarded."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]  # what HTTPS=1 sets
    factories.StaffUserFactory(username="alice")
    with caplog.at_level(logging.INFO, logger="axes"):
        for _ in range(5):
            sign_in_through_the_proxy(client, "alice", "wrong", forwarded_for="198.51.100.7")
    lockout = next(record for record in caplog.records if "Locking out" in record.getMessage())
    assert "198.51.100.7" in lockout.getMessage()

    # The guesser can't get out by writing another address in front of the proxy's.
    spoofed = sign_in_through_the_proxy(client, "alice", forwarded_for="203.0.113.9, 198.51.100.7")
    assert spoofed.status_code == 429
    # alice, signing in from her own address, is not locked out.
    own_address = sign_in_through_the_proxy(client, "alice", forwarded_for="203.0.113.9")
    assert own_address.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_without_a_trusted_proxy_x_forwarded_for_names_no_one(settings, client):
    """Straight from the internet (no proxy of ours in between) the header is the client's own
    words: a guesser can't spread attempts over made-up addresses with it."""
    settings.TRUSTED_PROXIES = []
    factories.StaffUserFactory(username="alice")
    for number in range(5):
        sign_in_through_the_proxy(client, "alice", "wrong", forwarded_for=f"192.0.2.{number}")

    assert sign_in_through_the_proxy(client, "alice", forwarded_for="192.0.2.77").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_after_the_cool_off_the_right_password_signs_in_again(client):
    factories.StaffUserFactory(username="alice")
    for _ in range(5):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice").status_code == 429

    # Half an hour passes: the attempts are as old as the cool-off period.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    assert sign_in(client, "alice").status_code == 302
    assert admin_index_status(client) == 200


def test_axes_reset_lifts_a_lockout(client):
    factories.StaffUserFactory(username="alice")
    for _ in range(5):
        sign_in(client, "alice", "wrong")

    call_command("axes_reset")

    assert sign_in(client, "alice").status_code == 302


def test_sign_ins_and_lockouts_are_logged(client, caplog):
    factories.StaffUserFactory(username="alice")
    factories.StaffUserFactory(username="bob")
    with caplog.at_level(logging.INFO, logger="axes"):
        sign_in(client, "bob")
        for _ in range(5):
            sign_in(client, "alice", "wrong")

    assert AccessLog.objects.filter(username="bob").exists()
    assert any("Locking out" in record.getMessage() for record in caplog.records)


# --- two-factor sign-in ---------------------------------------------------------------------


@pytest.fixture
def two_factor_required(settings):
    settings.ADMIN_REQUIRE_2FA = True


@pytest.mark.usefixtures("two_factor_required")
def test_staff_without_a_device_are_sent_to_set_one_up_and_a_real_code_turns_it_on(client):
    factories.StaffUserFactory(username="alice")

    assert sign_in(client, "alice").status_code == 302
    to_enrolment = client.get(reverse("admin:index"))
    assert to_enrolment.status_code == 302
    assert to_enrolment["Location"] == reverse("admin:two-factor")

    page = client.get(reverse("admin:two-factor"))
    html = page.content.decode()
    assert "<svg" in html  # the QR code
    device = TOTPDevice.objects.get(user__username="alice", confirmed=False)
    secret_shown = html.split('class="two-factor-secret">')[1].split("<")[0]
    assert secret_shown.replace(" ", "") == device.config_url.split("secret=")[1].split("&")[0]

    wrong = client.post(reverse("admin:two-factor"), {"token": "12345x"})
    assert "That code does not match" in wrong.content.decode()
    too_soon = client.post(reverse("admin:two-factor"), {"token": current_code(device)})
    assert "the next try must wait a few seconds" in too_soon.content.decode()
    time.sleep(1.1)  # django-otp's throttle after one wrong code
    confirmed = client.post(reverse("admin:two-factor"), {"token": current_code(device)})

    assert confirmed.status_code == 302
    assert TOTPDevice.objects.get(user__username="alice").confirmed
    assert admin_index_status(client) == 200


@pytest.mark.usefixtures("two_factor_required")
def test_staff_with_a_device_need_its_current_code_to_sign_in(client):
    alice = factories.StaffUserFactory(username="alice")
    device = TOTPDevice.objects.create(user=alice, name="Authenticator app", confirmed=True)

    without_code = sign_in(client, "alice")
    wrong_code = sign_in(client, "alice", code="12345x")

    assert without_code.status_code == 200
    assert "Enter the 6-digit code from your authenticator app." in without_code.content.decode()
    assert wrong_code.status_code == 200
    assert "That code is not right or has expired" in wrong_code.content.decode()
    assert admin_index_status(client) == 302
    time.sleep(1.1)  # django-otp's throttle after one wrong code

    assert sign_in(client, "alice", code=current_code(device)).status_code == 302
    assert admin_index_status(client) == 200


@pytest.mark.usefixtures("two_factor_required")
def test_a_password_alone_does_not_open_the_admin_when_a_device_is_set_up(client):
    alice = factories.StaffUserFactory(username="alice")
    TOTPDevice.objects.create(user=alice, name="Authenticator app", confirmed=True)
    client.force_login(alice)  # signed in by password, not verified by a code

    response = client.get(reverse("admin:programs_programme_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.usefixtures("two_factor_required")
def test_a_superuser_resets_a_lost_device_and_the_staff_member_enrols_again(client):
    alice = factories.StaffUserFactory(username="alice")
    lost = TOTPDevice.objects.create(user=alice, name="Authenticator app", confirmed=True)
    admin_user = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    admin_device = TOTPDevice.objects.create(user=admin_user, name="Phone", confirmed=True)
    assert sign_in(client, "root", code=current_code(admin_device)).status_code == 302

    deleted = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[lost.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    client.logout()

    assert sign_in(client, "alice").status_code == 302
    assert client.get(reverse("admin:index"))["Location"] == reverse("admin:two-factor")


@pytest.mark.usefixtures("two_factor_required")
def test_staff_may_not_open_anyone_s_devices(client):
    alice = factories.StaffUserFactory(username="alice")
    device = TOTPDevice.objects.create(user=alice, name="Authenticator app", confirmed=True)
    sign_in(client, "alice", code=current_code(device))

    response = client.get(reverse("admin:otp_totp_totpdevice_changelist"))

    assert response.status_code == 403


def test_without_the_requirement_a_password_opens_the_admin(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    factories.StaffUserFactory(username="alice")

    assert sign_in(client, "alice").status_code == 302
    assert admin_index_status(client) == 200


def test_every_admin_page_links_to_the_persons_own_two_factor_page(client):
    client.force_login(factories.StaffUserFactory(username="alice"))

    html = client.get(reverse("admin:programs_programme_changelist")).content.decode()

    assert f'<a href="{reverse("admin:two-factor")}">Two-factor sign-in</a>' in html


@pytest.mark.parametrize("refused_next", ["https://evil.example/admin/", "//evil.example/"])
def test_a_sign_in_whose_next_leads_off_the_site_opens_the_admin(client, settings, refused_next):
    """Django refuses such a `next` and falls back to LOGIN_REDIRECT_URL, which must be a page
    (its default, /accounts/profile/, is none here: a 404 after a right password)."""
    settings.ADMIN_REQUIRE_2FA = False
    factories.StaffUserFactory(username="alice")

    response = client.post(
        reverse("admin:login"),
        {"username": "alice", "password": PASSWORD, "next": refused_next},
        REMOTE_ADDR="198.51.100.4",
    )

    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200

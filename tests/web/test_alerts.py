"""E-mail alerts, as a subscriber and their mail program see them: asked for with an address
alone, nothing sent before the confirmation link is used, one digest a day at most with every
change since the last, and a one-click unsubscribe that deletes the address."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from programs.changelog.changes import record_public_changes
from programs.models import Alert, Programme

BERLIN = ZoneInfo("Europe/Berlin")
MORNING = datetime(2027, 3, 1, 9, 0, tzinfo=BERLIN)
FOLLOW = "/programmes/medical-data-science/follow/"


@pytest.fixture
def programme(catalog):
    return Programme.objects.get(slug="medical-data-science")


def ask(client, email, path=FOLLOW):
    return client.post(path, {"email": email})


def only_link(message, kind):
    """The one link of `kind` (confirm or unsubscribe) in a mail's text, as a path."""
    links = re.findall(
        rf"https?://[^/\s]+(/\S*/alerts/{kind}/\S+/|/alerts/{kind}/\S+/)", message.body
    )
    assert len(links) == 1, message.body
    return links[0]


def send_alerts():
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115


def change_credits(programme, ects):
    Programme.objects.filter(pk=programme.pk).update(ects=ects)
    record_public_changes(programme)


def test_subscribe_confirm_digest_once_a_day_and_unsubscribe_deletes_the_address(client, programme):
    with time_machine.travel(MORNING, tick=False):
        answer = ask(client, "ada@example.org")
        assert answer.status_code == 200
        assert "Check your inbox" in answer.content.decode()
        # The confirmation, and nothing else.
        assert len(mail.outbox) == 1
        confirmation = mail.outbox[0]
        assert confirmation.to == ["ada@example.org"]
        assert confirmation.subject == "Confirm your e-mail alert"
        confirm = only_link(confirmation, "confirm")

        # Opening the link asks; a mail scanner's GET confirms nothing.
        assert "Confirm" in client.get(confirm).content.decode()
        assert Alert.objects.get().confirmed_at is None
        confirmed = client.post(confirm)
        assert "Confirmed: ada@example.org" in confirmed.content.decode()

    with time_machine.travel(MORNING + timedelta(hours=1), tick=False):
        change_credits(programme, 121)
    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        send_alerts()
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert digest.to == ["ada@example.org"]
    assert digest.subject == "Changes to Medical Data Science"
    assert "ECTS credits: 90 ECTS → 121 ECTS" in digest.body
    # Changes from before the confirmation are not news to the subscriber.
    assert "Published" not in digest.body
    unsubscribe = only_link(digest, "unsubscribe")
    assert digest.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Another change the same day waits for tomorrow's digest: one e-mail a day at most.
    with time_machine.travel(MORNING + timedelta(hours=3), tick=False):
        change_credits(programme, 100)
    with time_machine.travel(MORNING + timedelta(hours=4), tick=False):
        send_alerts()
    assert len(mail.outbox) == 2
    with time_machine.travel(MORNING + timedelta(days=1), tick=False):
        send_alerts()
        send_alerts()
    assert len(mail.outbox) == 3
    assert "ECTS credits: 121 ECTS → 100 ECTS" in mail.outbox[2].body
    assert "90 ECTS" not in mail.outbox[2].body

    # The mail program's one-click POST: no CSRF token, no session, and the row is gone.
    one_click = Client(enforce_csrf_checks=True).post(
        unsubscribe, {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    assert not Alert.objects.filter(email="ada@example.org").exists()
    with time_machine.travel(MORNING + timedelta(days=2), tick=False):
        change_credits(programme, 95)
    with time_machine.travel(MORNING + timedelta(days=3), tick=False):
        send_alerts()
    assert len(mail.outbox) == 3


def test_no_digest_when_nothing_changed(client, programme):
    with time_machine.travel(MORNING, tick=False):
        ask(client, "ada@example.org")
        client.post(only_link(mail.outbox[0], "confirm"))
    with time_machine.travel(MORNING + timedelta(days=1), tick=False):
        send_alerts()
    assert len(mail.outbox) == 1


def test_an_unconfirmed_address_is_never_mailed_and_is_deleted_after_a_week(client, programme):
    with time_machine.travel(MORNING, tick=False):
        ask(client, "bob@example.org")
    with time_machine.travel(MORNING + timedelta(hours=1), tick=False):
        change_credits(programme, 121)
    with time_machine.travel(MORNING + timedelta(days=6), tick=False):
        send_alerts()
    assert len(mail.outbox) == 1  # the confirmation alone
    assert Alert.objects.filter(email="bob@example.org").exists()
    with time_machine.travel(MORNING + timedelta(days=7, minutes=1), tick=False):
        send_alerts()
        # Its link has stopped working with it.
        assert client.post(only_link(mail.outbox[0], "confirm")).status_code == 400
    assert len(mail.outbox) == 1
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your e-mail address"),
        ("not an address", "This is not an e-mail address"),
        ("a@b", "This is not an e-mail address"),
        ("x" * 250 + "@example.org", "at most 254 characters"),
    ],
)
def test_a_bad_address_is_refused_with_a_message_and_nothing_kept(
    client, programme, email, message
):
    answer = ask(client, email)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert 'aria-invalid="true"' in answer.content.decode()
    assert not Alert.objects.exists()
    assert mail.outbox == []


def test_sign_up_needs_the_csrf_token(programme):
    answer = Client(enforce_csrf_checks=True).post(FOLLOW, {"email": "ada@example.org"})
    assert answer.status_code == 403
    assert not Alert.objects.exists()


def test_sign_ups_are_throttled_like_every_visitors_write(client, programme, settings):
    settings.VISITOR_WRITES_PER_MINUTE = 3
    with time_machine.travel(MORNING, tick=False):
        answers = [ask(client, f"person{n}@example.org").status_code for n in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    assert Alert.objects.count() == 3


def test_asking_again_sends_no_second_mail_within_the_hour(client, programme):
    with time_machine.travel(MORNING, tick=False):
        ask(client, "ada@example.org")
        ask(client, "ada@example.org")
    assert len(mail.outbox) == 1
    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        ask(client, "ada@example.org")
    assert len(mail.outbox) == 2
    assert Alert.objects.count() == 1


def test_the_mails_are_in_the_language_of_the_page_they_were_asked_on(client, programme):
    with time_machine.travel(MORNING, tick=False):
        answer = ask(client, "eva@example.org", path="/de" + FOLLOW)
        assert "Posteingang" in answer.content.decode()
        confirmation = mail.outbox[0]
        assert confirmation.subject == "Bestätigen Sie Ihre E-Mail-Benachrichtigung"
        confirm = only_link(confirmation, "confirm")
        assert confirm.startswith("/de/alerts/confirm/")
        client.post(confirm)
    with time_machine.travel(MORNING + timedelta(hours=1), tick=False):
        change_credits(programme, 121)
    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        send_alerts()
    digest = mail.outbox[1]
    assert digest.subject == "Änderungen an Medical Data Science"
    assert "ECTS-Punkte: 90 ECTS → 121 ECTS" in digest.body
    assert only_link(digest, "unsubscribe").startswith("/de/alerts/unsubscribe/")


def test_a_saved_search_gets_changes_of_the_programmes_it_matches(client, catalog):
    search = reverse("programs:search-follow") + "?country=DE"
    with time_machine.travel(MORNING, tick=False):
        ask(client, "ada@example.org", path=search)
        assert "your search (Country: Germany)" in mail.outbox[0].body
        client.post(only_link(mail.outbox[0], "confirm"))
    with time_machine.travel(MORNING + timedelta(hours=1), tick=False):
        german = Programme.objects.get(slug="medical-data-science")
        italian = Programme.objects.filter(universities__country="IT").distinct().first()
        change_credits(german, 121)
        change_credits(italian, 121)
    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        send_alerts()
    digest = mail.outbox[1]
    assert digest.subject == "Changes to the programmes of your saved search"
    assert "Medical Data Science: Changed: ECTS credits" in digest.body
    assert italian.title not in digest.body
    assert Alert.objects.get().search == "country=DE"


def test_unsubscribe_by_the_page_asks_first_then_deletes(client, programme):
    with time_machine.travel(MORNING, tick=False):
        ask(client, "ada@example.org")
        client.post(only_link(mail.outbox[0], "confirm"))
    with time_machine.travel(MORNING + timedelta(hours=1), tick=False):
        change_credits(programme, 121)
        send_alerts()
    unsubscribe = only_link(mail.outbox[1], "unsubscribe")
    page = client.get(unsubscribe)
    assert "Unsubscribe" in page.content.decode()
    assert Alert.objects.exists()
    assert "the address was deleted" in client.post(unsubscribe).content.decode()
    assert not Alert.objects.exists()
    # The link used again says so, without an error.
    again = client.get(unsubscribe)
    assert again.status_code == 200
    assert "does not exist any more" in again.content.decode()


def test_a_forged_link_confirms_and_deletes_nothing(client, programme):
    with time_machine.travel(MORNING, tick=False):
        ask(client, "ada@example.org")
    alert = Alert.objects.get()
    assert client.post(f"/alerts/confirm/{alert.uuid}/").status_code == 400
    client.post(f"/alerts/unsubscribe/{alert.uuid}/")
    alert.refresh_from_db()
    assert alert.confirmed_at is None


def test_a_search_too_long_to_keep_is_refused_with_a_message(client, catalog):
    languages = "en de it sv fr es nl pl pt fi da no cs el hu ro bg hr sk sl et lv lt ja zh".split()
    # Each 漢 is nine characters in a query string: the longest search, and 25 languages.
    path = (
        reverse("programs:search-follow")
        + "?"
        + urlencode([("q", "漢" * 200), *(("language", code) for code in languages)])
    )
    answer = client.post(path, {"email": "ada@example.org"})
    assert answer.status_code == 400
    assert "too many to follow by e-mail" in answer.content.decode()
    assert not Alert.objects.exists()
    assert mail.outbox == []


class RefusingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_digest_the_mail_server_refuses_is_sent_at_the_next_run(client, programme, settings):
    with time_machine.travel(MORNING, tick=False):
        ask(client, "ada@example.org")
        client.post(only_link(mail.outbox[0], "confirm"))
    with time_machine.travel(MORNING + timedelta(hours=1), tick=False):
        change_credits(programme, 121)
        settings.EMAIL_BACKEND = "tests.web.test_alerts.RefusingBackend"
        with pytest.raises(CommandError, match="1 digest"):
            send_alerts()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        send_alerts()
    assert len(mail.outbox) == 2
    assert "ECTS credits: 90 ECTS → 121 ECTS" in mail.outbox[1].body

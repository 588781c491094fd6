"""Shortlists: a visitor keeps, notes, reorders and shares the programmes they are weighing."""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.core.limits import SHORTLIST_MAX_ENTRIES, SHORTLIST_MAX_NOTE
from programs.models import Programme, Shortlist, ShortlistEntry
from programs.visitors import shortlists
from tests.support import factories
from tests.support.local_servers import PROJECT_ROOT
from tests.support.spreadsheet_files import formula_cells

pytestmark = pytest.mark.django_db

ADD = reverse("programs:shortlist-add")
REMOVE = reverse("programs:shortlist-remove")
NOTE = reverse("programs:shortlist-note")
MOVE = reverse("programs:shortlist-move")
CLEAR = reverse("programs:shortlist-clear")
SHARE = reverse("programs:shortlist-share")
REVOKE = reverse("programs:shortlist-revoke")
EDIT_LINK = reverse("programs:shortlist-edit-link")
PAGE = reverse("programs:shortlist")
OWN_CSV = reverse("programs:shortlist-export")


@pytest.fixture
def programmes():
    germany = factories.UniversityFactory(name="Uni Berlin", country="DE")
    italy = factories.UniversityFactory(name="Uni Milano", country="IT")
    english = factories.LanguageFactory(code="en", name="English")
    return [
        factories.ProgrammeFactory(
            title="Alpha",
            slug="alpha",
            ects=120,
            duration_semesters=4,
            start_term="winter",
            languages=[english],
            universities=[germany],
        ),
        factories.ProgrammeFactory(title="Beta", slug="beta", universities=[italy]),
        factories.ProgrammeFactory(title="Gamma", slug="gamma", universities=[germany, italy]),
        factories.ProgrammeFactory(title="Delta", slug="delta"),
    ]


def add(client, slug, **extra):
    return client.post(ADD, {"programme": slug, **extra})


def own(client):
    """The client's shortlist, as the database has it."""
    data = client.session.get(shortlists.SESSION_KEY)
    return Shortlist.objects.get(pk=data["id"])


def slugs_of(shortlist):
    return list(shortlist.entries.order_by("position", "pk").values_list("slug", flat=True))


def text(response):
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def share(client):
    response = client.post(SHARE)
    assert response.status_code == 302
    return own(client).share_token


def snapshot(shortlist):
    """Everything about a list that a write could change."""
    shortlist.refresh_from_db()
    return (
        shortlist.share_token,
        shortlist.edit_token_hash,
        list(shortlist.entries.order_by("pk").values_list("slug", "note", "position")),
    )


# ---------- Keep ----------


def test_adding_creates_the_list_in_the_session_and_answers_a_redirect_back(client, programmes):
    response = add(client, "alpha", next="/programmes/?language=en")
    assert response.status_code == 302
    assert response["Location"] == "/programmes/?language=en"
    assert slugs_of(own(client)) == ["alpha"]
    page = client.get(response["Location"])
    assert "“Alpha” is now on your shortlist." in text(page)


def test_adding_is_idempotent(client, programmes):
    add(client, "alpha")
    response = add(client, "alpha")
    assert response.status_code == 302
    assert slugs_of(own(client)) == ["alpha"]
    assert ShortlistEntry.objects.count() == 1


def test_next_must_be_on_this_site(client, programmes):
    response = add(client, "alpha", next="https://evil.example/")
    assert response["Location"] == "/programmes/alpha/"


def test_the_header_counts_the_list_and_cards_show_what_is_on_it(client, programmes):
    add(client, "alpha")
    add(client, "beta")
    html = client.get(reverse("programs:programme-list")).content.decode()
    assert '<span class="count-badge">2</span>' in html
    # Alpha and Beta offer "Remove", the others "Add to shortlist".
    assert html.count(">Add to shortlist</button>") == 2
    assert html.count('value="alpha"') == 2  # compare box and the remove form
    detail = client.get("/programmes/alpha/").content.decode()
    assert "On your <a" in detail


def test_htmx_add_answers_the_button_and_the_counter_out_of_band(client, programmes):
    response = client.post(ADD, {"programme": "alpha", "next": "/"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'class="shortlist-control"' in html
    assert f'action="{REMOVE}"' in html
    assert 'id="shortlist-count" class="shortlist-count" data-hx-swap-oob="true"' in html
    assert '<span class="count-badge">1</span>' in html
    response = client.post(
        REMOVE, {"programme": "alpha", "next": "/"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Add to shortlist" in html
    assert 'data-hx-swap-oob="true"></span>' in html  # the counter, now empty
    assert slugs_of(own(client)) == []


@pytest.mark.parametrize("slug", ["no-such-programme", "bad slug", "nul\x00byte", "x" * 300, ""])
def test_adding_an_unknown_or_malformed_programme_is_a_404(client, programmes, slug):
    assert add(client, slug).status_code == 404
    assert not ShortlistEntry.objects.exists()


def test_a_draft_cannot_be_added(client, programmes):
    factories.ProgrammeFactory(slug="draft", published=False)
    assert add(client, "draft").status_code == 404


def test_the_page_shows_the_programmes_in_order_with_key_facts_and_notes(client, programmes):
    for slug in ("gamma", "alpha"):
        add(client, slug)
    client.post(NOTE, {"programme": "alpha", "note": "ask about the admission test"})
    response = client.get(PAGE)
    assert response.status_code == 200
    page = text(response)
    assert page.index("Gamma") < page.index("Alpha")
    assert "Germany, Italy" in page  # Gamma's countries
    for fact in ("ECTS 120", "Languages English", "Duration 4 semesters", "Start Winter semester"):
        assert fact in re.sub(r"\s+", " ", page)
    assert "ask about the admission test" in page
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_an_empty_or_missing_list_says_how_to_start(client, programmes):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "Your shortlist is empty." in text(response)


def test_a_note_with_html_is_shown_as_text(client, programmes):
    add(client, "alpha")
    evil = '<script>alert("x")</script><b>bold</b>'
    client.post(NOTE, {"programme": "alpha", "note": evil})
    assert own(client).entries.get().note == evil
    token = share(client)
    for url in (PAGE, reverse("programs:shortlist-shared", kwargs={"token": token})):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html


def test_notes_keep_line_breaks_and_lose_surrounding_blanks(client, programmes):
    add(client, "alpha")
    client.post(NOTE, {"programme": "alpha", "note": "  first\r\nsecond  "})
    assert own(client).entries.get().note == "first\nsecond"
    assert "first<br>second" in client.get(PAGE).content.decode()


def test_a_note_past_the_limit_gives_a_message_and_keeps_the_text(client, programmes):
    add(client, "alpha")
    client.post(NOTE, {"programme": "alpha", "note": "kept"})
    long_note = "x" * (SHORTLIST_MAX_NOTE + 1)
    response = client.post(NOTE, {"programme": "alpha", "note": long_note})
    assert response.status_code == 200
    assert "at most 2,000 characters; this one has 2,001" in text(response)
    assert long_note in response.content.decode()  # shown back to shorten, not lost
    assert own(client).entries.get().note == "kept"
    # Exactly at the limit is fine; \r\n counts as one character.
    at_limit = "y" * (SHORTLIST_MAX_NOTE - 2) + "\r\nz"
    assert client.post(NOTE, {"programme": "alpha", "note": at_limit}).status_code == 302
    assert len(own(client).entries.get().note) == SHORTLIST_MAX_NOTE


def test_saving_a_note_with_htmx_answers_with_that_note_alone(client, programmes):
    """The page's other notes, and what is typed in them, are not sent back over (issue 30)."""
    add(client, "alpha")
    add(client, "beta")
    response = client.post(NOTE, {"programme": "beta", "note": "visit"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="note-area-beta"' in html
    assert ">visit</textarea>" in html
    assert "note-area-alpha" not in html
    assert "<html" not in html
    # Read out from the page's standing live region, swapped out of band.
    assert 'id="action-status"' in html
    assert "Your note on “Beta” is saved." in html
    assert own(client).entries.get(slug="beta").note == "visit"


def test_a_note_past_the_limit_with_htmx_comes_back_unsaved_with_the_reason(client, programmes):
    add(client, "alpha")
    long_note = "x" * (SHORTLIST_MAX_NOTE + 1)
    response = client.post(NOTE, {"programme": "alpha", "note": long_note}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "at most 2,000 characters; this one has 2,001" in text(response)
    assert f">{long_note}</textarea>" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert own(client).entries.get().note == ""


def test_a_note_with_a_nul_byte_gives_a_message_not_a_500(client, programmes):
    add(client, "alpha")
    response = client.post(NOTE, {"programme": "alpha", "note": "a\x00b"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in text(response)


def test_the_database_refuses_a_note_past_the_limit(programmes):
    from django.db import IntegrityError, transaction

    shortlist = Shortlist.objects.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        ShortlistEntry.objects.create(
            shortlist=shortlist, title="A", slug="a", note="x" * (SHORTLIST_MAX_NOTE + 1)
        )


def test_a_list_holds_at_most_fifty_programmes_with_a_message(client, programmes):
    for index in range(SHORTLIST_MAX_ENTRIES):
        factories.ProgrammeFactory(slug=f"bulk-{index:02d}")
        assert add(client, f"bulk-{index:02d}").status_code == 302
    response = add(client, "alpha", next="/shortlist/")
    assert response.status_code == 302
    assert "holds 50 programmes, the most it can" in text(client.get(response["Location"]))
    assert own(client).entries.count() == SHORTLIST_MAX_ENTRIES
    htmx = client.post(ADD, {"programme": "alpha"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert "the most it can" in htmx.content.decode()
    assert own(client).entries.count() == SHORTLIST_MAX_ENTRIES


def test_reorder(client, programmes):
    for slug in ("alpha", "beta", "gamma", "delta"):
        add(client, slug)
    shortlist = own(client)
    response = client.post(MOVE, {"programme": "gamma", "direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == "/shortlist/#entry-gamma"
    assert slugs_of(shortlist) == ["alpha", "gamma", "beta", "delta"]
    client.post(MOVE, {"programme": "alpha", "direction": "down"})
    assert slugs_of(shortlist) == ["gamma", "alpha", "beta", "delta"]
    client.post(MOVE, {"programme": "delta", "direction": "first"})
    assert slugs_of(shortlist) == ["delta", "gamma", "alpha", "beta"]
    client.post(MOVE, {"programme": "delta", "direction": "last"})
    assert slugs_of(shortlist) == ["gamma", "alpha", "beta", "delta"]
    # Moving past either end changes nothing.
    client.post(MOVE, {"programme": "gamma", "direction": "up"})
    client.post(MOVE, {"programme": "delta", "direction": "down"})
    assert slugs_of(shortlist) == ["gamma", "alpha", "beta", "delta"]
    # New programmes go to the end.
    factories.ProgrammeFactory(slug="epsilon")
    add(client, "epsilon")
    assert slugs_of(shortlist)[-1] == "epsilon"


def test_an_unknown_direction_is_a_400(client, programmes):
    add(client, "alpha")
    assert client.post(MOVE, {"programme": "alpha", "direction": "sideways"}).status_code == 400


def test_remove_and_clear(client, programmes):
    for slug in ("alpha", "beta", "gamma"):
        add(client, slug)
    response = client.post(REMOVE, {"programme": "beta", "next": PAGE})
    assert response["Location"] == PAGE
    assert slugs_of(own(client)) == ["alpha", "gamma"]
    # Removing what is not there answers as done.
    assert client.post(REMOVE, {"programme": "beta"}).status_code == 302
    assert client.post(CLEAR).status_code == 302
    assert slugs_of(own(client)) == []
    assert '<span class="count-badge">' not in client.get(PAGE).content.decode()


def test_notes_and_moves_of_a_programme_not_on_the_list_are_404s(client, programmes):
    add(client, "alpha")
    assert client.post(NOTE, {"programme": "beta", "note": "x"}).status_code == 404
    assert client.post(MOVE, {"programme": "beta", "direction": "up"}).status_code == 404


@pytest.mark.parametrize("url", [ADD, REMOVE, NOTE, MOVE, CLEAR, SHARE, REVOKE, EDIT_LINK])
def test_nothing_changes_on_a_get(client, programmes, url):
    add(client, "alpha")
    before = snapshot(own(client))
    response = client.get(url, {"programme": "beta", "direction": "up", "note": "x"})
    assert response.status_code == 405
    assert snapshot(own(client)) == before


@pytest.mark.parametrize("url", [ADD, REMOVE, NOTE, MOVE, CLEAR, SHARE, REVOKE, EDIT_LINK])
def test_writes_need_the_csrf_token(programmes, url):
    client = Client(enforce_csrf_checks=True)
    client.post(ADD, {"programme": "alpha"})  # refused too
    assert not Shortlist.objects.exists()
    response = client.post(url, {"programme": "alpha", "note": "x", "direction": "up"})
    assert response.status_code == 403


def test_a_form_from_the_page_posts_with_its_csrf_token(programmes):
    client = Client(enforce_csrf_checks=True)
    html = client.get("/programmes/alpha/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(ADD, {"programme": "alpha", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert slugs_of(own(client)) == ["alpha"]


def test_the_session_keeps_a_shortlist_for_a_year(client, programmes):
    add(client, "alpha")
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date > timezone.now() + timedelta(days=360)


def test_signing_in_gives_the_session_its_ordinary_lifetime_back(client, programmes):
    add(client, "alpha")
    user = factories.StaffUserFactory(username="advisor")
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "advisor", "password": "correct horse battery staple"},
    )
    assert signed_in.status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date < timezone.now() + timedelta(days=15)
    assert client.session[shortlists.SESSION_KEY]["count"] == 1  # the list came along
    assert user.is_authenticated


# ---------- Share ----------


def shared_url(token):
    return reverse("programs:shortlist-shared", kwargs={"token": token})


def test_sharing_makes_an_unguessable_read_only_link(client, programmes):
    add(client, "alpha")
    add(client, "beta")
    client.post(NOTE, {"programme": "beta", "note": "ask about the admission test"})
    token = share(client)
    assert re.fullmatch(r"[-_A-Za-z0-9]{43}", token)  # 256 random bits
    page = client.get(PAGE)
    assert f"http://testserver/shortlist/{token}/" in page.content.decode()

    stranger = Client()
    response = stranger.get(shared_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ask about the admission test" in html
    assert "Alpha" in html and "Beta" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]
    # Nothing on it edits the list.
    for url in (NOTE, REMOVE, MOVE, CLEAR, SHARE, REVOKE):
        assert f'action="{url}"' not in html
    assert "<textarea" not in html


def every_write(token):
    """Every write a stranger could try, each naming the shared list's token. (Adding is left
    out: it rightly makes the stranger a list of their own; see the test after these.)"""
    posts = [
        (url, {"programme": "alpha", "note": "hacked", "direction": "down", "token": token})
        for url in (REMOVE, NOTE, MOVE, CLEAR, SHARE, REVOKE, EDIT_LINK)
    ]
    posts += [
        (f"/shortlist/{token}/{action}/", {"programme": "alpha", "note": "hacked"})
        for action in ("add", "remove", "note", "move", "clear", "share", "revoke", "edit")
    ]
    return posts


def test_another_visitor_cannot_change_a_shared_list(client, programmes):
    add(client, "alpha")
    add(client, "beta")
    client.post(NOTE, {"programme": "alpha", "note": "mine"})
    token = share(client)
    shortlist = own(client)
    before = snapshot(shortlist)

    stranger = Client()
    stranger.get(shared_url(token))
    for url, data in every_write(token):
        response = stranger.post(url, data)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert snapshot(shortlist) == before, url
    assert stranger.post(shared_url(token), {"note": "hacked"}).status_code == 405
    assert snapshot(shortlist) == before


def test_a_forged_session_cookie_changes_nothing(client, programmes):
    add(client, "alpha")
    token = share(client)
    shortlist = own(client)
    before = snapshot(shortlist)
    forger = Client()
    forger.cookies["sessionid"] = "x" * 32
    for url, data in every_write(token):
        response = forger.post(url, data)
        assert response.status_code in (403, 404), (url, response.status_code)
    # Posting the list's id itself does not help either.
    for url in (REMOVE, NOTE, MOVE, CLEAR, SHARE):
        forger.post(url, {"programme": "alpha", "shortlist": shortlist.pk, "id": shortlist.pk})
    assert snapshot(shortlist) == before


def test_adding_from_another_session_makes_that_visitors_own_list(client, programmes):
    add(client, "alpha")
    token = share(client)
    stranger = Client()
    stranger.get(shared_url(token))
    add(stranger, "beta")
    assert slugs_of(own(stranger)) == ["beta"]
    assert slugs_of(own(client)) == ["alpha"]


def test_replacing_the_link_turns_the_old_one_off(client, programmes):
    add(client, "alpha")
    old = share(client)
    new = share(client)
    assert new != old
    assert Client().get(shared_url(old)).status_code == 404
    assert Client().get(shared_url(new)).status_code == 200


def test_a_revoked_link_answers_404(client, programmes):
    add(client, "alpha")
    token = share(client)
    assert client.post(REVOKE).status_code == 302
    stranger = Client()
    response = stranger.get(shared_url(token))
    assert response.status_code == 404
    assert "This shortlist link does not work" in text(response)
    assert response["X-Robots-Tag"] == "noindex"
    csv_url = reverse("programs:shortlist-shared-export", kwargs={"token": token})
    assert stranger.get(csv_url).status_code == 404
    copy_url = reverse("programs:shortlist-copy", kwargs={"token": token})
    assert stranger.post(copy_url).status_code == 404


@pytest.mark.parametrize("token", ["a" * 43, "short", "a" * 44])
def test_an_unknown_token_answers_404(client, programmes, token):
    assert client.get(f"/shortlist/{token}/").status_code == 404


def test_a_visitor_can_copy_a_shared_list_into_their_own(client, programmes):
    add(client, "alpha")
    add(client, "beta")
    client.post(NOTE, {"programme": "beta", "note": "why: strong in imaging"})
    token = share(client)

    friend = Client()
    add(friend, "gamma")
    add(friend, "alpha")
    response = friend.post(reverse("programs:shortlist-copy", kwargs={"token": token}))
    assert response["Location"] == PAGE
    assert "1 programme copied to your shortlist." in text(friend.get(PAGE))
    mine = own(friend)
    assert slugs_of(mine) == ["gamma", "alpha", "beta"]
    assert mine.entries.get(slug="beta").note == "why: strong in imaging"
    assert slugs_of(own(client)) == ["alpha", "beta"]  # the original is untouched


def test_copying_your_own_list_changes_nothing(client, programmes):
    add(client, "alpha")
    token = share(client)
    client.post(reverse("programs:shortlist-copy", kwargs={"token": token}))
    assert slugs_of(own(client)) == ["alpha"]


def test_copying_stops_at_the_limit_with_a_message(client, programmes):
    add(client, "alpha")
    add(client, "beta")
    token = share(client)
    friend = Client()
    for index in range(SHORTLIST_MAX_ENTRIES - 1):
        factories.ProgrammeFactory(slug=f"bulk-{index:02d}")
        add(friend, f"bulk-{index:02d}")
    friend.post(reverse("programs:shortlist-copy", kwargs={"token": token}))
    assert own(friend).entries.count() == SHORTLIST_MAX_ENTRIES
    assert "1 did not fit" in text(friend.get(PAGE))


# ---------- The private edit link ----------


def test_the_edit_link_is_shown_once_and_only_its_hash_is_stored(client, programmes):
    add(client, "alpha")
    response = client.post(EDIT_LINK)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url = re.search(r'id="edit-url"[^>]*value="([^"]+)"', response.content.decode()).group(1)
    token = url.rstrip("/").rsplit("/", 1)[1]
    shortlist = own(client)
    assert shortlist.edit_token_hash == shortlists.token_hash(token)
    assert token not in str(Shortlist.objects.filter(pk=shortlist.pk).values().get())
    assert token not in client.get(PAGE).content.decode()

    # On another device: GET only explains; POST makes the list that device's.
    other = Client()
    page = other.get(url)
    assert page.status_code == 200
    assert shortlists.SESSION_KEY not in other.session
    assert other.post(url).status_code == 302
    assert own(other).pk == shortlist.pk
    other.post(NOTE, {"programme": "alpha", "note": "from my phone"})
    assert shortlist.entries.get().note == "from my phone"

    # A new edit link turns the old one off, and takes the list back from the device that used
    # it; the share token is no edit token.
    client.post(EDIT_LINK)
    assert Client().get(url).status_code == 404
    refused = other.post(NOTE, {"programme": "alpha", "note": "from a leaked link"})
    assert refused.status_code in (403, 404)
    assert shortlist.entries.get().note == "from my phone"
    assert client.post(NOTE, {"programme": "alpha", "note": "the owner's"}).status_code == 302
    share_token = share(client)
    assert Client().post(f"/shortlist/edit/{share_token}/").status_code == 404


# ---------- Programmes that go away ----------


def test_an_unpublished_programme_shows_as_no_longer_published(client, programmes):
    add(client, "alpha")
    add(client, "beta")
    client.post(NOTE, {"programme": "beta", "note": "my note stays"})
    token = share(client)
    beta = Programme.objects.get(slug="beta")
    beta.published = False
    beta.title = "Beta (draft rename)"
    beta.save()
    for response in (client.get(PAGE), Client().get(shared_url(token))):
        page = text(response)
        assert "No longer published." in page
        assert "Beta" in page and "draft rename" not in page
        assert "my note stays" in page
        assert 'href="/programmes/beta/"' not in response.content.decode()
    assert client.get(reverse("programs:programme-list")).status_code == 200
    # It can still be removed, and its note edited.
    assert client.post(NOTE, {"programme": "beta", "note": "gone"}).status_code == 302
    client.post(REMOVE, {"programme": "beta", "next": PAGE})
    assert slugs_of(own(client)) == ["alpha"]


def test_a_programme_unpublished_then_renamed_keeps_the_slug_it_was_added_with(client, programmes):
    """A draft's new slug is not public: neither the list nor its shared link shows it, in an
    element id, a form value or anywhere else, and the entry can still be edited."""
    add(client, "beta")
    client.post(NOTE, {"programme": "beta", "note": "my note"})
    token = share(client)
    beta = Programme.objects.get(slug="beta")
    beta.published = False
    beta.save()
    beta.slug = "beta-secret-merger-2027"
    beta.save()

    for response in (client.get(PAGE), Client().get(shared_url(token))):
        html = response.content.decode()
        assert "secret-merger" not in html
        assert 'id="entry-beta"' in html
    assert "secret-merger" not in client.get(OWN_CSV).content.decode()
    assert client.post(NOTE, {"programme": "beta", "note": "edited"}).status_code == 302
    assert own(client).entries.get().note == "edited"
    client.post(REMOVE, {"programme": "beta", "next": PAGE})
    assert slugs_of(own(client)) == []


def test_a_deleted_programme_still_shows_and_can_be_removed(client, programmes):
    add(client, "alpha")
    add(client, "beta")
    Programme.objects.get(slug="beta").delete()
    page = text(client.get(PAGE))
    assert "Beta" in page and "No longer published." in page
    assert client.post(REMOVE, {"programme": "beta", "next": PAGE}).status_code == 302
    assert slugs_of(own(client)) == ["alpha"]


# ---------- Use: compare and CSV ----------


def test_the_compare_link_takes_the_first_four_published_programmes(client, programmes):
    add(client, "alpha")
    html = client.get(PAGE).content.decode()
    assert "/compare/?" not in html
    for slug in ("beta", "gamma", "delta"):
        add(client, slug)
    factories.ProgrammeFactory(slug="epsilon")
    add(client, "epsilon")
    html = client.get(PAGE).content.decode()
    link = "/compare/?p=alpha&amp;p=beta&amp;p=gamma&amp;p=delta"
    assert f'href="{link}">Compare the first 4<' in html
    response = client.get(unescape(link))
    assert response.status_code == 200
    assert "Key facts of 4 programmes side by side" in response.content.decode()


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:], newline="")))


def test_csv_has_the_programmes_in_order_with_notes(client, programmes):
    add(client, "beta")
    add(client, "alpha")
    client.post(NOTE, {"programme": "alpha", "note": '=HYPERLINK("http://evil")\nline two'})
    client.post(NOTE, {"programme": "beta", "note": "<b>fine</b>"})
    rows = csv_rows(client.get(OWN_CSV))
    assert rows[0][0] == "position" and rows[0][-3:-1] == ["status", "note"]
    assert rows[0][-1].startswith('note: "not stated"')  # the explanation stays last
    assert [row[1] for row in rows[1:]] == ["Beta", "Alpha"]
    alpha = dict(zip(rows[0], rows[2], strict=True))
    assert alpha["url"] == "http://testserver/programmes/alpha/"
    assert alpha["ects"] == "120"
    assert alpha["status"] == "published"
    # A formula is neutralised like the catalog export's cells; line breaks survive quoting.
    assert alpha["note"] == '\'=HYPERLINK("http://evil")\nline two'
    token = share(client)
    shared_csv = client.get(reverse("programs:shortlist-shared-export", kwargs={"token": token}))
    assert csv_rows(shared_csv) == rows
    assert shared_csv["Content-Disposition"] == 'attachment; filename="shortlist.csv"'


def test_csv_notes_hide_no_formula_from_a_semicolon_spreadsheet(client, programmes):
    """A note is anyone's text, and a shared list's CSV is opened by someone else: a formula
    after a ";" or a line break would run in a German, Italian or Swedish spreadsheet."""
    notes = {"alpha": "Good fees;=1+1", "beta": "Ask about fees\n=1+1", "gamma": "\n=1+1"}
    for slug, note in notes.items():
        add(client, slug)
        client.post(NOTE, {"programme": slug, "note": note})
    Programme.objects.filter(slug="gamma").update(published=False)  # its row: title, note
    token = share(client)
    shared = reverse("programs:shortlist-shared-export", kwargs={"token": token})

    for response in (client.get(OWN_CSV), Client().get(shared)):
        content = response.content.decode("utf-8-sig")
        assert formula_cells(content) == []
        rows = csv_rows(response)
        note = rows[0].index("note")
        assert [row[note] for row in rows[1:]] == [
            "Good fees;'=1+1",
            "Ask about fees\n'=1+1",
            "'=1+1",  # the note lost its leading line break, as every note does
        ]


def test_csv_marks_a_programme_no_longer_published_and_leaves_its_facts_out(client, programmes):
    add(client, "alpha")
    Programme.objects.filter(slug="alpha").update(published=False)
    rows = csv_rows(client.get(OWN_CSV))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == "Alpha"
    assert row["url"] == "" and row["ects"] == ""
    assert row["status"] == "no longer published"


def test_csv_without_a_list_is_just_the_header(client, programmes):
    assert len(csv_rows(client.get(OWN_CSV))) == 1


def test_the_stylesheet_has_print_rules_that_hide_navigation_and_controls():

    css = (PROJECT_ROOT / "static/css/site.css").read_text()
    print_rules = css[css.index("@media print") :]
    for selector in (".site-header", ".site-footer", ".note-form", ".entry-controls", ".no-print"):
        assert selector in print_rules


# ---------- Limits over time ----------


def test_prune_deletes_lists_unused_for_a_year_and_is_idempotent(client, programmes):
    add(client, "alpha")
    recent = own(client)
    old = Shortlist.objects.create(used_at=timezone.now() - timedelta(days=366))
    ShortlistEntry.objects.create(shortlist=old, programme=programmes[0], title="A", slug="a")
    almost = Shortlist.objects.create(used_at=timezone.now() - timedelta(days=364))
    ShortlistEntry.objects.create(shortlist=almost, programme=programmes[1], title="B", slug="b")

    out = io.StringIO()
    call_command("prune_shortlists", "--dry-run", stdout=out)
    assert "1 shortlist(s)" in out.getvalue()
    assert Shortlist.objects.count() == 3

    out = io.StringIO()
    call_command("prune_shortlists", stdout=out)
    assert "Deleted 1 shortlist(s)" in out.getvalue()
    assert set(Shortlist.objects.values_list("pk", flat=True)) == {recent.pk, almost.pk}
    assert not ShortlistEntry.objects.filter(shortlist_id=old.pk).exists()

    out = io.StringIO()
    call_command("prune_shortlists", stdout=out)
    assert "Deleted 0 shortlist(s)" in out.getvalue()

    # The owner of a pruned list simply starts a new one.
    Shortlist.objects.all().delete()
    assert client.get(PAGE).status_code == 200
    assert add(client, "beta").status_code == 302
    assert slugs_of(own(client)) == ["beta"]


def test_an_empty_list_is_pruned_after_a_day_and_its_session_is_not_kept_a_year(client, programmes):
    add(client, "alpha")
    token = share(client)
    client.post(CLEAR)
    emptied = own(client)
    session = Session.objects.get(session_key=client.session.session_key)
    # Nothing worth keeping: the session's ordinary lifetime (two weeks), not a year.
    assert session.expire_date < timezone.now() + timedelta(days=15)
    still_used = Shortlist.objects.create(used_at=timezone.now() - timedelta(hours=20))

    call_command("prune_shortlists", stdout=io.StringIO())
    assert Shortlist.objects.filter(pk__in=[emptied.pk, still_used.pk]).count() == 2

    Shortlist.objects.update(used_at=timezone.now() - timedelta(hours=25))
    out = io.StringIO()
    call_command("prune_shortlists", stdout=out)
    assert "Deleted 2 shortlist(s)" in out.getvalue()
    assert Client().get(shared_url(token)).status_code == 404
    assert "Your shortlist is empty." in text(client.get(PAGE))


def test_copying_a_list_with_nothing_to_copy_makes_no_list(client, programmes):
    add(client, "alpha")
    token = share(client)
    Programme.objects.filter(slug="alpha").update(published=False)

    visitor = Client()
    response = visitor.post(reverse("programs:shortlist-copy", kwargs={"token": token}))

    assert response.status_code == 302
    assert "0 programmes copied to your shortlist." in text(visitor.get(PAGE))
    assert Shortlist.objects.count() == 1  # the shared one only
    assert shortlists.SESSION_KEY not in visitor.session


def test_opening_a_list_counts_as_use_at_most_once_a_day(client, programmes):
    add(client, "alpha")
    token = share(client)
    shortlist = own(client)
    long_ago = timezone.now() - timedelta(days=300)
    Shortlist.objects.filter(pk=shortlist.pk).update(used_at=long_ago)
    Client().get(shared_url(token))
    shortlist.refresh_from_db()
    assert shortlist.used_at > timezone.now() - timedelta(minutes=1)


# ---------- Staff see a count, never the lists ----------


def test_the_admin_shows_how_many_shortlists_hold_each_programme(client, programmes):
    add(client, "alpha")
    client.post(NOTE, {"programme": "alpha", "note": "secret advising note"})
    other = Client()
    add(other, "alpha")
    add(other, "beta")

    admin = Client()
    admin.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    listing = admin.get(reverse("admin:programs_programme_changelist"))
    html = listing.content.decode()
    assert "Shortlists" in html
    assert re.search(r'<td class="field-shortlisted">2</td>', html)
    assert re.search(r'<td class="field-shortlisted">1</td>', html)
    assert "secret advising note" not in html
    alpha = Programme.objects.get(slug="alpha")
    change = admin.get(reverse("admin:programs_programme_change", args=[alpha.pk]))
    assert change.status_code == 200
    assert "secret advising note" not in change.content.decode()
    assert re.search(
        r"Shortlists:</label>\s*<div class=\"readonly\">2</div>", change.content.decode()
    )
    # Shortlists themselves have no admin pages.
    assert admin.get("/admin/programs/shortlist/").status_code == 404


# ---------- Any form body ----------

FIELD_VALUES = st.one_of(
    st.sampled_from(["alpha", "beta", "up", "down", "last", "/shortlist/", "//evil.example/"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.text(max_size=5).map(lambda text: text * 500),  # past the note limit
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.dictionaries(
        st.sampled_from(["programme", "note", "direction", "next", "token"]), FIELD_VALUES
    )
)
def test_any_form_body_gets_an_answer_never_a_500(client, programmes, body):
    """Whatever a form posts, each write answers a redirect, a page with a message, or 4xx."""
    # Each example is a visitor's minute of its own: hypothesis runs them all in one test, whose
    # 360 writes would otherwise meet the write throttle (tests/web/test_write_throttle.py).
    caches["throttle"].clear()
    add(client, "alpha")
    for url in (ADD, NOTE, MOVE, REMOVE, SHARE, REVOKE, EDIT_LINK, CLEAR):
        response = client.post(url, body)
        assert response.status_code in (200, 302, 400, 404), (url, body, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/")
            assert not response["Location"].startswith("//")


def test_an_emptied_list_can_still_turn_its_link_off(client, programmes):
    add(client, "alpha")
    token = share(client)
    client.post(CLEAR)
    html = client.get(PAGE).content.decode()
    assert "Your shortlist is empty." in html
    assert f'action="{REVOKE}"' in html
    client.post(REVOKE)
    assert Client().get(shared_url(token)).status_code == 404

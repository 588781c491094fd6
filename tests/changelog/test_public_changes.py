"""What changed: the public change log on a programme's page, on /changes/ and in both Atom feeds.

Programmes are published and edited through the admin, as admissions staff do (an edit of a
published programme goes live as a proposal, reviewed and published by a second staff member);
the log must tell the public facts before and after, in plain words, and nothing else: no
draft-only edits, no edit undone before publishing, no staff names.
"""

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from programs.actions.proposals import open_proposal_of
from programs.changelog.changes import changes_from_history, record_public_changes
from programs.models import Programme, PublicChange, RequirementKind
from tests.support import factories
from tests.support.admin_pages import add_row, change_url, errors_of, form_data
from tests.support.proposal_flow import publish_after_review

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def languages():
    return {
        "en": factories.LanguageFactory(code="en", name="English"),
        "de": factories.LanguageFactory(code="de", name="German"),
    }


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni Stockholm", slug="uni-stockholm", country="SE")


@pytest.fixture
def editor(client, university):
    """Admissions staff of the university, signed in, with a name that must never be shown."""
    client.force_login(
        factories.StaffUserFactory(
            username="alice-editor",
            first_name="Alice",
            last_name="Editorsdottir",
            universities=[university],
        )
    )
    return client


def publish(client, programme):
    """Publish a programme with the admin's action, as staff do (confirmed: a draft without its
    core facts is asked about first, tests/staff/test_bulk_publish.py)."""
    response = client.post(
        reverse("admin:programs_programme_changelist"),
        {"action": "publish", "_selected_action": [programme.pk], "publish_confirmed": "yes"},
    )
    assert response.status_code == 302


def unpublish(client, programme):
    response = client.post(
        reverse("admin:programs_programme_changelist"),
        {"action": "unpublish", "_selected_action": [programme.pk]},
    )
    assert response.status_code == 302


def edit(client, programme, **changes):
    """Save the programme's change form with some fields changed; `requirement` adds one."""
    data = form_data(client.get(change_url(programme)))
    requirement = changes.pop("requirement", None)
    data.update(changes)
    if requirement is not None:
        add_row(
            data,
            "admission_requirements",
            kind=RequirementKind.TEST,
            text=requirement,
            position="1",
        )
    response = client.post(change_url(programme), data)
    assert response.status_code == 302, errors_of(response)
    go_live(programme)


def go_live(programme):
    """The proposal a save of the published programme started, if any, submitted, approved by a
    second staff member and published (a draft's save is live at once)."""
    if open_proposal_of(programme) is not None:
        reviewer = factories.StaffUserFactory(
            username="bob-reviewer",
            first_name="Bob",
            last_name="Reviewersson",
            universities=programme.universities.all(),
            approves_proposals=True,
        )
        publish_after_review(programme, reviewer)


@pytest.fixture
def programme(editor, university, languages):
    """A published programme taught in German and English, with one admission requirement."""
    programme = factories.ProgrammeFactory(
        title="Health Data Science",
        slug="health-data-science",
        ects=90,
        published=False,
        universities=[university],
        languages=[languages["de"], languages["en"]],
    )
    factories.AdmissionRequirementFactory(programme=programme, text="A bachelor's degree")
    publish(editor, programme)
    return programme


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return strip_tags(response.content.decode())


def change_section(client, programme):
    """The text of the programme page's "What changed" section."""
    html = client.get(programme.get_absolute_url()).content.decode()
    section = html.split('<section id="changes"', 1)[1].split("</section>", 1)[0]
    return strip_tags(section)


def parse_atom(response):
    """The feed parsed as XML, after checking it is Atom with what RFC 4287 requires."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}") is not None and feed.findtext(f"{ATOM}{name}").strip()
    datetime.fromisoformat(feed.findtext(f"{ATOM}updated"))
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Curriculum catalog"
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{name}", "").strip(), name
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").startswith("http")
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    return feed


def entries(feed):
    """Each entry's title and its summary as plain text."""
    return [
        (entry.findtext(f"{ATOM}title"), strip_tags(entry.findtext(f"{ATOM}summary")))
        for entry in feed.findall(f"{ATOM}entry")
    ]


CATALOG_FEED = "/changes/feed.atom"


def programme_feed(programme):
    return f"/programmes/{programme.slug}/changes.atom"


def test_a_first_publication_reads_published(client, programme):
    assert "Published" in change_section(client, programme)
    assert [change.descriptions for change in programme.public_changes.all()] == [["Published"]]
    feed = parse_atom(client.get(programme_feed(programme)))
    assert entries(feed) == [("Health Data Science: Published", "Published")]


EDIT_LINES = [
    "Teaching languages: English, German → English",
    "ECTS credits: 90 ECTS → 120 ECTS",
    "Admission: added “an admission test”",
]


def test_an_admin_edit_shows_old_and_new_values_on_every_page_and_feed(editor, programme, client):
    edit(
        editor,
        programme,
        languages=[programme.languages.get(code="en").pk],
        ects="120",
        requirement="an admission test",
    )
    client.logout()

    section = change_section(client, programme)
    listing = page_text(client, "/changes/")
    catalog_entries = entries(parse_atom(client.get(CATALOG_FEED)))
    programme_entries = entries(parse_atom(client.get(programme_feed(programme))))

    for line in EDIT_LINES:
        assert line in section
        assert line in listing
        assert line in catalog_entries[0][1]
        assert line in programme_entries[0][1]
    # Newest first: the edit above the publication.
    assert section.index(EDIT_LINES[0]) < section.index("Published")
    assert catalog_entries[0][0] == (
        "Health Data Science: Changed: ECTS credits, Teaching languages, Admission"
    )
    assert [title for title, _ in programme_entries][1] == "Health Data Science: Published"


def test_staff_names_never_appear(editor, programme, client):
    edit(editor, programme, title="Health Data Science and AI")
    for address in ("/changes/", CATALOG_FEED, programme_feed(programme)):
        body = client.get(address).content.decode()
        assert "Health Data Science and AI" in body
        for name in ("alice", "Alice", "Editorsdottir", "bob", "Bob", "Reviewersson"):
            assert name not in body, address
    detail = client.get(reverse("programs:programme-detail", args=["health-data-science"]))
    assert "alice" not in detail.content.decode().lower()


def test_a_drafts_edits_never_appear_and_its_publication_reads_published(editor, university):
    draft = factories.ProgrammeFactory(
        title="Working title", slug="later", published=False, universities=[university]
    )
    edit(editor, draft, title="Second working title")
    edit(editor, draft, title="Imaging Science")
    assert not PublicChange.objects.exists()

    publish(editor, draft)

    assert [change.descriptions for change in draft.public_changes.all()] == [["Published"]]
    listing = page_text(editor, "/changes/")
    assert "Imaging Science" in listing
    assert "working title" not in listing.lower()


def test_an_edit_undone_before_publishing_again_never_appears(editor, programme, client):
    unpublish(editor, programme)
    edit(editor, programme, title="A mistaken title")
    edit(editor, programme, title="Health Data Science")
    publish(editor, programme)

    assert programme.public_changes.count() == 1  # only "Published"
    for address in ("/changes/", CATALOG_FEED, programme_feed(programme)):
        assert "mistaken" not in client.get(address).content.decode()


def test_edits_made_while_a_draft_show_as_one_change_when_published_again(editor, programme):
    unpublish(editor, programme)
    edit(editor, programme, title="Health Data Science 2")
    edit(editor, programme, ects="100")
    assert programme.public_changes.count() == 1

    publish(editor, programme)

    latest = programme.public_changes.order_by("-changed_at").first()
    assert latest.descriptions == [
        "Title: Health Data Science → Health Data Science 2",
        "ECTS credits: 90 ECTS → 100 ECTS",
    ]


def test_a_save_that_changes_nothing_public_adds_no_change(editor, programme):
    edit(editor, programme)
    assert programme.public_changes.count() == 1


def test_an_unpublished_programmes_changes_leave_the_public_log(editor, programme, client):
    unpublish(editor, programme)
    assert "Health Data Science" not in page_text(client, "/changes/")
    assert entries(parse_atom(client.get(CATALOG_FEED))) == []
    assert client.get(programme_feed(programme)).status_code == 404


def test_parts_are_described_in_plain_words(editor, programme):
    data = form_data(editor.get(change_url(programme)))
    add_row(data, "modules", title="Machine Learning", kind="compulsory", ects="7.5", position="0")
    add_row(data, "careers", kind="role", text="Data scientist", position="0")
    data["admission_requirements-0-DELETE"] = "on"
    assert editor.post(change_url(programme), data).status_code == 302
    go_live(programme)

    latest = programme.public_changes.order_by("-changed_at").first()
    assert latest.descriptions == [
        "Modules: added “Machine Learning (compulsory, 7.5 ECTS)”",
        "Admission: removed “A bachelor's degree”",
        "Careers: added “Data scientist”",
    ]


def test_restoring_an_earlier_version_is_a_public_change(editor, programme):
    earlier = programme.history.latest()
    edit(editor, programme, title="Renamed")
    url = reverse("admin:programs_programme_simple_history", args=[programme.pk, earlier.pk])
    response = editor.post(url, form_data(editor.get(url), form_id="historicalprogramme_form"))
    assert response.status_code == 302
    go_live(programme)  # the restore is a proposal too

    titles = [change.descriptions for change in programme.public_changes.order_by("changed_at")]
    assert titles == [
        ["Published"],
        ["Title: Health Data Science → Renamed"],
        ["Title: Renamed → Health Data Science"],
    ]


def test_changes_can_be_filtered_with_the_lists_parameters(editor, programme, client, languages):
    german_only = factories.ProgrammeFactory(
        title="Medizininformatik",
        published=False,
        universities=[factories.UniversityFactory(country="DE")],
        languages=[languages["de"]],
    )
    editor.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    publish(editor, german_only)

    in_sweden = page_text(client, "/changes/?country=SE")
    in_german = page_text(client, "/changes/?language=de&country=DE")
    assert "Health Data Science" in in_sweden and "Medizininformatik" not in in_sweden
    assert "Medizininformatik" in in_german and "Health Data Science" not in in_german
    assert "Country: Sweden" in in_sweden  # the active filter, removable
    feed = parse_atom(client.get(CATALOG_FEED, {"country": "DE"}))
    assert [title for title, _ in entries(feed)] == ["Medizininformatik: Published"]
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("feed.atom?country=DE")


def test_bad_filters_are_marked_on_the_page_and_refused_by_the_feed(client, programme):
    response = client.get("/changes/", {"language": "xx", "ects_min": "abc"})
    assert response.status_code == 200
    text = strip_tags(response.content.decode())
    assert "“xx” is not a teaching language we list." in text
    assert "Health Data Science" in text  # the bad values are left out, the rest applies

    feed = client.get(CATALOG_FEED, {"language": "xx"})
    assert feed.status_code == 400
    assert "“xx” is not a teaching language we list." in feed.content.decode()


def test_changes_are_paged_twenty_to_a_page(editor, programme, client):
    for number in range(1, 22):
        Programme.objects.filter(pk=programme.pk).update(ects=90 + number)
        record_public_changes(programme)

    first = page_text(client, "/changes/")
    second = page_text(client, "/changes/?page=2")
    assert "22 changes, page 1 of 2" in first
    assert "ECTS credits: 110 ECTS → 111 ECTS" in first
    assert "Published" in second and "ECTS credits: 90 ECTS → 91 ECTS" in second
    assert "There is no page 9" in page_text(client, "/changes/?page=9")


def test_the_pages_link_their_feeds_in_the_head(client, programme):
    detail = client.get(programme.get_absolute_url()).content.decode()
    changes = client.get("/changes/?language=en").content.decode()
    listing = client.get("/programmes/?language=en").content.decode()
    alternate = '<link rel="alternate" type="application/atom+xml"'
    assert (
        f'{alternate} title="What changed: Health Data Science" href="{programme_feed(programme)}">'
        in detail
    )
    assert alternate in changes and 'href="/changes/feed.atom?language=en"' in changes
    assert alternate in listing and 'href="/changes/feed.atom?language=en"' in listing


def test_the_log_derived_from_history_is_the_one_written_at_each_save(editor, programme):
    """Migration 0006 derives the log of programmes published before it from their history."""
    unpublish(editor, programme)
    edit(editor, programme, title="Draft-only title")
    edit(editor, programme, title="Health Data Science")
    publish(editor, programme)
    edit(
        editor,
        programme,
        languages=[programme.languages.get(code="en").pk],
        requirement="an admission test",
    )
    written = [(c.lines, c.snapshot) for c in programme.public_changes.order_by("changed_at")]
    PublicChange.objects.all().delete()

    changes_from_history(apps)

    derived = [(c.lines, c.snapshot) for c in programme.public_changes.order_by("changed_at")]
    assert derived == written
    assert len(derived) == 2


def test_an_edit_near_the_end_of_a_long_text_shows_what_changed(editor, programme, client):
    opening = "Digital technologies are changing medicine. " * 10
    edit(editor, programme, description=opening + "Teaching is in German.")
    edit(editor, programme, description=opening + "Teaching is in English.")

    (line,) = programme.public_changes.order_by("-changed_at").first().descriptions

    old, new = line.split(" → ")
    assert old.startswith("About the programme: …") and old.endswith("Teaching is in German.")
    assert new.startswith("…") and new.endswith("Teaching is in English.")
    assert "Teaching is in English." in change_section(client, programme)


def test_a_parts_changed_detail_shows_old_and_new(editor, programme):
    data = form_data(editor.get(change_url(programme)))
    data["admission_requirements-0-original_text"] = "Ein Bachelorabschluss"
    data["admission_requirements-0-original_language"] = "de"
    assert editor.post(change_url(programme), data).status_code == 302
    go_live(programme)

    latest = programme.public_changes.order_by("-changed_at").first()
    assert latest.descriptions == [
        "Admission: “A bachelor's degree”: not stated → Ein Bachelorabschluss; not stated → de"
    ]


def test_the_lists_sort_stays_out_of_the_change_log_and_its_feed(client, programme):
    country = programme.universities.get().country
    listing = client.get("/programmes/", {"country": country, "sort": "-ects"}).content.decode()

    assert f'href="/changes/?country={country}"' in listing
    assert f'href="/changes/feed.atom?country={country}"' in listing
    assert client.get("/changes/feed.atom", {"sort": "bogus"}).status_code == 200
    assert "Choose a sort order" not in page_text(client, "/changes/?sort=bogus")


def test_renaming_a_university_is_logged_on_its_programmes_at_once(editor, programme, university):
    superuser = Client()
    superuser.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:programs_university_change", args=[university.pk])
    data = form_data(superuser.get(url), form_id="university_form")
    data["name"] = "Renamed University"

    assert superuser.post(url, data).status_code == 302

    latest = programme.public_changes.order_by("-changed_at").first()
    assert latest.descriptions == [f"Offered by: {university.name} → Renamed University"]
    # The next save of the programme itself has nothing more to report about it.
    edit(editor, programme, ects="95")
    assert programme.public_changes.order_by("-changed_at").first().descriptions == [
        "ECTS credits: 90 ECTS → 95 ECTS"
    ]


def test_a_search_typed_with_a_control_character_still_gets_its_feed(client, programme):
    """XML may not hold a backspace: the feed's title leaves it out rather than fail."""
    response = client.get(CATALOG_FEED, {"q": "\x08Health"})
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text.endswith("(Search: “Health”)")

"""Issue 31, "Retire": a proposal can retire a programme ("no longer admitting from 2027/28"),
with an optional successor. Proposed in the admin it changes nothing public; once published the
page stays (200) with a notice naming and linking the successor, the list, its counts, its search
and its CSV leave it out unless asked (`status=retired`, `status=all`), the sitemap keeps its
page, and the change log and its feeds say "Retired: no longer admitting from …"."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.actions import proposals
from programs.actions.saving import programme_write
from programs.changelog.changes import record_public_changes
from programs.models import Programme, Proposal, ProposalState
from tests.support import factories
from tests.support.admin_pages import change_url, form_data
from tests.support.list_pages import facet_counts, get_list, html_of, shown_slugs, text_of

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+|(csrf[-_]token[^>]*?")[^"]+')


@pytest.fixture
def catalog_of_three(db):
    english = factories.LanguageFactory(code="en", name="English")
    german = factories.LanguageFactory(code="de", name="German")
    university = factories.UniversityFactory(slug="uni-a", name="University A")
    made = {}
    for slug, title, language in [
        ("old-health", "Old Health Informatics", german),
        ("new-health", "New Health Data Science", english),
        ("other", "Other Studies", english),
    ]:
        made[slug] = factories.ProgrammeFactory(
            slug=slug,
            title=title,
            summary=f"{title} summary",
            languages=[language],
            universities=[university],
            published=True,
        )
        # Its first publication in the public log, as every save in the admin records it.
        record_public_changes(made[slug])
    return made


def staff_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def proposer(db):
    return factories.UserFactory(username="proposer", is_staff=True, is_superuser=True)


@pytest.fixture
def approver(db):
    return factories.UserFactory(username="approver", is_staff=True, is_superuser=True)


def propose_retirement(user, programme, successor=None, term="2027/28"):
    """Tick "retired" in the programme's admin change form, as staff do; returns the proposal."""
    client = staff_client(user)
    data = form_data(client.get(change_url(programme)))
    data.update(retired="on", admission_ends=term, successor=str(successor.pk) if successor else "")
    response = client.post(change_url(programme), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Proposal.objects.get(programme=programme, state__in=[ProposalState.EDITING])


def public_pages(client, programme):
    """What the public can fetch about the catalog and this programme, tokens taken out."""
    urls = [
        programme.get_absolute_url(),
        reverse("programs:programme-list"),
        reverse("programs:programme-list") + "?status=retired",
        reverse("programs:programme-export"),
        reverse("programs:change-feed"),
        reverse("programs:programme-change-feed", kwargs={"slug": programme.slug}),
        "/sitemap.xml",
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[url] = (response.status_code, TOKEN.sub(r"\1\2", body.decode()))
    return pages


def publish(proposal, proposer, approver):
    proposals.submit(proposal, proposer)
    proposals.approve(proposal, approver)
    proposals.publish(proposal, approver)


def test_a_retirement_proposed_in_the_admin_changes_nothing_public_until_published(
    client, catalog_of_three, proposer, approver
):
    old, new = catalog_of_three["old-health"], catalog_of_three["new-health"]
    before = public_pages(client, old)

    proposal = propose_retirement(proposer, old, successor=new)

    assert proposal.proposed["programme"]["retired"] is True
    assert proposal.proposed["programme"]["successor_id"] == new.pk
    old.refresh_from_db()
    assert (old.retired, old.admission_ends, old.successor_id) == (False, None, None)
    assert public_pages(client, old) == before

    proposals.submit(proposal, proposer)
    proposals.approve(proposal, approver)
    assert public_pages(client, old) == before

    proposals.publish(proposal, approver)
    old.refresh_from_db()
    assert (old.retired, old.admission_ends, old.successor_id) == (True, "2027/28", new.pk)
    assert public_pages(client, old) != before


@pytest.fixture
def retired(catalog_of_three, proposer, approver):
    """old-health retired through a published proposal, succeeded by new-health."""
    old, new = catalog_of_three["old-health"], catalog_of_three["new-health"]
    publish(propose_retirement(proposer, old, successor=new), proposer, approver)
    return old


def test_a_retired_programmes_page_stays_with_a_notice_linking_its_successor(client, retired):
    response = client.get(retired.get_absolute_url())

    assert response.status_code == 200
    notice = html_of(response).split('class="notice notice-retired"')[1].split("</div>")[0]
    assert "No longer admitting from 2027/28." in text_of(notice)
    assert "It is succeeded by New Health Data Science" in text_of(notice)
    assert 'href="/programmes/new-health/"' in notice


def test_a_successor_not_published_is_named_but_not_linked(client, retired):
    Programme.objects.filter(slug="new-health").update(published=False)
    from programs.models import CatalogRevision

    CatalogRevision.objects.bump()

    html = html_of(client.get(retired.get_absolute_url()))
    notice = html.split('class="notice notice-retired"')[1].split("</div>")[0]
    assert "New Health Data Science" in notice
    assert "/programmes/new-health/" not in notice


def test_the_german_page_says_it_in_german(client, retired):
    html = html_of(client.get("/de" + retired.get_absolute_url()))
    notice = html.split('class="notice notice-retired"')[1].split("</div>")[0]
    assert "Keine Zulassung mehr ab 2027/28." in text_of(notice)


def test_the_list_and_its_counts_leave_a_retired_programme_out(client, retired):
    response = get_list(client)

    assert shown_slugs(response) == ["new-health", "other"]
    assert facet_counts(response, "language") == {"en": 2}
    # The language facet counts no programme of German: old-health's only language.
    assert "de" not in facet_counts(response, "language")


def test_status_retired_shows_only_the_retired_ones_and_all_shows_every_one(client, retired):
    only = get_list(client, {"status": "retired"})
    assert shown_slugs(only) == ["old-health"]
    assert facet_counts(only, "language") == {"de": 1}
    assert "Retired: no longer admitting from 2027/28" in text_of(html_of(only))
    assert "Only retired programmes" in text_of(html_of(only))

    every = get_list(client, {"status": "all"})
    assert shown_slugs(every) == ["new-health", "old-health", "other"]
    assert facet_counts(every, "language") == {"de": 1, "en": 2}


def test_the_filters_have_a_visible_toggle_for_retired_programmes(client, retired):
    html = html_of(get_list(client))
    toggle = re.search(
        r'<input type="checkbox" id="id_status" name="status" value="all"[^>]*>', html
    )
    assert toggle and "checked" not in toggle.group(0)
    assert "Show retired programmes" in text_of(html.split('class="field field-status"')[1])

    html = html_of(get_list(client, {"status": "all"}))
    assert re.search(r'id="id_status" name="status" value="all" checked', html)


def test_a_search_finds_a_retired_programme_only_when_asked(client, retired):
    assert shown_slugs(get_list(client, {"q": "health"})) == ["new-health"]
    assert shown_slugs(get_list(client, {"q": "health", "status": "retired"})) == ["old-health"]
    assert shown_slugs(get_list(client, {"q": "health", "status": "all"})) == [
        "new-health",
        "old-health",
    ]


def test_a_sort_the_database_answers_leaves_it_out_too(client, retired):
    # ECTS order is the database's (not the facet index's title order): the status applies there.
    Programme.objects.filter(slug="old-health").update(ects=300)
    Programme.objects.get(slug="old-health").save()  # a new catalog revision
    assert set(shown_slugs(get_list(client, {"sort": "-ects"}))) == {"new-health", "other"}
    assert shown_slugs(get_list(client, {"sort": "-ects", "status": "all"}))[0] == "old-health"


def test_a_bad_status_is_marked_and_the_list_keeps_retired_programmes_out(client, retired):
    response = get_list(client, {"status": "gone"})
    assert set(shown_slugs(response)) == {"new-health", "other"}
    assert "Choose current, retired or all" in html_of(response)
    export = client.get(reverse("programs:programme-export"), {"status": "gone"})
    assert export.status_code == 400


def csv_slugs(client, params=None):
    response = client.get(reverse("programs:programme-export"), params or {})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    return {slug for slug in ("old-health", "new-health", "other") if f"/{slug}/" in body}


def test_the_csv_export_follows_the_list(client, retired):
    assert csv_slugs(client) == {"new-health", "other"}
    assert csv_slugs(client, {"status": "retired"}) == {"old-health"}
    assert csv_slugs(client, {"status": "all"}) == {"old-health", "new-health", "other"}


def test_the_sitemap_keeps_a_retired_programmes_page(client, retired):
    index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>([^<]+)</loc>", index)
    found = "".join(
        client.get(re.sub(r"^https?://[^/]+", "", page)).content.decode() for page in pages
    )
    assert "/programmes/old-health/" in found


def test_the_feeds_and_the_change_log_say_it_is_retired(client, retired):
    feed = client.get(reverse("programs:programme-change-feed", kwargs={"slug": "old-health"}))
    assert "Retired: no longer admitting from 2027/28" in feed.content.decode()

    catalog_feed = client.get(reverse("programs:change-feed")).content.decode()
    assert "Retired: no longer admitting from 2027/28" in catalog_feed

    log = text_of(client.get(reverse("programs:change-list")).content.decode())
    assert "Retired: no longer admitting from 2027/28" in log
    assert "Old Health Informatics" in log


def test_the_compare_chooser_leaves_a_retired_programme_out(client, retired):
    response = client.get(reverse("programs:compare"))
    html = html_of(response)
    assert "New Health Data Science" in html
    assert "Old Health Informatics" not in html


def test_the_jsonld_keeps_the_page_but_offers_nothing(client, retired):
    factories.TuitionFactory(programme=retired)
    factories.ApplicationDeadlineFactory(programme=retired)
    Programme.objects.get(pk=retired.pk).save()  # bumps the revision: the page is made again
    html = html_of(client.get(retired.get_absolute_url()))
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["url"].endswith("/programmes/old-health/")
    assert "offers" not in data
    assert "applicationDeadline" not in data


def test_the_open_education_api_says_retired_and_offers_no_intake(client, retired):
    new = Programme.objects.get(slug="new-health")
    base = f"/api/oeapi/v6/programmes/{retired.uuid}"
    programme = client.get(base).json()
    assert programme["ext"]["retired"] == {
        "admissionEnds": "2027/28",
        "successorId": str(new.uuid),
    }
    assert client.get(f"{base}/programme-offerings").json()["items"] == []
    assert "retired" not in client.get(f"/api/oeapi/v6/programmes/{new.uuid}").json().get("ext", {})


def test_the_database_refuses_a_successor_without_retirement_or_of_itself(catalog_of_three):
    old, new = catalog_of_three["old-health"], catalog_of_three["new-health"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=old.pk).update(successor=new)
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=old.pk).update(retired=True, successor=old)


def test_the_history_records_the_retirement(retired):
    record = retired.history.order_by("-history_date", "-history_id").first()
    assert (record.retired, record.admission_ends, record.successor_id) == (
        True,
        "2027/28",
        Programme.objects.get(slug="new-health").pk,
    )


def test_a_harvester_is_told_to_fetch_it_again_not_to_remove_it(
    client, catalog_of_three, proposer, approver
):
    old, new = catalog_of_three["old-health"], catalog_of_three["new-health"]
    proposal = propose_retirement(proposer, old, successor=new)
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        since = timezone.now().isoformat().replace("+00:00", "Z")
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        publish(proposal, proposer, approver)
    answer = client.get("/api/changes", {"since": since}).json()

    changes = [(item["programmeId"], item["change"]) for item in answer["items"]]
    assert changes == [(str(old.uuid), "updated")]


def test_the_list_already_read_catches_up_when_a_programme_is_retired(
    client, catalog_of_three, proposer, approver
):
    old, new = catalog_of_three["old-health"], catalog_of_three["new-health"]
    assert shown_slugs(get_list(client)) == ["new-health", "old-health", "other"]

    publish(propose_retirement(proposer, old, successor=new), proposer, approver)

    assert shown_slugs(get_list(client)) == ["new-health", "other"]
    assert shown_slugs(get_list(client, {"status": "retired"})) == ["old-health"]


def test_taking_a_retirement_back_reads_as_admitting_again(client, retired, proposer, approver):
    publish(propose_un_retirement(proposer, retired), proposer, approver)

    feed = client.get(reverse("programs:programme-change-feed", kwargs={"slug": "old-health"}))
    assert "Admitting again: no longer retired" in feed.content.decode()
    assert "old-health" in shown_slugs(get_list(client))
    assert 'class="notice notice-retired"' not in html_of(client.get(retired.get_absolute_url()))


def propose_un_retirement(user, programme):
    client = staff_client(user)
    data = form_data(client.get(change_url(programme)))
    data.pop("retired", None)
    data.update(admission_ends="", successor="")
    assert client.post(change_url(programme), data).status_code == 302
    return Proposal.objects.get(programme=programme, state=ProposalState.EDITING)


def test_the_elm_export_keeps_a_retired_programme(client, retired):
    """ELM describes what the qualification is, which stays true for those studying in it: a
    retired programme is still one of its university's learning opportunities."""
    Programme.objects.filter(pk=retired.pk).update(source_url="https://example.org/old")
    Programme.objects.get(pk=retired.pk).save()  # a new catalog revision: the file is made again
    response = client.get("/api/elm/uni-a.jsonld")

    assert response.status_code == 200
    assert str(retired.uuid) in response.content.decode()


def test_a_versions_page_names_the_successor_as_the_programme_it_is(client, catalog):
    """The version page's "what a restore changes" names a successor by its title (it read the
    number as a user's id, naming whoever had it), and an empty one as empty."""
    programme = Programme.objects.get(slug="medical-data-science")
    successor = Programme.objects.get(slug="data-driven-health")
    with programme_write({programme.pk: None}):
        live = Programme.objects.get(pk=programme.pk)
        live.save()  # a version before the retirement
    before = live.history.latest()
    with programme_write({programme.pk: None}):
        live = Programme.objects.get(pk=programme.pk)
        live.retired, live.admission_ends, live.successor = True, "2027/28", successor
        live.save()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    page = client.get(
        reverse("admin:programs_programme_simple_history", args=[programme.pk, before.pk])
    ).content.decode()

    row = page[page.index("Successor") :][:400]
    assert successor.title in row
    assert "(empty)" in row

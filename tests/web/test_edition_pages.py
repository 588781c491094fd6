"""An archived catalog edition stays what it was: its programme pages, lists, searches, CSV and
JSON-LD answer byte for byte what they did when it was archived (apart from per-request tokens
and the edition banner, whose links follow the editions added since), whatever the live catalog
does afterwards; a correction shows as a dated addendum; the live pages show the changes."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.test import Client

from programs.actions.editions import add_addendum, archive_edition, open_edition, publish_edition
from programs.actions.saving import programme_write
from programs.models import (
    Edition,
    EditionProgramme,
    FrozenProgramme,
    Programme,
    PublicChange,
    University,
)
from programs.search import edition_index, facet_index
from tests.support import factories
from tests.support.public_answers import answers

pytestmark = pytest.mark.django_db

EDITION = "2025-26"
# What an archived page may change as editions are added: its banner (the programme in each
# edition, the way to the current catalog).
BANNER = re.compile(rb'<aside class="notice edition-banner".*?</aside>', re.S)


def archived_edition(starts_in=2025):
    edition = open_edition(starts_in, datetime.date(starts_in, 9, 1))
    publish_edition(edition)
    return archive_edition(edition)


def edition_addresses(slugs):
    pages = [
        f"/editions/{EDITION}/programmes/",
        f"/editions/{EDITION}/programmes/?q=health",
        f"/editions/{EDITION}/programmes/?q=data&sort=relevance",
        f"/editions/{EDITION}/programmes/?language=en&sort=-ects",
        f"/editions/{EDITION}/programmes/?country=DE&country=SE",
        f"/editions/{EDITION}/programmes/?ects_min=100",
        f"/editions/{EDITION}/programmes/?status=all&sort=duration",
        *(f"/editions/{EDITION}/programmes/{slug}/" for slug in slugs),
    ]
    return [
        *(prefix + page for prefix in ("", "/de", "/it", "/sv") for page in pages),
        f"/editions/{EDITION}/programmes/export.csv",
        f"/editions/{EDITION}/programmes/export.csv?q=health&sort=-title",
        f"/de/editions/{EDITION}/programmes/export.csv?language=en",
    ]


def without_banner(found):
    return {address: (s, t, BANNER.sub(b"", body)) for address, (s, t, body) in found.items()}


def cold_answers(addresses):
    """The answers with every cache and in-process index emptied first: made afresh."""
    for alias in caches:
        caches[alias].clear()
    facet_index.forget()
    edition_index.forget()
    return without_banner(answers(addresses))


def change_live_catalog():
    """Edit, retire and delete programmes and rename a university, as staff would."""
    edited = Programme.objects.get(slug="health-informatics")
    retired = Programme.objects.get(slug="medical-data-science")
    with programme_write() as write:
        edited.title, edited.ects = "Clinical Health Informatics", 60
        edited.save()
        retired.retired = True
        retired.successor = edited
        retired.save()
        write.wrote(edited.pk, retired.pk)
    university = University.objects.filter(offerings__programme__slug="data-driven-health").first()
    university.name = "A University Renamed"
    university.save()
    Programme.objects.get(slug="applied-ai-in-healthcare").delete()
    return edited, retired


def test_an_archived_edition_answers_what_it_did_whatever_the_live_catalog_does(catalog):
    slugs = sorted(Programme.objects.published().values_list("slug", flat=True))
    archived_edition()
    addresses = edition_addresses(slugs)
    before = cold_answers(addresses)
    assert {status for status, _, _ in before.values()} == {200}
    assert b"Health Informatics" in before[f"/editions/{EDITION}/programmes/health-informatics/"][2]

    change_live_catalog()

    assert cold_answers(addresses) == before
    # And with the caches warm, as a visitor after the first one gets them.
    assert without_banner(answers(addresses)) == before
    # The live catalog shows every change.
    client = Client()
    assert "Clinical Health Informatics" in client.get("/programmes/health-informatics/").text
    assert client.get("/programmes/applied-ai-in-healthcare/").status_code == 404
    assert "notice-retired" in client.get("/programmes/medical-data-science/").text


def test_the_archived_pages_read_nothing_of_the_live_catalog(catalog):
    """Every live programme and university gone: the archived pages are still all there."""
    slugs = sorted(Programme.objects.published().values_list("slug", flat=True))
    archived_edition()
    addresses = edition_addresses(slugs)
    before = cold_answers(addresses)
    PublicChange.objects.all().delete()
    Programme.objects.all().delete()
    University.objects.all().delete()
    assert cold_answers(addresses) == before


def test_an_addendum_shows_on_the_archived_page_it_corrects(catalog):
    edition = archived_edition()
    entry = EditionProgramme.objects.get(edition=edition, slug="data-driven-health")
    staff = factories.StaffUserFactory()
    add_addendum(
        edition, "The fee stated for 2025/26 was per year, not per semester.", staff, entry
    )
    add_addendum(edition, "Deadlines were extended by a week.", staff)
    client = Client()
    page = client.get(f"/editions/{EDITION}/programmes/data-driven-health/").text
    assert "The fee stated for 2025/26 was per year, not per semester." in page
    assert "Deadlines were extended by a week." in page
    other = client.get(f"/editions/{EDITION}/programmes/health-informatics/").text
    assert "per year, not per semester" not in other
    assert "Deadlines were extended by a week." in other
    listing = client.get(f"/editions/{EDITION}/programmes/").text
    assert "Deadlines were extended by a week." in listing
    assert "per year, not per semester" not in listing


def test_an_unchanged_programme_is_stored_once_for_every_edition(catalog):
    first = archived_edition(2024)
    frozen = FrozenProgramme.objects.count()
    assert frozen == Programme.objects.published().count() == first.programmes.count()
    edited = Programme.objects.get(slug="health-informatics")
    with programme_write() as write:
        edited.ects = 60
        edited.save()
        write.wrote(edited.pk)
    second = archived_edition(2025)
    # One new frozen programme: the edited one; the other three are shared.
    assert FrozenProgramme.objects.count() == frozen + 1
    assert second.programmes.count() == first.programmes.count()
    shared = set(first.programmes.values_list("frozen", flat=True)) & set(
        second.programmes.values_list("frozen", flat=True)
    )
    assert len(shared) == frozen - 1


def test_each_edition_page_says_which_it_is_and_links_to_the_current_catalog(catalog):
    archived_edition()
    for prefix, words in [
        ("", "Catalog edition 2025/26"),
        ("/de", "Katalogausgabe 2025/26"),
        ("/it", "Edizione del catalogo 2025/26"),
        ("/sv", "Katalogutgåva 2025/26"),
    ]:
        for page in ("programmes/", "programmes/health-informatics/"):
            text = Client().get(f"{prefix}/editions/{EDITION}/{page}").text
            assert words in text, (prefix, page)
            current = f'href="{prefix}/programmes/' + (
                "health-informatics/" if "informatics" in page else ""
            )
            assert current in text, (prefix, page)


def test_a_programme_links_to_itself_in_every_edition_with_what_changed(catalog):
    archived_edition(2024)
    edited = Programme.objects.get(slug="health-informatics")
    with programme_write() as write:
        edited.ects = 60
        edited.save()
        write.wrote(edited.pk)
    archived_edition(2025)
    upcoming = open_edition(2026, datetime.date(2099, 9, 1))
    publish_edition(upcoming)
    client = Client()
    live = client.get("/programmes/health-informatics/").text
    links = re.search(r'<nav class="edition-links".*?</nav>', live, re.S).group(0)
    assert "/editions/2024-25/programmes/health-informatics/" in links
    assert "/editions/2025-26/programmes/health-informatics/" in links
    assert "/editions/2026-27/programmes/health-informatics/" in links
    assert "(upcoming)" in links
    # 2024/25 -> 2025/26: the ECTS changed; 2025/26 -> 2026/27 (live): nothing since.
    assert re.search(r"2025/26</a>.*?since the edition before: Changed: ECTS", links, re.S)
    assert re.search(r"2026/27</a> \(upcoming\).*?No change", links, re.S)
    archived = client.get("/editions/2024-25/programmes/health-informatics/").text
    assert 'aria-current="page">2024/25' in archived


def test_an_edition_canonical_is_itself_and_its_pages_are_in_the_sitemap(catalog):
    edition = archived_edition()
    page = Client().get(f"/de/editions/{EDITION}/programmes/health-informatics/").text
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', page).group(1)
    assert canonical.endswith(f"/de/editions/{EDITION}/programmes/health-informatics/")
    sitemap = Client().get("/sitemap-edition-programmes.xml").text
    day = edition.archived_at.date().isoformat()
    for prefix in ("", "/de", "/it", "/sv"):
        assert f"{prefix}/editions/{EDITION}/programmes/health-informatics/</loc>" in sitemap
    assert f"<lastmod>{day}</lastmod>" in sitemap
    lists = Client().get("/sitemap-editions.xml").text
    assert f"/editions/{EDITION}/programmes/</loc><lastmod>{day}</lastmod>" in lists
    assert "sitemap-edition-programmes.xml" in Client().get("/sitemap.xml").text


def test_unknown_editions_and_programmes_are_not_found(catalog):
    archived_edition()
    client = Client()
    assert client.get("/editions/2030-31/programmes/").status_code == 404
    assert client.get("/editions/2025-27/programmes/").status_code == 404
    assert client.get(f"/editions/{EDITION}/programmes/no-such-programme/").status_code == 404
    assert client.get(f"/editions/{EDITION}/").status_code == 302
    assert client.post(f"/editions/{EDITION}/programmes/").status_code == 405
    bad = client.get(f"/editions/{EDITION}/programmes/?ects_min=abc&university=nowhere")
    assert bad.status_code == 200
    assert client.get(f"/editions/{EDITION}/programmes/export.csv?ects_min=abc").status_code == 400


def test_the_editions_page_lists_every_edition_with_its_state(catalog):
    archived_edition(2024)
    upcoming = open_edition(2026, datetime.date(2099, 9, 1))
    text = Client().get("/editions/").text
    assert "/editions/2024-25/programmes/" in text and "archived on" in text
    assert "/editions/2026-27/programmes/" in text and "upcoming" in text
    assert upcoming.state() == "upcoming"
    assert Edition.objects.current() is None  # the archived one is not current any more


def test_archived_pages_cost_a_fixed_number_of_queries(catalog, django_assert_num_queries):
    archived_edition()
    client = Client()
    # The revision, the edition, the programme's frozen row, its live address (for the banner's
    # way back), the editions with its rows in them (for their links), its live public facts
    # (what changed since), the addenda.
    with django_assert_num_queries(7):
        client.get(f"/editions/{EDITION}/programmes/health-informatics/")
    # The revision, the edition, the frozen facts of the edition's index (read once a process),
    # the addenda, and the page's frozen programmes.
    with django_assert_num_queries(5):
        client.get(f"/editions/{EDITION}/programmes/?q=health")
    # The index is kept: another search reads the page's programmes, and the language chosen
    # (checked against the languages the catalog lists, as the live list checks it).
    with django_assert_num_queries(5):
        client.get(f"/editions/{EDITION}/programmes/?q=data&language=en")


def test_an_archived_programme_offers_no_compare_or_shortlist_button(catalog):
    """They act on the live programme (which may have changed or be gone): an archived page
    offers the way to it instead."""
    archived_edition()
    client = Client()
    for address in (
        f"/editions/{EDITION}/programmes/",
        f"/editions/{EDITION}/programmes/health-informatics/",
    ):
        page = client.get(address).text
        assert 'action="/compare/add/"' not in page and 'action="/shortlist/add/"' not in page
    live = client.get("/programmes/").text
    assert 'action="/compare/add/"' in live and 'action="/shortlist/add/"' in live

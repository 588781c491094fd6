"""The detail, compare, universities, modules and change pages, the feeds and the sitemap run a
fixed number of SQL queries.

Each page is requested against a small catalog (4 programmes) and a larger one (45, each with
more universities, semesters, tracks, modules, requirements, careers and public changes) and
must run exactly the same number of queries: the relations are prefetched by the page's
queryset, never loaded per row or from a template.
"""

import traceback
from pathlib import Path

import pytest
from django.db import connection, models, transaction
from django.template import Context, Template
from django.test import Client, override_settings
from django.urls import reverse

from programs.changelog.changes import record_public_changes
from programs.models import CareerKind, Programme, RequirementKind
from programs.search import programme_documents as search
from tests.support import factories

SIZES = [4, 45]


def build_catalog(size):
    """`size` published programmes, every relation filled, plus a draft; returns their slugs."""
    german = factories.LanguageFactory(code="de", name="German")
    english = factories.LanguageFactory(code="en", name="English")
    universities = factories.UniversityFactory.create_batch(3)
    # Larger catalogs also hold more rows per programme, so a per-row query would show.
    per_programme = 1 if size <= 4 else 3
    slugs = []
    for index in range(size):
        programme = factories.ProgrammeFactory(
            slug=f"programme-{index:03d}",
            # Words a German search finds through the subject vocabulary ("Gesundheitsdaten").
            summary="Health data in practice.",
            ects=90 + index,
            languages=[german, english][: 1 + index % 2],
            universities=universities[: 1 + index % 3],
        )
        for number in range(1, per_programme + 1):
            factories.SemesterFactory(programme=programme, number=number)
            track = factories.TrackFactory(programme=programme, semester=number)
            factories.ModuleFactory(programme=programme, semester=number, track=track, ects=5)
            factories.ModuleFactory(programme=programme, year=number, title=f"Course {number}")
            factories.AdmissionRequirementFactory(
                programme=programme,
                kind=RequirementKind.LANGUAGE,
                original_text="Deutschkenntnisse",
                original_language=german,
                position=number,
            )
            factories.CareerFactory(programme=programme, kind=CareerKind.ROLE, position=number)
            factories.CareerFactory(programme=programme, kind=CareerKind.SECTOR, position=number)
        record_public_changes(programme)  # "Published"
        # A longer history too: a query per change would show.
        for _ in range(per_programme - 1):
            Programme.objects.filter(pk=programme.pk).update(ects=models.F("ects") + 1)
            record_public_changes(programme)
        slugs.append(programme.slug)
    factories.ProgrammeFactory(slug="draft", published=False, universities=universities[:1])
    return slugs


@pytest.fixture(scope="module", params=SIZES, ids=[f"{size}-programmes" for size in SIZES])
def built_catalog(request, django_db_setup, django_db_blocker):
    """Each catalog is built once for this module's tests, then rolled back."""
    # Each programme's search words built once at the end, not again after each of its rows:
    # the same documents, without the larger catalog taking a minute to build.
    with django_db_blocker.unblock(), transaction.atomic():
        with search.refreshed_together():
            slugs = build_catalog(request.param)
        yield slugs
        transaction.set_rollback(True)


@pytest.fixture
def catalog_slugs(built_catalog, db):
    return built_catalog


def get(client, url, data=None):
    response = client.get(url, data)
    assert response.status_code == 200
    return response


def test_detail_page_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The catalog revision (naming the page kept for it), the programme (with who last checked
    # it, and its short lists as JSON: fact sources, semesters, admission requirements with
    # their languages, careers, application deadlines, tuition fees), then its offerings with
    # universities, languages, tracks, modules (with tracks), its public changes, and the
    # catalog editions (none yet: nothing more is asked about them).
    url = reverse("programs:programme-detail", kwargs={"slug": catalog_slugs[-1]})
    with django_assert_num_queries(8):
        get(client, url)
    # Again: the page kept for this revision.
    with django_assert_num_queries(1):
        get(client, url)


def test_compare_page_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The chosen programmes, their offerings+universities, languages, fact sources, admission
    # requirements, deadlines and fees, and the list of programmes that could be added.
    with django_assert_num_queries(8):
        get(client, reverse("programs:compare"), {"p": catalog_slugs[:2]})


def test_compare_chooser_search_query_count_is_fixed(
    client, catalog_slugs, django_assert_num_queries
):
    # As above, the list of programmes that could be added now found by the search.
    with django_assert_num_queries(8):
        get(client, reverse("programs:compare"), {"p": catalog_slugs[:2], "find": "programme"})
    with django_assert_num_queries(1):
        get(client, reverse("programs:compare"), {"find": "programme"})


def test_full_compare_page_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # Four chosen: no programme can be added, so no list of them is loaded.
    with django_assert_num_queries(7):
        get(client, reverse("programs:compare"), {"p": catalog_slugs[:5]})


def test_compare_chooser_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # Nothing chosen: only the chooser's list of published programmes.
    with django_assert_num_queries(1):
        get(client, reverse("programs:compare"))


def test_university_list_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # How many universities (for the page links), a page of them, and their programme counts.
    with django_assert_num_queries(3):
        get(client, reverse("programs:university-list"))


def test_university_page_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The university, its published offerings with programmes, then what those programmes' key
    # facts need: their offerings with universities, languages, fact sources (an inferred fact
    # is marked), deadlines and fees.
    university = factories.models.University.objects.order_by("pk").first()
    with django_assert_num_queries(7):
        get(client, university.get_absolute_url())


def test_modules_page_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The count for the pager (up to 1,001), the page's keys from the text index, those
    # modules with programmes and tracks joined, the programmes' offerings with universities,
    # and how their titles and universities are known (an inferred one is marked).
    with django_assert_num_queries(5):
        get(client, reverse("programs:module-list"))
    # PostgreSQL reads a search's matches (up to 1,001: here all of them, sorted in Python)
    # through its GIN index, between two statements that tell its planner to (see
    # programs/search/module_documents.py), in place of the count and the keys.
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 5):
        get(client, reverse("programs:module-list"), {"q": "course"})


def test_search_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The catalog revision, the facet index (read whole, with every programme's search words:
    # each test starts without one), one page of rows in the order the index ranked them, their
    # offerings+universities, languages, fact sources, deadlines and tuition: a search of several
    # words adds no query, whatever the size.
    with django_assert_num_queries(8):
        response = get(client, reverse("programs:programme-list"), {"q": "course programme"})
    assert response.content.decode().count('<h3 id="programme-') == min(len(catalog_slugs), 20)


def test_a_search_in_german_runs_the_queries_of_one_in_english(
    client, catalog_slugs, django_assert_num_queries
):
    # "Gesundheitsdaten" is read as "health data" from the subject vocabulary, kept in the
    # process with the translations: its words cost no query, as in test_search_query_count.
    with django_assert_num_queries(8):
        response = get(client, "/de/programmes/", {"q": "Gesundheitsdaten programme"})
    assert response.content.decode().count('<h3 id="programme-') == min(len(catalog_slugs), 20)


def test_a_misspelt_search_asks_the_catalogs_words_of_no_query(
    client, catalog_slugs, django_assert_num_queries
):
    # Nothing is found, so no row is read: the catalog revision and the facet index (with the
    # programmes' search words), and the "did you mean" comes from the index's words.
    with django_assert_num_queries(2):
        response = get(client, reverse("programs:programme-list"), {"q": "programe"})
    assert "Did you mean" in response.content.decode()


def test_staff_preview_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    editor = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    # The first request after signing in records when (a session write); later ones don't.
    get(client, reverse("programs:programme-detail", kwargs={"slug": "draft"}))
    # The session and the user, then the public page's six (no kept page, so no revision).
    with django_assert_num_queries(8):
        get(client, reverse("programs:programme-detail", kwargs={"slug": "draft"}))


def test_change_list_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The count for the pager and one page of changes with their programmes.
    with django_assert_num_queries(2):
        get(client, reverse("programs:change-list"))
    # The filter's languages, then the same two.
    with django_assert_num_queries(3):
        get(client, reverse("programs:change-list"), {"language": "de", "country": "DE"})


def test_catalog_feed_query_count_is_fixed(
    client, catalog_slugs, django_assert_num_queries, django_assert_max_num_queries
):
    # The catalog revision (which names the feed's ETag and its kept body), the latest changes
    # with their programmes, and how their titles are known; with a filter, its languages first
    # (and the titles' sources only when a change matches).
    with django_assert_num_queries(3):
        get(client, reverse("programs:change-feed"))
    with django_assert_max_num_queries(4):
        get(client, reverse("programs:change-feed"), {"language": "de", "ects_min": "100"})
    # Kept: only the revision is read (tests/web/test_harvesting.py has more).
    with django_assert_num_queries(1):
        get(client, reverse("programs:change-feed"))


def test_programme_feed_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The catalog revision, the programme, how its title is known, and its latest changes.
    url = reverse("programs:programme-change-feed", kwargs={"slug": catalog_slugs[-1]})
    with django_assert_num_queries(4):
        get(client, url)


def test_sitemap_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The catalog revision (which keys the kept index), then for each of the sitemaps of the
    # programmes and the universities how many pages it has and its latest change, and for each
    # of the archived editions' two (their lists, their programmes) both in one query.
    with django_assert_num_queries(7):
        get(client, reverse("sitemap"))
    # The revision and one page of addresses with their last change, as values.
    for section in ("programmes", "universities", "editions", "edition-programmes"):
        with django_assert_num_queries(2):
            get(client, reverse("sitemap-section", kwargs={"section": section}))
    # Kept: only the revision is read (tests/web/test_sitemap.py has more on keeping).
    for name, kwargs in [("sitemap", {}), ("sitemap-section", {"section": "programmes"})]:
        with django_assert_num_queries(1):
            get(client, reverse(name, kwargs=kwargs))


def shortlist_of(client, slugs):
    """Give `client` a shortlist of these programmes (at most 50), each with a note; shares it
    and returns the read-only link's token."""
    # 101 changes within a second, as no person makes them, would meet the write throttle
    # (tests/web/test_write_throttle.py): not what these tests count.
    with override_settings(VISITOR_WRITES_PER_MINUTE=0):
        for slug in slugs[:50]:
            client.post(reverse("programs:shortlist-add"), {"programme": slug})
            client.post(reverse("programs:shortlist-note"), {"programme": slug, "note": "why"})
        client.post(reverse("programs:shortlist-share"))
    from programs.models import Shortlist

    return Shortlist.objects.get(pk=client.session["shortlist"]["id"]).share_token


def test_shortlist_page_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The session, the shortlist, its entries with their programmes, those programmes'
    # offerings+universities, languages, fact sources, deadlines and fees (the key facts of
    # each entry, an inferred one marked): 4 entries or 50 alike.
    shortlist_of(client, catalog_slugs)
    with django_assert_num_queries(8):
        response = get(client, reverse("programs:shortlist"))
    assert response.content.decode().count('class="shortlist-entry"') == min(len(catalog_slugs), 50)


def test_shared_shortlist_query_count_is_fixed(client, catalog_slugs, django_assert_num_queries):
    # The shortlist by its token, its entries with programmes, offerings+universities, languages,
    # fact sources, deadlines and fees.
    token = shortlist_of(client, catalog_slugs)
    stranger = Client()
    url = reverse("programs:shortlist-shared", kwargs={"token": token})
    with django_assert_num_queries(7):
        get(stranger, url)
    # Its CSV also reads the admission requirements, deadlines, fees and fact sources.
    with django_assert_num_queries(8):
        get(stranger, reverse("programs:shortlist-shared-export", kwargs={"token": token}))


def test_a_shortlist_costs_other_pages_only_the_session(
    client, catalog_slugs, django_assert_num_queries
):
    shortlist_of(client, catalog_slugs[:3])
    url = reverse("programs:programme-detail", kwargs={"slug": catalog_slugs[-1]})
    # The session, then the detail page's queries but the revision (read for kept pages only).
    with django_assert_num_queries(8):
        response = get(client, url)
    assert '<span class="count-badge">3</span>' in response.content.decode()


def queries_from_templates(execute, sql, params, many, context):
    """A database wrapper that refuses any query made while a template is being rendered."""
    for frame, _ in traceback.walk_stack(None):
        if frame.f_code.co_filename.endswith(TEMPLATE_ENGINE_FILE):
            raise AssertionError(f"a template ran a query: {sql}")
    return execute(sql, params, many, context)


TEMPLATE_ENGINE_FILE = str(Path("django", "template", "base.py"))


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/programmes/?language=de&ects_min=10&sort=-ects&q=programme",
        "/programmes/programme-001/",
        "/compare/?p=programme-001&p=programme-002",
        "/compare/?p=programme-001&p=programme-002&p=programme-003&p=programme-000",
        "/compare/",
        "/universities/",
        "/modules/?q=course",
        "/programmes/export.csv",
        "/changes/",
        "/changes/?language=de&country=DE&page=2",
    ],
)
def test_public_pages_run_no_query_from_a_template(client, catalog_slugs, address):
    with connection.execute_wrapper(queries_from_templates):
        get(client, address)


def test_shortlist_pages_run_no_query_from_a_template(client, catalog_slugs):
    token = shortlist_of(client, catalog_slugs[:5])
    with connection.execute_wrapper(queries_from_templates):
        for address in (
            "/shortlist/",
            f"/shortlist/{token}/",
            "/programmes/",
            "/programmes/programme-001/",
        ):
            get(client, address)
        get(Client(), f"/shortlist/{token}/")


def test_university_page_runs_no_query_from_a_template(client, catalog_slugs):
    university = factories.models.University.objects.order_by("pk").first()
    with connection.execute_wrapper(queries_from_templates):
        get(client, university.get_absolute_url())


def test_a_query_from_a_template_would_be_caught(catalog_slugs):
    """The guard above works: a template that touches a lazy queryset is refused."""
    template = Template("{% for programme in programmes %}{{ programme.slug }}{% endfor %}")
    lazy = factories.models.Programme.objects.all()
    with connection.execute_wrapper(queries_from_templates), pytest.raises(AssertionError):
        template.render(Context({"programmes": lazy}))

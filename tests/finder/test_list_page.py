"""The programme list page: cards, chips, empty results, sorting, pages, htmx, query counts."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from programs.models import Programme
from tests.support import factories
from tests.support.list_pages import chips, get_list, html_of, shown_slugs, text_of


def card(response, slug):
    """The text of one programme card."""
    html = html_of(response)
    match = re.search(
        rf'<li class="programme-card">\s*<article aria-labelledby="programme-{slug}">'
        r"(.*?)</article>",
        html,
        re.S,
    )
    assert match, f"no card for {slug}"
    return text_of(match.group(1))


def test_card_shows_the_key_facts(client, catalog):
    text = card(get_list(client), "medical-data-science")
    assert text.startswith("Medical Data Science RWTH Aachen University")
    for fact in (
        "Degree Master of Science",
        "ECTS 90",
        "Duration 4 semesters",
        "Languages English, German",
        "Study mode Part-time",
        "Delivery Blended",
    ):
        assert fact in text


def test_card_says_not_stated_for_unknown_facts(client, catalog):
    text = card(get_list(client), "applied-ai-in-healthcare")
    assert "ECTS not stated" in text
    assert "Languages not stated" in text
    assert "Degree not stated" in text


def test_card_title_links_to_the_programme_page(client, catalog):
    html = html_of(get_list(client))
    assert '<a href="/programmes/data-driven-health/">Data-driven Health</a>' in html


def test_joint_programme_card_names_both_universities(client, catalog):
    text = card(get_list(client), "health-informatics")
    assert "Vita-Salute San Raffaele University; Politecnico di Milano" in text


def test_each_card_has_an_add_to_compare_form_that_keeps_earlier_choices(client, catalog):
    html = html_of(get_list(client))
    # A POST form per card adds to the visitor's choice (issue 17, item 1), so the choice
    # survives a change of page; each card also holds its own "Add to shortlist" form.
    for slug in ("medical-data-science", "health-informatics"):
        assert f'<input type="hidden" name="p" value="{slug}">' in html
    assert html.count('<form method="post" action="/compare/add/"') == 4
    assert 'id="compare-bar"' in html
    assert "{#" not in html and "{%" not in html  # no template comment leaks into the page


def test_result_count_is_shown(client, catalog):
    assert "<strong>4</strong> programmes" in html_of(get_list(client))
    html = html_of(get_list(client, {"language": "de"}))
    assert "<strong>1</strong> programme matches your filters" in html


def test_active_filters_are_chips_linking_to_the_list_without_them(client, catalog):
    response = get_list(client, [("language", "de"), ("language", "en"), ("country", "de")])
    found = chips(response)
    assert set(found) == {
        "Teaching language: English",
        "Teaching language: German",
        "Country: Germany",
    }
    without_english = found["Teaching language: English"]
    assert urlsplit(without_english).path == "/programmes/"
    # Chip links carry the applied values in their normal form (country codes upper case).
    assert parse_qsl(urlsplit(without_english).query) == [("language", "de"), ("country", "DE")]
    without_country = found["Country: Germany"]
    assert parse_qsl(urlsplit(without_country).query) == [("language", "de"), ("language", "en")]


def test_chip_links_drop_the_page_and_empty_parameters(client, catalog):
    response = get_list(client, {"q": "", "ects_min": "100", "level": "", "page": "1"})
    assert chips(response) == {"At least 100 ECTS": "/programmes/"}


def test_following_a_chip_removes_that_filter(client, catalog):
    response = get_list(client, {"language": "de", "background": "computing"})
    href = chips(response)["Your background: Computer science or engineering"]
    assert shown_slugs(client.get(href)) == ["medical-data-science"]
    assert "Your background" not in " ".join(chips(client.get(href)))


def test_empty_result_says_which_filters_to_drop(client, catalog):
    response = get_list(client, {"language": "de", "country": "SE"})
    html = html_of(response)
    assert shown_slugs(response) == []
    assert "No programme matches all of these filters." in html
    empty = text_of(html.split('class="empty-result"')[1].split("</div>")[0])
    assert "Remove “Teaching language: German”" in empty
    assert "Remove “Country: Sweden”" in empty
    assert 'href="/programmes/?country=SE"' in html
    assert 'href="/programmes/?language=de"' in html


def test_export_link_carries_the_current_filters(client, catalog):
    html = html_of(get_list(client, {"language": "en", "ects_min": "100", "page": "1"}))
    assert 'href="/programmes/export.csv?language=en&amp;ects_min=100"' in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "title",
            [
                "applied-ai-in-healthcare",
                "data-driven-health",
                "health-informatics",
                "medical-data-science",
            ],
        ),
        (
            "-title",
            [
                "medical-data-science",
                "health-informatics",
                "data-driven-health",
                "applied-ai-in-healthcare",
            ],
        ),
        # Unknown ECTS last in both directions, by title among themselves.
        (
            "ects",
            [
                "medical-data-science",
                "data-driven-health",
                "applied-ai-in-healthcare",
                "health-informatics",
            ],
        ),
        (
            "-ects",
            [
                "data-driven-health",
                "medical-data-science",
                "applied-ai-in-healthcare",
                "health-informatics",
            ],
        ),
    ],
)
def test_sort_orders_the_catalog(client, catalog, sort, expected):
    assert shown_slugs(get_list(client, {"sort": sort})) == expected


@pytest.mark.parametrize(
    ("sort", "expected"), [("duration", ["b", "c", "a"]), ("-duration", ["c", "b", "a"])]
)
def test_sort_by_duration_puts_unknown_durations_last_both_ways(
    client, programme_factory, sort, expected
):
    programme_factory(title="A", slug="a", duration_semesters=None)
    programme_factory(title="B", slug="b", duration_semesters=2)
    programme_factory(title="C", slug="c", duration_semesters=4)
    assert shown_slugs(get_list(client, {"sort": sort})) == expected


def test_sort_choice_is_kept_in_the_form(client, catalog):
    html = html_of(get_list(client, {"sort": "-ects"}))
    assert '<option value="-ects" selected>' in html


@pytest.fixture
def many_programmes(db):
    """45 programmes, so three pages of 20."""
    return factories.ProgrammeFactory.create_batch(45)


def test_pages_hold_twenty_programmes(client, many_programmes):
    first = get_list(client)
    assert len(shown_slugs(first)) == 20
    assert "page 1 of 3" in html_of(first)
    last = get_list(client, {"page": "3"})
    assert len(shown_slugs(last)) == 5
    everything = shown_slugs(first) + shown_slugs(get_list(client, {"page": "2"}))
    assert len(set(everything + shown_slugs(last))) == 45


def test_page_links_keep_the_filters(client, many_programmes):
    html = html_of(get_list(client, {"level": "master", "page": "2"}))
    assert 'rel="next" href="/programmes/?level=master&amp;page=3"' in html
    assert 'rel="prev" href="/programmes/?level=master&amp;page=1"' in html


def test_htmx_request_gets_the_results_fragment_and_a_fresh_filter_form(client, catalog):
    response = get_list(client, {"language": "de", "q": ""}, HX_Request="true")
    html = html_of(response)
    assert "<html" not in html
    assert shown_slugs(response) == ["medical-data-science"]
    assert '<form id="filters"' in html
    assert 'data-hx-swap-oob="true"' in html
    assert '<p id="result-status" data-hx-swap-oob="innerHTML">1 programme found.</p>' in html
    # The address bar gets the short address, without the empty search field.
    assert response["HX-Push-Url"] == "/programmes/?language=de"
    assert "HX-Request" in response["Vary"]


def test_full_page_has_the_results_inside_the_page_and_no_out_of_band_parts(client, catalog):
    html = html_of(get_list(client))
    assert html.startswith("<!doctype html>")
    assert "data-hx-swap-oob" not in html
    assert 'hx-get="/programmes/" data-hx-target="#results" data-hx-push-url="true"' in html
    assert '<script src="/static/js/vendor/htmx-2.0.11.min.js" defer></script>' in html


def test_htmx_history_restore_gets_the_whole_page(client, catalog):
    response = get_list(
        client, {"language": "de"}, HX_Request="true", HX_History_Restore_Request="true"
    )
    assert html_of(response).startswith("<!doctype html>")
    assert "HX-Push-Url" not in response


def test_page_has_landmarks_skip_link_and_labelled_fields(client, catalog):
    html = html_of(get_list(client, {"language": "en"}))
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert "<footer" in html
    for field in ("q", "sort", "ects_min", "ects_max", "duration_min", "duration_max"):
        assert f'<label for="id_{field}">' in html
    for legend in ("Field of study", "Teaching language", "Country", "Level", "Study mode"):
        assert f"<legend>{legend}</legend>" in html


def add_programmes(count):
    """Programmes with two languages, two universities and a track each, like real ones."""
    english = factories.LanguageFactory(code="en", name="English")
    german = factories.LanguageFactory(code="de", name="German")
    shared = factories.UniversityFactory(slug="shared")
    for _ in range(count):
        universities = [shared, factories.UniversityFactory()]
        programme = factories.ProgrammeFactory(
            languages=[english, german],
            universities=universities,
            ects=120,
            duration_semesters=4,
            field_of_study="091",
        )
        factories.TrackFactory(programme=programme, background="computing")


@pytest.mark.parametrize("count", [4, 25])
def test_list_page_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, count):
    add_programmes(count)
    # The catalog revision, the facet index (read whole: each test starts without one), which
    # counts every facet and orders the titles, the page's rows, their offerings, languages,
    # how each fact is known (an inferred one is marked on the card), application deadlines and
    # tuition fees.
    with django_assert_num_queries(8):
        get_list(client)
    # Again, a visitor without a session gets the page kept for this catalog revision.
    with django_assert_num_queries(1):
        get_list(client)
    # After a write, the index re-reads only the programme written, in one query.
    Programme.objects.order_by("pk").first().save()
    with django_assert_num_queries(8):
        get_list(client)


@pytest.mark.django_db(transaction=True)
def test_outside_a_test_transaction_the_list_runs_the_same_queries(
    client, django_assert_num_queries
):
    # As a server runs it, in autocommit: reading the index whole (through a cursor that sends
    # its rows in batches) opens no transaction of its own, which would add its BEGIN and COMMIT.
    add_programmes(4)
    with django_assert_num_queries(8):
        get_list(client, {"q": "programme"})


@pytest.mark.parametrize("count", [4, 25])
def test_filtered_list_page_runs_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, count
):
    add_programmes(count)
    # ...plus checking the chosen language and university exist (the index applies the rest,
    # the search included, the field of study and the duration, and counts what an ECTS or a
    # duration bound left out: no query of their own).
    filters = {
        "language": "en",
        "university": "shared",
        "ects_min": "10",
        "q": "programme",
        "field": "091",
        "duration_max": "8",
    }
    with django_assert_num_queries(10):
        get_list(client, filters)
    # Again: the revision, and the page kept for it.
    with django_assert_num_queries(1):
        get_list(client, filters)


@pytest.mark.parametrize("count", [4, 25])
def test_htmx_fragment_runs_the_same_queries_as_the_page(
    client, db, django_assert_num_queries, count
):
    add_programmes(count)
    with django_assert_num_queries(8):
        get_list(client, {"page": "1"}, HX_Request="true")


def test_templates_run_no_queries(client, db, django_assert_num_queries):
    add_programmes(25)
    response = get_list(client, {"language": "de", "ects_min": "10"})
    # The context the view rendered the page with (the first template's).
    context = response.context[0].flatten()
    assert len(context["page"].object_list) == 20
    with django_assert_num_queries(0):
        render_to_string("programs/programme_list.html", context, request=response.wsgi_request)
        render_to_string(
            "programs/_results.html",
            {**context, "swap_filters": True},
            request=response.wsgi_request,
        )


def test_list_url_names_are_the_public_addresses():
    assert reverse("programs:home") == "/"
    assert reverse("programs:programme-list") == "/programmes/"
    assert reverse("programs:programme-export") == "/programmes/export.csv"


def test_htmx_fragment_brings_the_tab_title_for_its_filters(client, catalog):
    fragment = html_of(get_list(client, {"language": "de"}, HX_Request="true"))
    unfiltered = html_of(get_list(client, {}, HX_Request="true"))

    # htmx replaces document.title with a top-level <title> in the response.
    assert "<title>Programmes: Teaching language: German · Curriculum catalog</title>" in fragment
    assert "<title>Study programmes · Curriculum catalog</title>" in unfiltered


def test_htmx_pushes_the_shortest_address_without_the_default_sort(client, catalog):
    response = get_list(client, {"sort": "title", "language": "de"}, HX_Request="true")
    assert response["HX-Push-Url"] == "/programmes/?language=de"
    response = get_list(client, {"sort": "-ects", "page": "1"}, HX_Request="true")
    assert response["HX-Push-Url"] == "/programmes/?sort=-ects"


def export_href(response):
    """The list's "Download as CSV" link, unescaped."""
    match = re.search(r'<a class="export-link" href="([^"]*)"', html_of(response))
    assert match, "no export link"
    return unescape(match.group(1))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ects_min": "abc"}, "/programmes/export.csv"),
        ({"sort": "drop", "language": "de"}, "/programmes/export.csv?language=de"),
        ({"language": "EN"}, "/programmes/export.csv?language=en"),
        ([("language", "en"), ("language", "xx")], "/programmes/export.csv?language=en"),
        ({"q": "\x00", "country": "it"}, "/programmes/export.csv?country=IT"),
        ({"sort": "relevance", "ects_max": "120"}, "/programmes/export.csv?ects_max=120"),
        ({"q": "imaging", "sort": "relevance"}, "/programmes/export.csv?q=imaging"),
        ({"q": "imaging", "sort": "title"}, "/programmes/export.csv?q=imaging&sort=title"),
    ],
)
def test_export_link_carries_only_the_filters_the_page_applied(client, catalog, params, expected):
    """A bad value the page ignored (with a note) must not turn the download into a 400."""
    response = get_list(client, params)
    assert export_href(response) == expected
    export = client.get(expected)
    assert export.status_code == 200
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[1:]
    assert len(rows) == len(shown_slugs(response))


def test_chip_links_leave_out_the_default_sort_as_the_pushed_address_does(client, catalog):
    response = get_list(client, {"language": "en", "sort": "title"})
    assert chips(response) == {"Teaching language: English": "/programmes/"}
    pushed = get_list(client, {"language": "en", "sort": "title"}, HX_Request="true")
    assert pushed["HX-Push-Url"] == "/programmes/?language=en"


def test_chip_links_keep_a_sort_that_is_not_the_default_of_what_remains(client, catalog):
    found = chips(get_list(client, {"q": "imaging", "language": "en", "sort": "title"}))
    # Without the search, title order is the default again, so it goes too.
    assert found["Search: “imaging”"] == "/programmes/?language=en"
    assert found["Teaching language: English"] == "/programmes/?q=imaging&sort=title"
    found = chips(get_list(client, {"language": "en", "sort": "-ects"}))
    assert found["Teaching language: English"] == "/programmes/?sort=-ects"


def test_htmx_request_to_the_home_page_pushes_the_bare_address(client, catalog):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/"
    response = client.get("/programmes/", {"q": ""}, headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == "/programmes/"


def page_links(response):
    """The numbered page links as (number, current), and the gaps as ("…", False)."""
    nav = re.search(r'<nav class="pagination".*?</nav>', html_of(response), re.S).group(0)
    found = re.findall(
        r'<a href="[^"]*page=(\d+)"[^>]*?( aria-current="page")?>'
        r'<span class="visually-hidden">Page </span>\d+</a>|(…)',
        nav,
    )
    return [("…", False) if gap else (number, bool(current)) for number, current, gap in found]


def test_pages_are_numbered_around_the_current_one_with_the_ends_kept(client, db):
    # 40 pages of 20 (built in one statement: 800 factory saves would take long).
    factories.models.Programme.objects.bulk_create(
        factories.ProgrammeFactory.build(title=f"Programme {index:04d}", slug=f"p-{index:04d}")
        for index in range(40 * 20)
    )
    response = get_list(client, {"page": "6"})
    assert page_links(response) == [
        ("1", False),
        ("…", False),
        ("4", False),
        ("5", False),
        ("6", True),
        ("7", False),
        ("8", False),
        ("…", False),
        ("40", False),
    ]
    # Each number links to its page of the same list, for htmx and without JavaScript alike.
    assert (
        'href="/programmes/?level=master&amp;page=7" '
        'data-hx-get="/programmes/?level=master&amp;page=7"'
    ) in html_of(get_list(client, {"level": "master", "page": "6"}))

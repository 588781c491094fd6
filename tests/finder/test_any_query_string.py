"""Whatever an address carries, the public pages answer 200 or 400 (404 for an unknown
programme), never 500.

Hypothesis builds query strings from the public parameters (and a few unknown ones) with values
that mix real ones, numbers at the edges, NUL bytes, very long and non-Latin text, and sends them
to each public endpoint: a bounded fuzz run of FUZZ_EXAMPLES requests per endpoint. `make test`
runs the full 1,000 on SQLite and a shorter run on PostgreSQL (FUZZ_EXAMPLES in the environment):
the pages' code is the same on both, and the second thousand costs minutes of the suite while
what differs between the databases (their SQL) is reached by the shorter run. The catalog is
the real one; GET requests change nothing, so one catalog serves every example.
"""

import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.finder.filters import ProgrammeFilter

LIST_PARAMETERS = [*ProgrammeFilter.base_filters, "page", "sort", "utm_source"]

REAL_VALUES = [
    "de",
    "en",
    "xx",
    "DE",
    "120",
    "-1",
    "0",
    "1e9",
    "9" * 30,
    "rwth-aachen",
    "medical-data-science",
    "health-informatics",
    "master",
    "part-time",
    "blended",
    "winter",
    "computing",
    "-ects",
    "relevance",
    "AI",
]

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # lone surrogates can't be sent
    max_size=300,
)
values = st.one_of(st.sampled_from(REAL_VALUES), text, st.integers().map(str))


def query_strings(names):
    """Lists of (name, value) pairs, names repeating as advisors' links repeat `language`."""
    return st.lists(st.tuples(st.sampled_from(names), values), max_size=8)


def get(client, path, pairs, **headers):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    response = client.get(path, data, **headers)
    if response.streaming:
        # A streamed body is made while it is read: read it, so an error in it shows here.
        response.body = b"".join(response.streaming_content)
    return response


FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))

# Function-scoped fixtures are fine here: no example writes to the database.
EXAMPLES = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("path", ["/programmes/", "/programmes/export.csv"])
@EXAMPLES
@given(pairs=query_strings(LIST_PARAMETERS))
def test_list_and_export_never_fail(client, catalog, path, pairs):
    response = follow_to_short_address(client, get(client, path, pairs), pairs)
    assert response.status_code in (200, 400), (pairs, response.status_code)


def follow_to_short_address(client, response, pairs):
    """The page a browser lands on: an address with empty parameters redirects (once) to the
    same address without them."""
    if response.status_code != 302:
        return response
    assert any(value == "" for _, value in pairs), (pairs, response["Location"])
    landed = client.get(response["Location"])
    assert landed.status_code != 302, (pairs, response["Location"])
    return landed


# The home page is the list's own view at another address: a shorter run shows it is wired alike.
@settings(EXAMPLES, max_examples=100)
@given(pairs=query_strings(LIST_PARAMETERS))
def test_home_page_never_fails(client, catalog, pairs):
    response = follow_to_short_address(client, get(client, "/", pairs), pairs)
    assert response.status_code in (200, 400), (pairs, response.status_code)


@EXAMPLES
@given(pairs=query_strings(LIST_PARAMETERS))
def test_list_fragment_for_htmx_never_fails(client, catalog, pairs):
    response = get(client, "/programmes/", pairs, HTTP_HX_REQUEST="true")
    assert response.status_code in (200, 400), (pairs, response.status_code)


@EXAMPLES
@given(pairs=query_strings(["p", "q", "x", "from"]))
def test_compare_never_fails(client, catalog, pairs):
    response = get(client, "/compare/", pairs)
    assert response.status_code in (200, 400), (pairs, response.status_code)


@EXAMPLES
@given(pairs=query_strings(["q", "page", "programme"]))
def test_module_search_never_fails(client, catalog, pairs):
    response = get(client, "/modules/", pairs)
    assert response.status_code in (200, 400), (pairs, response.status_code)


@EXAMPLES
@given(pairs=query_strings(["country", "page", "q", "sort"]))
def test_universities_never_fail(client, catalog, pairs):
    # The search form sent without JavaScript names its empty fields: the short address.
    response = follow_to_short_address(client, get(client, "/universities/", pairs), pairs)
    assert response.status_code in (200, 400), (pairs, response.status_code)


SLUGS = ["medical-data-science", "health-informatics", "rwth-aachen", "no-such-programme"]


@EXAMPLES
@given(
    slug=st.one_of(st.sampled_from(SLUGS), text.filter(lambda s: "/" not in s and s.strip())),
    pairs=query_strings(["p", "q", "lang", "utm_source", "from"]),
)
def test_programme_detail_never_fails(client, catalog, slug, pairs):
    response = get(client, f"/programmes/{quote(slug, safe='')}/", pairs)
    assert response.status_code in (200, 400, 404), (slug, pairs, response.status_code)


# Pages beyond the public endpoints named for the fuzz run: a shorter run each.
FEW_EXAMPLES = settings(EXAMPLES, max_examples=150)


@pytest.mark.parametrize("path", ["/changes/", "/changes/feed.atom"])
@FEW_EXAMPLES
@given(pairs=query_strings(LIST_PARAMETERS))
def test_change_log_and_its_feed_never_fail(client, catalog, path, pairs):
    response = get(client, path, pairs)
    assert response.status_code in (200, 400), (pairs, response.status_code)


@FEW_EXAMPLES
@given(pairs=query_strings(["p", "page", "x"]))
def test_sitemap_never_fails(client, catalog, pairs):
    response = get(client, "/sitemap-programmes.xml", pairs)
    assert response.status_code in (200, 404), (pairs, response.status_code)


# The same pages in another language: a shorter run shows the prefixed addresses are wired alike.
@pytest.mark.parametrize("path", ["/de/programmes/", "/it/programmes/export.csv", "/sv/compare/"])
@settings(EXAMPLES, max_examples=100)
@given(pairs=query_strings([*LIST_PARAMETERS, "p"]))
def test_pages_in_other_languages_never_fail(client, catalog, path, pairs):
    response = follow_to_short_address(client, get(client, path, pairs), pairs)
    assert response.status_code in (200, 400), (pairs, response.status_code)


@FEW_EXAMPLES
@given(
    language=st.sampled_from(["en", "de", "it", "sv", "xx", ""]),
    following=st.one_of(
        st.sampled_from(["/", "/de/programmes/?language=en", "//evil.example/"]), text
    ),
)
def test_the_language_switch_never_fails_and_stays_on_the_site(client, db, language, following):
    response = client.get(f"/language/{quote(language, safe='')}/", {"next": following})
    if language not in ("en", "de", "it", "sv"):  # not a language of the site: not found
        assert response.status_code == 404
        return
    assert response.status_code == 302, (language, following)
    location = response["Location"]
    assert location.startswith("/") and not location.startswith("//"), location

"""/modules/?q=: modules across all published programmes, each linking to its programme."""

import re
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse

from tests.support import factories


def modules(client, **params):
    response = client.get(reverse("programs:module-list"), params)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_module_search_finds_a_module_by_title_and_links_its_programme(client, catalog):
    html = modules(client, q="imaging")
    assert "Medical Imaging & AI (e.g. radiology, diagnostics)" in html
    assert '<a href="/programmes/applied-ai-in-healthcare/">Applied AI in Healthcare</a>' in html
    assert "Salzburg University of Applied Sciences" in html
    assert "1 module matching “imaging”." in html


def test_module_search_ignores_case(client, catalog):
    assert "Machine Learning" in modules(client, q="MACHINE learning")


def test_module_search_matches_descriptions_and_track_names(client, db):
    programme = factories.ProgrammeFactory(title="Host")
    track = factories.TrackFactory(programme=programme, name="Genomics")
    factories.ModuleFactory(programme=programme, title="Sequencing", track=track)
    factories.ModuleFactory(
        programme=programme, title="Lab rotation", description="Hands-on genomics lab"
    )
    factories.ModuleFactory(programme=programme, title="Statistics")
    html = modules(client, q="genomics")
    assert "Sequencing" in html
    assert "Lab rotation" in html
    assert "Statistics" not in html


def test_modules_of_drafts_are_not_shown(client, db):
    factories.ModuleFactory(programme__published=False, title="Secret module")
    assert "Secret module" not in modules(client)
    assert "Secret module" not in modules(client, q="secret")


def test_empty_search_lists_every_module_grouped_by_programme(client, catalog):
    html = modules(client)
    assert "Statistics" in html
    assert "Master's thesis" in html
    for title in [
        "Applied AI in Healthcare",
        "Data-driven Health",
        "Health Informatics",
        "Medical Data Science",
    ]:
        # A title the catalog infers (FH Salzburg's) carries its mark after the link.
        assert re.search(rf"<h2><a href=[^>]*>{re.escape(title)}</a>( <strong|</h2>)", html), title
    # Grouped: each programme heading appears once.
    assert html.count(">Data-driven Health</a></h2>") == 1


def test_search_with_no_match_says_so(client, catalog):
    html = modules(client, q="astrophysics")
    assert "0 modules matching “astrophysics”." in html
    assert "No module matches" in html


def test_unusable_search_text_is_marked_with_a_message(client, catalog):
    html = modules(client, q="a\x00b")
    assert "Null characters are not allowed." in html
    assert 'aria-invalid="true"' in html
    assert "Please change the search text." in html
    assert "\x00" not in html


def test_every_word_of_a_module_search_must_be_found_each_anywhere(client, db):
    programme = factories.ProgrammeFactory(title="Host")
    track = factories.TrackFactory(programme=programme, name="Genomics")
    factories.ModuleFactory(programme=programme, title="Sequencing methods", track=track)
    factories.ModuleFactory(programme=programme, title="Lab methods", description="Imaging lab")
    factories.ModuleFactory(programme=programme, title="Genomics reading group")
    # "methods" in the title, "genomics" in the track's name.
    html = modules(client, q="genomics  methods")
    assert "Sequencing methods" in html
    assert "Lab methods" not in html
    assert "Genomics reading group" not in html
    assert "1 module matching “genomics  methods”." in html
    # Word order does not matter; an unmatched word leaves nothing.
    assert "Sequencing methods" in modules(client, q="Methods sequencing")
    assert "0 modules matching" in modules(client, q="genomics astrophysics")


def test_too_long_module_search_is_cut_to_200_characters_with_a_note(client, catalog):
    html = modules(client, q="imaging " + "x" * 5000)
    assert "only its first 200 were searched for" in html
    assert 'aria-describedby="q-help q-notice"' in html
    assert 'aria-invalid="true"' not in html
    # Searched, not refused: the cut text still holds a word no module has.
    assert "0 modules matching" in html
    assert "Medical Imaging" in modules(client, q="imaging" + " " * 300 + "x")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("abc", "The page number was not a number, so here is the first page."),
        ("99999", "There is no page 99999; these results end on page 1, shown here."),
        ("0", "Pages are counted from 1, so here is the first page."),
    ],
)
def test_unusable_page_number_shows_a_real_page_and_says_so(client, catalog, number, message):
    html = modules(client, page=number)
    assert "Statistics" in html
    assert message in html


def test_long_lists_are_paged(client, db):
    programme = factories.ProgrammeFactory()
    factories.ModuleFactory.create_batch(105, programme=programme)
    first = modules(client)
    assert "105 modules." in first
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in modules(client, page=2)


def test_undecodable_search_bytes_do_not_break_the_page(client, db):
    response = client.get("/modules/?q=%ff%fe&page=%00")
    assert response.status_code == 200


# --- issue 10: a text index, word-start matching, and pages that end after 1,000 matches ------


def module_titles(html):
    return re.findall(r'<span class="module-title"[^>]*>([^<]*)</span>', html)


def test_module_search_matches_the_start_of_words_ignoring_accents(client, db):
    """The refinement the text index brings, as in the programme search: a word is found by its
    start ("imag" finds "Imaging") and without its accents, but not from its middle."""
    programme = factories.ProgrammeFactory(title="Host")
    factories.ModuleFactory(programme=programme, title="Medical Imaging")
    factories.ModuleFactory(programme=programme, title="Économie de la santé")
    factories.ModuleFactory(programme=programme, title="Metadata management")
    assert module_titles(modules(client, q="imag")) == ["Medical Imaging"]
    assert module_titles(modules(client, q="economie")) == ["Économie de la santé"]
    assert module_titles(modules(client, q="ÉCONOMIE Santé")) == ["Économie de la santé"]
    # "data" starts no word of "Metadata management".
    assert module_titles(modules(client, q="data")) == []
    assert module_titles(modules(client, q="meta")) == ["Metadata management"]


def test_a_search_text_without_words_finds_nothing(client, catalog):
    html = modules(client, q="?! …")
    assert "0 modules matching" in html
    assert module_titles(html) == []


@pytest.fixture
def thousand_and_five(db):
    """1,005 modules titled "Lab n" across three programmes, written in bulk as an import
    writes them (so this also tests that the bulk path indexes them)."""
    from programs.models import Module
    from programs.search import programme_documents as search

    programmes = [factories.ProgrammeFactory(title=f"Host {n}") for n in range(3)]
    Module.objects.bulk_create(
        Module(programme=programmes[n % 3], title=f"Lab {n}", kind="compulsory", position=n)
        for n in range(1005)
    )
    search.programmes_changed([programme.pk for programme in programmes])
    return programmes


def test_more_than_a_thousand_matches_are_not_all_counted_or_paged(client, thousand_and_five):
    html = modules(client, q="lab")
    assert "More than 1,000 modules match “lab”; here are the first 1,000." in html
    assert "Page 1 of 10" in html
    assert len(module_titles(html)) == 100
    assert 'href="/modules/?q=lab&amp;page=10"' in modules_raw(client, q="lab")
    last = modules(client, q="lab", page=11)
    assert "There is no page 11; these results end on page 10, shown here." in last
    assert len(module_titles(last)) == 100


def test_an_empty_search_of_many_modules_says_more_than_a_thousand(client, thousand_and_five):
    html = modules(client)
    assert "More than 1,000 modules; here are the first 1,000." in html


def test_each_programmes_modules_stay_together_across_pages(client, thousand_and_five):
    """Keyed by programme, then module: each programme heads one run of its modules, even
    though its modules were written interleaved with the others'."""
    headings = []
    for number in range(1, 11):
        html = modules(client, q="lab", page=number)
        headings += re.findall(r"<h2><a [^>]*>([^<]*)</a></h2>", html)
    # A programme split by a page break heads both pages; none appears anywhere else.
    assert [h for i, h in enumerate(headings) if i == 0 or headings[i - 1] != h] == [
        "Host 0",
        "Host 1",
        "Host 2",
    ]


def test_a_module_added_later_is_listed_with_its_programme(client, db):
    first = factories.ProgrammeFactory(title="First")
    second = factories.ProgrammeFactory(title="Second")
    factories.ModuleFactory(programme=first, title="Statistics I", semester=1)
    factories.ModuleFactory(programme=second, title="Statistics II")
    factories.ModuleFactory(programme=first, title="Statistics 0", semester=1, position=0)
    html = modules(client, q="statistics")
    assert html.count(">First</a></h2>") == 1
    # Within a programme, as its own page lists them: by semester, year and position.
    assert module_titles(html) == ["Statistics 0", "Statistics I", "Statistics II"]


def test_module_pages_link_to_each_other_without_javascript(client, thousand_and_five):
    html = modules_raw(client, q="lab", page=2)
    nav = html.split('<nav class="pagination" aria-label="Pages">')[1].split("</nav>")[0]
    assert '<a rel="prev" href="/modules/?q=lab&amp;page=1">' in nav
    assert 'href="/modules/?q=lab&amp;page=2" aria-current="page"' in nav
    assert "data-hx" not in nav


def test_every_page_of_a_large_search_runs_the_same_queries(
    client, thousand_and_five, django_assert_num_queries
):
    """The capped count, the page's keys, its modules, their programmes' universities and fact
    sources; on PostgreSQL the count is a read of up to 1,001 matches through its GIN index
    between two statements that tell its planner to (see programs/search/module_documents.py)."""
    expected = 7 if connection.vendor == "postgresql" else 5
    for number in (1, 10):
        with django_assert_num_queries(expected):
            modules(client, q="lab", page=number)


def modules_raw(client, **params):
    response = client.get(reverse("programs:module-list"), params)
    assert response.status_code == 200
    return response.content.decode()

"""/modules/?q=: modules across all published programmes, each linking to its programme."""

from html import unescape

import pytest
from django.urls import reverse

from tests import factories


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
        assert "<h2><a href=" in html and f">{title}</a></h2>" in html
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

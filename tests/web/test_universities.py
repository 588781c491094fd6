"""/universities/ and /universities/<slug>/: institutions and their published programmes."""

import re
from html import unescape

import pytest
from django.urls import reverse

from programs.models import UniversityRole
from tests.support import factories


def page(client, name, **kwargs):
    return client.get(reverse(f"programs:{name}", kwargs=kwargs or None))


def list_rows(html):
    """The university table's rows as lists of the cells' visible texts (what is there for
    screen readers only, such as the reason for an inference, is tested on its own)."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    body = re.sub(r'<span class="visually-hidden">.*?</span>', "", body)
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", "", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.DOTALL)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, flags=re.DOTALL)
    ]


def test_university_list_gives_city_country_name_and_programme_count(client, catalog):
    response = page(client, "university-list")
    assert response.status_code == 200
    # Where a university is never comes from a programme's text: inferred, and marked so.
    assert list_rows(response.content.decode()) == [
        ["KTH Royal Institute of Technology", "Sweden (inferred) Stockholm (inferred)", "1"],
        ["Politecnico di Milano", "Italy (inferred) Milan (inferred)", "1"],
        ["RWTH Aachen University", "Germany (inferred) Aachen (inferred)", "1"],
        ["Salzburg University of Applied Sciences", "Austria (inferred) city not stated", "1"],
        ["Vita-Salute San Raffaele University", "Italy (inferred) Milan (inferred)", "1"],
    ]


def test_university_list_counts_only_published_programmes(client, catalog):
    kth = factories.models.University.objects.get(slug="kth")
    factories.ProgrammeFactory(published=False, universities=[kth])
    factories.ProgrammeFactory(published=True, universities=[kth])
    rows = list_rows(page(client, "university-list").content.decode())
    assert rows[0] == [
        "KTH Royal Institute of Technology",
        "Sweden (inferred) Stockholm (inferred)",
        "2",
    ]


def test_university_offering_only_drafts_is_not_listed(client, db):
    hidden = factories.UniversityFactory(name="Stealth University", slug="stealth")
    factories.ProgrammeFactory(published=False, universities=[hidden])
    assert b"Stealth University" not in page(client, "university-list").content
    assert page(client, "university-detail", slug="stealth").status_code == 404


def test_university_page_lists_its_programmes_with_its_role(client, catalog):
    response = page(client, "university-detail", slug="polimi")
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "<h1>Politecnico di Milano</h1>" in html
    assert '<a href="/programmes/health-informatics/">Health Informatics</a>' in html
    assert "Joint degree partner" in html
    assert "Milan" in html


def test_university_page_shows_unknown_facts_as_not_stated(client, catalog):
    html = page(client, "university-detail", slug="fh-salzburg").content.decode()
    city = html.split("<dt>City</dt>")[1].split("</dd>")[0]
    website = html.split("<dt>Website</dt>")[1].split("</dd>")[0]
    assert "not stated" in city
    assert "not stated" in website


def test_university_page_hides_draft_programmes(client, db):
    university = factories.UniversityFactory(slug="uni")
    factories.ProgrammeFactory(title="Public Programme", universities=[university])
    factories.ProgrammeFactory(title="Secret Draft", published=False, universities=[university])
    html = page(client, "university-detail", slug="uni").content.decode()
    assert "Public Programme" in html
    assert "Secret Draft" not in html


def test_university_page_states_a_coordinating_role(client, db):
    offering = factories.ProgrammeUniversityFactory(
        university__slug="lead", programme__title="Led Programme", role=UniversityRole.COORDINATING
    )
    html = page(client, "university-detail", slug=offering.university.slug).content.decode()
    assert "Coordinating university" in html


def test_unknown_university_is_a_404(client, db):
    response = page(client, "university-detail", slug="nowhere")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_university_page_names_the_country_as_the_country_filter_does(client, catalog):
    html = page(client, "university-detail", slug="kth").content.decode()
    country = html.split("<dt>Country</dt>")[1].split("</dd>")[0]
    assert re.sub(r"<[^>]+>", "", country).strip() == "Sweden"
    filter_options = client.get(reverse("programs:programme-list")).content.decode()
    # Counted as an inference: every country is where the university is, no text states it.
    assert 'name="country" value="SE"> Sweden <span class="count">(1<' in filter_options


def test_university_with_a_country_we_have_no_name_for_shows_its_code(client, db):
    # QQ is a code ISO 3166 leaves for private use: CLDR, where the names come from, has none.
    university = factories.UniversityFactory(slug="faraway", country="QQ")
    factories.ProgrammeFactory(universities=[university])
    html = page(client, "university-detail", slug="faraway").content.decode()
    assert html.split("<dt>Country</dt>")[1].split("</dd>")[0].split() == ["<dd>", "QQ"]


def test_university_pages_put_no_space_before_punctuation_after_not_stated(client, catalog):
    """Read as text (each tag a space, as a screen reader or a copy may do), "not stated"
    is never followed by a lone comma or full stop."""
    for name, kwargs in [("university-list", {}), ("university-detail", {"slug": "fh-salzburg"})]:
        text = " ".join(
            re.sub(r"<[^>]+>", " ", page(client, name, **kwargs).content.decode()).split()
        )
        assert "not stated" in text
        assert not re.search(r"not stated [,.;:]", text)


def test_university_page_says_not_stated_for_a_programmes_unknown_ects_and_languages(
    client, catalog
):
    """FH Salzburg's Applied AI in Healthcare states neither its ECTS nor its languages."""
    html = page(client, "university-detail", slug="fh-salzburg").content.decode()
    entry = html.split('href="/programmes/applied-ai-in-healthcare/"')[1].split("</li>")[0]
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", entry)).split())
    assert "ECTS not stated" in text
    assert "languages not stated" in text


# --- issue 10: the list is paged, so its cost doesn't grow with the catalog -----------------


@pytest.fixture
def many_universities(db):
    """53 universities offering published programmes (51 with one, two with two, one with a
    draft besides), named so that their order is known: University 00 … University 52."""
    universities = [
        factories.UniversityFactory(name=f"University {number:02d}", slug=f"u-{number:02d}")
        for number in range(53)
    ]
    for university in universities:
        factories.ProgrammeFactory(universities=[university])
    factories.ProgrammeFactory(universities=universities[50:52])
    factories.ProgrammeFactory(universities=universities[51:52], published=False)
    return universities


def test_university_list_shows_fifty_a_page_with_numbered_page_links(client, many_universities):
    html = page(client, "university-list").content.decode()
    rows = list_rows(html)
    assert len(rows) == 50
    assert rows[0][0] == "University 00"
    assert rows[-1][0] == "University 49"
    assert "53 universities, page 1 of 2" in html
    nav = html.split('<nav class="pagination" aria-label="Pages of universities">')[1]
    nav = nav.split("</nav>")[0]
    assert 'href="/universities/?page=1" aria-current="page"' in nav
    assert '<a rel="next" href="/universities/?page=2">' in nav


def test_second_page_of_universities_holds_the_rest_with_their_counts(client, many_universities):
    response = client.get(reverse("programs:university-list"), {"page": 2})
    html = response.content.decode()
    # Counts only published programmes, a joint one for each partner.
    assert list_rows(html) == [
        ["University 50", "Germany (inferred) city not stated", "2"],
        ["University 51", "Germany (inferred) city not stated", "2"],
        ["University 52", "Germany (inferred) city not stated", "1"],
    ]
    assert '<a rel="prev" href="/universities/?page=1">' in html
    assert 'href="/universities/?page=2" aria-current="page"' in html


def test_a_short_university_list_has_no_page_links(client, catalog):
    html = page(client, "university-list").content.decode()
    assert '<nav class="pagination"' not in html
    assert "5 universities" in html


@pytest.mark.parametrize(
    ("number", "message", "first_shown"),
    [
        ("abc", "The page number was not a number, so here is the first page.", 0),
        ("0", "Pages are counted from 1, so here is the first page.", 0),
        ("-3", "Pages are counted from 1, so here is the first page.", 0),
        (
            "99999",
            "There is no page 99999; these results end on page 2, shown here.",
            50,
        ),
        ("%00", "The page number was not a number, so here is the first page.", 0),
    ],
)
def test_unusable_university_page_number_shows_a_real_page_and_says_so(
    client, many_universities, number, message, first_shown
):
    response = client.get(f"/universities/?page={number}")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert message in html
    assert list_rows(html)[0][0] == f"University {first_shown:02d}"


def test_each_page_of_universities_runs_the_same_three_queries(
    client, many_universities, django_assert_num_queries
):
    """The universities counted by country (which is also how many there are), one page of
    them, and their programme counts."""
    for number in (1, 2):
        with django_assert_num_queries(3):
            client.get(reverse("programs:university-list"), {"page": number})


def test_universities_are_found_by_words_of_their_name(client, catalog):
    response = client.get("/universities/?q=milano")
    assert [row[0] for row in list_rows(response.content.decode())] == ["Politecnico di Milano"]
    # By the short name too, whatever its case.
    response = client.get("/universities/?q=KTH")
    assert [row[0] for row in list_rows(response.content.decode())] == [
        "KTH Royal Institute of Technology"
    ]


def test_the_country_filter_keeps_that_countrys_universities_and_counts_each_country(
    client, catalog
):
    html = client.get("/universities/?country=it").content.decode()
    assert [row[0] for row in list_rows(html)] == [
        "Politecnico di Milano",
        "Vita-Salute San Raffaele University",
    ]
    # Each country says how many universities choosing it gives, the chosen one selected.
    assert '<option value="IT" selected>Italy (2)</option>' in html
    assert '<option value="DE">Germany (1)</option>' in html


def test_the_country_counts_follow_the_name_search(client, catalog):
    html = client.get("/universities/?q=university").content.decode()
    assert '<option value="IT">Italy (1)</option>' in html
    assert '<option value="DE">Germany (1)</option>' in html
    assert 'value="SE"' not in html


@pytest.mark.parametrize("country", ["XX", "Germany", "D", "<b>"])
def test_a_country_that_cant_be_used_is_named_and_every_university_shown(client, catalog, country):
    response = client.get("/universities/", {"country": country})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a country by its two-letter code, such as DE." in html
    assert 'aria-invalid="true"' in html
    assert len(list_rows(html)) == 5


def test_a_search_that_finds_nothing_says_so_and_links_back(client, catalog):
    html = client.get("/universities/?q=sorbonne").content.decode()
    assert "No university in the catalog matches this search." in html
    assert '<a href="/universities/">' in html


def test_the_form_sent_without_javascript_goes_to_the_short_address(client, catalog):
    response = client.get("/universities/?q=&country=SE")
    assert response.status_code == 302
    assert response["Location"] == "/universities/?country=SE"


def test_the_page_links_keep_the_search(client, db):
    germany = [factories.UniversityFactory(country="DE") for _ in range(51)]
    factories.ProgrammeFactory(published=True, universities=germany)
    html = client.get("/universities/?country=DE").content.decode()
    assert 'href="/universities/?country=DE&amp;page=2"' in html


def test_each_search_shows_its_own_universities_in_every_language(client, catalog):
    """No kept page or cached result answers one search with another's universities."""
    for path, expected in [
        ("/universities/?country=SE", ["KTH Royal Institute of Technology"]),
        ("/universities/?country=AT", ["Salzburg University of Applied Sciences"]),
        ("/de/universities/?country=SE", ["KTH Royal Institute of Technology"]),
        ("/universities/?q=aachen", ["RWTH Aachen University"]),
    ]:
        assert [row[0] for row in list_rows(client.get(path).content.decode())] == expected
    assert "Schweden (1)" in client.get("/de/universities/?country=SE").content.decode()


def test_a_searched_universities_page_runs_a_fixed_number_of_queries(
    client, catalog, django_assert_num_queries
):
    client.get("/universities/")  # the catalog revision and sessions settle
    # The universities counted by country, the page's rows, the rows' programmes.
    with django_assert_num_queries(3):
        response = client.get("/universities/?q=i&country=IT")
    assert len(list_rows(response.content.decode())) == 2

"""/compare/: two to four programmes side by side, differing rows marked, bad input explained."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.support import factories


def compare(client, *slugs):
    response = client.get(reverse("programs:compare"), {"p": list(slugs)})
    assert response.status_code == 200
    return response.content.decode()


def without_provenance(cell):
    """A cell's value alone: its source quote and inference note (tested on their own) removed."""
    cell = re.sub(r'<details class="provenance">.*?</details>', "", cell, flags=re.DOTALL)
    return re.sub(r'<p class="provenance-[a-z]+">.*?</p>', "", cell, flags=re.DOTALL)


def table_rows(html):
    """Each body row of the compare table as (row class, header text, [cell texts])."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for css, cells in re.findall(r'<tr class="(\w+)">(.*?)</tr>', body, flags=re.DOTALL):
        texts = [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", without_provenance(cell))).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", cells, flags=re.DOTALL)
        ]
        rows.append((css, texts[0], texts[1:]))
    return rows


def row(html, label):
    (found,) = [r for r in table_rows(html) if r[1].removesuffix(" ≠ (differs)") == label]
    return found


def test_compare_shows_programmes_as_columns_and_facts_as_rows(client, catalog):
    html = compare(client, "medical-data-science", "data-driven-health")
    assert '<th scope="col">' in html
    assert html.count('<th scope="row">') == len(table_rows(html))
    assert row(html, "ECTS credits")[2] == ["90 ECTS", "120 ECTS"]
    # By language name, as in the list and the CSV.
    assert row(html, "Teaching languages")[2] == ["English, German", "English"]


def test_compare_marks_rows_that_differ_for_eyes_and_screen_readers(client, catalog):
    html = compare(client, "medical-data-science", "data-driven-health")
    css, header, _ = row(html, "ECTS credits")
    assert css == "differs"
    assert header == "ECTS credits ≠ (differs)"
    assert 'class="visually-hidden">(differs)</span>' in html


def test_compare_leaves_rows_that_agree_unmarked(client, catalog):
    html = compare(client, "medical-data-science", "data-driven-health")
    css, header, cells = row(html, "Degree awarded")
    assert (css, header, cells) == ("same", "Degree awarded", ["Master of Science"] * 2)


def test_compare_shows_unknown_facts_as_not_stated_and_different(client, catalog):
    html = compare(client, "data-driven-health", "applied-ai-in-healthcare")
    css, _, cells = row(html, "ECTS credits")
    assert cells == ["120 ECTS", "not stated"]
    assert css == "differs"
    # Both unknown: the same (unknown) value, not a difference.
    assert row(html, "Kind of course")[::2] == ("same", ["not stated", "not stated"])


def test_each_column_has_a_button_that_removes_it(client, catalog):
    html = compare(client, "medical-data-science", "data-driven-health", "health-informatics")
    forms = re.findall(r'<form class="compare-remove-form".*?</form>', html, re.S)
    kept = [re.findall(r'name="p" value="([^"]+)"', form) for form in forms]
    assert kept == [
        ["data-driven-health", "health-informatics"],
        ["medical-data-science", "health-informatics"],
        ["medical-data-science", "data-driven-health"],
    ]
    assert all('action="/compare/choose/"' in form for form in forms)


def test_compare_with_fewer_than_two_programmes_explains_how_to_choose(client, catalog):
    html = compare(client, "health-informatics")
    assert "<table" not in html
    assert "Choose at least two programmes (at most 4)" in html
    assert '<input type="checkbox" name="p" value="health-informatics" checked>' in html
    assert '<input type="checkbox" name="p" value="data-driven-health">' in html


def test_compare_without_parameters_offers_every_published_programme(client, catalog):
    factories.ProgrammeFactory(slug="draft", published=False)
    html = compare(client)
    assert html.count('type="checkbox" name="p"') == 4
    assert 'value="draft"' not in html


def test_unknown_and_draft_slugs_are_listed_as_not_found(client, catalog):
    factories.ProgrammeFactory(slug="secret-draft", published=False)
    html = compare(client, "medical-data-science", "no-such-thing", "secret-draft")
    assert "2 programmes in the link were not found" in html
    assert "<code>no-such-thing</code>" in html
    assert "<code>secret-draft</code>" in html
    # One programme is left, so the page helps to choose another.
    assert "<table" not in html


@pytest.mark.parametrize("bad", ["a\x00b", "x" * 5000, "../../etc", "<script>", "  "])
def test_malformed_compare_values_never_break_the_page(client, catalog, bad):
    html = compare(client, "medical-data-science", "data-driven-health", bad)
    assert row(html, "ECTS credits")[2] == ["90 ECTS", "120 ECTS"]
    assert "<script>" not in html.split("<main")[1]
    assert "\x00" not in html


def test_duplicate_slugs_are_compared_once(client, catalog):
    html = compare(client, "medical-data-science", "medical-data-science", "data-driven-health")
    assert row(html, "ECTS credits")[2] == ["90 ECTS", "120 ECTS"]
    assert "not found" not in html


def test_only_a_duplicate_is_not_a_comparison(client, catalog):
    html = compare(client, "medical-data-science", "medical-data-science")
    assert "<table" not in html


def test_more_than_four_shows_the_first_four_and_says_which_were_left_out(client, catalog):
    factories.ProgrammeFactory(slug="fifth", title="The Fifth Programme")
    html = compare(
        client,
        "medical-data-science",
        "applied-ai-in-healthcare",
        "data-driven-health",
        "health-informatics",
        "fifth",
    )
    assert len(row(html, "ECTS credits")[2]) == 4
    assert "At most 4 programmes can be compared at once" in html
    assert 'href="/programmes/fifth/">The Fifth Programme</a>' in html


def test_a_stated_period_and_the_same_period_inferred_differ(client, catalog):
    """RWTH states "4 semesters"; KTH says "two years", which the catalog counts as four
    semesters: the count is the catalog's, so the two are not shown as the same fact."""
    html = compare(client, "medical-data-science", "data-driven-health")
    css, _, cells = row(html, "Standard period of study")
    assert cells[0] == "4 semesters"
    assert cells[1].startswith("4 semesters")
    assert "“two years”" in cells[1]
    assert css == "differs"


def test_undecodable_compare_values_are_not_found(client, catalog):
    response = client.get("/compare/?p=%ff%fe&p=medical-data-science")
    assert response.status_code == 200
    assert b"was not found" in response.content


# --- issue 17, item 5: country, admission requirements and the official page ---------------


def test_compare_has_a_country_row_in_the_pages_language(client, catalog):
    html = compare(client, "medical-data-science", "data-driven-health", "health-informatics")
    # No text names its country: each is the catalog's inference, and marked so.
    assert row(html, "Country")[::2] == (
        "differs",
        ["Germany (inferred)", "Sweden (inferred)", "Italy (inferred)"],
    )
    german = client.get("/de/compare/", {"p": ["medical-data-science", "data-driven-health"]})
    rows = table_rows(german.content.decode())
    assert [cells for _, label, cells in rows if label.startswith("Land ")] == [
        ["Deutschland (abgeleitet)", "Schweden (abgeleitet)"]
    ]


def test_compare_lists_admission_requirements_with_their_quotes(client, catalog):
    html = compare(client, "health-informatics", "data-driven-health")
    css, _, cells = row(html, "Admission requirements")
    assert css == "differs"
    assert cells == ["Admission test", "not stated"]
    (tr,) = [r for r in re.findall(r"<tr class.*?</tr>", html, re.S) if "Admission req" in r]
    assert "<summary>Source quote" in tr


def test_compare_links_each_official_page(client, catalog):
    html = compare(client, "medical-data-science", "data-driven-health")
    assert row(html, "Official page")[2] == [
        "Official page of Medical Data Science on the university's website",
        "Official page of Data-driven Health on the university's website",
    ]
    (tr,) = [r for r in re.findall(r"<tr class.*?</tr>", html, re.S) if "Official page" in r]
    assert 'href="https://www.rwth-aachen.de/go/id/eqyqp?lidx=1"' in unescape(tr)
    assert "Source not recorded" not in tr


def test_official_page_row_says_not_stated_without_an_address(client, programme_factory):
    programmes = [programme_factory(source_url=None), programme_factory()]
    html = compare(client, *[programme.slug for programme in programmes])
    assert row(html, "Official page")[2] == ["not stated", "not stated"]


# --- issue 10: the chooser searches instead of listing every programme ---------------------


def checkboxes(html):
    """The chooser's programmes as (slug, ticked), in page order."""
    form = html.split('class="compare-chooser"')[1].split("</form>")[0]
    return [
        (slug, bool(checked))
        for slug, checked in re.findall(r'name="p" value="([^"]+)"( checked)?>', form)
    ]


@pytest.fixture
def many(programme_factory):
    """25 published programmes, "Programme 00" … "Programme 24", and one about genomics."""
    made = [programme_factory(title=f"Programme {n:02d}", slug=f"p-{n:02d}") for n in range(25)]
    made.append(programme_factory(title="Zoology and Genomics", slug="genomics"))
    return made


def test_chooser_lists_the_first_twenty_by_title_and_says_how_to_find_others(client, many):
    html = compare(client)
    assert checkboxes(html) == [(f"p-{n:02d}", False) for n in range(20)]
    assert "The first 20 programmes by title are listed; search above to find others." in html


def test_chooser_finds_a_programme_by_typing_without_javascript(client, many):
    html = compare(client, "p-03")
    form = html.split('<form class="compare-find" method="get" action="/compare/"')[1]
    form = form.split("</form>")[0]
    # The search keeps the programme chosen so far in the address it sends.
    assert '<input type="hidden" name="p" value="p-03">' in form
    assert 'type="search" name="find"' in form
    found = client.get(reverse("programs:compare"), {"p": "p-03", "find": "genomics"})
    assert checkboxes(found.content.decode()) == [("p-03", True), ("genomics", False)]


def test_chosen_programmes_stay_listed_ticked_and_are_not_offered_again(client, many):
    response = client.get(reverse("programs:compare"), {"p": ["p-24", "p-00"], "find": "programme"})
    html = response.content.decode()
    chosen = checkboxes(html)
    assert chosen[:2] == [("p-24", True), ("p-00", True)]
    assert len(chosen) == 22
    assert [slug for slug, _ in chosen].count("p-00") == 1
    assert "The best 20 matches are listed; add words to the search to find others." in html


def test_chooser_search_without_a_match_says_so(client, many):
    response = client.get(reverse("programs:compare"), {"p": "p-01", "find": "astrophysics"})
    html = unescape(response.content.decode())
    assert checkboxes(html) == [("p-01", True)]
    assert "No other published programme matches “astrophysics”." in html


def test_chooser_search_never_offers_drafts(client, many):
    factories.ProgrammeFactory(slug="secret-genomics", title="Genomics Draft", published=False)
    html = client.get(reverse("programs:compare"), {"find": "genomics"}).content.decode()
    assert checkboxes(html) == [("genomics", False)]


@pytest.mark.parametrize("bad", ["a\x00b", "x" * 5000, "<script>", "%%%", "  "])
def test_unusable_chooser_search_texts_never_break_the_page(client, many, bad):
    response = client.get(reverse("programs:compare"), {"p": "p-01", "find": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html.split("<main")[1]
    assert "\x00" not in html
    assert ("p-01", True) in checkboxes(html)


def test_chooser_search_text_is_cut_like_the_lists_with_a_note(client, many):
    html = compare_find(client, "genomics " + "x" * 5000)
    assert "only its first 200 were searched for" in html


def compare_find(client, text):
    response = client.get(reverse("programs:compare"), {"find": text})
    assert response.status_code == 200
    return response.content.decode()


def test_chooser_offers_title_matches_first_then_the_others_by_title(client, many):
    # "Programme 00" … mention genomics only in their summaries: the title match comes first.
    for programme in many[:22]:
        programme.summary = "Some genomics too."
        programme.save()
    html = client.get(reverse("programs:compare"), {"find": "genomics"}).content.decode()
    assert checkboxes(html) == [("genomics", False)] + [(f"p-{n:02d}", False) for n in range(19)]
    assert "The best 20 matches are listed; add words to the search to find others." in html

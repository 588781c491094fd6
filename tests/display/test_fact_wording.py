"""The facts' names and the catalog's reasons in every language say what the source says, no more.

The audit found words that changed a fact: "Tuition" and "Tuition fees" both "Studiengebühren"
(so RWTH's "Private Course of Study" read as a fee), "Laurea magistrale" (an Italian degree
class) for every master's, Swedish "kurser" for FH Salzburg's focus areas, a City without the
source's "mainly", and the reasons for inferences left in English on translated pages.
Expected words come from the catalogs (gettext in the page's language), as in
tests/web/test_languages.py.
"""

import re
from html import unescape

import pytest
from django.utils import translation
from django.utils.translation import gettext

from programs.changelog.changes import compare
from programs.core.change_wording import describe

LANGUAGES = ["en", "de", "it", "sv"]
OTHER_LANGUAGES = ["de", "it", "sv"]
FIXTURE_SLUGS = [
    "medical-data-science",
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
]


def page(client, language, slug):
    prefix = "" if language == "en" else f"/{language}"
    response = client.get(f"{prefix}/programmes/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def translated(language, text):
    with translation.override(language):
        return gettext(text)


def key_fact(html, label):
    """The value of the key fact labelled `label` (its first <dd>), as text."""
    match = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(.*?)</dd>", html, flags=re.DOTALL)
    assert match, f"no fact labelled {label!r}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def visible_words(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", html)).split()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_kind_of_course_and_the_tuition_fees_are_two_facts_with_two_names(
    client, catalog, language
):
    """RWTH's page said "Studiengebühren: Private course of study" above "Studiengebühren:
    nicht angegeben": the source says "Private Course of Study" and nothing about fees."""
    kind, fees = translated(language, "Kind of course"), translated(language, "Tuition fees")
    assert kind != fees
    if language != "en":
        assert kind != "Kind of course", f"not translated into {language}"
    html = page(client, language, "medical-data-science")
    assert key_fact(html, kind).startswith("Private Course of Study")
    assert key_fact(html, fees) == translated(language, "not stated")


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_change_logged_under_the_old_name_tuition_reads_as_the_kind_of_course(language):
    """The change log stored the kind of course as "Tuition"; its old lines and snapshots read
    under the new name, never as the fees."""
    line = {"fact": "Tuition", "action": "changed", "old": "A", "new": "B"}
    with translation.override(language):
        assert describe(line).startswith(gettext("Kind of course") + ":")
        assert gettext("Tuition fees") not in describe(line)
    before = {"facts": [["Tuition", "Private course of study"]], "parts": []}
    after = {"facts": [["Kind of course", "Private Course of Study"]], "parts": []}
    assert compare(before, after) == [
        {
            "fact": "Kind of course",
            "action": "changed",
            "old": "Private course of study",
            "new": "Private Course of Study",
        }
    ]


@pytest.mark.parametrize(
    "slug", ["medical-data-science", "data-driven-health", "health-informatics"]
)
def test_italian_names_no_italian_degree_class_for_a_masters(client, catalog, slug):
    """ "Laurea magistrale" is one class of Italian degree; RWTH's and KTH's M.Sc. are not one."""
    level = key_fact(page(client, "it", slug), translated("it", "Level"))
    assert "laurea" not in level.lower()
    assert level.startswith(translated("it", "Master"))
    assert "laurea" not in translated("it", "Bachelor").lower()


def test_swedish_never_calls_fh_salzburgs_focus_areas_courses(client, catalog):
    """The source lists "Focus Areas" per semester, not courses: the Swedish page calls them
    fördjupningsområden, and the section that holds them modules, never kurser."""
    html = page(client, "sv", "applied-ai-in-healthcare")
    assert translated("sv", "Focus area") in visible_words(html)
    courses = [word for word in visible_words(html) if word.lower().startswith("kurs")]
    assert courses == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_kths_city_keeps_the_sources_mainly(client, catalog, language):
    """ "mainly offered at the KTH Flemingsberg campus in Stockholm": the Campus row kept the
    "mainly", the City row dropped it."""
    html = page(client, language, "data-driven-health")
    assert key_fact(html, translated(language, "City")).startswith("Stockholm (mainly)")
    assert key_fact(html, translated(language, "Campus")).startswith(
        "KTH Flemingsberg campus (mainly)"
    )


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_every_reason_on_a_translated_page_is_in_the_pages_language(
    client, catalog, language, slug
):
    """FH Salzburg's page in German gave its reasons (institution, country, level, duration) in
    English, marked lang="en": the catalog's own words are translated, as every label is."""
    html = page(client, language, slug)
    reasons = re.findall(r'<p class="provenance-inferred">(.*?)</p>', html, flags=re.DOTALL)
    assert reasons, "no inferred fact on the page"
    untranslated = [unescape(reason) for reason in reasons if 'lang="en"' in reason]
    assert untranslated == []
    # The country is always inferred, and its reason says where the university is.
    country = translated(language, "The country is where the offering university is.")
    assert any(country in unescape(reason) for reason in reasons)

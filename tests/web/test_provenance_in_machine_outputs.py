"""Issue 28: an inference stays an inference in the machine-readable outputs too.

The CSV exports (the catalog's and a shortlist's), the JSON-LD and the Atom feeds each carry a
value with how it is known, as the detail page does: the CSV names the inferred columns of each
row, the JSON-LD sends nothing inferred, a feed marks an inferred title. Each test walks every key
fact of the four transcribed programmes in every language of the site.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from programs.display.facts import compared_facts, key_facts, title_fact
from programs.models import FactSource, KeyFact, Programme, University

LANGUAGES = ["en", "de", "it", "sv"]

FH_SALZBURG = "applied-ai-in-healthcare"
KTH = "data-driven-health"
UNISR = "health-informatics"
RWTH = "medical-data-science"
SLUGS = [RWTH, FH_SALZBURG, KTH, UNISR]

# The CSV column holding each key fact (English header names, translated in the test).
COLUMN_OF_FACT = {
    "title": "title",
    "universities": "universities",
    "country": "countries",
    "degree": "degree",
    "level": "level",
    "field_of_study": "field_of_study",
    "ects": "ects",
    "duration": "duration_semesters",
    "languages": "languages",
    "start_term": "start",
    "study_mode": "study_mode",
    "delivery": "delivery",
    "tuition_type": "kind_of_course",
    "approval_status": "approval_status",
    "tuition_fees": "tuition_fees",
    "application_deadlines": "application_deadlines",
    "admission": "admission_requirements",
}
# The CSV's number columns (English names), empty where the source is silent.
NUMBER_COLUMNS = {"ects", "duration_semesters"}

# Facts the CSV has no column for (the page and the compare table show them): a new fact must
# be put in one of the two.
NOT_IN_CSV = {"joint_degree", "faculty", "campus", "city", "official_page"}

# What the audit found inferred, whatever else the catalog may come to infer: the CSV must mark
# at least these (English column names).
AUDITED_INFERENCES = {
    FH_SALZBURG: {"title", "universities", "countries", "level", "duration_semesters"},
    KTH: {"countries", "duration_semesters"},
    UNISR: {"countries", "duration_semesters"},
    RWTH: {"countries"},
}


TITLE_FROM_ADDRESS = (
    "The text never names the programme: the title is from the address of the page it was "
    "copied from."
)
SEMESTERS_FROM_YEARS = "The source says “two years”; the catalog counts two semesters a year."


def _infer(slug, fact, reason):
    """Record `fact` of `slug` as inferred (keeping its quote), as the corrected transcription
    does; the same whether or not the fixtures already say so."""
    programme = Programme.objects.get(slug=slug)
    FactSource.objects.update_or_create(
        programme=programme, fact=fact, defaults={"inferred_because": reason}
    )


@pytest.fixture
def audited_catalog(catalog):
    """The catalog with the audit's inferences recorded: FH Salzburg's title from its page's
    address, "two years" counted as 4 semesters, each university's location from somewhere."""
    _infer(FH_SALZBURG, KeyFact.TITLE, TITLE_FROM_ADDRESS)
    for slug in (KTH, UNISR):
        _infer(slug, KeyFact.DURATION, SEMESTERS_FROM_YEARS)
    for university in University.objects.filter(location_source__isnull=True):
        university.location_source = "The catalog's seed notes (seeds/README.md)."
        university.save()


def _address(language, name, **kwargs):
    """The address of the page `name` in `language`."""
    with translation.override(language):
        return reverse(f"programs:{name}", kwargs=kwargs or None)


def _csv_rows(body, language):
    """The CSV's rows as dicts by header, after its byte order mark (separated by commas in
    English, by semicolons in the languages whose spreadsheets split there)."""
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    separator = "," if language == "en" else ";"
    header, *rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=separator))
    assert len(set(header)) == len(header)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _catalog_csv(client, language):
    response = client.get(_address(language, "programme-export"))
    assert response.status_code == 200
    return _csv_rows(b"".join(response.streaming_content), language)


def _shortlist_csv(client, language):
    for slug in SLUGS:
        client.post(reverse("programs:shortlist-add"), {"programme": slug})
    response = client.get(_address(language, "shortlist-export"))
    assert response.status_code == 200
    return _csv_rows(response.content, language)


def _programme(slug):
    return Programme.objects.with_export_data().get(slug=slug)


def _assert_row_says_how_each_fact_is_known(row, programme, language):
    """Every key fact of `programme` in its CSV `row`: an inferred one with its column named in
    the inferred column, an unstated one `not stated`, a stated one neither."""
    with translation.override(language):
        facts = [title_fact(programme), *compared_facts(programme)]
        assert {fact.key for fact in facts} == set(COLUMN_OF_FACT) | NOT_IN_CSV
        inferred_column = pgettext("csv column", "inferred")
        marked = set(filter(None, row[inferred_column].split("; ")))
        not_stated = gettext("not stated")
        for fact in facts:
            if fact.key in NOT_IN_CSV:
                continue
            column = pgettext("csv column", COLUMN_OF_FACT[fact.key])
            where = f"{programme.slug}: {fact.key} ({language})"
            assert (column in marked) == fact.inferred, where
            # A number the source does not state is an empty cell, so the column stays numbers.
            unstated = "" if COLUMN_OF_FACT[fact.key] in NUMBER_COLUMNS else not_stated
            assert (row[column] == unstated) == (not fact.stated), where
        english = {pgettext("csv column", name) for name in AUDITED_INFERENCES[programme.slug]}
        assert marked >= english, programme.slug
        assert marked <= {pgettext("csv column", name) for name in COLUMN_OF_FACT.values()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_csv_names_every_inferred_value_of_each_row(client, audited_catalog, language):
    """The country (always), FH Salzburg's title, institution, level and period, and the 4
    semesters counted from "two years" were plain values in the CSV, read as stated."""
    rows = _catalog_csv(client, language)
    assert len(rows) == len(SLUGS)
    with translation.override(language):
        url = pgettext("csv column", "url")
    for row in rows:
        slug = row[url].rstrip("/").rsplit("/", 1)[-1]
        _assert_row_says_how_each_fact_is_known(row, _programme(slug), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shortlist_csv_names_every_inferred_value_too(client, audited_catalog, language):
    rows = _shortlist_csv(client, language)
    assert len(rows) == len(SLUGS)
    for row, slug in zip(rows, SLUGS, strict=True):
        _assert_row_says_how_each_fact_is_known(row, _programme(slug), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_csv_keeps_the_values_and_marks_them_in_its_own_column(
    client, audited_catalog, language
):
    """An inferred value stays a plain value (it still sorts and sums); its mark is beside it."""
    with translation.override(language):
        column = {name: pgettext("csv column", name) for name in ("title", "duration_semesters")}
        inferred = pgettext("csv column", "inferred")
    by_slug = {row[column["title"]]: row for row in _catalog_csv(client, language)}
    kth = by_slug["Data-driven Health"]
    assert kth[column["duration_semesters"]] == "4"
    assert column["duration_semesters"] in kth[inferred].split("; ")
    fh = by_slug["Applied AI in Healthcare"]
    assert column["title"] in fh[inferred].split("; ")
    # The last header cell says what the inferred column holds, in the download's language.
    assert inferred in list(fh)[-1]


def test_the_kind_of_course_column_is_not_named_after_fees(client, audited_catalog):
    """ "Private Course of Study" is what kind of course it is, not a fee: its column's name
    says nothing of fees, in any language, and differs from the fees' column."""
    for language in LANGUAGES:
        rows = _catalog_csv(client, language)
        with translation.override(language):
            kind = pgettext("csv column", "kind_of_course")
            fees = pgettext("csv column", "tuition_fees")
        assert kind in rows[0] and fees in rows[0] and kind != fees
        for fee_word in ("gebühr", "tasse", "avgift", "fee", "tuition"):
            assert fee_word not in kind.lower(), (language, kind)


# --- JSON-LD ---------------------------------------------------------------------------------

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)

# The JSON-LD property holding each key fact, or None where schema.org's programme has none the
# catalog uses. The country and city are checked on their own: no address is ever sent.
PROPERTY_OF_FACT = {
    "degree": "educationalCredentialAwarded",
    "level": "educationalLevel",
    # Not sent: schema.org has no property for an ISCED field, so the JSON-LD leaves it out.
    "field_of_study": None,
    "universities": "provider",
    "country": None,
    "joint_degree": None,
    "faculty": None,
    "campus": None,
    "city": None,
    "ects": "numberOfCredits",
    "duration": "timeToComplete",
    "languages": "inLanguage",
    "start_term": None,
    "study_mode": "educationalProgramMode",
    "delivery": "educationalProgramMode",
    "tuition_type": None,
    "tuition_fees": "offers",
    "application_deadlines": "applicationDeadline",
    "approval_status": "disambiguatingDescription",
}
# schema.org's words for the study modes and deliveries the JSON-LD sends.
MODE_WORDS = {"on-campus": "onsite", "blended": "blended", "online": "online"}


def _page_jsonld(client, slug, language):
    response = client.get(_address(language, "programme-detail", slug=slug))
    assert response.status_code == 200
    (script,) = SCRIPT.findall(response.content.decode())
    return json.loads(script)


def _keys(value):
    """Every key of every object nested in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _sent(data, fact, programme):
    """Whether the JSON-LD `data` carries `fact` of `programme`."""
    modes = data.get("educationalProgramMode", [])
    if fact.key == "study_mode":
        return programme.study_mode in modes
    if fact.key == "delivery":
        return MODE_WORDS.get(programme.delivery) in modes
    if fact.key == "tuition_fees":
        # Offers hold the deadlines too; a fee is an offer with a price.
        return any("price" in offer for offer in data.get("offers", []))
    return PROPERTY_OF_FACT[fact.key] in data


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_the_jsonld_sends_no_inferred_or_unstated_fact(client, audited_catalog, slug, language):
    """Search engines read every value as a fact: FH Salzburg's inferred name, the countries
    ("addressCountry") and cities ("Milan", which UniSR's text never names) were sent."""
    data = _page_jsonld(client, slug, language)
    programme = Programme.objects.with_detail_data().get(slug=slug)
    with translation.override("en"):
        facts = key_facts(programme)
        title = title_fact(programme)
    assert {fact.key for fact in facts} == set(PROPERTY_OF_FACT)
    for fact in facts:
        sent = _sent(data, fact, programme)
        if fact.inferred or not fact.stated:
            assert not sent, f"{slug}: {fact.key} is {fact.provenance} but sent"
        elif fact.source_quote and PROPERTY_OF_FACT[fact.key]:
            assert sent, f"{slug}: {fact.key} is stated but left out"
    # Where a university is, is never the source's words.
    keys = set(_keys(data))
    assert not keys & {"address", "addressCountry", "addressLocality"}
    assert ("name" in data) == (not title.inferred)
    if not title.inferred:
        assert data["name"] == programme.title


def test_fh_salzburg_has_no_name_its_text_never_gives(client, audited_catalog):
    assert "name" not in _page_jsonld(client, FH_SALZBURG, "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_jsonld_says_a_course_is_under_ministerial_approval(client, audited_catalog, language):
    """UniSR's text states it; the JSON-LD left it out. It is the same in every language."""
    data = _page_jsonld(client, UNISR, language)
    assert data["disambiguatingDescription"] == "Approval status: under ministerial approval"
    assert "disambiguatingDescription" not in _page_jsonld(client, RWTH, language)


def test_the_jsonld_is_the_same_in_every_language_but_its_address(client, audited_catalog):
    for slug in SLUGS:
        english = _page_jsonld(client, slug, "en")
        assert english.pop("url") == f"http://testserver/programmes/{slug}/"
        for language in LANGUAGES[1:]:
            data = _page_jsonld(client, slug, language)
            assert data.pop("url") == f"http://testserver/{language}/programmes/{slug}/"
            assert data == english, (slug, language)


# --- feeds -----------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_feed_marks_a_title_the_catalog_infers(client, audited_catalog, language):
    """FH Salzburg's title is the catalog's reading of its page's address: each entry and its
    programme's feed say so, the others' titles stay plain."""
    with translation.override(language):
        marked = gettext("%(value)s (inferred)") % {"value": "Applied AI in Healthcare"}
    mark = marked.removeprefix("Applied AI in Healthcare")
    catalog_feed = _feed(client, _address(language, "change-feed"))
    titles = [entry.findtext(f"{ATOM}title") for entry in catalog_feed.iter(f"{ATOM}entry")]
    fh = [title for title in titles if "Applied AI in Healthcare" in title]
    assert fh and all(title.startswith(f"{marked}: ") for title in fh), titles
    others = [title for title in titles if "Applied AI in Healthcare" not in title]
    assert others and not any(mark in title for title in others)

    programme_feed = _feed(client, _address(language, "programme-change-feed", slug=FH_SALZBURG))
    assert marked in programme_feed.findtext(f"{ATOM}title")
    for entry in programme_feed.iter(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}title").startswith(f"{marked}: ")
    kth = _address(language, "programme-change-feed", slug=KTH)
    kth_title = _feed(client, kth).findtext(f"{ATOM}title")
    assert "Data-driven Health" in kth_title and mark not in kth_title

"""validate_catalog: the real fixtures are consistent, and each kind of problem is reported."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from programs.core.quotes import normalise_spacing, split_quote
from programs.models import KeyFact, ModuleKind, Programme, TrackKind
from programs.transfer.fixtures_check import SOURCES_DIR, catalog_problems, sourced_rows
from tests.support import factories


def validate():
    out = io.StringIO()
    call_command("validate_catalog", stdout=out)
    return out.getvalue()


def problems_reported():
    """Run the command expecting failure; returns (printed problems, the error message)."""
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("validate_catalog", stdout=out)
    return out.getvalue(), str(error.value)


@pytest.fixture
def sourced_programme(db):
    """A programme with everything validate_catalog asks for, ready to be spoilt by one test."""
    programme = factories.ProgrammeFactory(
        slug="sample",
        duration_semesters=4,
        ects=90,
        source_document="000_sample.txt",
        source_url="https://example.org/sample",
        languages=[factories.LanguageFactory(code="en", name="English")],
    )
    for fact in (KeyFact.LEVEL, KeyFact.ECTS, KeyFact.DURATION, KeyFact.LANGUAGES):
        factories.FactSourceFactory(programme=programme, fact=fact)
    return programme


def test_the_transcribed_catalog_is_consistent(catalog):
    assert validate().strip() == "4 programme(s) checked: no problems."


def test_a_clean_programme_gets_the_clean_summary(sourced_programme):
    factories.SemesterFactory(programme=sourced_programme, number=4)
    assert "1 programme(s) checked: no problems." in validate()


def test_semester_beyond_the_standard_period_is_reported(sourced_programme):
    factories.SemesterFactory(programme=sourced_programme, number=5)
    printed, error = problems_reported()
    assert (
        "sample: semesters.number: semester 5 is beyond the standard period of 4 semesters"
        in printed
    )
    assert error == "1 problem(s) found in 1 programme(s)."


def test_track_and_module_semesters_beyond_the_period_are_reported(sourced_programme):
    factories.TrackFactory(
        programme=sourced_programme, name="Late track", kind=TrackKind.SPECIALISATION, semester=6
    )
    factories.ModuleFactory(programme=sourced_programme, position=2, semester=7)
    printed, _ = problems_reported()
    assert 'sample: tracks["Late track"].semester: semester 6 is beyond' in printed
    assert "sample: modules[2].semester: semester 7 is beyond" in printed


def test_tracks_sharing_a_semester_are_not_a_problem(sourced_programme):
    for name in ("Medical Aspects", "Computer Science Aspects"):
        factories.TrackFactory(
            programme=sourced_programme, name=name, kind=TrackKind.STARTING, semester=1
        )
    assert "no problems" in validate()


def test_module_credits_past_the_programme_total_are_reported(sourced_programme):
    for position, ects in enumerate((Decimal("60"), Decimal("30.5"))):
        factories.ModuleFactory(
            programme=sourced_programme, position=position, ects=ects, kind=ModuleKind.COMPULSORY
        )
    printed, _ = problems_reported()
    assert "sample: modules.ects: the modules' credits add up to 90.5 ECTS" in printed


def test_module_credits_are_not_checked_when_the_programme_total_is_unknown(sourced_programme):
    sourced_programme.ects = None
    sourced_programme.save()
    sourced_programme.fact_sources.filter(fact=KeyFact.ECTS).delete()
    factories.ModuleFactory(programme=sourced_programme, ects=Decimal("500"))
    assert "no problems" in validate()


def test_a_language_code_outside_iso_639_1_is_reported(sourced_programme):
    # "xx" passes the database's two-letter check, but is no ISO 639-1 language.
    sourced_programme.languages.add(factories.LanguageFactory(code="xx", name="Unknown"))
    printed, _ = problems_reported()
    assert 'sample: languages: "xx" is not an ISO 639-1 language code' in printed


def test_a_requirements_original_language_outside_iso_639_1_is_reported(sourced_programme):
    factories.AdmissionRequirementFactory(
        programme=sourced_programme,
        position=0,
        original_text="Zur Einschreibung ...",
        original_language=factories.LanguageFactory(code="qq", name="Unknown"),
    )
    printed, _ = problems_reported()
    assert 'sample: admission_requirements[0].original_language: "qq" is not' in printed


@pytest.mark.parametrize("field", ["source_document", "source_url"])
def test_a_programme_without_its_source_is_reported(sourced_programme, field):
    setattr(sourced_programme, field, None)
    sourced_programme.save()
    printed, _ = problems_reported()
    assert f"sample: {field}: is missing: every programme must record its source" in printed


def test_every_problem_of_every_programme_is_printed(sourced_programme):
    factories.ProgrammeFactory(slug="unsourced")
    factories.SemesterFactory(programme=sourced_programme, number=9)
    printed, error = problems_reported()
    assert printed.count("unsourced: source_") == 2
    assert "unsourced: level_source: is missing: a stated fact needs a quote or a reason" in printed
    assert "sample: semesters.number" in printed
    assert error == "4 problem(s) found in 2 programme(s)."


def test_checking_runs_a_fixed_number_of_queries_whatever_the_catalog_size(
    catalog, django_assert_num_queries
):
    # One for the programmes, one per prefetched part: offerings, fact sources, admission
    # requirements, careers, semesters, tracks, modules, languages, translated requirements,
    # application deadlines and tuition. The source texts are files, not queries.
    with django_assert_num_queries(12):
        checked, problems = catalog_problems()
    assert (checked, problems) == (4, [])


# --- provenance: every fact says how it is known, every quote is the source's own words -------


def all_quotes():
    """(programme slug, field, passage) of every quote stored for the transcribed catalog."""
    from programs.transfer.fixtures_check import sourced_rows

    quotes = []
    for programme in Programme.objects.prefetch_related(
        "fact_sources", "semesters", "tracks", "modules", "admission_requirements", "careers"
    ):
        for field, row in sourced_rows(programme):
            quotes.extend((programme, field, p) for p in split_quote(row.source_quote))
    return quotes


def test_every_quote_of_the_four_programmes_occurs_in_its_source_text(catalog):
    """Read the texts that travel with the fixtures and find each quoted passage in its own."""
    quotes = all_quotes()
    assert len(quotes) > 100  # every key fact and part row of the four programmes is quoted
    texts = {}
    for programme, field, passage in quotes:
        name = programme.source_document
        if name not in texts:
            texts[name] = normalise_spacing((SOURCES_DIR / name).read_text(encoding="utf-8"))
        assert normalise_spacing(passage) in texts[name], (programme.slug, field, passage)


# The prose the fixtures keep as the source published it (their notes say "verbatim"): whole
# sentences of the source, picked and joined, never reworded. Semester summaries of RWTH and the
# rows' descriptions are the catalog's own summaries, so they are not in this list.
VERBATIM_PROSE = ("summary", "description", "career_prospects")


def source_sentences(text):
    """The sentences of a kept text, without the list markers the fixtures write ("- ", "1. ")
    where the page had bullets."""
    lines = [re.sub(r"^\s*(?:[-•]|\d+\.)\s+", "", line) for line in text.splitlines()]
    return [s for s in re.split(r"(?<=[.!?;:])\s+", " ".join(lines)) if s.strip()]


def spacing_only(text):
    """Whitespace is the only thing kept prose may differ in: runs of it, and a stray space
    before a full stop ("Health Systems .")."""
    return re.sub(r" (?=[.,;:])", "", normalise_spacing(text))


def test_the_prose_kept_verbatim_is_the_sources_own_words(catalog):
    """Every sentence of a programme's summary, description and career prospects is in its
    source text as published: quotation marks, apostrophes and dashes included (RWTH's career
    text opens its quote straight and closes it curly, `"Medical Data Science”`)."""
    checked = 0
    for programme in Programme.objects.all():
        text = spacing_only((SOURCES_DIR / programme.source_document).read_text(encoding="utf-8"))
        for field in VERBATIM_PROSE:
            for sentence in source_sentences(getattr(programme, field) or ""):
                checked += 1
                assert spacing_only(sentence) in text, (programme.slug, field, sentence)
    assert checked > 80


# A reason quotes the source's words in single quotes ('two-year programme'); an apostrophe
# inside a word (the page's) opens no quote.
QUOTED_IN_A_REASON = re.compile(r"(?:(?<=\s)|^)'(.+?)'(?=[\s,.;:)]|$)")


def test_the_words_a_reason_quotes_are_in_the_source_text_or_its_address(catalog):
    """A reason is the catalog's own words, but what it quotes must be the source's: its text,
    or the address of the page it was copied from ('joint-master'). So must a university's
    location_source, for the texts of the programmes it offers."""
    checked = 0
    for programme in Programme.objects.all():
        text = normalise_spacing(
            (SOURCES_DIR / programme.source_document).read_text(encoding="utf-8")
        )
        reasons = [row.inferred_because for _field, row in sourced_rows(programme)]
        reasons += [track.placement_inferred_because for track in programme.tracks.all()]
        # Where the offering universities are is told in the same way, for the same text.
        reasons += [offering.university.location_source for offering in programme.offerings.all()]
        for reason in filter(None, reasons):
            for quoted in QUOTED_IN_A_REASON.findall(reason):
                checked += 1
                assert quoted in text or quoted in programme.source_url, (programme.slug, quoted)
    assert checked > 10


def test_every_row_of_the_four_programmes_is_quoted_or_inferred_with_a_reason(catalog):
    from programs.transfer.fixtures_check import sourced_rows

    for programme in Programme.objects.all():
        for field, row in sourced_rows(programme):
            assert row.source_quote or row.inferred_because, (programme.slug, field)


def test_the_source_texts_travel_with_the_fixtures_unchanged():
    """fixtures/sources/ holds the four texts byte for byte as ../shared/seeds/ has them."""
    names = sorted(path.name for path in SOURCES_DIR.glob("*.txt"))
    assert names == [
        "000_7b5a055619dfbeca.txt",
        "001_eab32d7f0bc2c3f8.txt",
        "002_acfb288d9e3a5404.txt",
        "003_4d299c3d71e191b1.txt",
    ]
    seeds = SOURCES_DIR.parents[2] / "shared" / "seeds"
    if seeds.is_dir():  # next to the checkout on the machines the catalog was transcribed on
        for name in names:
            assert (SOURCES_DIR / name).read_bytes() == (seeds / name).read_bytes(), name


def test_a_quote_that_is_not_in_the_source_is_reported(catalog):
    module = Programme.objects.get(slug="data-driven-health").modules.get(title="Statistics")
    module.source_quote = "During the first year, you take compulsory courses in Statistics"
    module.save()
    printed, error = problems_reported()
    assert (
        "data-driven-health: modules[0].source: not in the source text: "
        "“During the first year, you take compulsory courses in Statistics”" in printed
    )
    assert error == "1 problem(s) found in 4 programme(s)."


def test_a_quote_may_differ_from_the_source_in_spacing_only(catalog):
    module = Programme.objects.get(slug="data-driven-health").modules.get(title="Statistics")
    module.source_quote = "During  the first\nyear, you take mandatory courses"
    module.save()
    assert "no problems" in validate()
    # Anything but spacing is a difference: here a straight apostrophe for the source's curly one.
    module.source_quote = "The master's programme in Data-driven Health trains future leaders"
    module.save()
    printed, _ = problems_reported()
    assert "modules[0].source: not in the source text" in printed


def test_each_passage_of_a_quote_is_checked_on_its_own(catalog):
    module = Programme.objects.get(slug="data-driven-health").modules.get(title="Statistics")
    module.source_quote = "During the first year\n…\nThe second year is dedicated to courses"
    module.save()
    printed, _ = problems_reported()
    assert "not in the source text: “The second year is dedicated to courses”" in printed
    assert "During the first year”" not in printed


def test_a_row_that_does_not_say_how_it_is_known_is_reported(sourced_programme):
    factories.ModuleFactory(programme=sourced_programme, position=3, inferred_because=None)
    printed, _ = problems_reported()
    assert "sample: modules[3].source: is missing: give the source's words or a reason" in printed


def test_quotes_without_a_source_text_to_check_them_against_are_reported(sourced_programme):
    factories.CareerFactory(programme=sourced_programme, source_quote="Data analysts")
    printed, _ = problems_reported()
    assert "sample: source_document: no source text fixtures/sources/000_sample.txt" in printed


def test_a_source_for_an_empty_fact_is_reported(sourced_programme):
    factories.FactSourceFactory(programme=sourced_programme, fact=KeyFact.CAMPUS)
    printed, _ = problems_reported()
    assert "sample: campus_source: is given, but the fact itself is empty" in printed

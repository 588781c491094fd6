"""The schema.org JSON-LD in programme pages states the stored facts, and only those."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from programs.display import jsonld
from programs.display.facts import title_fact
from programs.models import ApplicantGroup, FactSource, KeyFact, Programme, StartTerm, TuitionPeriod
from tests.support import factories

FIXTURE_SLUGS = [
    "medical-data-science",
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
]
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def page_jsonld(client, slug, language=None):
    """The JSON-LD of a programme page (in `language`, English by default), parsed as a search
    engine would."""
    with translation.override(language or "en"):
        path = reverse("programs:programme-detail", kwargs={"slug": slug})
    response = client.get(path)
    assert response.status_code == 200
    scripts = SCRIPT.findall(response.content.decode())
    assert len(scripts) == 1
    return json.loads(scripts[0])


def walk(value):
    """Every value nested anywhere in a JSON document."""
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_every_fixture_programme_has_parseable_program_jsonld(client, catalog, slug):
    data = page_jsonld(client, slug)
    programme = Programme.objects.prefetch_related("fact_sources").get(slug=slug)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EducationalOccupationalProgram"
    # A title the catalog infers (FH Salzburg's, from its page's address) is not sent as a name.
    assert data.get("name") == (None if title_fact(programme).inferred else programme.title)
    assert data["url"] == f"http://testserver/programmes/{slug}/"


@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_jsonld_never_states_null_zero_or_empty_values(client, catalog, slug):
    """An unstated fact is left out: a null or 0 would read as a fact to a search engine."""
    for value in walk(page_jsonld(client, slug)):
        assert value not in (None, 0, "", [], {})


@pytest.mark.parametrize(
    ("slug", "credits"),
    [
        ("medical-data-science", 90),
        ("data-driven-health", 120),
        ("applied-ai-in-healthcare", None),
        ("health-informatics", None),
    ],
)
def test_jsonld_credits_are_the_stored_ects_with_their_unit_or_absent(
    client, catalog, slug, credits
):
    """A bare 90 says nothing of which credits: schema.org's numberOfCredits takes a
    StructuredValue, and a QuantitativeValue (one) carries the unit."""
    expected = credits and {"@type": "QuantitativeValue", "value": credits, "unitText": "ECTS"}
    assert page_jsonld(client, slug).get("numberOfCredits") == expected


@pytest.mark.parametrize(
    ("slug", "languages"),
    [
        ("medical-data-science", ["de", "en"]),
        ("data-driven-health", ["en"]),
        ("health-informatics", ["en"]),
        ("applied-ai-in-healthcare", None),
    ],
)
def test_jsonld_languages_are_the_stored_teaching_languages(client, catalog, slug, languages):
    assert page_jsonld(client, slug).get("inLanguage") == languages


@pytest.mark.parametrize(
    ("slug", "providers"),
    [
        ("medical-data-science", ["RWTH Aachen University"]),
        ("data-driven-health", ["KTH Royal Institute of Technology"]),
        ("health-informatics", ["Vita-Salute San Raffaele University", "Politecnico di Milano"]),
    ],
)
def test_jsonld_providers_are_every_offering_university(client, catalog, slug, providers):
    provider = page_jsonld(client, slug)["provider"]
    assert [university["name"] for university in provider] == providers
    assert {university["@type"] for university in provider} == {"CollegeOrUniversity"}


def test_jsonld_leaves_out_facts_the_catalog_only_infers(client, catalog):
    """FH Salzburg's text never names its institution, level or period: the catalog infers them
    from the page's address and plan, and search engines are not told inferences as facts."""
    data = page_jsonld(client, "applied-ai-in-healthcare")
    assert "provider" not in data
    assert "educationalLevel" not in data
    assert "timeToComplete" not in data
    # Stated facts of the same kind stay in for the others.
    assert page_jsonld(client, "medical-data-science")["educationalLevel"] == "Master"


@pytest.mark.django_db
def test_jsonld_provider_has_no_address_the_source_does_not_state(client):
    """Where a university is comes from the catalog's records, never from the programme's text:
    a country or city in the JSON-LD would be an inference sent as a fact."""
    programme = factories.ProgrammeFactory(slug="abroad")
    university = factories.UniversityFactory(
        name="Somewhere University", country="AT", city="Salzburg"
    )
    factories.ProgrammeUniversityFactory(programme=programme, university=university)
    FactSource.objects.create(programme=programme, fact=KeyFact.UNIVERSITIES, source_quote="Q")
    (provider,) = page_jsonld(client, "abroad")["provider"]
    assert provider == {"@type": "CollegeOrUniversity", "name": "Somewhere University"}


def test_jsonld_time_to_complete_uses_the_sources_unit(client, catalog):
    assert page_jsonld(client, "medical-data-science")["timeToComplete"] == "P24M"  # "4 semesters"


@pytest.mark.parametrize("slug", ["data-driven-health", "health-informatics"])
def test_jsonld_leaves_out_a_period_the_catalog_counts_itself(client, catalog, slug):
    """ "Two years" counted as four semesters is the catalog's inference, and JSON-LD has no
    room to say so: it states no period rather than an unmarked one."""
    assert "timeToComplete" not in page_jsonld(client, slug)


def test_jsonld_states_degree_mode_prerequisites_and_courses(client, catalog):
    data = page_jsonld(client, "medical-data-science")
    assert data["educationalCredentialAwarded"] == "Master of Science"
    assert data["educationalProgramMode"] == ["part-time", "blended"]
    degree, experience, language = data["programPrerequisites"]
    assert degree["@type"] == "EducationalOccupationalCredential"
    assert "first university degree" in degree["description"]
    assert "professional experience" in experience
    assert "Proficiency in German and English" in language
    # Its internship and thesis are not courses, and it names no course.
    assert "hasCourse" not in data


@pytest.mark.parametrize(
    ("slug", "courses"),
    [
        ("medical-data-science", None),
        ("applied-ai-in-healthcare", None),
        (
            "data-driven-health",
            [
                "Statistics",
                "Machine Learning",
                "Databases and Warehouses",
                "Ethics and Socio-Cultural Perspectives on Technology",
            ],
        ),
        (
            "health-informatics",
            [
                "Software Systems Design and Operations",
                "Biology, Genetics, Anatomy, and Physiology",
            ],
        ),
    ],
)
def test_jsonld_courses_are_only_real_courses(client, catalog, slug, courses):
    """Audit item 2: focus-area bullets, internships and theses are not schema.org Courses."""
    data = page_jsonld(client, slug)
    assert ([course["name"] for course in data.get("hasCourse", [])] or None) == courses
    text = json.dumps(data.get("hasCourse", []))
    not_courses = ("Working with real healthcare data", "Internship", "Master's", "Thesis project")
    for not_a_course in not_courses:
        assert not_a_course not in text


def test_jsonld_occupational_categories_are_the_stated_roles(client, catalog):
    roles = page_jsonld(client, "health-informatics")["occupationalCategory"]
    assert "Health Informatics consultants" in roles
    assert "Chief Information Officers" in roles
    # Employers and sectors are not occupations.
    assert "Consultancy firms" not in roles


def test_jsonld_leaves_out_unstated_degree_and_mode(client, catalog):
    data = page_jsonld(client, "applied-ai-in-healthcare")
    assert "educationalCredentialAwarded" not in data
    assert "educationalProgramMode" not in data
    assert "programPrerequisites" not in data


@pytest.mark.django_db
def test_jsonld_course_credits_are_json_numbers_with_their_unit(client):
    programme = factories.ProgrammeFactory(slug="credits")
    for position, (title, ects) in enumerate(
        [("Whole", Decimal("6.0")), ("Half", Decimal("7.5")), ("Unknown", None)]
    ):
        factories.ModuleFactory(
            programme=programme,
            title=title,
            ects=ects,
            position=position,
            source_quote=title,
            inferred_because=None,
        )
    # A module the source does not state (no quote) is not sent.
    factories.ModuleFactory(programme=programme, title="Guessed", inferred_because="A guess.")
    courses = page_jsonld(client, "credits")["hasCourse"]
    ects = {"@type": "QuantitativeValue", "unitText": "ECTS"}
    assert courses == [
        {"@type": "Course", "name": "Whole", "numberOfCredits": {**ects, "value": 6}},
        {"@type": "Course", "name": "Half", "numberOfCredits": {**ects, "value": 7.5}},
        {"@type": "Course", "name": "Unknown"},
    ]


@pytest.mark.django_db
def test_jsonld_text_cannot_close_the_script_element(client):
    factories.ProgrammeFactory(
        slug="tricky", title="Health </script><script>alert(1)</script> & Co"
    )
    response = client.get(reverse("programs:programme-detail", kwargs={"slug": "tricky"}))
    html = response.content.decode()
    assert "</script><script>alert(1)" not in html
    assert page_jsonld(client, "tricky")["name"] == "Health </script><script>alert(1)</script> & Co"


def test_script_tag_escapes_like_json_script():
    tag = jsonld.script_tag({"name": "<b>&</b>"})
    assert tag == (
        '<script type="application/ld+json">{"name": "\\u003Cb\\u003E\\u0026\\u003C/b\\u003E"}'
        "</script>"
    )


@pytest.mark.parametrize(
    ("as_stated", "semesters", "duration"),
    [
        ("two years", 4, "P2Y"),
        ("2 years", None, "P2Y"),
        ("one year", 2, "P1Y"),
        ("4 semesters", 4, "P24M"),
        ("3 Semesters", None, "P18M"),
        (None, 4, "P24M"),
        ("about as long as it takes", 3, "P18M"),
        ("about as long as it takes", None, None),
        (None, None, None),
    ],
)
def test_time_to_complete_keeps_years_and_turns_semesters_into_months(
    as_stated, semesters, duration
):
    programme = Programme(duration_as_stated=as_stated, duration_semesters=semesters)
    assert jsonld.time_to_complete(programme) == duration


def stated_row(factory, programme, **values):
    """A deadline or fee row the (made-up) source states in its own words."""
    return factory(programme=programme, source_quote="As quoted.", inferred_because=None, **values)


@pytest.fixture
def deadlines_and_fees(programme_factory):
    """A programme whose source states a deadline per applicant group for one intake, and a
    fee per group and period (EU/EEA applicants pay nothing: a stated 0, not a missing fee)."""
    programme = programme_factory(slug="deadlines-and-fees")
    deadline = factories.ApplicationDeadlineFactory
    stated_row(
        deadline,
        programme,
        intake=StartTerm.WINTER,
        intake_year=2027,
        applicant_group=ApplicantGroup.EU,
        deadline=datetime.date(2027, 7, 15),
        position=0,
    )
    stated_row(
        deadline,
        programme,
        intake=StartTerm.WINTER,
        intake_year=2027,
        applicant_group=ApplicantGroup.NON_EU,
        deadline=datetime.date(2027, 1, 15),
        position=1,
    )
    fee = factories.TuitionFactory
    stated_row(
        fee,
        programme,
        amount=Decimal("1500"),
        period=TuitionPeriod.SEMESTER,
        applicant_group=ApplicantGroup.NON_EU,
        position=0,
    )
    stated_row(
        fee,
        programme,
        amount=Decimal("0"),
        period=TuitionPeriod.SEMESTER,
        applicant_group=ApplicantGroup.EU,
        position=1,
    )
    stated_row(
        fee,
        programme,
        amount=Decimal("12500.50"),
        currency="SEK",
        period=TuitionPeriod.YEAR,
        position=2,
    )
    stated_row(
        fee,
        programme,
        amount=Decimal("9000"),
        period=TuitionPeriod.PROGRAMME,
        applicant_group=ApplicantGroup.NON_EU,
        position=3,
    )
    return programme


def test_jsonld_application_deadline_is_the_earliest_stated_one(client, deadlines_and_fees):
    """One applicationDeadline per programme: the earliest, so no applicant who takes it as
    theirs misses their own (Non-EU/EEA applicants' 15 January, not EU/EEA's 15 July)."""
    data = page_jsonld(client, "deadlines-and-fees")
    assert data["applicationDeadline"] == "2027-01-15"
    # The year studies start, as that intake states it; no day is stated, so none is made up.
    assert data["startDate"] == "2027"


def test_jsonld_every_stated_deadline_is_an_offer_with_its_group_and_intake(
    client, deadlines_and_fees
):
    offers = page_jsonld(client, "deadlines-and-fees")["offers"]
    deadlines = [offer for offer in offers if "availabilityEnds" in offer]
    assert deadlines == [
        {
            "@type": "Offer",
            "category": "EU/EEA applicants",
            "description": "Winter semester 2027 intake",
            "availabilityEnds": "2027-07-15",
        },
        {
            "@type": "Offer",
            "category": "Non-EU/EEA applicants",
            "description": "Winter semester 2027 intake",
            "availabilityEnds": "2027-01-15",
        },
    ]


def test_jsonld_fees_are_offers_with_price_currency_period_and_group(client, deadlines_and_fees):
    offers = page_jsonld(client, "deadlines-and-fees")["offers"]
    fees = [offer for offer in offers if "price" in offer]
    per_semester = {"@type": "QuantitativeValue", "value": 1, "unitText": "semester"}
    per_year = {"@type": "QuantitativeValue", "value": 1, "unitCode": "ANN", "unitText": "year"}
    assert fees == [
        {
            "@type": "Offer",
            "category": "Non-EU/EEA applicants",
            "price": 1500,
            "priceCurrency": "EUR",
            "priceSpecification": {
                "@type": "UnitPriceSpecification",
                "price": 1500,
                "priceCurrency": "EUR",
                "referenceQuantity": per_semester,
            },
        },
        {
            "@type": "Offer",
            "category": "EU/EEA applicants",
            "price": 0,
            "priceCurrency": "EUR",
            "priceSpecification": {
                "@type": "UnitPriceSpecification",
                "price": 0,
                "priceCurrency": "EUR",
                "referenceQuantity": per_semester,
            },
        },
        # A fee for all applicants names no group; its currency is its own, never converted.
        {
            "@type": "Offer",
            "price": 12500.5,
            "priceCurrency": "SEK",
            "priceSpecification": {
                "@type": "UnitPriceSpecification",
                "price": 12500.5,
                "priceCurrency": "SEK",
                "referenceQuantity": per_year,
            },
        },
        # For the whole programme: the price of the programme itself, per nothing.
        {
            "@type": "Offer",
            "category": "Non-EU/EEA applicants",
            "price": 9000,
            "priceCurrency": "EUR",
            "priceSpecification": {
                "@type": "PriceSpecification",
                "price": 9000,
                "priceCurrency": "EUR",
            },
        },
    ]


def test_jsonld_is_the_same_in_every_page_language(client, deadlines_and_fees):
    """Group and intake are in the language of the programme's texts on every page (a German
    page's JSON-LD does not say "Nicht-EU/EWR"), as the rest of the data is."""
    english = page_jsonld(client, "deadlines-and-fees")
    for language in ("de", "it", "sv"):
        data = page_jsonld(client, "deadlines-and-fees", language)
        assert data["url"] == f"http://testserver/{language}/programmes/deadlines-and-fees/"
        assert {**data, "url": english["url"]} == english


@pytest.mark.django_db
def test_jsonld_leaves_out_deadlines_and_fees_the_source_does_not_state(client):
    """A made-up (inferred) deadline or fee, or one whose source is not recorded, is never
    sent: no offers, no applicationDeadline, no startDate."""
    programme = factories.ProgrammeFactory(slug="guessed")
    factories.ApplicationDeadlineFactory(programme=programme, intake_year=2027)
    factories.TuitionFactory(programme=programme)
    factories.TuitionFactory(
        programme=programme, amount=Decimal("10"), source_quote=None, inferred_because=None
    )
    data = page_jsonld(client, "guessed")
    for name in ("offers", "applicationDeadline", "startDate"):
        assert name not in data


@pytest.mark.django_db
def test_jsonld_start_date_needs_a_stated_year(client):
    """A deadline whose intake names a term but no year says no date studies start."""
    programme = factories.ProgrammeFactory(slug="no-year", start_term=StartTerm.WINTER)
    stated_row(factories.ApplicationDeadlineFactory, programme, intake=StartTerm.WINTER)
    data = page_jsonld(client, "no-year")
    assert data["applicationDeadline"] == "2027-01-15"
    assert "startDate" not in data


@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_jsonld_of_the_four_programmes_has_no_deadline_fee_or_start(client, catalog, slug):
    """None of the four source texts states a deadline, a fee or a start date."""
    data = page_jsonld(client, slug)
    for name in ("offers", "applicationDeadline", "startDate"):
        assert name not in data


def test_deadlines_and_fees_in_the_jsonld_cost_no_query(
    client, deadlines_and_fees, django_assert_num_queries
):
    """They come with the programme's own query (its short lists as JSON), as the page's key
    facts read them: the detail page keeps the count tests/web/test_query_counts.py pins."""
    with django_assert_num_queries(8):
        assert page_jsonld(client, "deadlines-and-fees")["offers"]

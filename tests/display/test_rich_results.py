"""Google's rules for EducationalOccupationalProgram markup hold on every programme page.

Where the rules come from: Google Search Central, "Job training (BETA)" structured data,
https://developers.google.com/search/docs/appearance/structured-data/job-training (read through
the search tool's stored copy of the page, and a validator's copy of its property table,
https://seochecker.it/en/structured-data-validator). The page asks to "Add the required
properties" and to "Validate your code using the Rich Results Test"; its guidelines make a page
eligible only when it "includes all required structured data properties". Its property table
for the program reads, in order:

- name: "The name of the program."; description: "The description of the program."
- identifier: "Programs are required to specify two types of identifiers: CIP2010 - The 6 digit
  CIP code, as published in the 2010 specification from the US Department of Education. and
  ProgramID - A unique program identifier, as used by the institution".
- provider: "The educational organization providing the program", with its address ("The
  address of the main campus") and contactPoint ("The main admissions telephone number").
- timeToComplete: "The time it takes for a full-time student to complete the program in weeks,
  months, or years, expressed in ISO-8601 format".
- occupationalCategory: "The occupation towards which training program attendees will be
  working. If the program trains attendees for multiple occupations, specify multiple values
  in an array."
- occupationalCredentialAwarded: "The credential provided upon completion of the program. For
  example: Associate's Degree, Certificate."
- then the dates (applicationStartDate, applicationDeadline, startDate, endDate), the cost
  (offers), the mode, the credits, the prerequisites and the schedule (termsPerYear,
  termDuration, timeOfDay, dayOfWeek, maximumEnrollment, financialAidEligible,
  salaryUponCompletion), which we read as the recommended ones.

The feature is BETA, "limited to job training providers in the US", and only for programmes that
"lead to occupations that require less than a bachelor's degree": a European master's programme
will not be shown in it. The rules are held anyway, because they are the nearest thing Google
documents to "a complete EducationalOccupationalProgram", and any reader of the markup gains.

The catalog's rule comes first: a fact the source does not state is never sent, whatever Google
requires. So "required" here means: sent, and well-formed, whenever the stored data states it,
and absent when it does not; what the test expects is read from the stored rows and their
sources, never written into the test. A few required properties are never sent, on purpose:

- identifier: CIP 2010 is a US classification no source gives, and no source states the
  institution's own programme code.
- provider address and contactPoint: where a university is, is the catalog's inference (see
  programs/display/jsonld.py), and no source gives an admissions telephone number.
- occupationalCategory is sent as the roles the source names, in its words (no O*NET code: the
  mapping would be ours).
- occupationalCredentialAwarded: the degree a programme awards is an educational credential,
  sent as schema.org's educationalCredentialAwarded, which Google's table lists too.
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from programs.models import (
    ApplicantGroup,
    CareerKind,
    Delivery,
    FactSource,
    KeyFact,
    Programme,
    RequirementKind,
    StartTerm,
    StudyMode,
    TuitionPeriod,
)
from tests.support import factories

FIXTURE_SLUGS = [
    "medical-data-science",
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
]
LANGUAGES = ["en", "de", "it", "sv"]
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
# schema.org's own labels for educationalProgramMode ("online", "onsite", "blended";
# "full-time", "part-time").
PROGRAM_MODES = {"online", "onsite", "blended", "full-time", "part-time"}
# Properties in Google's table the catalog stores nothing for, or can't send honestly (see
# the module's docstring): never in the markup.
NEVER_SENT = {
    "identifier",
    "occupationalCredentialAwarded",
    "applicationStartDate",
    "endDate",
    "termsPerYear",
    "termDuration",
    "typicalCreditsPerTerm",
    "timeOfDay",
    "dayOfWeek",
    "maximumEnrollment",
    "financialAidEligible",
    "salaryUponCompletion",
}


def page_jsonld(client, slug, language):
    """The JSON-LD of a programme's page in `language`, parsed as a search engine would."""
    with translation.override(language):
        path = reverse("programs:programme-detail", kwargs={"slug": slug})
    response = client.get(path)
    assert response.status_code == 200
    (script,) = SCRIPT.findall(response.content.decode())
    return json.loads(script)


class Stored:
    """What the database says of one programme, read from its rows and their sources alone."""

    def __init__(self, slug):
        self.programme = Programme.objects.prefetch_related(
            "fact_sources",
            "offerings__university",
            "careers",
            "admission_requirements",
            "application_deadlines",
            "tuition_fees",
        ).get(slug=slug)
        self.sources = {source.fact: source for source in self.programme.fact_sources.all()}

    def stated(self, fact):
        """Whether the source states `fact` in its own words: quoted, nothing inferred."""
        source = self.sources.get(fact)
        return source is not None and bool(source.source_quote) and not source.inferred_because

    def inferred(self, fact):
        source = self.sources.get(fact)
        return source is not None and bool(source.inferred_because)

    @staticmethod
    def quoted(rows):
        """The rows stated in the source's own words."""
        return [row for row in rows if row.source_quote and not row.inferred_because]

    @property
    def deadlines(self):
        return self.quoted(self.programme.application_deadlines.all())

    @property
    def fees(self):
        return self.quoted(self.programme.tuition_fees.all())


def check_required(data, stored):
    """Google's required properties: present and well-formed when stated, else absent."""
    programme = stored.programme
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EducationalOccupationalProgram"
    assert data["url"].startswith("http") and data["url"].endswith(f"/programmes/{programme.slug}/")

    # The name, unless the catalog infers the title (a source that never names its programme).
    if stored.inferred(KeyFact.TITLE):
        assert "name" not in data
    else:
        assert data["name"] == programme.title

    description = programme.summary or programme.description
    assert data.get("description") == (description or None)

    universities = [offering.university for offering in programme.offerings.all()]
    if universities and stored.stated(KeyFact.UNIVERSITIES):
        assert [provider["name"] for provider in data["provider"]] == [u.name for u in universities]
        for provider in data["provider"]:
            assert provider["@type"] in {"CollegeOrUniversity", "EducationalOrganization"}
            assert "address" not in provider and "contactPoint" not in provider
    else:
        assert "provider" not in data

    has_duration = programme.duration_semesters or programme.duration_as_stated
    if has_duration and stored.stated(KeyFact.DURATION):
        assert ISO_DURATION.match(data["timeToComplete"]), data["timeToComplete"]
    else:
        assert "timeToComplete" not in data

    roles = [
        career.text
        for career in stored.quoted(programme.careers.all())
        if career.kind == CareerKind.ROLE
    ]
    assert data.get("occupationalCategory") == (roles or None)
    assert all(isinstance(role, str) and role for role in roles)


def check_recommended(data, stored):
    """Google's recommended properties: present and well-formed when stated, else absent."""
    programme = stored.programme

    deadlines = stored.deadlines
    if deadlines:
        earliest = min(deadlines, key=lambda row: row.deadline)
        assert data["applicationDeadline"] == earliest.deadline.isoformat()
        assert ISO_DATE.match(data["applicationDeadline"])
        if earliest.intake_year:
            assert data["startDate"] == str(earliest.intake_year)
        else:
            assert "startDate" not in data
    else:
        assert "applicationDeadline" not in data
        assert "startDate" not in data

    offers = data.get("offers", [])
    assert len(offers) == len(stored.fees) + len(deadlines)
    for offer in offers:
        assert offer["@type"] == "Offer"
        if "price" in offer:
            check_fee_offer(offer)
        else:
            assert ISO_DATE.match(offer["availabilityEnds"])
    assert sorted(o["price"] for o in offers if "price" in o) == sorted(
        float(fee.amount) for fee in stored.fees
    )

    if programme.degree and stored.stated(KeyFact.DEGREE):
        assert data["educationalCredentialAwarded"] == programme.degree
    else:
        assert "educationalCredentialAwarded" not in data

    modes = []
    if programme.study_mode and stored.stated(KeyFact.STUDY_MODE):
        modes.append(programme.study_mode)
    if programme.delivery and stored.stated(KeyFact.DELIVERY):
        modes.append(programme.delivery)
    assert len(data.get("educationalProgramMode", [])) == len(modes)
    assert set(data.get("educationalProgramMode", [])) <= PROGRAM_MODES

    if programme.ects is not None and stored.stated(KeyFact.ECTS):
        assert data["numberOfCredits"] == {
            "@type": "QuantitativeValue",
            "value": programme.ects,
            "unitText": "ECTS",
        }
    else:
        assert "numberOfCredits" not in data

    requirements = stored.quoted(programme.admission_requirements.all())
    assert len(data.get("programPrerequisites", [])) == len(requirements)

    assert not NEVER_SENT & data.keys()


def check_fee_offer(offer):
    assert isinstance(offer["price"], int | float) and offer["price"] >= 0
    assert CURRENCY.match(offer["priceCurrency"])
    specification = offer["priceSpecification"]
    assert specification["price"] == offer["price"]
    assert specification["priceCurrency"] == offer["priceCurrency"]
    if specification["@type"] == "UnitPriceSpecification":
        assert specification["referenceQuantity"]["value"] == 1
        assert specification["referenceQuantity"]["unitText"] in {"semester", "year"}
    else:
        # A fee for the whole programme: the price of the programme itself, per nothing.
        assert specification["@type"] == "PriceSpecification"
        assert "referenceQuantity" not in specification


@pytest.fixture
def fully_stated(db):
    """A programme whose (made-up) source states every fact Google asks for that the catalog
    keeps, so the rules are checked on deadlines, fees, roles and requirements too, which
    none of the four real sources states."""
    university = factories.UniversityFactory(name="Stated University")
    programme = factories.ProgrammeFactory(
        slug="fully-stated",
        title="Fully Stated",
        summary="A programme whose source states everything.",
        degree="Master of Science",
        ects=120,
        duration_semesters=4,
        duration_as_stated="4 semesters",
        study_mode=StudyMode.FULL_TIME,
        delivery=Delivery.ON_CAMPUS,
        start_term=StartTerm.WINTER,
        universities=[university],
    )
    for fact in KeyFact:
        FactSource.objects.create(programme=programme, fact=fact, source_quote=f"{fact.label}.")
    quote = {"source_quote": "As quoted.", "inferred_because": None}
    factories.ApplicationDeadlineFactory(
        programme=programme,
        intake=StartTerm.WINTER,
        intake_year=2027,
        applicant_group=ApplicantGroup.NON_EU,
        deadline=datetime.date(2027, 1, 15),
        **quote,
    )
    factories.ApplicationDeadlineFactory(
        programme=programme,
        intake=StartTerm.WINTER,
        intake_year=2027,
        applicant_group=ApplicantGroup.EU,
        deadline=datetime.date(2027, 7, 15),
        **quote,
    )
    factories.TuitionFactory(programme=programme, amount=Decimal("1500"), **quote)
    factories.TuitionFactory(
        programme=programme,
        amount=Decimal("0"),
        applicant_group=ApplicantGroup.EU,
        period=TuitionPeriod.YEAR,
        **quote,
    )
    factories.TuitionFactory(
        programme=programme, amount=Decimal("30000"), period=TuitionPeriod.PROGRAMME, **quote
    )
    # Made up: never sent, and the rules expect it absent.
    factories.TuitionFactory(programme=programme, amount=Decimal("99"))
    factories.CareerFactory(programme=programme, kind=CareerKind.ROLE, text="Data steward", **quote)
    factories.CareerFactory(programme=programme, kind=CareerKind.SECTOR, text="Hospitals", **quote)
    factories.AdmissionRequirementFactory(
        programme=programme, kind=RequirementKind.DEGREE, text="A bachelor's degree.", **quote
    )
    return programme


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_every_programme_page_meets_googles_rules_for_what_it_states(
    client, catalog, slug, language
):
    data = page_jsonld(client, slug, language)
    stored = Stored(slug)
    check_required(data, stored)
    check_recommended(data, stored)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_programme_stating_everything_sends_every_property_google_asks_for(
    client, fully_stated, language
):
    data = page_jsonld(client, "fully-stated", language)
    stored = Stored("fully-stated")
    check_required(data, stored)
    check_recommended(data, stored)
    # Everything the catalog can send is sent: the rules' "absent" branches are not what held.
    for name in (
        "name",
        "description",
        "provider",
        "timeToComplete",
        "occupationalCategory",
        "applicationDeadline",
        "startDate",
        "offers",
        "educationalCredentialAwarded",
        "educationalProgramMode",
        "numberOfCredits",
        "programPrerequisites",
    ):
        assert name in data, name
    assert len(data["offers"]) == 5  # three stated fees and two deadlines; the made-up fee not


def test_the_rules_notice_a_fact_sent_that_the_source_does_not_state(client, fully_stated):
    """The checks read the sources: once the fees' quotes are gone, a page still sending them
    would fail; the page leaves them out, and the checks agree."""
    fully_stated.tuition_fees.update(source_quote=None)
    data = page_jsonld(client, "fully-stated", "en")
    stored = Stored("fully-stated")
    assert all("price" not in offer for offer in data["offers"])
    check_recommended(data, stored)
    with pytest.raises(AssertionError):
        check_recommended({**data, "offers": [*data["offers"], _a_fee()]}, stored)


def _a_fee():
    return {
        "@type": "Offer",
        "price": 1500,
        "priceCurrency": "EUR",
        "priceSpecification": {
            "@type": "PriceSpecification",
            "price": 1500,
            "priceCurrency": "EUR",
        },
    }

"""schema.org JSON-LD for the public pages, one function per schema.org type.

Nothing inferred is sent, and nothing unstated: search engines read every value as a fact. Which
facts are sent is decided by the programme's key facts (`programs.display.facts.key_facts` and
`title_fact`), the same answer to "how is this known" that every other output gives: a fact goes
in when it is stated in the source's own words (stated, with its quote recorded), and is left
out, never sent as null, zero or an empty list, when it is inferred, not stated, or its source is
not recorded. Parts (modules, requirements, careers) that are not quoted from the source are left
out too. Only real courses are Courses: a focus area, an internship or a thesis is not one.

- The programme's name is left out when the catalog infers it (FH Salzburg's text never names
  its programme: the title comes from the page's address). The page's `url` still identifies
  it, and a name a search engine shows as the programme's own should be one the source gives.
  A title whose source is not recorded is sent: the title is what the record is named by, and
  only an inference is marked for it.
- A university's address is never sent: the source texts don't say where a university is (its
  country and city are the catalog's inference, `University.location_source` says from where),
  so `addressCountry` ("AT") and `addressLocality` ("Milan") would be inferences sent as facts.
- `numberOfCredits` carries its unit: a QuantitativeValue (a StructuredValue, which the property
  takes) of value and unitText "ECTS", as a bare number says nothing of which credits.
- A stated approval status ("under ministerial approval") is sent as `disambiguatingDescription`
  ("Approval status: under ministerial approval"): schema.org has no status property for a
  programme, `additionalProperty` is not one of EducationalOccupationalProgram's, and this
  Thing property, a short text telling the programme apart from similar ones, is.

Application deadlines and tuition fees are rows of their own, each for one group of applicants
(and a deadline for one intake), sent only when the row is stated in the source's words:

- Every stated fee is an `offers` Offer: its amount as `price` with `priceCurrency`, and a
  `priceSpecification` saying what the amount is for: a UnitPriceSpecification whose
  `referenceQuantity` is one semester or one year, or a plain PriceSpecification for a fee
  for the whole programme (the price of the programme itself). Whom it is for goes in the
  Offer's `category` ("Non-EU/EEA applicants"): schema.org's `eligibleCustomerType` only
  takes business entity types (business, end user, reseller), and `eligibleRegion` would say
  where the offer is valid, not whose citizens it is for. A fee for all applicants has no
  category: the source tells no group apart.
- Every stated deadline is an Offer too, whose `availabilityEnds` is the last day to apply,
  with its group as `category` and its intake as `description` ("Winter semester 2027
  intake"), so no deadline loses whom it is for.
- schema.org has one `applicationDeadline` per programme ("for the next enrollment cycle").
  It is the earliest stated deadline: a reader who takes the one date as theirs can't miss
  their own, where a later one would tell some applicants they have months they do not.
  It is not "the earliest still to come": the page is kept under the catalog revision, not
  the day, so a choice by today's date would go stale in the cache, and the page itself
  lists every stated deadline, past or not.
- `startDate` is the year studies start, when the row of that deadline states it ("2027",
  an ISO 8601 date to the year): the source gives a term and a year, never a day, and a
  first day of October would be the catalog's guess. A start term with no year (the
  programme's "winter semester") is no date at all and is not sent.

Durations (`timeToComplete`) are ISO 8601. When the source states the period in years ("two
years") it is given in years ("P2Y"). A semester is not an ISO 8601 unit, so a period stated in
semesters is given in months at six months a semester ("4 semesters" is "P24M"): that keeps the
source's count exact without claiming a calendar length in years it does not state.
"""

import json
import re
from decimal import Decimal

from django.utils import translation
from django.utils.safestring import mark_safe

from programs.display.facts import applicant_group_text, intake_text, key_facts, title_fact
from programs.models import (
    TEXT_LANGUAGE,
    CareerKind,
    Delivery,
    ModuleKind,
    Provenance,
    RequirementKind,
    TuitionPeriod,
)

SCHEMA_CONTEXT = "https://schema.org"

# The kinds of module that are courses a student takes; focus areas (topics of a semester),
# internships and theses are not schema.org Courses.
COURSE_KINDS = {
    ModuleKind.COMPULSORY,
    ModuleKind.ELECTIVE,
    ModuleKind.ALTERNATIVE,
    ModuleKind.PROJECT,
}

# schema.org's courseMode/educationalProgramMode examples use "onsite" for teaching on campus.
_DELIVERY_MODES = {
    Delivery.ON_CAMPUS: "onsite",
    Delivery.BLENDED: "blended",
    Delivery.ONLINE: "online",
}

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_STATED_PERIOD = re.compile(
    r"^\s*(?P<count>\d+|" + "|".join(_NUMBER_WORDS) + r")[\s-]+(?P<unit>years?|semesters?)\b",
    re.IGNORECASE,
)

# The characters Django's json_script escapes, so the JSON can't close the <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _compact(data):
    """Drop keys whose value is unknown (None) or empty, so nothing unstated is emitted."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _number(value):
    """A decimal as a JSON number: an integer when whole (90, not 90.0)."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def credits(value):
    """ECTS credits as schema.org's numberOfCredits: the number with its unit, or None."""
    if value is None:
        return None
    return {"@type": "QuantitativeValue", "value": _number(value), "unitText": "ECTS"}


def is_sent(fact):
    """Whether a fact goes into the JSON-LD: stated in the source's own words (a quote recorded,
    nothing inferred)."""
    return fact.provenance == Provenance.STATED and bool(fact.source_quote)


def time_to_complete(programme):
    """The standard period as an ISO 8601 duration in the source's own unit, or None."""
    match = _STATED_PERIOD.match(programme.duration_as_stated or "")
    if match:
        count = match["count"].lower()
        count = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        if count > 0:
            if match["unit"].lower().startswith("year"):
                return f"P{count}Y"
            return f"P{count * 6}M"
    if programme.duration_semesters:
        return f"P{programme.duration_semesters * 6}M"
    return None


def college_or_university(university):
    """schema.org CollegeOrUniversity for a university, without its address: where a university
    is, is the catalog's inference, never the source's words (see the module's docstring)."""
    return _compact(
        {
            "@type": "CollegeOrUniversity",
            "name": university.name,
            "alternateName": university.short_name,
            "url": university.website,
        }
    )


def course(module):
    """schema.org Course for one module of a programme."""
    return _compact(
        {
            "@type": "Course",
            "name": module.title,
            "description": module.description,
            "numberOfCredits": credits(module.ects),
        }
    )


# What one amount of a fee pays for, as schema.org's referenceQuantity; a fee for the whole
# programme has none (it is the price of the programme itself). ANN is UN/CEFACT's code for a
# year; a semester has no code, and six months would claim a length the source doesn't state.
_FEE_PERIODS = {
    TuitionPeriod.SEMESTER: {"@type": "QuantitativeValue", "value": 1, "unitText": "semester"},
    TuitionPeriod.YEAR: {
        "@type": "QuantitativeValue",
        "value": 1,
        "unitCode": "ANN",
        "unitText": "year",
    },
}


def fee_offer(fee):
    """schema.org Offer for one tuition fee: amount, currency, per what, and whom it is for."""
    price = _number(fee.amount)
    per = _FEE_PERIODS.get(fee.period)
    return _compact(
        {
            "@type": "Offer",
            "category": applicant_group_text(fee),
            # A stated fee of 0 (free for EU/EEA applicants) is a fact, and is sent.
            "price": price,
            "priceCurrency": fee.currency,
            "priceSpecification": _compact(
                {
                    "@type": "UnitPriceSpecification" if per else "PriceSpecification",
                    "price": price,
                    "priceCurrency": fee.currency,
                    "referenceQuantity": per,
                }
            ),
        }
    )


def deadline_offer(deadline):
    """schema.org Offer for one application deadline: the last day to apply, whom it is for
    and for which intake."""
    return _compact(
        {
            "@type": "Offer",
            "category": applicant_group_text(deadline),
            "description": intake_text(deadline),
            "availabilityEnds": deadline.deadline.isoformat(),
        }
    )


def next_deadline(deadlines):
    """The stated deadline sent as the programme's one applicationDeadline: the earliest (see
    the module's docstring), or None."""
    return min(deadlines, key=lambda row: row.deadline, default=None)


def prerequisite(requirement):
    """A programme prerequisite: a degree as a credential, anything else as its text."""
    if requirement.kind == RequirementKind.DEGREE:
        return {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "degree",
            "description": requirement.text,
        }
    return requirement.text


@translation.override(TEXT_LANGUAGE)
def educational_occupational_program(programme, url):
    """schema.org EducationalOccupationalProgram for a programme whose page is at `url`.

    Needs the relations `with_detail_data()` loads. The same data on the page in every language:
    in the language of the programme's own texts, which it mostly quotes.
    """
    facts = {fact.key: fact for fact in key_facts(programme)}
    title = title_fact(programme)

    def stated(key, value):
        """`value` when the fact `key` is sent (stated in the source's words), else None."""
        return value if is_sent(facts[key]) else None

    modes = [
        stated("study_mode", programme.study_mode),
        stated("delivery", _DELIVERY_MODES.get(programme.delivery)),
    ]
    approval = facts["approval_status"]
    # A retired programme keeps its page but offers no place to apply for: no offers, no
    # deadline, no start.
    retired = programme.retired
    deadlines = [
        row for row in programme.application_deadlines.all() if row.is_stated and not retired
    ]
    fees = [row for row in programme.tuition_fees.all() if row.is_stated and not retired]
    first = next_deadline(deadlines)
    return _compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "EducationalOccupationalProgram",
            "name": None if title.inferred else title.text,
            "description": programme.summary or programme.description,
            "url": url,
            "provider": stated(
                "universities",
                [college_or_university(o.university) for o in programme.offerings.all()],
            ),
            "educationalCredentialAwarded": stated("degree", facts["degree"].text),
            "educationalLevel": stated("level", facts["level"].text),
            "numberOfCredits": stated("ects", credits(programme.ects)),
            "timeToComplete": stated("duration", time_to_complete(programme)),
            "inLanguage": stated(
                "languages", [language.code for language in programme.languages.all()]
            ),
            "educationalProgramMode": [mode for mode in modes if mode],
            "applicationDeadline": first and first.deadline.isoformat(),
            "startDate": first and first.intake_year and str(first.intake_year),
            "offers": [fee_offer(fee) for fee in fees]
            + [deadline_offer(deadline) for deadline in deadlines],
            "disambiguatingDescription": stated(
                "approval_status", f"{approval.label}: {approval.text}"
            ),
            "programPrerequisites": [
                prerequisite(requirement)
                for requirement in programme.admission_requirements.all()
                if requirement.is_stated
            ],
            "hasCourse": [
                course(module)
                for module in programme.modules.all()
                if module.kind in COURSE_KINDS and module.is_stated
            ],
            "occupationalCategory": [
                career.text
                for career in programme.careers.all()
                if career.kind == CareerKind.ROLE and career.is_stated
            ],
        }
    )


def script_tag(data):
    """`data` as a <script type="application/ld+json"> element, safe to put in HTML."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # Safe: with <, > and & escaped the text can neither close the element nor start markup.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')

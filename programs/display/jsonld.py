"""schema.org JSON-LD for the public pages, one function per schema.org type.

Only stated facts are sent: a key whose fact the source does not state is left out, never sent
as null, zero or an empty list, because search engines read a stated zero as a fact. A fact the
catalog infers (its FactSource gives a reason) or whose source is not recorded is left out too,
as are parts (modules, requirements, careers) that are not quoted from the source. Only real
courses are Courses: a focus area, an internship or a thesis is not one.

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

from programs.display.facts import fact_sources, is_stated
from programs.models import (
    TEXT_LANGUAGE,
    CareerKind,
    Delivery,
    KeyFact,
    ModuleKind,
    RequirementKind,
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


def _credits(value):
    """ECTS as a JSON number: an integer when whole (90, not 90.0)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


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


def postal_address(university):
    """schema.org PostalAddress of a university: its country and, where stored, city."""
    return _compact(
        {
            "@type": "PostalAddress",
            "addressCountry": university.country,
            "addressLocality": university.city,
        }
    )


def college_or_university(university):
    """schema.org CollegeOrUniversity for a university."""
    return _compact(
        {
            "@type": "CollegeOrUniversity",
            "name": university.name,
            "alternateName": university.short_name,
            "url": university.website,
            "address": postal_address(university),
        }
    )


def course(module):
    """schema.org Course for one module of a programme."""
    return _compact(
        {
            "@type": "Course",
            "name": module.title,
            "description": module.description,
            "numberOfCredits": _credits(module.ects),
        }
    )


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
    sources = fact_sources(programme)

    def stated(fact, value):
        return value if is_stated(sources, fact) else None

    modes = [
        stated(KeyFact.STUDY_MODE, programme.study_mode),
        stated(KeyFact.DELIVERY, _DELIVERY_MODES.get(programme.delivery)),
    ]
    return _compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "EducationalOccupationalProgram",
            "name": programme.title,
            "description": programme.summary or programme.description,
            "url": url,
            "provider": stated(
                KeyFact.UNIVERSITIES,
                [college_or_university(o.university) for o in programme.offerings.all()],
            ),
            "educationalCredentialAwarded": stated(KeyFact.DEGREE, programme.degree),
            "educationalLevel": stated(
                KeyFact.LEVEL, programme.get_level_display() if programme.level else None
            ),
            "numberOfCredits": stated(KeyFact.ECTS, _credits(programme.ects)),
            "timeToComplete": stated(KeyFact.DURATION, time_to_complete(programme)),
            "inLanguage": stated(
                KeyFact.LANGUAGES, [language.code for language in programme.languages.all()]
            ),
            "educationalProgramMode": [mode for mode in modes if mode],
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

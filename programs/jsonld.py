"""schema.org JSON-LD for the public pages, one function per schema.org type.

Only stored facts are stated: a key whose fact the source does not state is left out, never sent
as null, zero or an empty list, because search engines read a stated zero as a fact.

Durations (`timeToComplete`) are ISO 8601. When the source states the period in years ("two
years") it is given in years ("P2Y"). A semester is not an ISO 8601 unit, so a period stated in
semesters is given in months at six months a semester ("4 semesters" is "P24M"): that keeps the
source's count exact without claiming a calendar length in years it does not state.
"""

import json
import re
from decimal import Decimal

from django.utils.safestring import mark_safe

from programs.models import CareerKind, Delivery, RequirementKind

SCHEMA_CONTEXT = "https://schema.org"

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


def educational_occupational_program(programme, url):
    """schema.org EducationalOccupationalProgram for a programme whose page is at `url`.

    Needs the relations `with_detail_data()` loads.
    """
    modes = [programme.study_mode, _DELIVERY_MODES.get(programme.delivery)]
    return _compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "EducationalOccupationalProgram",
            "name": programme.title,
            "description": programme.summary or programme.description,
            "url": url,
            "provider": [
                college_or_university(offering.university) for offering in programme.offerings.all()
            ],
            "educationalCredentialAwarded": programme.degree,
            "educationalLevel": programme.get_level_display() if programme.level else None,
            "numberOfCredits": _credits(programme.ects),
            "timeToComplete": time_to_complete(programme),
            "inLanguage": [language.code for language in programme.languages.all()],
            "educationalProgramMode": [mode for mode in modes if mode],
            "programPrerequisites": [
                prerequisite(requirement) for requirement in programme.admission_requirements.all()
            ],
            "hasCourse": [course(module) for module in programme.modules.all()],
            "occupationalCategory": [
                career.text for career in programme.careers.all() if career.kind == CareerKind.ROLE
            ],
        }
    )


def script_tag(data):
    """`data` as a <script type="application/ld+json"> element, safe to put in HTML."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # Safe: with <, > and & escaped the text can neither close the element nor start markup.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')

"""A programme's intakes as OEAPI ProgrammeOfferings.

An intake is a start the source states: the intake an application deadline names (winter
semester 2027), or the programme's start of studies. The catalog knows no start or end moment of
an intake, nor when applications open, so `startDateTime`, `endDateTime` and `enrolmentPeriods`
(whose `startDateTime` is required) are left out; the deadlines, each for its group of
applicants, are in ext.applicationDeadlines. Tuition fees are the intake's priceInformation, in
their own currency and period, never converted.
"""

import uuid
from dataclasses import dataclass

from django.utils import translation

from programs.display.facts import key_facts
from programs.display.oeapi.programmes import MODES_OF_DELIVERY
from programs.display.oeapi.values import Resource, compact, in_text_language, stable_code
from programs.models import TEXT_LANGUAGE, StartTerm, TuitionPeriod

# Within a year, the terms in the order they start.
_TERM_ORDER = {StartTerm.SPRING: 0, StartTerm.SUMMER: 1, StartTerm.AUTUMN: 2, StartTerm.WINTER: 3}

# OEAPI defines "total_costs" (all a student pays for the offering); a fee per semester or per
# year is not that, so it gets a custom value, as OEAPI's extensible list allows.
COST_TYPES = {
    TuitionPeriod.PROGRAMME: "total_costs",
    TuitionPeriod.SEMESTER: "x-tuition-per-semester",
    TuitionPeriod.YEAR: "x-tuition-per-year",
}


@dataclass(frozen=True)
class Intake:
    """One start of the programme: its term and year where stated, and its deadlines."""

    term: str | None
    year: int | None
    deadlines: tuple = ()
    # Known only from the programme's start of studies (no deadline names it).
    from_start_term: bool = False

    def identifier(self, programme):
        """A stable identifier: the same intake of the same programme always has the same one
        (derived from the programme's UUID, the term and the year)."""
        return uuid.uuid5(programme.uuid, f"intake/{self.term or ''}/{self.year or ''}")

    @property
    def sort_key(self):
        return (self.year is None, self.year or 0, _TERM_ORDER.get(self.term, len(_TERM_ORDER)))


def intakes(programme):
    """The programme's intakes, in the order they start (those of no stated year last); one
    with neither term nor year when the source states fees but no start (needs the deadlines and
    fees loaded)."""
    found = {}
    for deadline in programme.application_deadlines.all():
        found.setdefault((deadline.intake, deadline.intake_year), []).append(deadline)
    result = [Intake(term, year, tuple(rows)) for (term, year), rows in found.items()]
    if programme.start_term and not any(key[0] == programme.start_term for key in found):
        result.append(Intake(programme.start_term, None, from_start_term=True))
    if not result and programme.tuition_fees.all():
        result.append(Intake(None, None))
    return sorted(result, key=lambda intake: intake.sort_key)


def _cost(fee):
    return {
        "costType": COST_TYPES[fee.period],
        "amount": str(fee.amount),
        "currency": fee.currency,
        "ext": {"period": fee.period, "applicantGroup": fee.applicant_group},
    }


def _name(programme, intake):
    term = StartTerm(intake.term).label if intake.term else ""
    when = " ".join(str(part) for part in (term, intake.year) if part)
    return f"{programme.title}: {when} intake" if when else f"{programme.title}: intake"


@translation.override(TEXT_LANGUAGE)
def offering(programme, intake):
    """One intake of the programme as a ProgrammeOffering (needs `with_oeapi_data()`)."""
    facts = {fact.key: fact for fact in key_facts(programme)}
    identifier = intake.identifier(programme)
    resource = Resource(
        programmeOfferingId=str(identifier),
        primaryCode=stable_code(identifier),
        # The catalog's own words for the intake (the programme's title, the term and year).
        name=in_text_language(_name(programme, intake)),
        programmeId=str(programme.uuid),
        link=programme.source_url,
    )
    offerings = list(programme.offerings.all())
    if offerings:
        resource.place("organisationId", facts["universities"], str(offerings[0].university.uuid))
    languages = sorted(language.code for language in programme.languages.all())
    resource.place("teachingLanguages", facts["languages"], languages)
    delivery = MODES_OF_DELIVERY.get(programme.delivery)
    resource.place("modesOfDelivery", facts["delivery"], [delivery] if delivery else None)

    fees = list(programme.tuition_fees.all())
    resource.set(priceInformation=[_cost(fee) for fee in fees if not fee.inferred_because])
    inferred_fees = [fee for fee in fees if fee.inferred_because]
    if inferred_fees:
        reason = " ".join(fee.inferred_because for fee in inferred_fees)
        resource.infer("priceInformation", [_cost(fee) for fee in inferred_fees], reason)

    start = compact({"term": intake.term, "year": intake.year})
    if intake.from_start_term:
        resource.place("intake", facts["start_term"], start, in_ext=True)
    elif start:
        resource.ext["intake"] = start
    deadlines = [
        compact(
            {
                "applyBy": deadline.deadline.isoformat(),
                "applicantGroup": deadline.applicant_group,
                "inferredBecause": deadline.inferred_because,
            }
        )
        for deadline in intake.deadlines
    ]
    if deadlines:
        resource.ext["applicationDeadlines"] = deadlines
    return resource.as_dict()

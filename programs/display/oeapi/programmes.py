"""A programme as an OEAPI Programme."""

from django.utils import translation

from programs.display.facts import key_facts, title_fact
from programs.display.jsonld import time_to_complete
from programs.display.oeapi.organisations import organisation
from programs.display.oeapi.values import (
    Resource,
    compact,
    ects_load,
    in_text_language,
    stable_code,
    typed_texts,
)
from programs.models import TEXT_LANGUAGE, Delivery, Level, StudyMode

# Every programme in the catalog is a full programme of study leading to a degree: the kind of
# record the catalog keeps, not a fact read from a source. Its tracks are not programmes of their
# own (see programme_children() in programs/web/oeapi_views.py).
PROGRAMME_TYPE = "programme"

QUALIFICATIONS = {
    Level.BACHELOR: "bachelor",
    Level.MASTER: "master",
    Level.DOCTORATE: "doctoral",
    # "Other" names no qualification OEAPI knows: left out.
}

MODES_OF_STUDY = {StudyMode.FULL_TIME: "full_time", StudyMode.PART_TIME: "part_time"}

# OEAPI's words (from the EU's learning-assessment vocabulary) for the catalog's deliveries.
MODES_OF_DELIVERY = {
    Delivery.ON_CAMPUS: "presential",
    Delivery.BLENDED: "blended",
    Delivery.ONLINE: "online",
}


def _admission_requirements(resource, programme):
    """Each requirement in English and, where the source wrote it in another language, in the
    source's own words tagged with that language (needs `admission_requirements` loaded)."""
    stated, inferred, reasons = [], [], []
    for requirement in programme.admission_requirements.all():
        texts = [(requirement.text, TEXT_LANGUAGE)]
        if requirement.original_text and requirement.original_language_id:
            texts.append((requirement.original_text, requirement.original_language_id))
        if requirement.inferred_because:
            inferred.extend(typed_texts(*texts))
            reasons.append(requirement.inferred_because)
        else:
            stated.extend(typed_texts(*texts))
    resource.set(admissionRequirements=stated)
    if inferred:
        resource.infer("admissionRequirements", inferred, " ".join(reasons))


@translation.override(TEXT_LANGUAGE)
def programme(programme, expand=()):
    """The programme as a Programme (needs `with_oeapi_data()` loaded).

    `expand`: "organisation" adds the offering university's Organisation. The other expansions
    OEAPI offers (parent, children, coordinators, instructors) name things the catalog doesn't
    hold, so they add nothing.

    A joint programme has several universities but OEAPI one organisationId: the first in the
    programme's own order (the coordinating one where the source names one); ext.organisations
    lists them all, with each one's role where stated.
    """
    facts = {fact.key: fact for fact in key_facts(programme)}
    title = title_fact(programme)
    resource = Resource(
        programmeId=str(programme.uuid),
        primaryCode=stable_code(programme.uuid),
        programmeType=PROGRAMME_TYPE,
        # Required, and what the record is named by: sent even when the catalog infers it (the
        # source never names the programme), with the reason in ext.
        name=in_text_language(programme.title),
        description=in_text_language(programme.description or programme.summary),
        link=programme.source_url,
    )
    if title.inferred:
        resource.infer("name", programme.title, title.inferred_because)
    languages = sorted(language.code for language in programme.languages.all())
    resource.place("teachingLanguages", facts["languages"], languages)
    resource.place("studyLoad", facts["ects"], ects_load(programme.ects))
    resource.place("qualificationAwarded", facts["level"], QUALIFICATIONS.get(programme.level))
    resource.place("modeOfStudy", facts["study_mode"], MODES_OF_STUDY.get(programme.study_mode))
    delivery = MODES_OF_DELIVERY.get(programme.delivery)
    resource.place("modesOfDelivery", facts["delivery"], [delivery] if delivery else None)
    resource.place("duration", facts["duration"], time_to_complete(programme))
    _admission_requirements(resource, programme)

    offerings = list(programme.offerings.all())
    universities = facts["universities"]
    if offerings:
        first = offerings[0].university
        resource.place("organisationId", universities, str(first.uuid))
        if "organisation" in expand and "organisationId" in resource.properties:
            resource.set(organisation=organisation(first))
    resource.place(
        "organisations",
        universities,
        [
            {"organisationId": str(offering.university.uuid), "role": offering.role}
            if offering.role
            else {"organisationId": str(offering.university.uuid)}
            for offering in offerings
        ],
        in_ext=True,
    )
    # What OEAPI has no property for: the degree's name and an approval still pending.
    resource.place("degreeAwarded", facts["degree"], programme.degree, in_ext=True)
    resource.place(
        "approvalStatus", facts["approval_status"], programme.approval_status, in_ext=True
    )
    if programme.retired:
        # Not a deletion: the programme and its page stay for those studying in it. It admits
        # no one any more, so it has no offerings (programs/web/oeapi_views.py).
        resource.ext["retired"] = _retirement(programme)
    return resource.as_dict()


def _retirement(programme):
    """What OEAPI has no property for: a retired programme's first intake no longer admitted
    and its successor, each where staff named one (a successor by its stable identifier)."""
    return compact(
        {
            "admissionEnds": programme.admission_ends or None,
            "successorId": str(programme.successor.uuid)
            if programme.successor_id and programme.successor.published
            else None,
        }
    )

"""A university's programmes in the European Learning Model 3 (ELM), as JSON-LD.

Each published programme the university offers is an ELM `LearningOpportunity` whose
`learningAchievementSpecification` says what a person learns in it. What ELM requires of each
node is what the application profile for learning opportunities and qualifications requires
(`standards/elm-v3/LOQ-constraints.ttl`, its active SHACL shapes): a programme that lacks one of
those properties is left out of the file and named in the report beside it, with the property,
never filled in with a guess (`REQUIRED`).

How each value is known follows the catalog's one answer (`programs.display.facts`):

- A fact the source does not state is absent: no null, no zero, no empty list.
- A fact sent as stated is one the JSON-LD sends too (`programs.display.jsonld.is_sent`: stated
  in the source's own words). An inferred credit total or teaching language is left out.
- Two inferences ELM cannot do without are sent with their reason in a note ELM allows: an
  inferred title or offering university (FH Salzburg's text names neither) as an `additionalNote`
  of the learning opportunity, and a university's country (always the catalog's inference, see
  `University.location_source`) in the `description` of its location.
- Text is tagged with the language it is written in: the catalog's texts are English
  (`TEXT_LANGUAGE`), which is also the opportunity's `defaultLanguage`. The teaching languages
  are the specification's `language`.

The specification is a `LearningAchievementSpecification`, not a `Qualification`, though a
programme leads to a degree: the profile's Qualification needs an EQF level, a national (NQF)
level, an ISCED-F field and learning outcomes, which the sources do not state (the catalog has
no field of study yet, so `ISCEDFCode` is never sent). The learning outcomes sent are the goals
the source states for a semester ("Goal: Understand how ...").

Every node is named by a stable IRI: `urn:uuid:` and the row's `uuid` (a specification's is
derived from its programme's, so it never changes either). Links to the catalog's own pages use
the site's public address (`SITE_URL`), so the file is the same whoever asks for it.
"""

import json
import uuid
from dataclasses import dataclass

import pycountry

from programs.core.site_address import absolute_url
from programs.display.facts import LOCATION_NOT_RECORDED, key_facts, title_fact
from programs.display.jsonld import is_sent
from programs.models import TEXT_LANGUAGE, Programme
from programs.models.querysets import offerings_with_universities

# Written out in the file, so a harvester's sandbox (and our tests) parse it with no network.
# Terms and language maps in the style of ELM's own JSON-LD context.
CONTEXT = {
    "id": "@id",
    "type": "@type",
    "elm": "http://data.europa.eu/snb/model/elm/",
    "dc": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rov": "http://www.w3.org/ns/regorg#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "LearningOpportunity": "elm:LearningOpportunity",
    "LearningAchievementSpecification": "elm:LearningAchievementSpecification",
    "LearningOutcome": "elm:LearningOutcome",
    "Organisation": "elm:Organisation",
    "Location": "dc:Location",
    "Address": "elm:Address",
    "WebResource": "elm:WebResource",
    "CreditPoint": "elm:CreditPoint",
    "Note": "elm:Note",
    "Concept": "skos:Concept",
    "ConceptScheme": "skos:ConceptScheme",
    "title": {"@id": "dc:title", "@container": "@language"},
    "description": {"@id": "dc:description", "@container": "@language"},
    "modified": {"@id": "dc:modified", "@type": "xsd:dateTime"},
    "language": {"@id": "dc:language", "@type": "@id"},
    "homepage": {"@id": "foaf:homepage", "@type": "@id"},
    "supplementaryDocument": {"@id": "elm:supplementaryDocument", "@type": "@id"},
    "contentUrl": {"@id": "elm:contentUrl", "@type": "xsd:anyURI"},
    "providedBy": {"@id": "elm:providedBy", "@type": "@id"},
    "defaultLanguage": {"@id": "elm:defaultLanguage", "@type": "@id"},
    "additionalNote": {"@id": "elm:additionalNote", "@type": "@id"},
    "noteLiteral": {"@id": "elm:noteLiteral", "@container": "@language"},
    "learningAchievementSpecification": {
        "@id": "elm:learningAchievementSpecification",
        "@type": "@id",
    },
    "learningOutcome": {"@id": "elm:learningOutcome", "@type": "@id"},
    "creditPoint": {"@id": "elm:creditPoint", "@type": "@id"},
    "framework": {"@id": "elm:framework", "@type": "@id"},
    "point": {"@id": "elm:point", "@type": "xsd:string"},
    "legalName": {"@id": "rov:legalName", "@container": "@language"},
    "altLabel": {"@id": "skos:altLabel", "@container": "@language"},
    "location": {"@id": "elm:location", "@type": "@id"},
    "address": {"@id": "elm:address", "@type": "@id"},
    "countryCode": {"@id": "elm:countryCode", "@type": "@id"},
    "prefLabel": {"@id": "skos:prefLabel", "@container": "@language"},
    "notation": {"@id": "skos:notation"},
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
}

# The EU vocabularies the profile names for its controlled values (publications.europa.eu's
# authority tables, and the Europass (EDC) lists at data.europa.eu/snb): the Language Named
# Authority List, keyed by ISO 639-3 codes in capitals (ENG, DEU) ...
LANGUAGE_SCHEME = "http://publications.europa.eu/resource/authority/language"
# ... the Country authority table, keyed by ISO 3166-1 alpha-3 codes (DEU, AUT) ...
COUNTRY_SCHEME = "http://publications.europa.eu/resource/authority/country"
# ... and the EDC list of educational credit systems, whose ECTS concept this is.
CREDIT_SCHEME = "http://data.europa.eu/snb/education-credit/25831c2"
ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"


@dataclass(frozen=True)
class Requirement:
    """A property the profile's shapes require (sh:minCount 1) of a node the file holds."""

    property: str
    name: str
    # Why the catalog can't give it, for the report.
    because: str


# What each learning opportunity must have (LearningOpportunityShape; OrganisationShape,
# LocationShape and AddressShape for its providers); the other required ones (a title, a default
# language, a specification, a provider's name) the catalog always has.
HOMEPAGE = Requirement(
    "http://xmlns.com/foaf/0.1/homepage",
    "homepage",
    "The catalog records no address of the programme's official page.",
)
PROVIDER = Requirement(
    "http://data.europa.eu/snb/model/elm/providedBy",
    "provided by",
    "No university is recorded as offering the programme.",
)
PROVIDER_COUNTRY = Requirement(
    "http://data.europa.eu/snb/model/elm/countryCode",
    "provided by: location: address: country code",
    "An offering university's country is not one the EU country table names.",
)
REQUIRED = (HOMEPAGE, PROVIDER, PROVIDER_COUNTRY)


@dataclass(frozen=True)
class Export:
    """A university's ELM file and the report beside it, as JSON-ready data."""

    document: dict
    report: dict


def learning_opportunities(university):
    """The university's published programmes with everything their ELM nodes read, in a fixed
    number of queries however many there are."""
    return (
        Programme.objects.published()
        .filter(offerings__university=university)
        .prefetch_related(
            offerings_with_universities(),
            "languages",
            "fact_sources",
            # key_facts() reads them; the file doesn't send them yet.
            "application_deadlines",
            "tuition_fees",
            "semesters",
        )
        .order_by("title", "pk")
    )


def _iri(row_uuid):
    return f"urn:uuid:{row_uuid}"


def _specification_iri(programme):
    # Derived from the programme's identifier, so it is as stable as that.
    return _iri(uuid.uuid5(programme.uuid, "elm:LearningAchievementSpecification"))


def _text(value):
    """A language map of `value`, in the language the catalog's texts are written in."""
    return {TEXT_LANGUAGE: value}


def _note(text):
    return {"type": "Note", "noteLiteral": _text(text)}


def _web_resource(url):
    return {"type": "WebResource", "contentUrl": url}


def _concept(scheme, iri, label, notation):
    return {
        "id": iri,
        "type": "Concept",
        "prefLabel": _text(label),
        "notation": notation,
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
    }


def language_concept(code):
    """The EU language table's concept for an ISO 639-1 code, or None when it has none."""
    language = pycountry.languages.get(alpha_2=code)
    if language is None:
        return None
    code = language.alpha_3.upper()
    return _concept(LANGUAGE_SCHEME, f"{LANGUAGE_SCHEME}/{code}", language.name, code)


def country_concept(code):
    """The EU country table's concept for an ISO 3166-1 alpha-2 code, or None."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    code = country.alpha_3
    return _concept(COUNTRY_SCHEME, f"{COUNTRY_SCHEME}/{code}", country.name, code)


def organisation(university):
    """An ELM Organisation for a university, or None when the profile's required location
    can't be given (its country is not in the EU table).

    The country is always the catalog's inference: the location says where it comes from.
    """
    country = country_concept(university.country)
    if country is None:
        return None
    node = {
        "id": _iri(university.uuid),
        "type": "Organisation",
        # The name the catalog knows it by; the profile asks for a legal name and has no other
        # property for a name.
        "legalName": _text(university.name),
        "altLabel": _text(university.short_name) if university.short_name else None,
        "homepage": _web_resource(university.website) if university.website else None,
        "location": {
            "type": "Location",
            "description": _text(
                "Country: the catalog's inference. "
                + (university.location_source or LOCATION_NOT_RECORDED)
            ),
            "address": {"type": "Address", "countryCode": country},
        },
    }
    return _compact(node)


def _compact(node):
    """`node` without the properties that have no value: nothing unstated is sent."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def _inference_notes(title, offered_by):
    """Notes saying which of the required facts are the catalog's inference, and why."""
    notes = []
    if title.inferred:
        notes.append(_note(f"Title: the catalog's inference. {title.inferred_because}"))
    if offered_by.inferred:
        notes.append(_note(f"Provided by: the catalog's inference. {offered_by.inferred_because}"))
    return notes


def _learning_outcomes(programme):
    """The goals the source states for the programme's semesters, each as an outcome."""
    return [
        {
            "type": "LearningOutcome",
            "title": _text(semester.goal),
            "additionalNote": [
                _note(f"The goal the source states for semester {semester.number}.")
            ],
        }
        for semester in programme.semesters.all()
        if semester.goal and semester.is_stated
    ]


def ects_concept():
    """The ECTS credit system in the EDC list of educational credit systems."""
    return _concept(CREDIT_SCHEME, ECTS, "European Credit Transfer System", "ECTS")


def specification(programme, facts, title):
    """The programme's LearningAchievementSpecification: what a person learns in it."""
    languages = [language_concept(language.code) for language in programme.languages.all()]
    credits = None
    if programme.ects is not None and is_sent(facts["ects"]):
        credits = [
            {"type": "CreditPoint", "framework": ects_concept(), "point": str(programme.ects)}
        ]
    return _compact(
        {
            "id": _specification_iri(programme),
            "type": "LearningAchievementSpecification",
            "title": _text(title.text),
            "language": [concept for concept in languages if concept]
            if is_sent(facts["languages"])
            else None,
            "creditPoint": credits,
            "learningOutcome": _learning_outcomes(programme),
        }
    )


def learning_opportunity(programme):
    """(the programme as an ELM LearningOpportunity, the required properties it lacks).

    Needs what `learning_opportunities()` loads. With anything missing the node is None.
    """
    facts = {fact.key: fact for fact in key_facts(programme)}
    title = title_fact(programme)
    offered_by = facts["universities"]
    universities = [offering.university for offering in programme.offerings.all()]
    providers = [organisation(university) for university in universities]
    missing = []
    if not programme.source_url:
        missing.append(HOMEPAGE)
    if not universities:
        missing.append(PROVIDER)
    if None in providers:
        missing.append(PROVIDER_COUNTRY)
    if missing:
        return None, missing
    node = {
        "id": _iri(programme.uuid),
        "type": "LearningOpportunity",
        "title": _text(title.text),
        "description": _text(programme.summary or programme.description)
        if programme.summary or programme.description
        else None,
        "homepage": _web_resource(programme.source_url),
        "supplementaryDocument": _web_resource(absolute_url(programme.get_absolute_url())),
        "providedBy": [provider["id"] for provider in providers],
        "defaultLanguage": language_concept(TEXT_LANGUAGE),
        "learningAchievementSpecification": specification(programme, facts, title),
        "additionalNote": _inference_notes(title, offered_by),
        "modified": programme.updated_at.isoformat(),
    }
    return _compact(node), []


def export(university):
    """The university's ELM document and its report of the programmes left out."""
    graph, organisations, excluded = [], {}, []
    for programme in learning_opportunities(university):
        node, missing = learning_opportunity(programme)
        if node is None:
            excluded.append(_excluded(programme, missing))
            continue
        graph.append(node)
        for offering in programme.offerings.all():
            organisations.setdefault(offering.university.uuid, offering.university)
    # Each provider described once, after the opportunities that name it.
    graph.extend(organisation(row) for row in organisations.values())
    document = {"@context": CONTEXT, "@graph": graph}
    report = {
        "university": _iri(university.uuid),
        "name": university.name,
        "learningOpportunities": len(graph) - len(organisations),
        "excluded": excluded,
    }
    return Export(document=document, report=report)


def _excluded(programme, missing):
    return {
        "id": _iri(programme.uuid),
        "title": programme.title,
        "page": absolute_url(programme.get_absolute_url()),
        "missing": [
            {
                "property": requirement.property,
                "name": requirement.name,
                "because": requirement.because,
            }
            for requirement in missing
        ],
    }


def as_bytes(data):
    """`data` as the bytes every copy of a file holds (the view's and the command's alike)."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()

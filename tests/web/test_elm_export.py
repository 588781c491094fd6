"""Issue 33: each university's programmes in the European Learning Model 3 (/api/elm/).

Every file must pass the ELM profile's SHACL shapes (standards/elm-v3/LOQ-constraints.ttl) read
offline, as a harvester's sandbox reads it; a programme lacking what the profile requires is
left out and reported, never filled in; and the catalog's honesty rule holds: nothing unstated,
and an inference either left out or sent with its reason.
"""

import json
import uuid

import pytest
from django.urls import reverse
from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from programs.models import FactSource, KeyFact, Programme, University
from programs.transfer.synthetic import generate_catalog
from tests.support.elm_shapes import parse_offline, validate

ELM = Namespace("http://data.europa.eu/snb/model/elm/")
ROV = Namespace("http://www.w3.org/ns/regorg#")
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
ECTS = URIRef("http://data.europa.eu/snb/education-credit/6fcec5c5af")

FH_SALZBURG = "applied-ai-in-healthcare"
KTH = "data-driven-health"
UNISR = "health-informatics"
RWTH = "medical-data-science"
UNIVERSITIES = ["rwth-aachen", "fh-salzburg", "kth", "unisr", "polimi"]


def elm_file(client, slug):
    response = client.get(reverse("elm:university-file", kwargs={"slug": slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return response.content


def report(client, slug):
    response = client.get(reverse("elm:university-report", kwargs={"slug": slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def conforming_graph(content):
    """The file as RDF, after checking it passes the profile (its violations shown if not)."""
    graph = parse_offline(content)
    conforms, results = validate(graph)
    assert conforms, results
    return graph


def node(programme):
    return URIRef(f"urn:uuid:{programme.uuid}")


def specification(graph, programme):
    return graph.value(node(programme), ELM.learningAchievementSpecification)


def notes(graph, subject):
    return [
        str(graph.value(note, ELM.noteLiteral))
        for note in graph.objects(subject, ELM.additionalNote)
    ]


@pytest.mark.parametrize("slug", UNIVERSITIES)
def test_every_university_file_passes_the_elm_profile(client, catalog, slug):
    content = elm_file(client, slug)
    # The context is in the file: a harvester's sandbox could not fetch a remote one.
    assert isinstance(json.loads(content)["@context"], dict)
    graph = conforming_graph(content)

    university = University.objects.get(slug=slug)
    offered = Programme.objects.published().filter(offerings__university=university)
    opportunities = set(graph.subjects(RDF.type, ELM.LearningOpportunity))
    assert opportunities == {node(programme) for programme in offered}
    assert (URIRef(f"urn:uuid:{university.uuid}"), RDF.type, ELM.Organisation) in graph
    assert report(client, slug)["excluded"] == []


def test_a_synthetic_catalog_passes_the_elm_profile(client, db):
    generate_catalog(36, seed=33)
    programmes = Programme.objects.filter(slug__startswith="synthetic-").order_by("pk")
    # The generator records no official pages: give every other programme one.
    with_page = list(programmes.values_list("pk", flat=True)[::2])
    for pk in with_page:
        Programme.objects.filter(pk=pk).update(source_url=f"https://example.org/programmes/{pk}")

    universities = University.objects.public().filter(slug__startswith="synthetic-")
    assert universities.count() >= 3
    sent = excluded = 0
    for university in universities:
        graph = conforming_graph(elm_file(client, university.slug))
        sent += len(set(graph.subjects(RDF.type, ELM.LearningOpportunity)))
        left_out = report(client, university.slug)["excluded"]
        assert {entry["missing"][0]["name"] for entry in left_out} <= {"homepage"}
        excluded += len(left_out)
    published = Programme.objects.published().filter(slug__startswith="synthetic-")
    assert sent > 0 and excluded > 0
    # Joint programmes are in each of their universities' files.
    assert sent + excluded >= published.count()


def test_the_profile_refuses_what_it_should(client, catalog):
    """The shapes (with their translated patterns) are no formality: a missing homepage or an
    address that is not http(s) fails them."""
    programme = Programme.objects.get(slug=KTH)
    graph = conforming_graph(elm_file(client, "kth"))
    homepage = graph.value(node(programme), FOAF.homepage)

    graph.set((homepage, ELM.contentUrl, Literal("ftp://example.org/x")))
    assert not validate(graph)[0]
    graph.remove((node(programme), FOAF.homepage, homepage))
    assert not validate(graph)[0]


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"source_url": None}, "http://xmlns.com/foaf/0.1/homepage"),
        ({"source_url": ""}, "http://xmlns.com/foaf/0.1/homepage"),
    ],
)
def test_a_programme_without_an_official_page_is_left_out_and_reported(
    client, catalog, change, missing
):
    Programme.objects.filter(slug=RWTH).update(**change)
    programme = Programme.objects.get(slug=RWTH)

    graph = conforming_graph(elm_file(client, "rwth-aachen"))
    assert (node(programme), None, None) not in graph
    assert not set(graph.subjects(RDF.type, ELM.LearningOpportunity))

    left_out = report(client, "rwth-aachen")
    assert left_out["learningOpportunities"] == 0
    [entry] = left_out["excluded"]
    assert entry["id"] == f"urn:uuid:{programme.uuid}"
    assert entry["title"] == "Medical Data Science"
    assert [item["property"] for item in entry["missing"]] == [missing]


def test_a_provider_without_a_known_country_leaves_its_programmes_out(client, catalog):
    # Kosovo's code is in use but not in ISO 3166-1, nor in the EU's country table.
    University.objects.filter(slug="polimi").update(country="XK")
    programme = Programme.objects.get(slug=UNISR)

    for slug in ("unisr", "polimi"):
        graph = conforming_graph(elm_file(client, slug))
        assert (node(programme), None, None) not in graph
        [entry] = report(client, slug)["excluded"]
        assert [item["name"] for item in entry["missing"]] == [
            "provided by: location: address: country code"
        ]


def test_stated_facts_are_sent_with_eu_vocabularies(client, catalog):
    kth = Programme.objects.get(slug=KTH)
    graph = conforming_graph(elm_file(client, "kth"))
    spec = specification(graph, kth)

    assert graph.value(node(kth), DCTERMS.title) == Literal("Data-driven Health", lang="en")
    assert str(graph.value(graph.value(node(kth), FOAF.homepage), ELM.contentUrl)) == kth.source_url
    [credits] = graph.objects(spec, ELM.creditPoint)
    assert graph.value(credits, ELM.framework) == ECTS
    assert str(graph.value(credits, ELM.point)) == "120"
    assert set(graph.objects(spec, DCTERMS.language)) == {URIRef(LANGUAGE + "ENG")}

    rwth = Programme.objects.get(slug=RWTH)
    graph = conforming_graph(elm_file(client, "rwth-aachen"))
    languages = set(graph.objects(specification(graph, rwth), DCTERMS.language))
    assert languages == {URIRef(LANGUAGE + "DEU"), URIRef(LANGUAGE + "ENG")}
    assert graph.value(URIRef(LANGUAGE + "DEU"), SKOS.prefLabel) == Literal("German", lang="en")


def test_unstated_facts_are_absent(client, catalog):
    # Health Informatics states no ECTS; Applied AI in Healthcare no teaching language; no
    # programme a field of study (ISCED-F).
    unisr = Programme.objects.get(slug=UNISR)
    graph = conforming_graph(elm_file(client, "unisr"))
    assert (specification(graph, unisr), ELM.creditPoint, None) not in graph

    salzburg = Programme.objects.get(slug=FH_SALZBURG)
    content = elm_file(client, "fh-salzburg")
    graph = conforming_graph(content)
    assert (specification(graph, salzburg), DCTERMS.language, None) not in graph
    assert (None, ELM.ISCEDFCode, None) not in graph

    def empty_values(value):
        """Every null, empty text, list or object in `value`."""
        if value in (None, "", [], {}):
            return [value]
        items = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            return [empty for item in items for empty in empty_values(item)]
        return []

    for slug in UNIVERSITIES:
        assert empty_values(json.loads(elm_file(client, slug))["@graph"]) == []


def test_inferences_elm_needs_are_sent_with_their_reason(client, catalog):
    # FH Salzburg's text names neither its programme nor itself: the title and the provider are
    # inferences, sent (ELM requires both) with the reason in a note. Every university's
    # country is an inference, its location says from where.
    salzburg = Programme.objects.get(slug=FH_SALZBURG)
    graph = conforming_graph(elm_file(client, "fh-salzburg"))
    title_reason = FactSource.objects.get(programme=salzburg, fact=KeyFact.TITLE).inferred_because
    provider_reason = FactSource.objects.get(
        programme=salzburg, fact=KeyFact.UNIVERSITIES
    ).inferred_because
    texts = notes(graph, node(salzburg))
    assert any(title_reason in text and text.startswith("Title") for text in texts)
    assert any(provider_reason in text and text.startswith("Provided by") for text in texts)

    university = University.objects.get(slug="fh-salzburg")
    location = graph.value(URIRef(f"urn:uuid:{university.uuid}"), ELM.location)
    assert university.location_source in str(graph.value(location, DCTERMS.description))

    # KTH's title and university are stated: no note.
    kth = Programme.objects.get(slug=KTH)
    assert notes(conforming_graph(elm_file(client, "kth")), node(kth)) == []


@pytest.mark.parametrize("fact", [KeyFact.ECTS, KeyFact.LANGUAGES])
def test_inferred_credits_and_languages_are_left_out(client, catalog, fact):
    kth = Programme.objects.get(slug=KTH)
    FactSource.objects.filter(programme=kth, fact=fact).update(
        inferred_because="A guess from a similar programme."
    )
    graph = conforming_graph(elm_file(client, "kth"))
    spec = specification(graph, kth)
    prop = ELM.creditPoint if fact == KeyFact.ECTS else DCTERMS.language
    assert (spec, prop, None) not in graph
    assert "A guess" not in elm_file(client, "kth").decode()


def test_stated_semester_goals_are_the_learning_outcomes(client, catalog):
    salzburg = Programme.objects.get(slug=FH_SALZBURG)
    graph = conforming_graph(elm_file(client, "fh-salzburg"))
    outcomes = {
        str(graph.value(outcome, DCTERMS.title))
        for outcome in graph.objects(specification(graph, salzburg), ELM.learningOutcome)
    }
    goals = set(salzburg.semesters.exclude(goal=None).values_list("goal", flat=True))
    assert outcomes == goals and len(goals) == 4


def test_nodes_are_named_by_stable_identifiers(client, catalog):
    """A renamed slug changes the catalog's page address, never an identifier."""
    programme = Programme.objects.get(slug=UNISR)
    before = conforming_graph(elm_file(client, "polimi"))
    spec = specification(before, programme)
    assert str(spec).startswith("urn:uuid:") and uuid.UUID(str(spec)[9:])

    Programme.objects.filter(pk=programme.pk).update(slug="health-informatics-milan")
    University.objects.filter(slug="polimi").update(slug="politecnico-milano")
    after = conforming_graph(elm_file(client, "politecnico-milano"))
    assert specification(after, programme) == spec
    assert set(after.subjects(RDF.type, ELM.Organisation)) == set(
        before.subjects(RDF.type, ELM.Organisation)
    )
    assert (node(programme), RDF.type, ELM.LearningOpportunity) in after


def test_drafts_are_not_exported(client, catalog):
    Programme.objects.filter(slug=KTH).update(published=False)
    # KTH offers nothing published now: it has no file, as it has no page.
    assert client.get(reverse("elm:university-file", kwargs={"slug": "kth"})).status_code == 404


@pytest.mark.parametrize("name", ["elm:university-file", "elm:university-report"])
def test_unknown_universities_are_not_found(client, catalog, name):
    assert client.get(reverse(name, kwargs={"slug": "nowhere"})).status_code == 404
    assert client.head(reverse(name, kwargs={"slug": "kth"})).status_code == 200
    assert client.post(reverse(name, kwargs={"slug": "kth"})).status_code == 405


def test_file_query_count_is_fixed(client, db, django_assert_num_queries):
    # The catalog revision (the file's ETag, and the key it is kept under), the university, its
    # published programmes, then their offerings with universities, languages, fact sources,
    # deadlines, fees and semesters: the same for one programme or many.
    generate_catalog(36, seed=33)
    universities = University.objects.public().filter(slug__startswith="synthetic-")
    counts = universities.published_programme_counts()
    fewest = min(universities, key=lambda university: counts[university.pk])
    most = max(universities, key=lambda university: counts[university.pk])
    assert counts[most.pk] > counts[fewest.pk]
    for university in (fewest, most):
        url = reverse("elm:university-file", kwargs={"slug": university.slug})
        with django_assert_num_queries(9):
            client.get(url)
        # Asked again, it is kept: only the revision is read (tests/web/test_harvesting.py).
        with django_assert_num_queries(1):
            client.get(url)

"""The Open Education API 6.0 (/api/oeapi/v6/) as a harvester reads it: the real catalog by its
stable ids, facts as the sources state them, nothing unstated, inferences in `ext` with their
reasons, paging that adds up, errors as problem details, and a fixed cost per page."""

import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from programs.models import Programme, University
from tests.support import factories

API = "/api/oeapi/v6"
FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "programmes"

MEDICAL_DATA_SCIENCE = "9a71b8b6-dd65-4738-9d06-30904fdfe20b"
DATA_DRIVEN_HEALTH = "7c975ee0-d8f3-4e70-aca6-4dbe635f0c6e"
HEALTH_INFORMATICS = "1fe259c7-8098-43d1-be8b-6cca239b66d1"
APPLIED_AI = "c36c3ece-bd2d-4e26-b295-aa4cb2b67d38"
RWTH = "d84c19d0-bf4f-405a-9835-9f7d12af0151"


def get(client, address, **headers):
    return client.get(f"{API}{address}", **headers)


def items(client, address):
    response = get(client, address)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def by_id(resources, key="programmeId"):
    return {resource[key]: resource for resource in resources}


def stated_source(**fields):
    """A row the source states (quoted, nothing inferred), unlike the factories' made-up ones."""
    return {"source_quote": "As the source says.", "inferred_because": None, **fields}


# The service and its document


def test_service_root_lists_the_operations_served_and_links_the_openapi_document(client, db):
    root = get(client, "/").json()
    paths = [operation["path"] for operation in root["supportedOperations"]]
    assert "/programmes/%7BprogrammeId%7D/programme-offerings" in paths
    assert not any("persons" in path for path in paths)
    assert root["specification"] == "http://testserver/api/oeapi/v6/openapi.json"
    assert root["contactEmail"] == "open-data@testserver.example"

    document = client.get(f"{API}/openapi.json").json()
    assert document["info"]["title"] == "Open Education API"
    assert sorted(document["paths"]) == sorted(
        path.replace("%7B", "{").replace("%7D", "}") for path in paths
    )
    assert all(list(operations) == ["get"] for operations in document["paths"].values())
    assert "Programme" in document["components"]["schemas"]


def test_an_operation_the_catalog_does_not_serve_is_a_problem_404(client, db):
    response = get(client, "/persons")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


# Programmes on the real catalog


def test_programmes_are_named_by_their_stable_ids_with_their_stated_facts(client, catalog):
    programmes = by_id(items(client, "/programmes"))
    fixture_ids = {json.loads(path.read_text())["uuid"] for path in FIXTURES.glob("*.json")}
    assert set(programmes) == fixture_ids

    medical = programmes[MEDICAL_DATA_SCIENCE]
    assert medical["name"] == [{"language": "en", "value": "Medical Data Science"}]
    assert medical["primaryCode"] == {"codeType": "uuid", "code": MEDICAL_DATA_SCIENCE}
    assert medical["studyLoad"] == [{"studyLoadUnit": "ects", "value": 90}]
    assert medical["teachingLanguages"] == ["de", "en"]
    assert medical["modeOfStudy"] == "part_time"
    assert medical["modesOfDelivery"] == ["blended"]
    assert medical["qualificationAwarded"] == "master"
    assert medical["organisationId"] == RWTH
    assert programmes[DATA_DRIVEN_HEALTH]["studyLoad"] == [{"studyLoadUnit": "ects", "value": 120}]


def test_an_unstated_fact_is_absent_never_null_or_zero(client, catalog):
    # Health Informatics says "two years" but no credits: no studyLoad at all.
    informatics = get(client, f"/programmes/{HEALTH_INFORMATICS}").json()
    for absent in ("studyLoad", "modeOfStudy", "modesOfDelivery"):
        assert absent not in informatics
    assert "studyLoad" not in json.dumps(informatics.get("ext", {}))
    assert None not in informatics.values()


def test_an_inferred_fact_is_in_ext_with_its_reason_not_among_the_facts(client, catalog):
    applied_ai = get(client, f"/programmes/{APPLIED_AI}").json()
    assert "qualificationAwarded" not in applied_ai
    inferred = applied_ai["ext"]["inferred"]
    assert inferred["qualificationAwarded"]["value"] == "master"
    assert "joint-master" in inferred["qualificationAwarded"]["reason"]
    # The title comes from the page's address: sent, as OEAPI requires a name, and marked.
    assert applied_ai["name"] == [{"language": "en", "value": "Applied AI in Healthcare"}]
    assert "never names the programme" in inferred["name"]["reason"]
    assert "organisationId" not in applied_ai
    assert "fh-salzburg" in inferred["organisationId"]["reason"]


def test_an_admission_requirement_carries_the_source_words_in_their_own_language(client, catalog):
    medical = get(client, f"/programmes/{MEDICAL_DATA_SCIENCE}").json()
    texts = medical["admissionRequirements"]
    assert {"en"} < {text["language"] for text in texts}
    german = [text["value"] for text in texts if text["language"] == "de"]
    assert german and german[0].startswith("Zur Einschreibung")


def test_a_programme_expands_its_organisation(client, catalog):
    medical = get(client, f"/programmes/{MEDICAL_DATA_SCIENCE}?expand=organisation").json()
    assert medical["organisation"]["organisationId"] == RWTH
    assert medical["organisation"]["shortName"] == "RWTH"
    assert "organisation" not in get(client, f"/programmes/{MEDICAL_DATA_SCIENCE}").json()
    assert get(client, f"/programmes/{MEDICAL_DATA_SCIENCE}?expand=nonsense").status_code == 400


def test_tracks_are_not_nested_programmes_so_the_page_is_empty(client, catalog):
    page = get(client, f"/programmes/{MEDICAL_DATA_SCIENCE}/programmes").json()
    assert page["items"] == []
    assert page["hasNextPage"] is False
    assert get(client, f"/programmes/{uuid.uuid4()}/programmes").status_code == 404


# Filters


def test_q_finds_programmes_by_their_words(client, catalog):
    assert list(by_id(items(client, "/programmes?q=aachen"))) == [MEDICAL_DATA_SCIENCE]
    assert list(by_id(items(client, "/programmes?q=flemingsberg"))) == [DATA_DRIVEN_HEALTH]


def test_teaching_language_filter_reads_a_language_tag(client, catalog):
    assert list(by_id(items(client, "/programmes?teachingLanguage=de"))) == [MEDICAL_DATA_SCIENCE]
    english = by_id(items(client, "/programmes?teachingLanguage=en-GB"))
    assert set(english) == {MEDICAL_DATA_SCIENCE, DATA_DRIVEN_HEALTH, HEALTH_INFORMATICS}
    assert get(client, "/programmes?teachingLanguage=English").status_code == 400


def test_qualification_filter_matches_stated_levels_only(client, catalog):
    masters = by_id(items(client, "/programmes?qualificationAwarded=master"))
    assert APPLIED_AI not in masters  # its level is the catalog's inference
    assert MEDICAL_DATA_SCIENCE in masters
    assert items(client, "/programmes?qualificationAwarded=bachelor") == []


def test_a_filter_on_facts_no_programme_states_matches_nothing(client, catalog):
    assert items(client, "/programmes?levelOfQualification=eqf_7") == []
    assert items(client, "/programmes?fieldsOfStudy=0613") == []
    assert items(client, "/programmes?programmeType=minor") == []
    assert len(items(client, "/programmes?programmeType=programme")) == 4


# Courses and organisations


def test_a_programmes_courses_are_its_modules_by_their_ids(client, catalog):
    courses = items(client, f"/programmes/{MEDICAL_DATA_SCIENCE}/courses")
    fixture = json.loads((FIXTURES / "medical-data-science.json").read_text())
    assert [course["courseId"] for course in courses] == [m["uuid"] for m in fixture["modules"]]
    assert all(course["programmeIds"] == [MEDICAL_DATA_SCIENCE] for course in courses)


def test_a_course_expands_its_programme_and_leaves_unstated_credits_out(client, catalog):
    fixture = json.loads((FIXTURES / "data-driven-health.json").read_text())
    module = fixture["modules"][0]
    course = get(client, f"/courses/{module['uuid']}?expand=programmes").json()
    assert course["name"] == [{"language": "en", "value": module["title"]}]
    assert "studyLoad" not in course  # no module of the real catalog states its credits
    assert [programme["programmeId"] for programme in course["programmes"]] == [DATA_DRIVEN_HEALTH]


def test_a_course_states_its_credits_as_the_source_does(client, db):
    module = factories.ModuleFactory(**stated_source(ects="7.5", kind="elective", semester=2))
    course = get(client, f"/courses/{module.uuid}").json()
    assert course["studyLoad"] == [{"studyLoadUnit": "ects", "value": 7.5}]
    assert course["ext"] == {"kind": "elective", "semester": 2}


def test_an_organisations_location_is_an_inference_never_an_address(client, catalog):
    rwth = get(client, f"/organisations/{RWTH}").json()
    assert rwth["name"] == [{"language": "en", "value": "RWTH Aachen University"}]
    assert "addresses" not in rwth
    location = rwth["ext"]["inferred"]["location"]
    assert location["value"] == {"countryCode": "DE", "city": "Aachen"}
    assert "names no country" in location["reason"]
    programmes = items(client, f"/organisations/{RWTH}/programmes")
    assert [programme["programmeId"] for programme in programmes] == [MEDICAL_DATA_SCIENCE]


def test_only_what_the_public_sees_is_served(client, catalog):
    draft_university = factories.UniversityFactory(name="Draft University")
    draft = factories.ProgrammeFactory(published=False, universities=[draft_university])
    module = factories.ModuleFactory(programme=draft)
    assert get(client, f"/programmes/{draft.uuid}").status_code == 404
    assert get(client, f"/courses/{module.uuid}").status_code == 404
    assert get(client, f"/organisations/{draft_university.uuid}").status_code == 404
    assert str(draft.uuid) not in by_id(items(client, "/programmes"))
    assert len(items(client, "/organisations")) == University.objects.public().count() == 5


# Offerings


@pytest.fixture
def programme_with_intakes(db):
    english = factories.LanguageFactory(code="en")
    programme = factories.ProgrammeFactory(
        title="Health Analytics", start_term="spring", languages=[english]
    )
    for group, day in (("eu", "2027-01-15"), ("non-eu", "2026-11-01")):
        factories.ApplicationDeadlineFactory(
            programme=programme,
            **stated_source(intake="autumn", intake_year=2027, applicant_group=group, deadline=day),
        )
    factories.TuitionFactory(
        programme=programme, **stated_source(applicant_group="non-eu", amount="15500.00")
    )
    factories.TuitionFactory(programme=programme, period="programme", amount="0")
    return programme


def test_offerings_are_the_stated_intakes_with_deadlines_per_group_and_fees(
    client, programme_with_intakes
):
    offerings = items(client, f"/programmes/{programme_with_intakes.uuid}/programme-offerings")
    # Autumn 2027 from the deadlines; spring (no year) from the start of studies, after it.
    assert [offering["ext"]["intake"] for offering in offerings] == [
        {"term": "autumn", "year": 2027},
        {"term": "spring"},
    ]
    autumn = offerings[0]
    assert autumn["name"] == [{"language": "en", "value": "Health Analytics: Autumn 2027 intake"}]
    assert autumn["ext"]["applicationDeadlines"] == [
        {"applyBy": "2026-11-01", "applicantGroup": "non-eu"},
        {"applyBy": "2027-01-15", "applicantGroup": "eu"},
    ]
    assert autumn["priceInformation"] == [
        {
            "costType": "x-tuition-per-semester",
            "amount": "15500.00",
            "currency": "EUR",
            "ext": {"period": "semester", "applicantGroup": "non-eu"},
        }
    ]
    # The factory's other fee is made up, so inferred: in ext, with the reason.
    assert autumn["ext"]["inferred"]["priceInformation"]["value"][0]["costType"] == "total_costs"
    # No start moment or enrolment opening is known, so none is sent.
    assert "startDateTime" not in autumn and "enrolmentPeriods" not in autumn
    # The same intake keeps its id from one request to the next.
    again = items(client, f"/programmes/{programme_with_intakes.uuid}/programme-offerings")
    assert again[0]["programmeOfferingId"] == autumn["programmeOfferingId"]


def test_a_programme_stating_no_intake_has_no_offerings(client, catalog):
    assert items(client, f"/programmes/{DATA_DRIVEN_HEALTH}/programme-offerings") == []


# Paging


@pytest.fixture
def catalog_of_25(catalog):
    """The real catalog and 21 more published programmes (and one draft)."""
    for number in range(21):
        factories.ProgrammeFactory(title=f"Synthetic programme {number:02}")
    factories.ProgrammeFactory(title="A draft", published=False)


def test_pages_add_up_to_the_published_count(client, catalog_of_25):
    seen, number = [], 1
    while True:
        page = get(client, f"/programmes?pageSize=10&pageNumber={number}").json()
        seen += [programme["programmeId"] for programme in page["items"]]
        assert page["totalPages"] == 3
        assert page["hasPreviousPage"] is (number > 1)
        if not page["hasNextPage"]:
            break
        number += 1
    assert number == 3
    published = Programme.objects.published()
    assert len(seen) == len(set(seen)) == published.count() == 25
    assert set(seen) == {str(value) for value in published.values_list("uuid", flat=True)}


def test_a_page_past_the_last_is_empty(client, catalog):
    page = get(client, "/programmes?pageNumber=9").json()
    assert page["items"] == [] and page["hasNextPage"] is False and page["hasPreviousPage"]


@pytest.mark.parametrize(
    "query", ["pageSize=7", "pageSize=ten", "pageNumber=0", "pageNumber=-1", "pageSize=1000"]
)
def test_an_unusable_page_is_a_problem_400(client, db, query):
    response = get(client, f"/programmes?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Bad Request"
    assert "page" in response.json()["detail"]


def test_a_deep_page_costs_what_the_first_does(client, catalog_of_25, django_assert_num_queries):
    # The catalog revision (the answer's ETag: programs/web/harvesting.py), the count, the page,
    # then one query each for the universities, languages, fact sources, admission requirements,
    # deadlines and fees of its programmes.
    with django_assert_num_queries(9):
        first = get(client, "/programmes?pageSize=10&pageNumber=1")
    with django_assert_num_queries(9):
        last = get(client, "/programmes?pageSize=10&pageNumber=3")
    assert len(first.json()["items"]) == 10 and len(last.json()["items"]) == 5


def test_a_course_page_costs_the_same_whatever_its_number(
    client, catalog, django_assert_num_queries
):
    # The catalog revision (the ETag), the count, and the page of modules with their programmes.
    with django_assert_num_queries(3):
        first = get(client, "/courses?pageSize=10&pageNumber=1")
    with django_assert_num_queries(3):
        get(client, "/courses?pageSize=10&pageNumber=3")
    assert first.json()["hasNextPage"] is True


# Errors and versions


def test_an_unknown_id_is_a_problem_404(client, catalog):
    unknown = uuid.uuid4()
    for address in (f"/programmes/{unknown}", f"/courses/{unknown}", f"/organisations/{unknown}"):
        response = get(client, address)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert str(unknown) in response.json()["detail"]
    assert get(client, "/programmes/not-a-uuid").status_code == 404


def test_another_major_version_is_refused_with_406(client, catalog):
    response = get(client, "/programmes", HTTP_ACCEPT="application/json;version=5.0")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["requestedVersion"] == "5.0"
    assert problem["supportedVersions"] == ["6.0"]


def test_a_minor_version_of_the_same_major_is_served(client, catalog):
    for accept in ("application/json;version=6.1", "application/json", "*/*"):
        assert get(client, "/programmes", HTTP_ACCEPT=accept).status_code == 200


def test_the_api_is_read_only(client, catalog):
    response = client.post(f"{API}/programmes", {"name": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["status"] == 405
    assert client.head(f"{API}/programmes").status_code == 200

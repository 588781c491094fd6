"""Schemathesis runs the Open Education API 6.0's own document (standards/oeapi-v6/oeapi.yaml,
restricted to the operations the catalog serves) against the live server, with every check it
has: no 5xx, only documented status codes, the documented content types and headers, and every
response valid against OEAPI's schemas.

Each operation gets at least 100 generated requests (the service root, which takes no
parameter, has only one to make). A generated UUID seldom names a row, so a path's id is, for
most requests, swapped for one of the catalog's own (picked from the generated one, so the run
stays reproducible): the real resources are checked, and unknown ids still are.
"""

import itertools
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from programs.models import Module, Programme, University
from programs.web.oeapi_document import restricted
from programs.web.oeapi_views import OPERATIONS
from tests.conftest import load_snapshot
from tests.support import factories

SCHEMA = schemathesis.openapi.from_dict(restricted(tuple(OPERATIONS)))

EXAMPLES_PER_OPERATION = 100

# Which rows a path's id may name, by the parameter's name.
ID_MODELS = {"programmeId": Programme, "courseId": Module, "organisationId": University}


@pytest.fixture
def live_api(live_server, transactional_db, catalog_snapshot):
    """The live server's API address, serving the real catalog and one made-up programme with
    what the four real ones don't state: deadlines per applicant group and fees."""
    load_snapshot(catalog_snapshot)
    english = factories.LanguageFactory(code="en")
    programme = factories.ProgrammeFactory(
        title="Synthetic Health Analytics",
        ects=120,
        start_term="autumn",
        languages=[english],
        universities=[University.objects.get(slug="kth")],
    )
    for group, day in (("eu", "2027-01-15"), ("non-eu", "2026-11-01")):
        factories.ApplicationDeadlineFactory(
            programme=programme,
            intake="autumn",
            intake_year=2027,
            applicant_group=group,
            deadline=day,
        )
    # Stated (quoted, nothing inferred), so it is among the offering's priceInformation, which
    # OEAPI's Cost schema checks; the factory's made-up rows go into ext as inferences.
    factories.TuitionFactory(
        programme=programme,
        applicant_group="non-eu",
        amount="15500.00",
        source_quote="Tuition fee: EUR 15,500 per semester for non-EU/EEA students.",
        inferred_because=None,
    )
    factories.TuitionFactory(programme=programme, period="programme", amount="0")
    factories.ModuleFactory(programme=programme, ects="7.5", description="Statistics.")
    return f"{live_server.url}/api/oeapi/v6"


def _known_ids():
    return {
        name: [str(uuid) for uuid in model.objects.values_list("uuid", flat=True)]
        for name, model in ID_MODELS.items()
    }


def _use_a_real_id(case, known):
    """Swap the case's path id for a real one, four times in five."""
    for name, value in (case.path_parameters or {}).items():
        choices = known[name]
        pick = int(value.replace("-", ""), 16) % (len(choices) + max(1, len(choices) // 4))
        if pick < len(choices):
            case.path_parameters[name] = choices[pick]


@pytest.mark.parametrize("path", list(OPERATIONS))
def test_operation_conforms_to_oeapi(path, live_api):
    operation = SCHEMA[path]["GET"]
    known = _known_ids()
    statuses = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def conforms(case):
        _use_a_real_id(case, known)
        response = case.call_and_validate(base_url=live_api)
        statuses.append(response.status_code)

    started = time.monotonic()
    conforms()
    seconds = time.monotonic() - started
    counted = {status: len(list(group)) for status, group in itertools.groupby(sorted(statuses))}
    print(f"GET {path}: {len(statuses)} requests in {seconds:.1f} s, by status {counted}")
    assert len(statuses) >= (
        EXAMPLES_PER_OPERATION if operation.path_parameters or operation.query else 1
    )
    assert 200 in counted

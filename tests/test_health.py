"""/healthz tells a load balancer whether this app process can reach its database."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_reports_a_database_failure_as_503(client):
    # A real outage can't be staged inside a test transaction, so the cursor fails on execute.
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"

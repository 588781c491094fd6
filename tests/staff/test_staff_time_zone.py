"""Staff work in Central European time: a check ticked at 00:30 in Berlin is recorded on that
day, not on the day before, which it still is in UTC."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data

UTC = datetime.UTC

# 00:30 in Berlin, 23:30 UTC the day before: in winter (CET, UTC+1) and summer (CEST, UTC+2).
HALF_PAST_MIDNIGHT_IN_BERLIN = [
    pytest.param(datetime.datetime(2026, 3, 9, 23, 30, tzinfo=UTC), id="winter"),
    pytest.param(datetime.datetime(2026, 7, 9, 22, 30, tzinfo=UTC), id="summer"),
]


@pytest.fixture
def staff_programme(db):
    university = factories.UniversityFactory(name="Uni A")
    return factories.ProgrammeFactory(title="Health Data", universities=[university])


def sign_in(client, programme):
    # Inside the travel: the session's sign-in time must be the travelled-to clock's. Alice may
    # publish directly, and her saves of the published programme do ("publish at once"): what
    # is tested is the date a save records, not the review a proposal goes through.
    user = factories.StaffUserFactory(
        username="alice", universities=programme.universities.all(), publishes_directly=True
    )
    client.force_login(user)


@pytest.mark.parametrize("moment", HALF_PAST_MIDNIGHT_IN_BERLIN)
def test_a_check_ticked_at_half_past_midnight_in_berlin_is_recorded_on_the_berlin_date(
    client, staff_programme, moment
):
    with time_machine.travel(moment, tick=False):
        sign_in(client, staff_programme)
        data = form_data(client.get(change_url(staff_programme)), publish_now=True)
        data["checked_today"] = "on"
        response = client.post(change_url(staff_programme), data)
        assert response.status_code == 302, errors_of(response)
    staff_programme.refresh_from_db()
    assert staff_programme.checked_on == moment.date() + datetime.timedelta(days=1)


@pytest.mark.parametrize("moment", HALF_PAST_MIDNIGHT_IN_BERLIN)
def test_the_admin_action_at_half_past_midnight_in_berlin_records_the_berlin_date(
    client, staff_programme, moment
):
    with time_machine.travel(moment, tick=False):
        sign_in(client, staff_programme)
        response = client.post(
            reverse("admin:programs_programme_changelist"),
            {"action": "mark_checked_today", "_selected_action": [staff_programme.pk]},
        )
        assert response.status_code == 302
    staff_programme.refresh_from_db()
    assert staff_programme.checked_on == moment.date() + datetime.timedelta(days=1)

"""The editions' commands: open_edition, publish_edition, archive_edition (with its progress), and
publish_due_proposals archiving the superseded edition before it publishes that day's proposals."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper

from programs.actions import editions
from programs.actions.editions import open_edition, publish_edition
from programs.display.editions import frozen_programme
from programs.management.edition_arguments import progress_printer
from programs.models import Edition, Programme
from tests.support import factories
from tests.support.proposals import approved, approver_of, propose

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def refusal(*args):
    with pytest.raises(CommandError) as error:
        run(*args)
    return str(error.value)


@pytest.fixture
def programmes():
    return [factories.ProgrammeFactory(title=f"Programme {n}") for n in range(5)]


def test_open_edition_opens_an_upcoming_edition():
    lines = run("open_edition", "2027", "--publishes-on", "2027-09-01")

    edition = Edition.objects.get()
    assert (edition.label, edition.publishes_on, edition.published) == (
        "2027/28",
        datetime.date(2027, 9, 1),
        False,
    )
    assert lines == [
        "Opened the 2027/28 edition (upcoming): it becomes current on 2027-09-01 once "
        "published (publish_edition 2027-28)."
    ]


def test_open_edition_refuses_with_a_plain_message():
    run("open_edition", "2027", "--publishes-on", "2027-09-01")

    assert refusal("open_edition", "2027", "--publishes-on", "2027-10-01") == (
        "The 2027/28 edition exists already."
    )
    assert refusal("open_edition", "2028", "--publishes-on", "2027-08-01") == (
        "Editions become current in the order of their years: choose another date."
    )
    assert refusal("open_edition", "2028", "--publishes-on", "1 Sept") == (
        "'1 Sept' is not a date: write it as 2027-09-01."
    )
    assert Edition.objects.count() == 1


def test_publish_edition_names_the_day_it_becomes_current():
    open_edition(2027, datetime.date(2027, 9, 1))

    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=BERLIN)):
        lines = run("publish_edition", "2027-28")

    assert lines == ["Published the 2027/28 edition: it becomes the current catalog on 2027-09-01."]
    assert Edition.objects.get().published


def test_publish_edition_for_today_archives_the_edition_before_with_progress(
    programmes, monkeypatch
):
    monkeypatch.setattr(editions, "FREEZE_CHUNK", 2)
    publish_edition(open_edition(2026, datetime.date(2026, 9, 1)), datetime.date(2026, 9, 1))
    open_edition(2027, datetime.date(2027, 9, 1))

    with time_machine.travel(datetime.datetime(2027, 9, 1, 9, tzinfo=BERLIN)):
        lines = run("publish_edition", "2027-28")

    assert lines == [
        "2 of 5 programmes frozen",
        "4 of 5 programmes frozen",
        "5 of 5 programmes frozen",
        "Archived the 2026/27 edition: it no longer changes.",
        "Published the 2027/28 edition: it is the current catalog.",
    ]


def test_an_edition_the_commands_dont_know_is_refused_with_the_ones_there_are():
    open_edition(2026, datetime.date(2026, 9, 1))

    assert refusal("publish_edition", "2026-28") == (
        "No catalog edition '2026-28': name one as in its addresses, one of 2026-27."
    )
    assert refusal("archive_edition", "2026/27") == (
        "No catalog edition '2026/27': name one as in its addresses, one of 2026-27."
    )


def test_archive_edition_reports_its_progress_every_chunk(programmes, monkeypatch):
    monkeypatch.setattr(editions, "FREEZE_CHUNK", 2)
    publish_edition(open_edition(2026, datetime.date(2026, 9, 1)), datetime.date(2026, 9, 1))

    lines = run("archive_edition", "2026-27")

    assert lines == [
        "2 of 5 programmes frozen",
        "4 of 5 programmes frozen",
        "5 of 5 programmes frozen",
        "Archived the 2026/27 edition: 5 programmes frozen.",
    ]
    assert refusal("archive_edition", "2026-27") == "This edition is archived already."


def test_the_progress_line_groups_thousands():
    out = io.StringIO()

    progress_printer(OutputWrapper(out))(12_500, 100_000)

    assert out.getvalue() == "12,500 of 100,000 programmes frozen\n"


def test_publish_due_proposals_archives_the_superseded_edition_before_publishing_that_days(
    programmes,
):
    """The 2026/27 edition keeps the catalog as it stood when its year ended: a proposal that
    takes effect on the first day of 2027/28 is in the new edition, not the archived one."""
    university = factories.UniversityFactory()
    programme = factories.ProgrammeFactory(
        title="Marine Biology", ects=90, universities=[university]
    )
    factories.ModuleFactory(programme=programme, title="Data Mining")
    proposer = factories.StaffUserFactory(username="proposer", universities=[university])
    approver = approver_of(university, username="approver")
    first_day = datetime.datetime(2027, 9, 1, 0, 0, tzinfo=BERLIN)
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=BERLIN)):
        publish_edition(open_edition(2026, datetime.date(2026, 9, 1)))
        publish_edition(open_edition(2027, datetime.date(2027, 9, 1)))
        approved(propose(programme, proposer, ects=120), approver, effective_at=first_day)
        assert run("publish_due_proposals") == []

    with time_machine.travel(first_day + datetime.timedelta(minutes=1), tick=False):
        dry = run("publish_due_proposals", "--dry-run")
        lines = run("publish_due_proposals")

    assert dry[0] == "due: archiving the 2026/27 edition"
    assert lines[0] == "6 of 6 programmes frozen"
    assert lines[1] == "archived: the 2026/27 edition, 6 programmes frozen"
    assert lines[2].startswith("published: proposal ")
    old = Edition.objects.get(starts_in=2026)
    frozen = frozen_programme(
        old.programmes.select_related("frozen", "edition").get(title="Marine Biology")
    )
    assert frozen.programme.ects == 90
    assert Programme.objects.get(pk=programme.pk).ects == 120
    with time_machine.travel(first_day + datetime.timedelta(minutes=2), tick=False):
        assert run("publish_due_proposals") == []

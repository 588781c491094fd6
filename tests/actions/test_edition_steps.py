"""The catalog editions' steps (programs/actions/editions.py): opening, publishing, archiving and
addenda, each refused with its message and having written nothing when it is not allowed; and
archiving once when two runs (two real processes on one database) try at the same moment, or a
catalog write commits while the programmes are being frozen."""

import datetime
import json
import subprocess
import sys
import time

import pytest
import time_machine
from django.db import connection

from programs.actions.editions import (
    EditionRefused,
    add_addendum,
    archive_edition,
    archive_superseded,
    move_edition,
    open_edition,
    publish_edition,
)
from programs.models import Addendum, CatalogRevision, Edition, EditionProgramme
from tests.actions.test_proposal_dates import database_url
from tests.support import factories
from tests.support.local_servers import PROJECT_ROOT

pytestmark = pytest.mark.django_db

SEPTEMBER_2026 = datetime.date(2026, 9, 1)


@pytest.fixture
def programmes():
    return [factories.ProgrammeFactory(title=f"Programme {n}") for n in range(3)]


def refused(step, *args, **kwargs):
    with pytest.raises(EditionRefused) as refusal:
        step(*args, **kwargs)
    return str(refusal.value)


# --- opening ------------------------------------------------------------------------------------


def test_opening_the_same_year_twice_is_refused_and_writes_nothing():
    open_edition(2026, SEPTEMBER_2026)
    revision = CatalogRevision.objects.get().number

    message = refused(open_edition, 2026, datetime.date(2026, 10, 1))

    assert message == "The 2026/27 edition exists already."
    assert list(Edition.objects.values_list("publishes_on", flat=True)) == [SEPTEMBER_2026]
    assert CatalogRevision.objects.get().number == revision


@pytest.mark.parametrize(
    ("starts_in", "publishes_on"),
    [(2027, datetime.date(2026, 9, 1)), (2025, datetime.date(2026, 9, 1))],
    ids=["later year, same date", "earlier year, same date"],
)
def test_editions_become_current_in_the_order_of_their_years(starts_in, publishes_on):
    open_edition(2026, SEPTEMBER_2026)

    message = refused(open_edition, starts_in, publishes_on)

    assert message == "Editions become current in the order of their years: choose another date."
    assert Edition.objects.count() == 1


def test_a_year_out_of_range_is_refused():
    assert refused(open_edition, 1999, datetime.date(1999, 9, 1)) == (
        "An edition's academic year starts between 2000 and 2099."
    )
    assert not Edition.objects.exists()


# --- publishing ---------------------------------------------------------------------------------


def test_a_published_edition_is_upcoming_until_its_date_then_current():
    edition = open_edition(2026, SEPTEMBER_2026)

    with time_machine.travel(datetime.datetime(2026, 8, 1, 12, tzinfo=datetime.UTC)):
        publish_edition(edition)
        assert edition.state() == "upcoming" and Edition.objects.current() is None
    # Midnight in Berlin (the catalog's time zone) is 22:00 UTC the day before.
    with time_machine.travel(datetime.datetime(2026, 8, 31, 21, 59, tzinfo=datetime.UTC)):
        assert edition.state() == "upcoming"
    with time_machine.travel(datetime.datetime(2026, 8, 31, 22, 0, tzinfo=datetime.UTC)):
        assert edition.state() == "current" and Edition.objects.current() == edition


def test_publishing_for_today_archives_the_superseded_edition_at_once(programmes):
    old = publish_edition(open_edition(2025, datetime.date(2025, 9, 1)), datetime.date(2025, 9, 1))
    new = open_edition(2026, SEPTEMBER_2026)

    publish_edition(new, SEPTEMBER_2026)

    old.refresh_from_db()
    assert old.is_archived and old.state(SEPTEMBER_2026) == "archived"
    assert sorted(old.programmes.values_list("title", flat=True)) == [
        "Programme 0",
        "Programme 1",
        "Programme 2",
    ]
    assert new.state(SEPTEMBER_2026) == "current"


def test_publishing_for_a_later_day_leaves_the_current_edition_live_until_then(programmes):
    old = publish_edition(open_edition(2025, datetime.date(2025, 9, 1)), datetime.date(2025, 9, 1))
    new = publish_edition(open_edition(2026, SEPTEMBER_2026), datetime.date(2026, 8, 1))

    assert archive_superseded(datetime.date(2026, 8, 31)) == []
    archived = archive_superseded(SEPTEMBER_2026)

    assert archived == [old] and archived[0].is_archived
    assert Edition.objects.current(SEPTEMBER_2026) == new


def test_an_archived_or_published_edition_is_not_published_again(programmes):
    edition = publish_edition(open_edition(2026, SEPTEMBER_2026), SEPTEMBER_2026)
    assert refused(publish_edition, edition) == "This edition is published already."
    archive_edition(edition)
    assert refused(publish_edition, edition) == "An archived edition can't be published again."


# --- moving an upcoming edition's day -------------------------------------------------------


def test_an_upcoming_edition_moves_to_another_day_in_the_order_of_the_years():
    publish_edition(open_edition(2025, datetime.date(2025, 9, 1)), datetime.date(2025, 9, 1))
    upcoming = open_edition(2026, datetime.date(2026, 10, 1))
    open_edition(2027, datetime.date(2027, 9, 1))
    today = datetime.date(2026, 8, 1)

    move_edition(upcoming, SEPTEMBER_2026, today)
    message = refused(move_edition, upcoming, datetime.date(2027, 9, 1), today)

    assert Edition.objects.get(starts_in=2026).publishes_on == SEPTEMBER_2026
    assert message == "Editions become current in the order of their years: choose another date."


def test_the_current_an_archived_or_a_published_editions_day_to_come_is_not_moved(programmes):
    old = publish_edition(open_edition(2025, datetime.date(2025, 9, 1)), datetime.date(2025, 9, 1))
    new = publish_edition(open_edition(2026, SEPTEMBER_2026), datetime.date(2026, 8, 1))
    today = datetime.date(2026, 8, 1)

    assert refused(move_edition, old, datetime.date(2025, 10, 1), today) == (
        "The current edition's day has come: it can't become current on another."
    )
    assert refused(move_edition, new, datetime.date(2026, 7, 1), today) == (
        "A published edition can only move to a day still to come."
    )
    archive_edition(old)
    assert refused(move_edition, old, datetime.date(2025, 10, 1), today) == (
        "An archived edition never changes."
    )
    assert list(Edition.objects.values_list("publishes_on", flat=True)) == [
        datetime.date(2025, 9, 1),
        SEPTEMBER_2026,
    ]


# --- archiving ----------------------------------------------------------------------------------


def test_archiving_twice_is_refused_and_freezes_nothing_more(programmes):
    edition = publish_edition(open_edition(2026, SEPTEMBER_2026), SEPTEMBER_2026)
    told = []
    archive_edition(edition, progress=lambda done, total: told.append((done, total)))
    archived_at = Edition.objects.get().archived_at

    message = refused(archive_edition, edition)

    assert message == "This edition is archived already."
    assert told == [(3, 3)]
    assert EditionProgramme.objects.count() == 3
    assert Edition.objects.get().archived_at == archived_at


def test_a_run_holding_the_edition_from_before_another_archived_it_is_refused(programmes):
    """The claim is the database's: an edition loaded before another run archived it (its
    `archived_at` still empty in memory) is refused, not archived twice."""
    edition = publish_edition(open_edition(2026, SEPTEMBER_2026), SEPTEMBER_2026)
    stale = Edition.objects.get(pk=edition.pk)
    archive_edition(edition)

    assert stale.archived_at is None
    assert refused(archive_edition, stale) == "This edition is archived already."
    assert EditionProgramme.objects.count() == 3


# --- addenda ------------------------------------------------------------------------------------


def test_addenda_are_refused_on_a_live_edition_too_long_or_naming_another_editions_programme(
    programmes,
):
    user = factories.StaffUserFactory()
    old = publish_edition(open_edition(2025, datetime.date(2025, 9, 1)), datetime.date(2025, 9, 1))
    new = publish_edition(open_edition(2026, SEPTEMBER_2026), SEPTEMBER_2026)
    old.refresh_from_db()
    archive_edition(new)
    elsewhere = new.programmes.first()
    live = open_edition(2027, datetime.date(2027, 9, 1))

    assert refused(add_addendum, live, "A correction.", user) == (
        "Addenda correct archived editions; this one still shows the live catalog."
    )
    assert refused(add_addendum, old, "x" * 5001, user) == (
        "An addendum can be at most 5000 characters long."
    )
    assert refused(add_addendum, old, "   ", user) == "Write what the addendum corrects."
    assert refused(add_addendum, old, "A correction.", user, entry=elsewhere) == (
        "That programme is not in this edition."
    )
    assert not Addendum.objects.exists()
    addendum = add_addendum(old, "x" * 5000, user, dated=datetime.date(2026, 10, 2))
    assert (addendum.edition, addendum.dated, len(addendum.text)) == (
        old,
        datetime.date(2026, 10, 2),
        5000,
    )


# --- two processes at once ----------------------------------------------------------------------

SETUP = r"""
import datetime, json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from programs.actions.editions import open_edition, publish_edition
from tests.support import factories

if connection.vendor == "sqlite":
    call_command("migrate", verbosity=0)
for number in range(int(sys.argv[1])):
    factories.ProgrammeFactory(title=f"Race {number}", slug=f"race-{number}")
edition = open_edition(2026, datetime.date(2026, 9, 1))
publish_edition(edition, datetime.date(2026, 9, 1))
print(json.dumps(edition.pk))
"""

RACER = r"""
import io, json, os, sys, time
import django
django.setup()
from django.core.management import call_command
from django.core.management.base import CommandError

go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.001)
started = time.time()
out = io.StringIO()
try:
    call_command("archive_edition", "2026-27", stdout=out)
    refusal = ""
except CommandError as error:
    refusal = str(error)
print(json.dumps({"started": started, "ended": time.time(), "lines": out.getvalue().splitlines(),
                  "refusal": refusal}))
"""

# Archives with a pause after the first chunk, while the test commits a write of the catalog.
PAUSING = r"""
import json, os, sys, time
import django
django.setup()
from programs.actions.editions import archive_edition
from programs.models import Edition

paused, go = sys.argv[1], sys.argv[2]

def progress(done, total):
    open(paused, "w").close()
    while not os.path.exists(go):
        time.sleep(0.01)

edition = archive_edition(Edition.objects.get(), progress=progress)
print(json.dumps(edition.programmes.count()))
"""

OUTCOME = r"""
import json
import django
django.setup()
from programs.models import CatalogRevision, Edition, EditionProgramme
edition = Edition.objects.get()
print(json.dumps({
    "archived": edition.archived_at is not None,
    "frozen": EditionProgramme.objects.filter(edition=edition).count(),
    "revision": CatalogRevision.objects.get().number,
}))
"""

RACING_PROGRAMMES = 300


def processes_env(tmp_path):
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(tmp_path),
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "CRITICAL",
    }


def processes(tmp_path):
    """start(script, *args) a process on the test's database, and result(process) its answer."""
    env = processes_env(tmp_path)

    def start(script, *args):
        return subprocess.Popen(
            [sys.executable, "-c", script, *map(str, args)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def result(process):
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr[-3000:]
        return json.loads(stdout.strip().splitlines()[-1])

    return start, result


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_archive_the_edition_once(tmp_path):
    start, result = processes(tmp_path)
    result(start(SETUP, RACING_PROGRAMMES))
    go = tmp_path / "go"
    racers = [start(RACER, go) for _ in range(2)]
    time.sleep(3)  # both have started Django and wait for the signal
    go.touch()
    runs = [result(racer) for racer in racers]

    assert sorted(run["refusal"] for run in runs) == ["", "This edition is archived already."]
    done = next(run for run in runs if not run["refusal"])
    assert done["lines"] == [
        "250 of 300 programmes frozen",
        "300 of 300 programmes frozen",
        "Archived the 2026/27 edition: 300 programmes frozen.",
    ]
    outcome = result(start(OUTCOME))
    assert (outcome["archived"], outcome["frozen"]) == (True, RACING_PROGRAMMES)


@pytest.mark.django_db(transaction=True)
def test_a_catalog_write_committed_while_archiving_does_not_undo_the_archive(tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has one writer at a time: no write commits while archiving")
    start, result = processes(tmp_path)
    result(start(SETUP, RACING_PROGRAMMES))
    paused, go = tmp_path / "paused", tmp_path / "go"
    archiving = start(PAUSING, paused, go)
    deadline = time.monotonic() + 120
    while not paused.exists():
        assert time.monotonic() < deadline, "the archiving process never reached its pause"
        time.sleep(0.05)
    # Another process's write, committed while the programmes are being frozen.
    before = result(start(OUTCOME))["revision"]
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.db import transaction;"
            "from programs.models import CatalogRevision;"
            "transaction.atomic()(CatalogRevision.objects.bump)()",
        ],
        cwd=PROJECT_ROOT,
        env=processes_env(tmp_path),
        check=True,
        timeout=120,
    )
    go.touch()

    assert result(archiving) == RACING_PROGRAMMES
    outcome = result(start(OUTCOME))
    assert outcome == {"archived": True, "frozen": RACING_PROGRAMMES, "revision": before + 2}

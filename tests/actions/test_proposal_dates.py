"""A proposal's effective date: an approved proposal goes live on its date, without anyone acting,
when `manage.py publish_due_proposals` runs (every minute, from cron or a systemd timer).

The dates are Europe/Berlin's (the catalog's time zone) and the clock is frozen (time_machine).
Going live is one transaction: one history record, one public change, one revision. A late run
publishes everything overdue once; two runs at the same moment (two real processes on one
database) publish each proposal once between them. A proposal begun before another change of the
live programme publishes without undoing it, unless the two clash: then it is refused, and the
scheduled run sends it back with the reason.
"""

import datetime
import io
import json
import os
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from programs.actions.proposals import (
    ProposalRefused,
    proposed_state,
    publish,
    publish_due,
    save_proposal,
    schedule,
)
from programs.actions.saving import programme_write
from programs.actions.snapshots import snapshot_of
from programs.models import (
    CatalogRevision,
    Module,
    Programme,
    Proposal,
    ProposalEvent,
    ProposalState,
    PublicChange,
)
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data, row_index
from tests.support.local_servers import PROJECT_ROOT
from tests.support.proposals import approved, approver_of, propose

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
UTC = datetime.UTC
# A Wednesday afternoon in Berlin; "tomorrow" starts at midnight Berlin time, 23:00 UTC today.
TODAY = datetime.datetime(2027, 3, 10, 15, 0, tzinfo=BERLIN)
TOMORROW = datetime.datetime(2027, 3, 11, 0, 0, tzinfo=BERLIN)

Action = ProposalEvent.Action


@pytest.fixture
def clock():
    """The clock frozen at TODAY; `clock.move_to(when)` moves it."""
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni Uppsala", slug="uni-uppsala")


@pytest.fixture
def proposer(university):
    return factories.StaffUserFactory(username="proposer", universities=[university])


@pytest.fixture
def approver(university):
    return approver_of(university, username="approver")


def published_programme(university, title="Marine Biology", slug="marine-biology", ects=90):
    programme = factories.ProgrammeFactory(
        title=title, slug=slug, ects=ects, published=True, universities=[university]
    )
    factories.ModuleFactory(programme=programme, title="Data Mining", position=1)
    factories.ModuleFactory(programme=programme, title="Ocean Physics", position=2)
    return programme


@pytest.fixture
def programme(university):
    return published_programme(university)


def run_command(*args):
    out = io.StringIO()
    call_command("publish_due_proposals", *args, stdout=out)
    return out.getvalue()


def public_page(client, programme):
    return client.get(programme.get_absolute_url()).content.decode()


def propose_in_admin(client, programme, ects, renamed_module):
    """The proposer's edit in the admin's change form: the ECTS and one module's title."""
    url = change_url(programme)
    data = form_data(client.get(url))
    data["ects"] = str(ects)
    data[f"modules-{row_index(data, 'modules', 'title', renamed_module[0])}-title"] = (
        renamed_module[1]
    )
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    return Proposal.objects.open().get(programme=programme)


def published_events(proposal):
    return list(proposal.events.filter(action=Action.PUBLISHED).values_list("actor", "at"))


# ---------------------------------------------------------------------------------------------
# Going live on the date


def test_a_proposal_dated_tomorrow_goes_live_when_the_clock_passes_it_and_the_command_runs(
    clock, client, programme, proposer, approver
):
    client.force_login(proposer)
    proposal = propose_in_admin(client, programme, 120, ("Data Mining", "Machine Learning"))
    approved(proposal, approver, effective_at=TOMORROW)
    client.logout()

    # Today: approved, but its date hasn't come. The command publishes nothing, the public page
    # shows the published version.
    assert run_command() == ""
    assert Programme.objects.get(pk=programme.pk).ects == 90
    page = public_page(client, programme)
    assert "Data Mining" in page and "Machine Learning" not in page
    with pytest.raises(ProposalRefused, match="It takes effect on 2027-03-11 00:00"):
        publish(proposal, approver)

    # 23:59 in Berlin (22:59 UTC): still today.
    clock.move_to(datetime.datetime(2027, 3, 10, 22, 59, tzinfo=UTC))
    assert run_command() == ""
    # 00:01 in Berlin, still the 10th in UTC: tomorrow has come.
    clock.move_to(datetime.datetime(2027, 3, 10, 23, 1, tzinfo=UTC))
    assert run_command() == (
        f"published: proposal {proposal.pk} (Marine Biology), took effect 2027-03-11 00:00 CET\n"
    )

    live = Programme.objects.get(pk=programme.pk)
    assert live.ects == 120
    assert sorted(live.modules.values_list("title", flat=True)) == [
        "Machine Learning",
        "Ocean Physics",
    ]
    page = public_page(client, programme)
    assert "Machine Learning" in page and "Data Mining" not in page
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PUBLISHED
    assert proposal.published_by is None  # the catalog itself
    assert proposal.published_at == datetime.datetime(2027, 3, 10, 23, 1, tzinfo=UTC)
    assert published_events(proposal) == [(None, proposal.published_at)]

    # The next minute's run finds nothing to do.
    clock.move_to(datetime.datetime(2027, 3, 10, 23, 2, tzinfo=UTC))
    assert run_command() == ""
    assert len(published_events(proposal)) == 1
    assert live.history.count() == Programme.objects.get(pk=programme.pk).history.count()


def test_a_date_given_without_a_time_zone_is_berlin_time(clock, programme, proposer, approver):
    proposal = approved(propose(programme, proposer, ects=120), approver)
    schedule(proposal, proposer, datetime.datetime(2027, 3, 11, 0, 0))

    proposal.refresh_from_db()
    assert proposal.effective_at == TOMORROW
    assert proposal.events.get(action=Action.SCHEDULED).comment == "2027-03-11 00:00 CET"
    assert publish_due(datetime.datetime(2027, 3, 10, 22, 59, tzinfo=UTC)) == ([], [])


def test_an_approved_proposal_without_a_date_goes_live_at_the_next_run(
    clock, programme, proposer, approver
):
    proposal = approved(propose(programme, proposer, ects=120), approver)

    assert run_command() == (
        f"published: proposal {proposal.pk} (Marine Biology), took effect as soon as approved\n"
    )
    assert Programme.objects.get(pk=programme.pk).ects == 120


def test_a_proposal_waiting_for_review_is_not_published_on_its_date(
    clock, programme, proposer, approver
):
    proposal = propose(programme, proposer, ects=120)
    schedule(proposal, proposer, TOMORROW)
    clock.move_to(TOMORROW + datetime.timedelta(days=3))

    assert run_command() == ""
    assert run_command("--dry-run") == "0 proposal(s) due; nothing published (dry run).\n"
    assert Programme.objects.get(pk=programme.pk).ects == 90
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.EDITING


def test_a_late_run_publishes_everything_overdue_once_oldest_first(
    clock, university, proposer, approver
):
    """The timer was off from Monday to Friday: Friday's first run publishes the three proposals
    dated Tuesday, Wednesday and Thursday, each once; the next run, none."""
    clock.move_to(datetime.datetime(2027, 3, 8, 9, 0, tzinfo=BERLIN))  # Monday
    proposals = []
    for day, slug in ((11, "thursday"), (9, "tuesday"), (10, "wednesday")):
        programme = published_programme(university, title=slug.title(), slug=slug)
        proposal = propose(programme, proposer, ects=120)
        dated = datetime.datetime(2027, 3, day, 8, 0, tzinfo=BERLIN)
        proposals.append(approved(proposal, approver, effective_at=dated))
    thursday, tuesday, wednesday = proposals

    clock.move_to(datetime.datetime(2027, 3, 12, 7, 0, tzinfo=BERLIN))  # Friday
    assert run_command("--dry-run").splitlines() == [
        f"due: proposal {tuesday.pk} (Tuesday), takes effect 2027-03-09 08:00 CET",
        f"due: proposal {wednesday.pk} (Wednesday), takes effect 2027-03-10 08:00 CET",
        f"due: proposal {thursday.pk} (Thursday), takes effect 2027-03-11 08:00 CET",
        "3 proposal(s) due; nothing published (dry run).",
    ]
    assert not Proposal.objects.filter(state=ProposalState.PUBLISHED).exists()

    assert run_command().splitlines() == [
        f"published: proposal {tuesday.pk} (Tuesday), took effect 2027-03-09 08:00 CET",
        f"published: proposal {wednesday.pk} (Wednesday), took effect 2027-03-10 08:00 CET",
        f"published: proposal {thursday.pk} (Thursday), took effect 2027-03-11 08:00 CET",
    ]
    clock.move_to(datetime.datetime(2027, 3, 12, 7, 1, tzinfo=BERLIN))
    assert run_command() == ""
    assert set(Programme.objects.values_list("ects", flat=True)) == {120}
    for proposal in proposals:
        assert len(published_events(proposal)) == 1
        assert PublicChange.objects.filter(programme=proposal.programme_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_going_live_is_one_transaction_one_history_record_one_public_change_one_revision(
    programme, proposer, approver
):
    """Committed as production commits (no test transaction around it): the proposal's changes
    to the programme and to a module are one write."""
    with time_machine.travel(TODAY, tick=False):
        module = programme.modules.get(title="Data Mining")
        proposed = snapshot_of(programme.pk)
        proposed["programme"]["ects"] = 120
        proposed["parts"]["programs.Module"][str(module.pk)]["title"] = "Machine Learning"
        proposal, _ = save_proposal(programme, proposed, proposer)
        approved(proposal, approver, effective_at=TOMORROW)
    history = programme.history.count()
    module_history = module.history.count()
    changes = PublicChange.objects.filter(programme=programme).count()
    revision = CatalogRevision.objects.get().number

    with time_machine.travel(TOMORROW, tick=False):
        assert len(run_command().splitlines()) == 1

    assert programme.history.count() == history + 1
    record = programme.history.first()
    assert (record.ects, record.history_user, record.history_change_reason) == (
        120,
        proposer,
        f"Proposal {proposal.pk} published",
    )
    assert module.history.count() == module_history + 1
    assert Module.objects.get(pk=module.pk).title == "Machine Learning"
    assert PublicChange.objects.filter(programme=programme).count() == changes + 1
    assert CatalogRevision.objects.get().number == revision + 1


# ---------------------------------------------------------------------------------------------
# Two runs at once: two real processes on the same database


RACER = r"""
import io, json, os, sys, time
import django
django.setup()
from django.core.management import call_command

go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.001)
started = time.time()
out = io.StringIO()
call_command("publish_due_proposals", stdout=out)
print(json.dumps({"started": started, "ended": time.time(), "lines": out.getvalue().splitlines()}))
"""

SETUP = r"""
import datetime, json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from programs.models import Programme, PublicChange
from tests.support import factories
from tests.support.proposals import approved, approver_of, propose

if connection.vendor == "sqlite":
    call_command("migrate", verbosity=0)
university = factories.UniversityFactory(slug="racing-university")
proposer = factories.StaffUserFactory(username="racing-proposer", universities=[university])
approver = approver_of(university, username="racing-approver")
proposals = []
for number in range(int(sys.argv[1])):
    programme = factories.ProgrammeFactory(
        title=f"Race {number}", slug=f"race-{number}", ects=90, universities=[university]
    )
    factories.ModuleFactory(programme=programme, title="Data Mining")
    proposal = propose(programme, proposer, ects=120)
    due = timezone.now() - datetime.timedelta(minutes=1)
    proposals.append(approved(proposal, approver, effective_at=due).pk)
print(json.dumps(proposals))
"""

OUTCOME = r"""
import json, sys
import django
django.setup()
from programs.models import CatalogRevision, Programme, Proposal, PublicChange

proposals = Proposal.objects.filter(pk__in=json.loads(sys.argv[1]))
print(json.dumps({
    "states": sorted(set(proposals.values_list("state", flat=True))),
    "published_events": [p.events.filter(action="published").count() for p in proposals],
    "history": [p.programme.history.count() for p in proposals],
    "public_changes": [
        PublicChange.objects.filter(programme=p.programme).count() for p in proposals
    ],
    "ects": sorted({p.programme.ects for p in proposals}),
}))
"""

RACING_PROPOSALS = 8


def database_url(tmp_path):
    """The database the processes share: the test's own PostgreSQL database (this test commits,
    so they see its rows), or on SQLite a file (the suite's SQLite database is in memory)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.sqlite3'}"
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_publish_each_due_proposal_once(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(tmp_path),
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "CRITICAL",
    }

    def run(script, *args):
        result = subprocess.run(
            [sys.executable, "-c", script, *map(str, args)],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    proposals = run(SETUP, RACING_PROPOSALS)
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(go)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    time.sleep(3)  # both have started Django and wait for the signal
    go.touch()
    runs = []
    for racer in racers:
        stdout, stderr = racer.communicate(timeout=300)
        assert racer.returncode == 0, stderr[-3000:]
        runs.append(json.loads(stdout.strip().splitlines()[-1]))

    first, second = runs
    # The runs overlapped: each started before the other ended.
    assert first["started"] < second["ended"] and second["started"] < first["ended"]
    lines = first["lines"] + second["lines"]
    assert all(line.startswith("published: proposal ") for line in lines), lines
    published = sorted(int(line.split()[2]) for line in lines)
    assert published == sorted(proposals)  # each once, between them
    outcome = run(OUTCOME, json.dumps(proposals))
    assert outcome == {
        "states": ["published"],
        "published_events": [1] * RACING_PROPOSALS,
        # Made, then published: two records each; one public change each (a programme made
        # published logs none until it changes).
        "history": [2] * RACING_PROPOSALS,
        "public_changes": [1] * RACING_PROPOSALS,
        "ects": [120],
    }


# ---------------------------------------------------------------------------------------------
# A proposal begun before another change of the live programme


def change_live(programme, **changes):
    """Another change written straight to the published programme while the proposal waits (as
    an import or a history restore by someone who may publish directly writes it)."""
    with programme_write({programme.pk: None}):
        live = Programme.objects.get(pk=programme.pk)
        for field, value in changes.items():
            setattr(live, field, value)
        live.save()


def test_a_stale_proposal_that_does_not_clash_publishes_without_undoing_the_other_change(
    clock, client, programme, proposer, approver
):
    proposal = approved(propose(programme, proposer, ects=120), approver, effective_at=TOMORROW)
    change_live(programme, title="Marine Biology and Oceanography")

    clock.move_to(TOMORROW)
    assert run_command().startswith(f"published: proposal {proposal.pk} ")
    live = Programme.objects.get(pk=programme.pk)
    assert (live.title, live.ects) == ("Marine Biology and Oceanography", 120)
    page = public_page(client, live)
    assert "Marine Biology and Oceanography" in page


def test_a_stale_proposal_that_clashes_is_refused_and_the_scheduled_run_sends_it_back(
    clock, client, programme, proposer, approver
):
    proposal = approved(propose(programme, proposer, ects=120), approver, effective_at=TOMORROW)
    change_live(programme, ects=100)
    history = programme.history.count()

    clock.move_to(TOMORROW)
    with pytest.raises(ProposalRefused, match="1 change of the live programme since the propo"):
        publish(proposal, approver)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.APPROVED

    reason = (
        "It can't be published: 1 change of the live programme since the proposal began clashes "
        "with it. Edit the proposal to decide, then submit it again."
    )
    assert run_command() == f"sent back: proposal {proposal.pk} (Marine Biology): {reason}\n"
    assert Programme.objects.get(pk=programme.pk).ects == 100  # the newer change stands
    assert programme.history.count() == history
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SENT_BACK
    assert not proposal.approvals.exists()
    sent_back = proposal.events.get(action=Action.SENT_BACK)
    assert (sent_back.actor, sent_back.comment) == (None, reason)
    # Sent back, it is no longer due: the next run neither publishes nor sends it back again.
    assert run_command() == ""


def test_a_due_proposal_whose_programme_was_deleted_is_sent_back_saying_so(
    clock, programme, proposer, approver
):
    proposal = approved(propose(programme, proposer, ects=120), approver, effective_at=TOMORROW)
    programme.delete()

    clock.move_to(TOMORROW)
    assert run_command() == (
        f"sent back: proposal {proposal.pk} (Marine Biology): The programme was deleted after "
        "this proposal began; it can only be withdrawn.\n"
    )
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SENT_BACK


# ---------------------------------------------------------------------------------------------
# Going live with the parts


def add_module_in_admin(client, programme, title, delete=None):
    url = change_url(programme)
    data = form_data(client.get(url))
    index = int(data["modules-TOTAL_FORMS"])
    data["modules-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"modules-{index}-title": title,
            f"modules-{index}-kind": "elective",
            f"modules-{index}-position": "9",
            f"modules-{index}-programme": str(programme.pk),
        }
    )
    if delete:
        data[f"modules-{row_index(data, 'modules', 'title', delete)}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)


def module_titles(programme):
    return sorted(Module.objects.filter(programme=programme).values_list("title", flat=True))


def test_modules_added_removed_and_renamed_in_a_proposal_go_live_together(
    clock, client, programme, proposer, approver
):
    client.force_login(proposer)
    add_module_in_admin(client, programme, "Coral Reefs", delete="Ocean Physics")
    proposal = propose_in_admin(client, programme, 120, ("Data Mining", "Machine Learning"))
    approved(proposal, approver, effective_at=TOMORROW)
    assert module_titles(programme) == ["Data Mining", "Ocean Physics"]

    clock.move_to(TOMORROW)
    run_command()
    assert module_titles(programme) == ["Coral Reefs", "Machine Learning"]
    page = public_page(client, programme)
    assert "Coral Reefs" in page and "Ocean Physics" not in page


def test_a_new_module_goes_live_even_if_its_number_was_taken_meanwhile(
    clock, client, university, programme, proposer, approver
):
    """The proposal's new module got a row number in the save that was rolled back; SQLite may
    hand that number out again (PostgreSQL never does). Whoever took it keeps their module."""
    client.force_login(proposer)
    add_module_in_admin(client, programme, "Coral Reefs")
    proposal = Proposal.objects.open().get(programme=programme)
    other = published_programme(university, title="Oceanography", slug="oceanography")
    approved(proposal, approver, effective_at=TOMORROW)

    clock.move_to(TOMORROW)
    assert run_command().startswith("published:")
    assert module_titles(programme) == ["Coral Reefs", "Data Mining", "Ocean Physics"]
    assert module_titles(other) == ["Data Mining", "Ocean Physics"]


def test_a_module_added_to_the_live_programme_meanwhile_stays_beside_the_proposals_new_one(
    clock, client, programme, proposer, approver
):
    """Both added a module: no clash, even where the live one got the number the proposal's
    new module had in its rolled-back save (SQLite)."""
    client.force_login(proposer)
    add_module_in_admin(client, programme, "Coral Reefs")
    proposal = Proposal.objects.open().get(programme=programme)
    approved(proposal, approver, effective_at=TOMORROW)
    # An import adds one to the published programme meanwhile.
    with programme_write({programme.pk: None}):
        factories.ModuleFactory(programme=programme, title="Deep Sea Ecology", position=3)

    clock.move_to(TOMORROW)
    assert run_command().startswith("published:")
    assert module_titles(programme) == [
        "Coral Reefs",
        "Data Mining",
        "Deep Sea Ecology",
        "Ocean Physics",
    ]


def test_a_proposal_that_would_break_a_rule_is_sent_back_and_holds_up_no_other(
    clock, university, programme, proposer, approver
):
    """The proposal adds semester 3; meanwhile the live programme got a semester 3 of its own.
    Row by row nothing clashes, but two third semesters can't be: the merge counts it as a
    clash (programs.actions.snapshots.settle_unique_clashes), the run sends it back, changes
    nothing of it, and publishes the proposal due after it."""
    snapshot, _ = proposed_state(
        programme.pk,
        lambda: factories.SemesterFactory(programme=programme, number=3, title="Field work"),
    )
    first, _ = save_proposal(programme, snapshot, proposer)
    approved(first, approver, effective_at=TOMORROW)
    other = published_programme(university, title="Oceanography", slug="oceanography")
    later = approved(
        propose(other, proposer, ects=120),
        approver,
        effective_at=TOMORROW + datetime.timedelta(hours=1),
    )
    with programme_write({programme.pk: None}):
        factories.SemesterFactory(programme=programme, number=3, title="Thesis")

    clock.move_to(TOMORROW + datetime.timedelta(hours=2))
    lines = run_command().splitlines()

    assert (
        lines[0]
        == f"published: proposal {later.pk} (Oceanography), took effect 2027-03-11 01:00 CET"
    )
    assert lines[1].startswith(
        f"sent back: proposal {first.pk} (Marine Biology): It can't be published: 1 change of "
        "the live programme since the proposal began clashes with it."
    )
    assert list(programme.semesters.values_list("number", "title")) == [(3, "Thesis")]
    assert Proposal.objects.get(pk=first.pk).state == ProposalState.SENT_BACK
    assert Programme.objects.get(pk=other.pk).ects == 120

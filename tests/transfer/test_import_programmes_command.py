"""`manage.py import_programmes`: the admin's import from the command line, a dry run unless
--commit, with a progress bar."""

import io

import pytest
from django.core.management import CommandError, call_command

from programs.models import CatalogRevision, Programme, Proposal, University
from programs.transfer.spreadsheet_columns import MODULE_COLUMNS, PROGRAMME_COLUMNS
from tests.support.factories import StaffUserFactory
from tests.support.spreadsheet_files import csv_bytes, programme_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path, catalog):
    StaffUserFactory(username="alice", universities=[University.objects.get(slug="rwth-aachen")])
    programmes = tmp_path / "programmes.xlsx"
    programmes.write_bytes(
        xlsx_bytes(
            [programme_row(slug="clinical-data-science", ects="120", languages="en")],
            PROGRAMME_COLUMNS,
        )
    )
    modules = tmp_path / "modules.csv"
    modules.write_bytes(
        csv_bytes(
            [
                {
                    "programme": "clinical-data-science",
                    "position": str(position),
                    "title": f"Module {position}",
                    "kind": "compulsory",
                    "ects": "6",
                }
                for position in range(3)
            ],
            MODULE_COLUMNS,
        )
    )
    return str(programmes), str(modules)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_programmes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_commit_bumps_the_catalog_revision_and_a_dry_run_does_not(files):
    """The import writes in bulk, past the signals: cached public pages must still know."""
    programmes, modules = files
    before = CatalogRevision.objects.current()
    run(programmes, "--modules", modules, "--user", "alice")
    assert CatalogRevision.objects.current() == before
    run(programmes, "--modules", modules, "--user", "alice", "--commit")
    assert CatalogRevision.objects.current() != before


def test_a_dry_run_is_the_default_and_writes_nothing(files):
    programmes, modules = files
    out, err = run(programmes, "--modules", modules, "--user", "alice")
    assert "programmes row 2: clinical-data-science: new (Clinical Data Science)" in out
    assert "modules row 4: clinical-data-science #2: new (Module 2)" in out
    assert out.endswith(
        "Dry run: 4 new, 0 changed, 0 unchanged, 0 removed, 0 with errors. Nothing was written; "
        "run again with --commit to import.\n"
    )
    assert "Checking modules: [##############################] 3/3" in err
    assert not Programme.objects.filter(slug="clinical-data-science").exists()


def test_commit_writes_it_all_as_the_user_and_a_second_run_changes_nothing(files):
    programmes, modules = files
    out, err = run(programmes, "--modules", modules, "--user", "alice", "--commit")
    assert out.endswith("Imported: 4 new, 0 changed, 0 unchanged, 0 removed, 0 with errors.\n")
    assert "Writing modules: [##############################] 3/3" in err
    programme = Programme.objects.get(slug="clinical-data-science")
    assert programme.modules.count() == 3
    assert programme.published is False
    record = programme.history.latest()
    assert record.history_user.username == "alice"
    assert record.history_change_reason == "Imported from programmes.xlsx and modules.csv"

    out, _err = run(programmes, "--modules", modules, "--user", "alice", "--commit")
    assert out.endswith("Imported: 0 new, 0 changed, 4 unchanged, 0 removed, 0 with errors.\n")
    assert programme.history.count() == 1


def test_the_command_keeps_staff_to_their_own_universities(files, tmp_path):
    other = tmp_path / "other.csv"
    other.write_bytes(
        csv_bytes(
            [{"slug": "data-driven-health", "title": "Mine now", "universities": "kth"}],
            PROGRAMME_COLUMNS,
        )
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"nothing was imported"):
        call_command("import_programmes", str(other), "--user", "alice", "--commit", stdout=out)
    assert (
        "A2 slug: a programme with this slug exists and is not offered by your universities: "
        "you may not change it"
    ) in out.getvalue()
    assert Programme.objects.get(slug="data-driven-health").title == "Data-driven Health"


def test_the_command_names_an_unknown_user_or_a_missing_file(files):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run(files[0], "--user", "nobody")
    with pytest.raises(CommandError, match="No such file or directory"):
        run("/no/such/file.csv", "--user", "alice")


@pytest.fixture
def ects_change(tmp_path, files):
    """A file changing the published medical-data-science's ECTS from 90 to 120."""
    path = tmp_path / "ects.csv"
    row = {
        "slug": "medical-data-science",
        "title": "Medical Data Science",
        "universities": "rwth-aachen",
        "ects": "120",
    }
    path.write_bytes(csv_bytes([row], list(row)))
    return str(path)


def test_the_command_writes_published_programmes_at_once_by_default(ects_change):
    """Operators on the server import without review, as documented in its help."""
    out, _err = run(ects_change, "--user", "alice", "--commit", "--no-progress")
    assert out.endswith("Imported: 0 new, 1 changed, 0 unchanged, 0 removed, 0 with errors.\n")
    assert Programme.objects.get(slug="medical-data-science").ects == 120
    assert not Proposal.objects.exists()


def test_propose_makes_the_change_of_a_published_programme_a_proposal(ects_change):
    out, _err = run(ects_change, "--user", "alice", "--propose", "--no-progress")
    assert "medical-data-science: published; the changes would go to a new proposal" in out
    assert not Proposal.objects.exists()

    out, _err = run(ects_change, "--user", "alice", "--propose", "--commit", "--no-progress")

    proposal = Proposal.objects.get()
    assert f"Proposal {proposal.pk} started: Proposal for “Medical Data Science”" in out
    assert proposal.proposed_by.username == "alice"
    assert proposal.proposed["programme"]["ects"] == 120
    assert Programme.objects.get(slug="medical-data-science").ects == 90

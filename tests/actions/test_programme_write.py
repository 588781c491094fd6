"""One way to save a programme (programs/actions/saving.py): `programme_write()` claims the
version, rebuilds the search document once and records the public change, in one transaction;
and the four writers go through it.

Proven elsewhere, so not again here:
- the admin's save and history restore record their public change: tests/changelog/
  test_public_changes.py (test_an_admin_edit_shows_old_and_new_values_on_every_page_and_feed,
  test_restoring_an_earlier_version_is_a_public_change);
- a stale admin save or restore is refused: tests/staff/test_admin_history.py
  (test_two_saves_racing_past_the_form_check_cannot_both_win,
  test_restoring_a_version_from_a_page_opened_before_another_save_is_refused), and
  tests/actions/test_concurrent_saves.py;
- a save between the importer's preview and its confirmation refuses the import:
  tests/transfer/test_spreadsheet_import.py
  (test_a_save_between_preview_and_confirm_refuses_the_import).
Here: the action itself, and the public change of the two writers no test checked it for,
load_catalog and the spreadsheet importer.
"""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from programs.actions.saving import StaleVersion, programme_write
from programs.models import Programme, ProgrammeSearchDocument, PublicChange, University
from programs.search import programme_documents
from programs.transfer.spreadsheet_import import CatalogImport
from programs.transfer.spreadsheet_read import read_table
from tests.support import factories
from tests.support.spreadsheet_files import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = factories.ProgrammeFactory(title="Health Data Science", published=True)
    factories.ProgrammeUniversityFactory(programme=programme)
    return Programme.objects.get(pk=programme.pk)


def test_the_write_claims_the_next_version(programme):
    with programme_write({programme.pk: programme.version}):
        pass

    assert Programme.objects.get(pk=programme.pk).version == programme.version + 1


def test_a_stale_version_raises_and_writes_nothing(programme):
    history = programme.history.count()

    with pytest.raises(StaleVersion), programme_write() as write:
        programme.title = "Lost"
        programme.save()
        factories.ModuleFactory(programme=programme)
        write.claim(programme.pk, loaded_version=programme.version - 1)

    stored = Programme.objects.get(pk=programme.pk)
    assert (stored.title, stored.version) == ("Health Data Science", programme.version)
    assert (stored.modules.count(), stored.history.count()) == (0, history)
    assert not PublicChange.objects.exists()


def test_the_search_document_is_rebuilt_once_at_the_end(programme, monkeypatch):
    rebuilt = []
    refresh = programme_documents.refresh
    monkeypatch.setattr(
        programme_documents, "refresh", lambda ids, **kw: rebuilt.append(set(ids)) or refresh(ids)
    )

    with programme_write({programme.pk: programme.version}):
        programme.title = "Clinical Informatics"
        programme.version += 1
        programme.save()
        track = factories.TrackFactory(programme=programme)
        factories.ModuleFactory(programme=programme, track=track)
        factories.ModuleFactory(programme=programme)

    assert rebuilt == [{programme.pk}]
    assert "informatics" in ProgrammeSearchDocument.objects.get(pk=programme.pk).title_text


def test_one_public_change_per_written_published_programme_and_none_for_a_draft(programme):
    other = factories.ProgrammeFactory(published=True)
    draft = factories.ProgrammeFactory(published=False)

    with programme_write({programme.pk: None, other.pk: None, draft.pk: None}) as write:
        for written in (programme, other, draft):
            written.summary = "Rewritten."
            written.save(update_fields=["summary"])
        write.wrote(programme.pk)  # listed twice (claimed and wrote): still one change

    assert sorted(PublicChange.objects.values_list("programme_id", flat=True)) == sorted(
        [programme.pk, other.pk]
    )


def test_a_write_that_lists_no_programme_records_nothing(programme):
    with programme_write():
        programme.summary = "Rewritten, but not said to be written."
        programme.save(update_fields=["summary"])

    assert not PublicChange.objects.exists()


def test_load_catalog_records_the_public_change_of_a_programme_it_updates(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(Path(settings.BASE_DIR) / "fixtures", fixtures)
    call_command("load_catalog", str(fixtures), stdout=io.StringIO())
    path = fixtures / "programmes" / "medical-data-science.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["campus"] = "Aachen Melaten"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    call_command("load_catalog", str(fixtures), stdout=io.StringIO())

    programme = Programme.objects.get(slug="medical-data-science")
    assert programme.version == 2
    changes = [change.descriptions for change in programme.public_changes.order_by("changed_at")]
    assert changes == [["Published"], ["Campus: Aachen → Aachen Melaten"]]
    assert PublicChange.objects.count() == Programme.objects.filter(published=True).count() + 1


def test_the_spreadsheet_import_records_the_public_change_of_a_programme_it_changes(catalog):
    programme = Programme.objects.get(slug="data-driven-health")
    user = factories.StaffUserFactory(universities=[University.objects.get(slug="kth")])
    row = {"slug": programme.slug, "title": programme.title, "universities": "kth", "ects": "75"}
    table = read_table(csv_bytes([row], list(row)), "edits.csv")

    CatalogImport(user, programmes=table).commit()

    latest = programme.public_changes.order_by("-changed_at").first()
    assert latest.descriptions == [f"ECTS credits: {programme.ects} ECTS → 75 ECTS"]
    assert Programme.objects.get(pk=programme.pk).version == programme.version + 1

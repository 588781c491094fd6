"""The words /modules/ finds a module by stay current on every path that writes it: the admin's
forms, the spreadsheet import, load_catalog, generate_catalog, and plain ORM saves and deletes
of modules, tracks and programmes."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs.models import Module, ModuleSearchDocument, Programme, University
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data, row_index
from tests.support.factories import StaffUserFactory
from tests.support.proposal_flow import approver_of, publish_after_review
from tests.support.spreadsheet_files import confirm, csv_bytes, export, upload

pytestmark = pytest.mark.django_db


def found_count(client, text):
    """How many modules /modules/ says match `text`, and the titles of the first page's."""
    html = client.get(reverse("programs:module-list"), {"q": text}).content.decode()
    count = re.search(r'<p class="result-count" role="status">(\d[\d,]*) module', html)
    titles = re.findall(r'<span class="module-title"[^>]*>([^<]*)</span>', html)
    return int(count[1].replace(",", "")), titles


def found(client, text):
    """The titles of the modules /modules/ finds for `text` (fewer than a page of them)."""
    count, titles = found_count(client, text)
    assert count == len(titles)
    return titles


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def programme():
    programme = factories.ProgrammeFactory(
        title="Health Data Science",
        universities=[factories.UniversityFactory()],
        languages=[factories.LanguageFactory()],
    )
    factories.ModuleFactory(programme=programme, title="Statistics")
    return programme


def test_an_admin_save_changes_what_a_module_is_found_by(superuser_client, programme):
    assert found(superuser_client, "statistics") == ["Statistics"]
    data = form_data(superuser_client.get(change_url(programme)))
    row = row_index(data, "modules", "title", "Statistics")
    data[f"modules-{row}-title"] = "Epidemiology"
    data[f"modules-{row}-description"] = "Outbreaks and cohorts."

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    # The programme is published: the save is a proposal, found by nothing until published.
    assert found(superuser_client, "epidemiology") == []
    assert found(superuser_client, "statistics") == ["Statistics"]
    publish_after_review(programme, approver_of(programme))
    assert found(superuser_client, "epidemiology") == ["Epidemiology"]
    assert found(superuser_client, "cohorts") == ["Epidemiology"]
    assert found(superuser_client, "statistics") == []


def test_a_tracks_name_is_found_while_it_has_that_name(client, programme):
    track = factories.TrackFactory(programme=programme, name="Genomics")
    module = Module.objects.get(title="Statistics")
    module.track = track
    module.save()
    assert found(client, "genomics") == ["Statistics"]
    track.name = "Proteomics"
    track.save()
    assert found(client, "genomics") == []
    assert found(client, "proteomics") == ["Statistics"]
    track.delete()
    assert found(client, "proteomics") == []
    assert found(client, "statistics") == ["Statistics"]


def test_deleted_modules_and_programmes_are_no_longer_found_or_counted(client, programme):
    other = factories.ModuleFactory(programme=programme, title="Statistics II")
    assert found(client, "statistics") == ["Statistics", "Statistics II"]
    other.delete()
    assert found(client, "statistics") == ["Statistics"]
    programme.delete()
    assert not ModuleSearchDocument.objects.exists()
    assert found(client, "statistics") == []


def test_a_module_of_an_unpublished_programme_is_not_found(client, programme):
    Programme.objects.filter(pk=programme.pk).update(published=False)
    assert found(client, "statistics") == []


def test_a_spreadsheet_import_changes_what_modules_are_found_by(client, catalog):
    from programs.transfer.spreadsheet_columns import MODULE_COLUMNS, PROGRAMME_COLUMNS

    user = StaffUserFactory(
        username="alice", universities=[University.objects.get(slug="rwth-aachen")]
    )
    client.force_login(user)
    rows = list(read_csv(export(client, "programmes", "csv")))
    modules = list(read_csv(export(client, "modules", "csv")))
    modules.append(
        {"programme": "medical-data-science", "position": "99", "title": "Pharmacovigilance",
         "kind": "compulsory"}
    )  # fmt: skip
    preview = upload(client, csv_bytes(rows, PROGRAMME_COLUMNS), csv_bytes(modules, MODULE_COLUMNS))
    assert confirm(client, preview).status_code == 302
    # The programme is published: the new module is a proposal until reviewed and published.
    assert found(client, "pharmacovigilance") == []
    medical = Programme.objects.get(slug="medical-data-science")
    publish_after_review(medical, approver_of(medical))
    assert found(client, "pharmacovigilance") == ["Pharmacovigilance"]


def read_csv(content):
    import csv

    return csv.DictReader(io.StringIO(content.decode()))


def test_load_catalog_gives_every_module_its_search_words(client, db):
    call_command("load_catalog", stdout=io.StringIO())
    assert ModuleSearchDocument.objects.count() == Module.objects.count() > 0
    assert "Medical Imaging & AI (e.g. radiology, diagnostics)" in [
        title.replace("&amp;", "&") for title in found(client, "imaging")
    ]


def test_generated_modules_are_found(client, db):
    call_command("generate_catalog", "--programmes", "30", "--seed", "1", stdout=io.StringIO())
    assert ModuleSearchDocument.objects.count() == Module.objects.count() > 150
    published = Module.objects.filter(programme__published=True, title__startswith="Advanced ")
    assert found_count(client, "advanced")[0] == published.count() > 0
    call_command("generate_catalog", "--delete", stdout=io.StringIO())
    assert not ModuleSearchDocument.objects.exists()
    assert found(client, "advanced") == []


def test_a_module_moved_to_another_programme_is_found_once_under_it(client, programme):
    other = factories.ProgrammeFactory(title="Other Programme")
    module = Module.objects.get(title="Statistics")
    module.programme = other
    module.save()
    assert found(client, "statistics") == ["Statistics"]
    assert ModuleSearchDocument.objects.get().programme_id == other.pk
    html = client.get(reverse("programs:module-list"), {"q": "statistics"}).content.decode()
    assert ">Other Programme</a></h2>" in html

"""The words a programme is found by stay current on every path that writes it: the admin's
forms, the spreadsheet import, load_catalog, generate_catalog and plain ORM saves of the rows a
search reads (universities, offerings, modules, tracks)."""

import io

import pytest
from django.core.management import call_command

from programs.models import Programme, ProgrammeSearchDocument, University
from programs.search import programme_documents as search
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data, row_index
from tests.support.factories import StaffUserFactory
from tests.support.list_pages import get_list, shown_slugs
from tests.support.proposal_flow import approver_of, publish_after_review
from tests.support.spreadsheet_files import confirm, csv_bytes, export, upload

pytestmark = pytest.mark.django_db


def found(client, text):
    return shown_slugs(get_list(client, {"q": text}))


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def programme():
    programme = factories.ProgrammeFactory(
        title="Health Data Science",
        slug="health-data-science",
        universities=[factories.UniversityFactory(name="Uni A", slug="uni-a", city="Aachen")],
        languages=[factories.LanguageFactory()],
    )
    factories.ModuleFactory(programme=programme, title="Statistics")
    return programme


def test_an_admin_save_changes_what_the_programme_is_found_by(superuser_client, programme):
    assert found(superuser_client, "statistics") == ["health-data-science"]
    data = form_data(superuser_client.get(change_url(programme)))
    data["description"] = "Taught with cryptography."
    row = row_index(data, "modules", "title", "Statistics")
    data[f"modules-{row}-title"] = "Epidemiology"

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    # The programme is published: the save is a proposal, found by nothing until published.
    assert found(superuser_client, "cryptography") == []
    assert found(superuser_client, "statistics") == ["health-data-science"]
    publish_after_review(programme, approver_of(programme))
    assert found(superuser_client, "cryptography") == ["health-data-science"]
    assert found(superuser_client, "epidemiology") == ["health-data-science"]
    assert found(superuser_client, "statistics") == []


def test_renaming_a_university_changes_what_its_programmes_are_found_by(client, programme):
    university = University.objects.get(slug="uni-a")
    university.name = "Karolinska Institutet"
    university.country = "SE"
    university.save()
    assert found(client, "Karolinska") == ["health-data-science"]
    assert found(client, "Sweden") == ["health-data-science"]
    assert found(client, "Uni") == []


def test_parts_added_and_removed_change_what_the_programme_is_found_by(client, programme):
    track = factories.TrackFactory(programme=programme, name="Genomics")
    assert found(client, "genomics") == ["health-data-science"]
    track.delete()
    assert found(client, "genomics") == []
    factories.ProgrammeUniversityFactory(
        programme=programme,
        university=factories.UniversityFactory(name="Politecnico di Milano", country="IT"),
        position=1,
    )
    assert found(client, "politecnico italy") == ["health-data-science"]


def test_deleting_a_programme_deletes_its_search_words(client, programme):
    programme.delete()
    assert not ProgrammeSearchDocument.objects.exists()
    assert found(client, "statistics") == []


def test_a_spreadsheet_import_changes_what_programmes_are_found_by(client, catalog):
    from programs.transfer.spreadsheet_columns import MODULE_COLUMNS, PROGRAMME_COLUMNS

    user = StaffUserFactory(
        username="alice", universities=[University.objects.get(slug="rwth-aachen")]
    )
    client.force_login(user)
    rows = list(read_csv(export(client, "programmes", "csv")))
    rows[0]["description"] = "Now with cryptography."
    rows.append(
        {"slug": "clinical-data-science", "title": "Clinical Data Science",
         "universities": "rwth-aachen", "languages": "en", "published": "yes"}
    )  # fmt: skip
    modules = list(read_csv(export(client, "modules", "csv")))
    modules.append(
        {"programme": "clinical-data-science", "position": "0", "title": "Pharmacovigilance",
         "kind": "compulsory"}
    )  # fmt: skip
    preview = upload(client, csv_bytes(rows, PROGRAMME_COLUMNS), csv_bytes(modules, MODULE_COLUMNS))
    assert confirm(client, preview).status_code == 302

    # The new programme is written as it comes; the published one's change is a proposal,
    # found once it is reviewed and published.
    assert found(client, "pharmacovigilance") == ["clinical-data-science"]
    assert found(client, "cryptography") == []
    medical = Programme.objects.get(slug="medical-data-science")
    publish_after_review(medical, approver_of(medical))
    assert found(client, "cryptography") == ["medical-data-science"]


def read_csv(content):
    import csv

    return csv.DictReader(io.StringIO(content.decode()))


def test_load_catalog_gives_every_programme_its_search_words(client, db):
    call_command("load_catalog", stdout=io.StringIO())
    assert ProgrammeSearchDocument.objects.count() == Programme.objects.count() == 4
    assert found(client, "Stockholm") == ["data-driven-health"]


def test_generated_programmes_are_found(client, db):
    call_command("generate_catalog", "--programmes", "60", "--seed", "1", stdout=io.StringIO())
    assert ProgrammeSearchDocument.objects.count() == 60
    # Generated titles end in their city and number, as "Data Science (Berbach 12)".
    programme = Programme.objects.published().filter(title__endswith=")").first()
    words = programme.title.rsplit("(", 1)[1].rstrip(")")
    assert programme.slug in found(client, words)


def test_writes_inside_refreshed_together_rebuild_each_programme_once(programme, monkeypatch):
    rebuilt = []
    real = search.documents
    monkeypatch.setattr(
        search, "documents", lambda ids, *a: rebuilt.append(list(ids)) or real(ids, *a)
    )
    with search.refreshed_together():
        for title in ("Lab 1", "Lab 2", "Lab 3"):
            factories.ModuleFactory(programme=programme, title=title)
        assert rebuilt == []
    assert rebuilt == [[programme.pk]]
    assert "lab" in ProgrammeSearchDocument.objects.get(pk=programme.pk).more_text


def test_a_duplicated_programme_has_the_search_words_of_its_parts(programme):
    from programs.actions.programme_writes import duplicate_programme

    copy = duplicate_programme(programme)
    document = ProgrammeSearchDocument.objects.get(pk=copy.pk)
    assert " statistics " in document.more_text
    assert " aachen " in document.main_text
    assert document.title_text == " health data science copy "

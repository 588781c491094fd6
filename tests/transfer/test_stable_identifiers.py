"""Every university, programme and module keeps one stable identifier (a UUID), which the open-data
API and the exports name it by: through edits, a slug change, a restore, a spreadsheet import of the
same programme and an export/import round trip (`export_catalog` then `load_catalog`). A copy is a
new programme with identifiers of its own."""

import io
import json
import shutil
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from programs.actions.programme_writes import duplicate_programme
from programs.actions.restore import restore_programme
from programs.models import Module, Programme, University
from programs.transfer.spreadsheet_import import CatalogImport
from programs.transfer.spreadsheet_read import read_table
from programs.transfer.synthetic import generate_catalog
from tests.support.factories import StaffUserFactory, UserFactory
from tests.support.spreadsheet_files import csv_bytes

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def identifiers():
    """Every stored identifier, by what a person knows the row by."""
    return {
        **{("university", u.slug): u.uuid for u in University.objects.all()},
        **{("programme", p.slug): p.uuid for p in Programme.objects.all()},
        **{
            ("module", m.programme.slug, m.position): m.uuid
            for m in Module.objects.select_related("programme")
        },
    }


def test_the_catalog_loads_the_identifiers_its_files_carry(catalog):
    universities = json.loads((FIXTURES / "universities.json").read_text(encoding="utf-8"))
    expected = {("university", u["slug"]): uuid.UUID(u["uuid"]) for u in universities}
    for path in sorted((FIXTURES / "programmes").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        expected["programme", record["slug"]] = uuid.UUID(record["uuid"])
        for position, module in enumerate(record["modules"]):
            expected["module", record["slug"], position] = uuid.UUID(module["uuid"])

    assert identifiers() == expected
    assert len(set(expected.values())) == len(expected)


def test_export_then_load_into_an_empty_database_keeps_every_identifier(catalog, tmp_path):
    # A programme and a module staff added, which no fixture file names.
    kth = University.objects.get(slug="kth")
    added = Programme.objects.create(title="Added by staff", slug="added-by-staff")
    added.offerings.create(university=kth)
    added.modules.create(title="A module of its own", kind="compulsory", position=0)
    before = identifiers()

    call_command("export_catalog", str(tmp_path), stdout=io.StringIO())
    Programme.objects.all().delete()
    University.objects.all().delete()
    call_command("load_catalog", str(tmp_path), stdout=io.StringIO())

    assert identifiers() == before


def test_an_edit_and_a_new_slug_keep_the_identifiers(catalog):
    programme = Programme.objects.get(slug="data-driven-health")
    module = programme.modules.order_by("position").first()
    before = (programme.uuid, module.uuid)

    programme.slug, programme.title, programme.ects = "data-driven-health-msc", "Renamed", 90
    programme.save()
    module.title = "Renamed module"
    module.save()

    programme.refresh_from_db()
    module.refresh_from_db()
    assert (programme.uuid, module.uuid) == before


def test_a_spreadsheet_import_of_the_same_programme_keeps_its_identifiers(catalog):
    before = identifiers()
    user = StaffUserFactory(universities=[University.objects.get(slug="rwth-aachen")])
    medical = Programme.objects.get(slug="medical-data-science")
    modules = [
        {
            "programme": medical.slug,
            "position": module.position,
            "title": f"{module.title} (revised)",
            "kind": module.kind,
            "semester": module.semester or "",
        }
        for module in medical.modules.order_by("position")
    ]
    programmes = csv_bytes(
        [{"slug": medical.slug, "title": "Medical Data Science", "universities": "rwth-aachen"}],
        ["slug", "title", "universities"],
    )
    importer = CatalogImport(
        user,
        programmes=read_table(programmes, "programmes.csv"),
        modules=read_table(
            csv_bytes(modules, ["programme", "position", "title", "kind", "semester"]),
            "modules.csv",
        ),
    )
    importer.commit()

    assert medical.modules.filter(title__endswith="(revised)").count() == len(modules)
    assert identifiers() == before


def test_a_restore_keeps_the_programmes_identifier_and_brings_a_module_back_under_its_own(db):
    call_command("load_catalog", stdout=io.StringIO())  # with history, which a restore reads
    programme = Programme.objects.get(slug="data-driven-health")
    module = programme.modules.order_by("position").first()
    before = identifiers()
    as_of = timezone.now()
    module.delete()
    programme.title = "Changed after"
    programme.save()

    restore_programme(programme, as_of, user=UserFactory(is_staff=True, is_superuser=True))

    assert identifiers() == before


def test_a_copy_gets_identifiers_of_its_own(catalog):
    original = Programme.objects.get(slug="applied-ai-in-healthcare")
    copy = duplicate_programme(original)

    assert copy.uuid != original.uuid
    copied = set(copy.modules.values_list("uuid", flat=True))
    assert len(copied) == original.modules.count()
    assert not copied & set(original.modules.values_list("uuid", flat=True))


def test_a_file_without_identifiers_keeps_the_stored_ones(catalog, tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    before = identifiers()
    for path in (fixtures / "programmes").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        del record["uuid"]
        for module in record["modules"]:
            del module["uuid"]
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    call_command("load_catalog", str(fixtures), "--force", stdout=io.StringIO())

    assert identifiers() == before


def test_a_malformed_identifier_is_refused_naming_its_place(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    path = fixtures / "programmes" / "health-informatics.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["modules"][1]["uuid"] = "not-a-uuid"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError, match=r"modules\[1\]\.uuid: \"not-a-uuid\" is not a UUID"):
        call_command("load_catalog", str(fixtures), stdout=io.StringIO())
    assert not Programme.objects.exists()


def test_a_synthetic_catalog_has_distinct_identifiers_the_same_for_the_same_seed(db):
    generate_catalog(40, seed=7)
    first = identifiers()
    generate_catalog(40, seed=7)

    assert identifiers() == first
    assert len(set(first.values())) == len(first)
    assert all(value.version == 4 for value in first.values())


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_existing_row_its_own_identifier_and_its_history_the_same():
    executor = MigrationExecutor(connection)
    before, after = (
        [("programs", "0017_facets_know_inferences")],
        [("programs", "0018_stable_identifiers")],
    )
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        university = old.get_model("programs", "University").objects.create(
            name="Old University", slug="old-university", country="DE"
        )
        programmes = [
            old.get_model("programs", "Programme").objects.create(title=f"Old {n}", slug=f"old-{n}")
            for n in range(3)
        ]
        module_model = old.get_model("programs", "Module")
        for programme in programmes:
            for position in range(2):
                module_model.objects.create(
                    programme=programme, title="M", kind="compulsory", position=position
                )
        history = old.get_model("programs", "HistoricalProgramme")
        for programme in programmes:
            history.objects.create(
                id=programme.pk, title=programme.title, slug=programme.slug, version=1,
                published=False, created_at=timezone.now(), updated_at=timezone.now(),
                history_date=timezone.now(), history_type="+",
            )  # fmt: skip
        # A record of a programme deleted since: it gets an identifier of its own.
        history.objects.create(
            id=999, title="Gone", slug="gone", version=1, published=False,
            created_at=timezone.now(), updated_at=timezone.now(), history_date=timezone.now(),
            history_type="-",
        )  # fmt: skip

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        live = {
            name: list(new.get_model("programs", name).objects.values_list("pk", "uuid"))
            for name in ("University", "Programme", "Module")
        }
        every = [value for rows in live.values() for _, value in rows]
        assert None not in every and len(set(every)) == len(every) == 1 + 3 + 6
        recorded = dict(
            new.get_model("programs", "HistoricalProgramme").objects.values_list("id", "uuid")
        )
        assert {pk: recorded[pk] for pk, _ in live["Programme"]} == dict(live["Programme"])
        assert recorded[999] not in every and recorded[999] is not None
        assert university.pk in dict(live["University"])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_staff_see_the_identifier_in_the_admin_and_cannot_change_it(client, catalog):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    programme = Programme.objects.get(slug="medical-data-science")
    university = University.objects.get(slug="rwth-aachen")

    page = client.get(f"/admin/programs/programme/{programme.pk}/change/")
    assert str(programme.uuid) in page.content.decode()
    assert "uuid" not in page.context["adminform"].form.fields
    page = client.get(f"/admin/programs/university/{university.pk}/change/")
    assert str(university.uuid) in page.content.decode()
    assert "uuid" not in page.context["adminform"].form.fields

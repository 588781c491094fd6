"""Staff import programmes and modules from a spreadsheet in the admin: preview, confirm, scope."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from programs.changelog.changes import record_public_changes
from programs.models import Module, Programme, University
from programs.transfer.spreadsheet_columns import MODULE_COLUMNS, PROGRAMME_COLUMNS
from programs.transfer.spreadsheet_import import CatalogImport
from programs.transfer.spreadsheet_read import read_table
from tests.support.factories import StaffUserFactory, UserFactory
from tests.support.spreadsheet_files import (
    IMPORT_URL,
    confirm,
    csv_bytes,
    export,
    formula_cells,
    programme_row,
    rows_of,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rwth_staff(client, catalog):
    """A client signed in as admissions staff of RWTH Aachen (medical-data-science is theirs)."""
    user = StaffUserFactory(
        username="alice", universities=[University.objects.get(slug="rwth-aachen")]
    )
    client.force_login(user)
    client.user = user
    return client


def exported_rows(client, sheet):
    """The admin's CSV export of a sheet, as dicts."""
    return list(csv.DictReader(io.StringIO(export(client, sheet, "csv").decode())))


def catalog_state():
    """Everything an import could change: each programme's row, languages, universities and
    modules, and how many history records there are."""
    return [
        (
            programme.slug,
            programme.version,
            programme.published,
            programme.ects,
            programme.title,
            sorted(programme.languages.values_list("code", flat=True)),
            list(programme.offerings.values_list("university__slug", "role", "position")),
            list(
                programme.modules.order_by("position").values_list(
                    "position", "title", "kind", "ects", "track__name", "semester"
                )
            ),
            programme.history.count(),
            Module.history.filter(programme_id=programme.pk).count(),
        )
        for programme in Programme.objects.order_by("slug")
    ]


def test_the_programme_list_links_to_the_import_and_export_pages(rwth_staff):
    page = rwth_staff.get("/admin/programs/programme/").content.decode()
    assert 'href="/admin/programs/programme/import/"' in page
    assert 'href="/admin/programs/programme/export/"' in page
    assert rwth_staff.get(IMPORT_URL).status_code == 200


def test_preview_shows_every_rows_exact_change_and_writes_nothing(rwth_staff):
    rows = exported_rows(rwth_staff, "programmes")
    assert [row["slug"] for row in rows] == ["medical-data-science"]
    rows[0]["ects"] = "120"
    rows[0]["title"] = "Medical Data Science (MSc)"
    rows.append(programme_row(slug="clinical-data-science", ects="120", languages="en; de"))
    before = catalog_state()

    response = upload(rwth_staff, csv_bytes(rows, PROGRAMME_COLUMNS))

    assert response.status_code == 200
    preview = rows_of(response)
    assert preview[0][:4] == ("programmes", 2, "medical-data-science", "changed")
    assert preview[0][4] == [
        ("title", "Medical Data Science", "Medical Data Science (MSc)"),
        ("ects", "90", "120"),
    ]
    assert preview[1][:4] == ("programmes", 3, "clinical-data-science", "new")
    assert preview[1][4] == []  # a new row is new as a whole
    page = response.content.decode()
    assert "<del>90</del> → <ins>120</ins>" in page
    assert "1 new, 1 changed, 0 unchanged, 0 removed, 0 with errors" in page
    assert catalog_state() == before


def test_confirm_writes_every_row_as_the_user_with_the_file_named(rwth_staff):
    """Published at once, without review, by staff who may (else the change to the published
    programme is a proposal: tests/transfer/test_spreadsheet_import_proposals.py)."""
    rwth_staff.user.user_permissions.add(Permission.objects.get(codename="publish_directly"))
    rows = exported_rows(rwth_staff, "programmes")
    rows[0]["ects"] = "120"
    rows.append(programme_row(slug="clinical-data-science", ects="120", languages="en"))
    modules = exported_rows(rwth_staff, "modules")
    modules[0]["title"] = "Internship"
    modules.append(
        {
            "programme": "clinical-data-science",
            "position": "0",
            "title": "Statistics",
            "kind": "compulsory",
            "ects": "7.5",
        }
    )
    preview = upload(
        rwth_staff,
        csv_bytes(rows, PROGRAMME_COLUMNS),
        csv_bytes(modules, MODULE_COLUMNS),
        names=("our-programmes.csv", "our-modules.csv"),
        publish_now="on",
    )
    version = Programme.objects.get(slug="medical-data-science").version

    response = confirm(rwth_staff, preview)

    assert response.status_code == 302
    assert response["Location"] == "/admin/programs/programme/import/?done"
    medical = Programme.objects.get(slug="medical-data-science")
    assert medical.ects == 120
    assert medical.version == version + 1
    assert medical.modules.get(position=0).title == "Internship"
    new = Programme.objects.get(slug="clinical-data-science")
    assert new.published is False
    assert list(new.universities.values_list("slug", flat=True)) == ["rwth-aachen"]
    assert list(new.languages.values_list("code", flat=True)) == ["en"]
    assert list(new.modules.values_list("title", "ects")) == [("Statistics", Decimal("7.5"))]
    reason = "Imported from our-programmes.csv and our-modules.csv"
    for record in (
        medical.history.latest(),
        new.history.latest(),
        Module.history.filter(programme_id=new.pk).latest(),
        Module.history.filter(programme_id=medical.pk, title="Internship").latest(),
    ):
        assert record.history_user.username == "alice"
        assert record.history_change_reason == reason
    # The new programme's history holds its languages, as an admin save's would.
    assert list(new.history.latest().languages.values_list("language_id", flat=True)) == ["en"]
    # The change is public at once: the programme's change log says so.
    assert "ECTS" in str(medical.public_changes.first().lines)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Imported our-programmes.csv, our-modules.csv: 2 new, 2 changed, 1 unchanged, "
        "0 removed, 0 with errors."
    ]


def test_a_modules_file_replaces_the_modules_of_each_programme_it_names(rwth_staff):
    rwth_staff.user.user_permissions.add(Permission.objects.get(codename="publish_directly"))
    modules = exported_rows(rwth_staff, "modules")
    dropped = modules.pop()
    preview = upload(rwth_staff, modules=csv_bytes(modules, MODULE_COLUMNS), publish_now="on")
    assert rows_of(preview)[-1][:4] == (
        "modules",
        None,
        f"medical-data-science #{dropped['position']}",
        "removed",
    )
    confirm(rwth_staff, preview)
    medical = Programme.objects.get(slug="medical-data-science")
    assert medical.modules.count() == len(modules)
    assert not medical.modules.filter(title=dropped["title"]).exists()


def test_one_bad_row_imports_nothing_not_even_the_good_rows(rwth_staff):
    rows = exported_rows(rwth_staff, "programmes")
    rows[0]["ects"] = "120"
    rows.append(programme_row(slug="clinical-data-science", ects="6000"))
    before = catalog_state()

    response = upload(rwth_staff, csv_bytes(rows, PROGRAMME_COLUMNS))

    _sheet, line, key, status, _changes, errors = rows_of(response)[1]
    assert (line, key, status) == (3, "clinical-data-science", "error")
    assert errors == [("K3", "ects", "6000 is out of range (0 to 600)")]
    page = response.content.decode()
    assert "Some rows have errors, so nothing can be imported" in page
    assert 'name="confirm"' not in page
    # Posting the confirmation anyway (an old tab, a crafted request) writes nothing either.
    refused = rwth_staff.post(IMPORT_URL, {"confirm": "1", "fingerprint": "x"})
    assert refused.status_code == 400
    assert "The file has errors; nothing was imported." in refused.content.decode()
    assert catalog_state() == before


def test_staff_cannot_create_or_change_another_universitys_programmes(rwth_staff):
    rows = exported_rows(rwth_staff, "programmes")
    kth = {
        "slug": "data-driven-health",
        "title": "Taken over",
        "universities": "rwth-aachen",
    }
    foreign_new = programme_row(slug="kth-new", universities="kth")
    joint_grab = programme_row(slug="joint-new", universities="rwth-aachen; kth")
    before = catalog_state()

    response = upload(
        rwth_staff, csv_bytes([*rows, kth, foreign_new, joint_grab], PROGRAMME_COLUMNS)
    )

    assert [row[3] for row in rows_of(response)] == ["unchanged", "error", "error", "error"]
    errors = [row[5] for row in rows_of(response)[1:]]
    assert errors == [
        [
            (
                "A3",
                "slug",
                "a programme with this slug exists and is not offered by your universities: "
                "you may not change it",
            )
        ],
        [
            (
                "C4",
                "universities",
                "you don't work for KTH Royal Institute of Technology: only its staff can add it",
            ),
            (
                "C4",
                "universities",
                "the programme must stay offered by at least one of your universities",
            ),
        ],
        [
            (
                "C5",
                "universities",
                "you don't work for KTH Royal Institute of Technology: only its staff can add it",
            ),
        ],
    ]
    modules = [
        {"programme": "data-driven-health", "position": "0", "title": "X", "kind": "elective"}
    ]
    response = upload(rwth_staff, modules=csv_bytes(modules, MODULE_COLUMNS))
    assert rows_of(response)[0][5] == [
        (
            "A2",
            "programme",
            "“data-driven-health” is not offered by your universities: you may not change it",
        )
    ]
    assert catalog_state() == before


def test_a_partners_part_in_a_joint_programme_stays_as_it_is(rwth_staff):
    medical = Programme.objects.get(slug="medical-data-science")
    medical.offerings.create(university=University.objects.get(slug="kth"), position=1)
    medical.offerings.filter(university__slug="kth").update(position=7)  # a gap, as admins leave
    rows = exported_rows(rwth_staff, "programmes")
    assert rows[0]["universities"] == "rwth-aachen; kth"
    # As exported, the joint programme is no change, and nothing for the partner rule to refuse.
    unchanged = upload(rwth_staff, csv_bytes(rows, PROGRAMME_COLUMNS))
    assert rows_of(unchanged)[0][3:] == ("unchanged", [], [])
    rows[0]["universities"] = "rwth-aachen"

    response = upload(rwth_staff, csv_bytes(rows, PROGRAMME_COLUMNS))

    assert rows_of(response)[0][5] == [
        (
            "C2",
            "universities",
            "only staff of KTH Royal Institute of Technology can change or remove its part in "
            "this programme",
        )
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(rwth_staff, file_format):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    rwth_staff.force_login(superuser)
    programmes = export(rwth_staff, "programmes", file_format)
    modules = export(rwth_staff, "modules", file_format)
    before = catalog_state()

    names = (f"programmes.{file_format}", f"modules.{file_format}")
    response = upload(rwth_staff, programmes, modules, names=names)

    assert {row[3] for row in rows_of(response)} == {"unchanged"}
    assert len(rows_of(response)) == 4 + Module.objects.count()
    assert "The file changes nothing" in response.content.decode()
    assert catalog_state() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_hides_no_formula_after_a_separator_and_imports_back_unchanged(
    rwth_staff, file_format
):
    """Staff text in a staff export opened by a spreadsheet that splits on ";" or ends a row at
    each line break: no cell runs, and the file still imports back as it was."""
    programme = Programme.objects.get(slug="medical-data-science")
    Programme.objects.filter(pk=programme.pk).update(
        summary="Good fees;=1+1", description="Fees vary\n=1+1"
    )
    module = programme.modules.order_by("position").first()
    Module.objects.filter(pk=module.pk).update(description="Weekly, -2+3\n@SUM(A1)")
    programmes = export(rwth_staff, "programmes", file_format)
    modules = export(rwth_staff, "modules", file_format)
    before = catalog_state()

    if file_format == "csv":
        assert formula_cells(programmes.decode()) == []
        assert formula_cells(modules.decode()) == []
        summaries = {row["slug"]: row["summary"] for row in exported_rows(rwth_staff, "programmes")}
        assert summaries["medical-data-science"] == "Good fees;'=1+1"
    names = (f"programmes.{file_format}", f"modules.{file_format}")
    response = upload(rwth_staff, programmes, modules, names=names)

    assert {row[3] for row in rows_of(response)} == {"unchanged"}
    confirm(rwth_staff, response)
    assert catalog_state() == before
    programme.refresh_from_db()
    assert (programme.summary, programme.description) == ("Good fees;=1+1", "Fees vary\n=1+1")


def test_published_only_when_the_file_says_so_and_the_user_may_publish(client, catalog):
    rwth = University.objects.get(slug="rwth-aachen")
    adder = StaffUserFactory(username="adder", universities=[rwth])
    adder.groups.clear()
    adder.user_permissions.set(
        Permission.objects.filter(codename__in=["add_programme", "view_programme"])
    )
    client.force_login(adder)
    rows = [
        programme_row(slug="draft-by-default"),
        programme_row(slug="wants-publishing", published="yes"),
    ]
    response = upload(client, xlsx_bytes(rows, PROGRAMME_COLUMNS), names=("new.xlsx", ""))
    assert response.context["preview"].rows[1].notes == [
        "stays a draft: you may not publish programmes"
    ]
    confirm(client, response)
    assert dict(
        Programme.objects.filter(slug__in=["draft-by-default", "wants-publishing"]).values_list(
            "slug", "published"
        )
    ) == {
        "draft-by-default": False,
        "wants-publishing": False,
    }

    publisher = StaffUserFactory(username="publisher", universities=[rwth])
    client.force_login(publisher)
    rows = [programme_row(slug="published-at-once", published="yes")]
    confirm(client, upload(client, xlsx_bytes(rows, PROGRAMME_COLUMNS), names=("p.xlsx", "")))
    published = Programme.objects.get(slug="published-at-once")
    assert published.published is True
    assert client.get("/programmes/published-at-once/").status_code == 200
    # Its change log says "Published", with the snapshot a save would have recorded: logging
    # again finds nothing new.
    assert [change.title for change in published.public_changes.all()] == ["Published"]
    assert record_public_changes(published) is None


def test_a_save_between_preview_and_confirm_refuses_the_import(rwth_staff):
    rows = exported_rows(rwth_staff, "programmes")
    rows[0]["ects"] = "120"
    preview = upload(rwth_staff, csv_bytes(rows, PROGRAMME_COLUMNS))
    medical = Programme.objects.get(slug="medical-data-science")
    medical.title = "Renamed meanwhile"
    medical.save()

    response = confirm(rwth_staff, preview)

    assert response.status_code == 400
    assert "The catalog changed since the preview" in response.content.decode()
    assert Programme.objects.get(slug="medical-data-science").ects == 90


def test_the_spreadsheet_pages_are_for_signed_in_staff_with_permission(client, catalog, settings):
    assert client.get(IMPORT_URL)["Location"].startswith("/admin/login/")
    assert client.post(IMPORT_URL, {"confirm": "1"})["Location"].startswith("/admin/login/")
    rwth = University.objects.get(slug="rwth-aachen")
    client.force_login(StaffUserFactory(username="alice", universities=[rwth]))
    settings.ADMIN_REQUIRE_2FA = True
    # Signed in with a password only: the second factor first, as on every admin page.
    assert client.get(IMPORT_URL).status_code == 302
    settings.ADMIN_REQUIRE_2FA = False
    reader = UserFactory(username="reader", is_staff=True)
    reader.user_permissions.set(Permission.objects.filter(codename="view_programme"))
    client.force_login(reader)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get("/admin/programs/programme/export/").status_code == 200


def test_the_whole_import_is_one_transaction(rwth_staff, monkeypatch):
    """A failure while writing the modules undoes the programmes written just before."""
    rows = [programme_row(slug="clinical-data-science")]
    modules = [
        {
            "programme": "clinical-data-science",
            "position": "0",
            "title": "Statistics",
            "kind": "compulsory",
        }
    ]
    importer = CatalogImport(
        rwth_staff.user,
        programmes=read_table(csv_bytes(rows, PROGRAMME_COLUMNS), "p.csv"),
        modules=read_table(csv_bytes(modules, MODULE_COLUMNS), "m.csv"),
    )
    before = catalog_state()

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("programs.transfer.spreadsheet_import.insert_parts", fail)
    with pytest.raises(RuntimeError):
        importer.commit()
    assert catalog_state() == before
    assert not Programme.objects.filter(slug="clinical-data-science").exists()


def test_an_empty_retired_cell_imports_a_programme_still_admitting(rwth_staff):
    """The retirement columns are in the export; a new programme's blank cells in them mean
    still admitting (never NULL in a column that has no "not stated")."""
    rows = [
        programme_row(slug="clinical-data-science", retired=""),
        programme_row(slug="clinical-ai", title="Clinical AI", retired="  "),
    ]
    preview = upload(rwth_staff, csv_bytes(rows, PROGRAMME_COLUMNS))
    assert [row[3] for row in rows_of(preview)] == ["new", "new"]

    response = confirm(rwth_staff, preview)

    assert response.status_code == 302
    assert list(
        Programme.objects.filter(slug__startswith="clinical-")
        .order_by("slug")
        .values_list("slug", "retired", "admission_ends")
    ) == [("clinical-ai", False, None), ("clinical-data-science", False, None)]


def test_a_retired_programme_is_exported_and_imported_again_unchanged(rwth_staff):
    Programme.objects.filter(slug="medical-data-science").update(
        retired=True, admission_ends="2027/28"
    )
    rows = exported_rows(rwth_staff, "programmes")
    assert [(row["retired"], row["admission_ends"]) for row in rows] == [("yes", "2027/28")]

    again = upload(rwth_staff, export(rwth_staff, "programmes", "csv"))

    assert {row[3] for row in rows_of(again)} == {"unchanged"}


def test_taking_back_a_retirement_that_has_a_successor_is_a_row_error(rwth_staff):
    """Only a retired programme has a successor, and the spreadsheet has no successor column:
    the row says to take the retirement back in the admin, rather than the confirm failing."""
    medical = Programme.objects.get(slug="medical-data-science")
    successor = Programme.objects.exclude(pk=medical.pk).first()
    Programme.objects.filter(pk=medical.pk).update(
        retired=True, admission_ends="2027/28", successor=successor
    )
    rows = exported_rows(rwth_staff, "programmes")
    (row,) = [row for row in rows if row["slug"] == "medical-data-science"]
    row["retired"] = "no"

    preview = upload(rwth_staff, csv_bytes(rows, PROGRAMME_COLUMNS))

    (error,) = [row for row in rows_of(preview) if row[3] == "error"]
    assert error[2] == "medical-data-science"
    assert "take the retirement back in the admin" in str(error[5])
    assert Programme.objects.get(pk=medical.pk).retired is True

"""load_catalog: the fixtures load atomically (all or nothing) and idempotently (twice = once)."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from programs import models
from tests.support.factories import ProgrammeFactory, UserFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

CATALOG_MODELS = [
    models.Language,
    models.University,
    models.Programme,
    models.Programme.languages.through,
    models.ProgrammeUniversity,
    models.Semester,
    models.Track,
    models.Module,
    models.AdmissionRequirement,
    models.Career,
]
HISTORY_MODELS = [
    model.history.model
    for model in CATALOG_MODELS
    if hasattr(model, "history") and hasattr(model.history, "model")
]


def load(directory=None):
    out = io.StringIO()
    args = [str(directory)] if directory is not None else []
    call_command("load_catalog", *args, stdout=out)
    return out.getvalue()


def dump_rows():
    """Every catalog row, every column, keyed by table: what a second load must leave alone."""
    return {
        model._meta.db_table: list(model.objects.order_by("pk").values())
        for model in CATALOG_MODELS
    }


def history_counts():
    return {model._meta.db_table: model.objects.count() for model in HISTORY_MODELS}


@pytest.fixture
def fixtures_copy(tmp_path):
    """A writable copy of fixtures/, named like the original so error messages read the same."""
    copy = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, copy)
    return copy


def edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.mark.django_db
def test_first_load_creates_the_four_programmes_and_five_universities():
    output = load()
    assert models.Programme.objects.published().count() == 4
    assert set(models.University.objects.values_list("slug", flat=True)) == {
        "rwth-aachen",
        "fh-salzburg",
        "kth",
        "unisr",
        "polimi",
    }
    for slug in (
        "medical-data-science",
        "applied-ai-in-healthcare",
        "data-driven-health",
        "health-informatics",
    ):
        assert f"{slug}: created" in output


@pytest.mark.django_db
def test_loading_twice_leaves_identical_rows_and_adds_no_history():
    load()
    rows, history = dump_rows(), history_counts()
    output = load()
    assert dump_rows() == rows
    assert history_counts() == history
    assert output.count(": unchanged") == 4
    assert "0 created, 0 updated, 2 unchanged" in output  # languages


@pytest.mark.django_db
def test_changed_fixture_updates_rows_in_place_and_removes_what_left_the_file(fixtures_copy):
    load(fixtures_copy)
    programme = models.Programme.objects.get(slug="medical-data-science")
    before = dump_rows()
    programme_history = programme.history.count()

    def change(data):
        data["ects"] = 91
        data["modules"].pop()  # the thesis
        data["tracks"][3]["name"] = "Data Analysis"

    edit(fixtures_copy / "programmes" / "medical-data-science.json", change)
    output = load(fixtures_copy)

    updated = models.Programme.objects.get(slug="medical-data-science")
    assert updated.pk == programme.pk
    assert updated.ects == 91
    assert updated.version == programme.version + 1
    assert updated.updated_at > programme.updated_at
    assert updated.history.count() == programme_history + 1
    assert list(updated.modules.values_list("title", flat=True)) == ["Internship or project work"]
    assert set(updated.tracks.values_list("name", flat=True)) == {
        "Medical Aspects",
        "Computer Science Aspects",
        "Data Integration",
        "Data Analysis",
    }
    assert "medical-data-science: updated" in output
    # The other three programmes were not touched at all.
    assert output.count(": unchanged") == 3
    others = models.Programme.objects.exclude(pk=programme.pk).order_by("pk").values()
    assert list(others) == [
        row for row in before["programs_programme"] if row["id"] != programme.pk
    ]


@pytest.mark.django_db
def test_a_programme_staff_added_in_the_admin_survives_a_load():
    ProgrammeFactory(slug="added-by-staff")
    load()
    assert models.Programme.objects.filter(slug="added-by-staff").exists()


def edit_as_staff(programme, user, **changes):
    """Change a programme the way the admin does: a save recorded with the staff member's name."""
    for name, value in changes.items():
        setattr(programme, name, value)
    programme._history_user = user
    programme.save()


@pytest.mark.django_db
def test_a_programme_staff_edited_in_the_admin_is_kept_by_a_later_load():
    """Redeploys run load_catalog; they must never undo an admissions officer's work."""
    load()
    staff = UserFactory(is_staff=True)
    programme = models.Programme.objects.get(slug="medical-data-science")
    edit_as_staff(programme, staff, campus="Aachen Melaten", published=False)
    module = programme.modules.get(title="Master's thesis")
    module._history_user = staff
    module.delete()

    output = load()

    programme.refresh_from_db()
    assert (programme.campus, programme.published) == ("Aachen Melaten", False)
    assert not programme.modules.filter(title="Master's thesis").exists()
    assert "medical-data-science: kept as edited in the admin" in output
    # Programmes nobody touched still follow their files.
    assert "data-driven-health: unchanged" in output


@pytest.mark.django_db
def test_force_makes_the_files_win_over_admin_edits():
    load()
    programme = models.Programme.objects.get(slug="medical-data-science")
    edit_as_staff(programme, UserFactory(is_staff=True), campus="Aachen Melaten")

    out = io.StringIO()
    call_command("load_catalog", force=True, stdout=out)

    programme.refresh_from_db()
    assert programme.campus == "Aachen"
    assert "medical-data-science: updated (facts)" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (
            "programmes/medical-data-science.json",
            lambda d: d["modules"][1].update(ects="abc"),
            'fixtures/programmes/medical-data-science.json: modules[1].ects: "abc" is not a number',
        ),
        (
            "programmes/medical-data-science.json",
            lambda d: d.update(level="masters"),
            "fixtures/programmes/medical-data-science.json: level: Value 'masters' is not a "
            "valid choice.",
        ),
        (
            "programmes/medical-data-science.json",
            lambda d: d["semesters"][2].update(title="x" * 201),
            "fixtures/programmes/medical-data-science.json: semesters[2].title: Ensure this value "
            "has at most 200 characters (it has 201).",
        ),
        (
            "programmes/health-informatics.json",
            lambda d: d["tracks"][0].update(kind="starter"),
            "fixtures/programmes/health-informatics.json: tracks[0].kind: Value 'starter' is not "
            "a valid choice.",
        ),
        (
            "programmes/health-informatics.json",
            lambda d: d.update(campus=""),
            "fixtures/programmes/health-informatics.json: campus: empty text: write null",
        ),
        (
            "programmes/data-driven-health.json",
            lambda d: d["careers"][0].update(txt="Industry"),
            "fixtures/programmes/data-driven-health.json: careers[0].txt: unknown field",
        ),
        (
            "programmes/data-driven-health.json",
            lambda d: d["universities"][0].update(university="kth-stockholm"),
            "fixtures/programmes/data-driven-health.json: universities[0].university: "
            '"kth-stockholm" is not in universities.json',
        ),
        (
            "programmes/data-driven-health.json",
            lambda d: d["modules"][4].update(track="Imagery"),
            'fixtures/programmes/data-driven-health.json: modules[4].track: "Imagery" is not a '
            "track of this programme",
        ),
        (
            "programmes/applied-ai-in-healthcare.json",
            lambda d: d.update(languages=["xx"]),
            'fixtures/programmes/applied-ai-in-healthcare.json: languages[0]: "xx" is not in '
            "languages.json",
        ),
        (
            "programmes/health-informatics.json",
            lambda d: d["universities"].append({"university": "unisr", "role": "partner"}),
            'fixtures/programmes/health-informatics.json: universities[2].university: "unisr" '
            "appears more than once",
        ),
        (
            "programmes/data-driven-health.json",
            lambda d: d["modules"][0].update(source={"stated": ""}),
            "fixtures/programmes/data-driven-health.json: modules[0].source: empty text",
        ),
        (
            "programmes/data-driven-health.json",
            lambda d: d["tracks"][0].update(source={"quote": "Elective courses"}),
            "fixtures/programmes/data-driven-health.json: tracks[0].source: "
            '{"quote": "Elective courses"} is not a source: write {"stated": ',
        ),
        (
            "programmes/medical-data-science.json",
            lambda d: d.update(ects_source="ECTS Credits: 90"),
            'fixtures/programmes/medical-data-science.json: ects_source: "ECTS Credits: 90" is '
            "not a source",
        ),
        (
            "programmes/medical-data-science.json",
            lambda d: d.update(credits_source={"stated": "ECTS Credits: 90"}),
            "fixtures/programmes/medical-data-science.json: credits_source: unknown field",
        ),
        (
            "universities.json",
            lambda d: d[1].update(country="Austria"),
            "fixtures/universities.json: [1].country: Ensure this value has at most 2 characters",
        ),
    ],
)
def test_corrupted_fixture_loads_nothing_and_names_file_record_and_field(
    fixtures_copy, file, change, message
):
    edit(fixtures_copy / file, change)
    # Migrations store every ISO 639-1 language before any load: those rows are all there is.
    before = dump_rows()
    with pytest.raises(CommandError) as error:
        load(fixtures_copy)
    assert message in str(error.value)
    assert str(error.value).startswith("Nothing was loaded.")
    assert dump_rows() == before
    for model in CATALOG_MODELS:
        if model is not models.Language:
            assert model.objects.count() == 0, model


@pytest.mark.django_db
def test_a_broken_file_leaves_an_already_loaded_catalog_as_it_was(fixtures_copy):
    load(fixtures_copy)
    rows, history = dump_rows(), history_counts()

    def change(data):
        data["ects"] = 60  # a valid change, in the same load as a broken record
        data["careers"][0]["kind"] = "hobby"

    edit(fixtures_copy / "programmes" / "data-driven-health.json", change)
    with pytest.raises(CommandError, match=r"careers\[0\]\.kind"):
        load(fixtures_copy)
    assert dump_rows() == rows
    assert history_counts() == history


@pytest.mark.django_db
def test_invalid_json_is_reported_with_its_line(fixtures_copy):
    path = fixtures_copy / "programmes" / "health-informatics.json"
    path.write_text('{"slug": "health-informatics",\n "title": }', encoding="utf-8")
    with pytest.raises(CommandError, match=r"health-informatics\.json: not valid JSON \(line 2"):
        load(fixtures_copy)
    assert models.Programme.objects.count() == 0


@pytest.mark.django_db
def test_a_file_whose_slug_differs_from_its_name_is_refused(fixtures_copy):
    edit(
        fixtures_copy / "programmes" / "health-informatics.json",
        lambda d: d.update(slug="medical-data-science"),
    )
    with pytest.raises(CommandError, match='slug: "medical-data-science" does not match'):
        load(fixtures_copy)


@pytest.mark.django_db
def test_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such directory"):
        load(tmp_path / "nowhere")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(ects=-5), "ects"),
        (lambda d: d.update(level="nonsense"), "level: Value 'nonsense' is not a valid choice."),
        (lambda d: d["modules"][1].update(ects="abc"), 'modules[1].ects: "abc" is not a number'),
    ],
)
def test_a_faulty_file_of_a_programme_staff_edited_is_still_refused(fixtures_copy, change, message):
    """Kept as edited or not, a fault in its file is reported and nothing is loaded."""
    load(fixtures_copy)
    programme = models.Programme.objects.get(slug="medical-data-science")
    edit_as_staff(programme, UserFactory(is_staff=True), campus="Aachen Melaten")
    edit(fixtures_copy / "programmes" / "medical-data-science.json", change)
    rows_before = dump_rows()

    with pytest.raises(CommandError) as refused:
        load(fixtures_copy)

    assert f"fixtures/programmes/medical-data-science.json: {message}" in str(refused.value)
    assert dump_rows() == rows_before


def test_every_university_says_where_its_country_and_city_come_from(catalog):
    """The texts seldom say where a university is; each record says from where the catalog has
    it, and names the source's own words where the text gives any."""
    where = dict(models.University.objects.values_list("slug", "location_source"))
    assert all(where.values()), where
    assert "'on campus in Aachen'" in where["rwth-aachen"]
    assert "fh-salzburg.ac.at" in where["fh-salzburg"]
    assert "'mainly offered at the KTH Flemingsberg campus in Stockholm'" in where["kth"]
    assert "Stockholm, Sweden comes from the catalog's notes on its sources" in where["kth"]
    for slug in ("unisr", "polimi"):
        assert "Milan, Italy comes from the catalog's notes on its sources" in where[slug]

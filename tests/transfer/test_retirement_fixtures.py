"""Issue 31, "Retire": the fixture files carry a programme's retirement (retired, the first intake
no longer admitted, the successor by slug) out and back in; a programme still admitting says
nothing of it, so the transcribed fixtures need no new keys."""

import json

import pytest

from programs.models import Programme
from programs.transfer.fixtures_dump import export_catalog
from programs.transfer.fixtures_load import CatalogLoadError, load_catalog
from tests.support import factories


@pytest.fixture
def two_programmes(db):
    university = factories.UniversityFactory(slug="uni-a")
    old = factories.ProgrammeFactory(slug="a-old", universities=[university], published=True)
    new = factories.ProgrammeFactory(slug="z-new", universities=[university], published=True)
    return old, new


def read(directory, slug):
    return json.loads((directory / "programmes" / f"{slug}.json").read_text())


def test_an_export_writes_the_retirement_only_for_a_retired_programme(two_programmes, tmp_path):
    old, new = two_programmes
    Programme.objects.filter(pk=old.pk).update(
        retired=True, admission_ends="2027/28", successor=new
    )

    export_catalog(tmp_path)

    record = read(tmp_path, "a-old")
    assert (record["retired"], record["admission_ends"], record["successor"]) == (
        True,
        "2027/28",
        "z-new",
    )
    assert not {"retired", "admission_ends", "successor"} & set(read(tmp_path, "z-new"))


def test_a_load_brings_the_retirement_back_with_a_successor_named_before_its_file(
    two_programmes, tmp_path
):
    old, new = two_programmes
    Programme.objects.filter(pk=old.pk).update(
        retired=True, admission_ends="2027/28", successor=new
    )
    export_catalog(tmp_path)
    # An empty catalog: "a-old" is read first and names "z-new", which its own file makes later.
    Programme.objects.all().delete()

    load_catalog(tmp_path, force=True)

    loaded = Programme.objects.get(slug="a-old")
    assert (loaded.retired, loaded.admission_ends, loaded.successor.slug) == (
        True,
        "2027/28",
        "z-new",
    )
    assert Programme.objects.get(slug="z-new").retired is False
    # Loading the same files again changes nothing.
    assert all(line.endswith("unchanged") for line in load_catalog(tmp_path)[2:])


def test_a_successor_the_catalog_does_not_hold_is_refused_by_name(two_programmes, tmp_path):
    export_catalog(tmp_path)
    path = tmp_path / "programmes" / "a-old.json"
    record = json.loads(path.read_text())
    record.update(retired=True, successor="no-such-programme")
    path.write_text(json.dumps(record))

    with pytest.raises(
        CatalogLoadError, match=r'successor.*"no-such-programme" is not a programme'
    ):
        load_catalog(tmp_path, force=True)
    assert Programme.objects.get(slug="a-old").retired is False


def test_a_successor_of_a_programme_still_admitting_is_refused(two_programmes, tmp_path):
    export_catalog(tmp_path)
    path = tmp_path / "programmes" / "a-old.json"
    record = json.loads(path.read_text())
    record["successor"] = "z-new"
    path.write_text(json.dumps(record))

    with pytest.raises(CatalogLoadError, match="Only a retired programme has a successor"):
        load_catalog(tmp_path, force=True)


def test_the_spreadsheet_has_retirement_columns_an_empty_cell_meaning_still_admitting(
    two_programmes,
):
    from programs.transfer.spreadsheet_cells import PROGRAMME_PARSERS
    from programs.transfer.spreadsheet_columns import ProgrammeResource

    old, _ = two_programmes
    Programme.objects.filter(pk=old.pk).update(retired=True, admission_ends="2027/28")

    dataset = ProgrammeResource().export()
    rows = {row[0]: dict(zip(dataset.headers, row, strict=True)) for row in dataset}

    assert (rows["a-old"]["retired"], rows["a-old"]["admission_ends"]) == ("yes", "2027/28")
    assert (rows["z-new"]["retired"], rows["z-new"]["admission_ends"]) == ("no", "")
    assert PROGRAMME_PARSERS["retired"]("") is False

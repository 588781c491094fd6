"""`export_catalog` then `load_catalog` into an empty database gives back the same catalog: every
public page of the four programmes, byte for byte, staff edits included.

Masked before comparing, because a restore can't and shouldn't keep them: CSRF tokens (new on
every page), the moments of public changes (ISO timestamps in the sitemap's lastmod and in
`<time datetime>`), and the public change log itself ("What changed" on a programme's page and
/changes/), which starts afresh from a restore, with one "Published" entry per programme.
"""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from programs.models import (
    ApplicantGroup,
    Language,
    Module,
    Programme,
    PublicChange,
    StartTerm,
    TuitionPeriod,
    University,
)
from programs.transfer.spreadsheet_import import CatalogImport
from programs.transfer.spreadsheet_read import read_table
from tests.support.factories import ApplicationDeadlineFactory, StaffUserFactory, TuitionFactory
from tests.support.spreadsheet_files import csv_bytes

pytestmark = pytest.mark.django_db

SLUGS = [
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
    "medical-data-science",
]
PUBLIC_PAGES = [
    "/",
    "/programmes/",
    "/programmes/?language=de",
    "/programmes/?sort=-ects",
    "/programmes/?q=data",
    *[f"/programmes/{slug}/" for slug in SLUGS],
    "/compare/?" + "&".join(f"p={slug}" for slug in SLUGS),
    "/universities/",
    "/universities/rwth-aachen/",
    "/universities/kth/",
    "/universities/fh-salzburg/",
    "/universities/unisr/",
    "/modules/?q=data",
    "/modules/?q=thesis",
    "/programmes/export.csv",
    "/sitemap.xml",
    "/sitemap-programmes.xml",
    "/sitemap-universities.xml",
]
MASKS = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'<section id="changes".*?</section>', re.S), "<section id=changes/>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"), "TIME"),
    (re.compile(r"<lastmod>[^<]*</lastmod>"), "<lastmod/>"),
]


def public_pages(client):
    pages = {}
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for pattern, replacement in MASKS:
            text = pattern.sub(replacement, text)
        pages[path] = text
    return pages


def edit_as_staff():
    """Staff edits the export must carry: a changed fact, a changed module, a new draft."""
    user = StaffUserFactory(username="alice", universities=[University.objects.get(slug="kth")])
    programmes = csv_bytes(
        [
            {
                "slug": "data-driven-health",
                "title": "Data-driven Health",
                "universities": "kth",
                "city": "Stockholm (Flemingsberg)",
            },
            {"slug": "kth-draft", "title": "A draft", "universities": "kth", "ects": "60"},
        ],
        ["slug", "title", "universities", "city", "ects"],
    )
    importer = CatalogImport(user, programmes=read_table(programmes, "edits.csv"))
    importer.commit()
    module = Module.objects.get(programme__slug="data-driven-health", position=0)
    module.title = "Statistics and Probability"
    module.save()
    # Made up (no source states them), to see deadlines and fees make the round trip.
    programme = Programme.objects.get(slug="data-driven-health")
    ApplicationDeadlineFactory(
        programme=programme,
        intake=StartTerm.AUTUMN,
        intake_year=2027,
        applicant_group=ApplicantGroup.NON_EU,
        deadline=datetime.date(2027, 1, 15),
    )
    TuitionFactory(
        programme=programme,
        amount=Decimal("155000.50"),
        currency="SEK",
        period=TuitionPeriod.YEAR,
        applicant_group=ApplicantGroup.NON_EU,
        source_quote="made-up quote",
    )


def empty_the_database():
    PublicChange.objects.all().delete()
    Programme.objects.all().delete()
    University.objects.all().delete()
    Language.objects.all().delete()
    assert not Programme.objects.exists()


def test_export_then_load_into_an_empty_database_gives_the_same_public_pages(
    client, catalog, tmp_path
):
    edit_as_staff()
    before = public_pages(client)
    assert "Stockholm (Flemingsberg)" in before["/programmes/data-driven-health/"]
    assert "Statistics and Probability" in before["/programmes/data-driven-health/"]
    assert (
        "15 January 2027 (Autumn 2027 intake, Non-EU/EEA applicants)"
        in before["/programmes/data-driven-health/"]
    )
    assert "155,000.50 SEK per year (Non-EU/EEA applicants)" in before["/programmes/export.csv"]
    facts_before = list(Programme.objects.order_by("slug").values_list("slug", "published"))

    out = io.StringIO()
    call_command("export_catalog", str(tmp_path), stdout=out)
    assert out.getvalue().splitlines()[-1] == f"Wrote 5 programmes to {tmp_path}."
    empty_the_database()
    call_command("load_catalog", str(tmp_path), stdout=io.StringIO())

    after = public_pages(client)
    for path in PUBLIC_PAGES:
        assert after[path] == before[path], path
    assert list(Programme.objects.order_by("slug").values_list("slug", "published")) == (
        facts_before
    )
    # The draft came back as a draft: in the catalog, not on the public pages.
    assert Programme.objects.get(slug="kth-draft").published is False
    assert client.get("/programmes/kth-draft/").status_code == 404


def test_exported_files_are_the_fixture_format_with_provenance(catalog, tmp_path):
    call_command("export_catalog", str(tmp_path), stdout=io.StringIO())
    exported = json.loads((tmp_path / "programmes" / "data-driven-health.json").read_text())
    with open("fixtures/programmes/data-driven-health.json", encoding="utf-8") as fixture:
        original = json.load(fixture)
    assert exported["ects_source"] == original["ects_source"]
    # The same module, less the transcribers' notes; a fact not stated is written as null.
    assert {key: value for key, value in exported["modules"][0].items() if value is not None} == {
        key: value
        for key, value in original["modules"][0].items()
        if not key.startswith("_") and value is not None
    }
    # A second export over the first writes the same files, and drops deleted programmes'.
    Programme.objects.get(slug="health-informatics").delete()
    call_command("export_catalog", str(tmp_path), stdout=io.StringIO())
    assert sorted(path.stem for path in (tmp_path / "programmes").glob("*.json")) == [
        "applied-ai-in-healthcare",
        "data-driven-health",
        "medical-data-science",
    ]

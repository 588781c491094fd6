"""`manage.py export_elm DIR` writes the files /api/elm/ serves, byte for byte, laid out as their
addresses are, so the directory can be published as it is."""

import io
import json

from django.core.management import call_command
from django.urls import reverse

from programs.models import Programme, University


def test_the_command_writes_what_the_api_serves(client, catalog, tmp_path):
    # One programme without an official page, so a report lists something.
    Programme.objects.filter(slug="data-driven-health").update(source_url=None)
    output = io.StringIO()
    call_command("export_elm", str(tmp_path / "elm"), stdout=output)

    universities = list(University.objects.public().values_list("slug", flat=True))
    assert len(universities) == 5
    written = sorted(
        path.relative_to(tmp_path / "elm").as_posix() for path in tmp_path.rglob("*.*")
    )
    assert written == sorted(
        [f"{slug}.jsonld" for slug in universities]
        + [f"{slug}/report.json" for slug in universities]
    )
    for slug in universities:
        served = client.get(reverse("elm:university-file", kwargs={"slug": slug})).content
        assert (tmp_path / "elm" / f"{slug}.jsonld").read_bytes() == served
        served = client.get(reverse("elm:university-report", kwargs={"slug": slug})).content
        assert (tmp_path / "elm" / slug / "report.json").read_bytes() == served

    report = json.loads((tmp_path / "elm" / "kth" / "report.json").read_bytes())
    assert [entry["title"] for entry in report["excluded"]] == ["Data-driven Health"]
    lines = output.getvalue().splitlines()
    assert "kth: 0 learning opportunities, 1 left out (see kth/report.json)" in lines
    assert "rwth-aachen: 1 learning opportunity" in lines
    assert lines[-1] == f"Wrote 5 universities' files to {tmp_path / 'elm'}."

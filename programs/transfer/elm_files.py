"""The ELM export as files: what `/api/elm/` serves, written into a directory.

The same bytes as the views (`programs.web.elm_views`), laid out as their addresses are, so the
directory can be published as it is: `<university>.jsonld` and `<university>/report.json`.
"""

from pathlib import Path

from programs.display import elm
from programs.models import University


def write_elm_files(directory):
    """Write each public university's ELM file and report into `directory` (created if need be);
    returns a line per university saying what was written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    lines = []
    for university in University.objects.public().order_by("slug"):
        export = elm.export(university)
        (directory / f"{university.slug}.jsonld").write_bytes(elm.as_bytes(export.document))
        report = directory / university.slug / "report.json"
        report.parent.mkdir(exist_ok=True)
        report.write_bytes(elm.as_bytes(export.report))
        sent, excluded = export.report["learningOpportunities"], len(export.report["excluded"])
        lines.append(
            f"{university.slug}: {sent} learning opportunit{'y' if sent == 1 else 'ies'}"
            + (f", {excluded} left out (see {university.slug}/report.json)" if excluded else "")
        )
    return lines

"""Every public page is valid HTML, as the W3C's Nu Html Checker (vnu) judges it.

The pages are rendered by Django's test client into files, then checked by one run of the checker
over all of them (starting Java once takes seconds; checking a page, milliseconds). `make
validator` installs what it needs: Java from Debian and vnu-jar (pinned in package.json) into
node_modules. Without them this test is skipped with the reason, except under CI=true, where it
fails.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.local_servers import PROJECT_ROOT as ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

pytestmark = pytest.mark.django_db

PROGRAMMES = [
    "medical-data-science",
    "data-driven-health",
    "health-informatics",
    "applied-ai-in-healthcare",
]

# Full pages as a browser first gets them (htmx's fragments are parts of these).
PAGES = [
    "/",
    "/programmes/",
    "/programmes/?language=en&country=DE&ects_min=90&sort=-ects",
    "/programmes/?q=health+data",
    "/programmes/?language=xx&ects_min=abc",  # invalid filters, with their messages
    "/programmes/?q=nothing-matches-this",
    *[f"/programmes/{slug}/" for slug in PROGRAMMES],
    "/compare/",
    "/compare/?p=medical-data-science",
    "/compare/?p=medical-data-science&p=data-driven-health&p=health-informatics",
    "/universities/",
    "/universities/rwth-aachen/",
    "/modules/",
    "/modules/?q=statistics",
    "/changes/",
    "/changes/?country=SE",
    "/shortlist/",
    "/no-such-page/",
    "/programmes/no-such-programme/",
    *[
        f"/{language}{path}"
        for language in ("de", "it", "sv")
        for path in ("/programmes/", "/programmes/?language=en", "/programmes/health-informatics/")
    ],
    "/de/compare/?p=medical-data-science&p=data-driven-health",
    "/it/universities/",
    "/sv/modules/?q=data",
]


def checker_missing():
    if JAVA and VNU.exists():
        return None
    reason = "Java and vnu-jar are needed (run `make validator`)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason + "; under CI the HTML check must run.")
    return reason


def validate(files):
    """The checker's errors for these HTML files: [(file name, line, message)]."""
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or '{"messages": []}')
    return [
        (Path(message["url"]).name, message.get("lastLine"), message["message"])
        for message in report["messages"]
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]


def save_pages(client, paths, directory):
    """Each page's HTML in its own file, named after its position in `paths`."""
    files = {}
    for number, path in enumerate(paths):
        response = client.get(path)
        assert response.status_code in (200, 400, 404), f"{path}: {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), path
        file = directory / f"page-{number:02}.html"
        file.write_bytes(response.content)
        files[file.name] = path
    return files


def test_every_public_page_is_valid_html(client, catalog, tmp_path):
    if reason := checker_missing():
        pytest.skip(reason)
    # A shortlist with programmes on it, and its shared read-only view.
    for slug in PROGRAMMES[:2]:
        client.post("/shortlist/add/", {"programme": slug})
    client.post("/shortlist/note/", {"programme": PROGRAMMES[0], "note": "Ask about <the> fees"})
    client.post("/shortlist/share/")
    from programs.models import Shortlist

    token = Shortlist.objects.exclude(share_token=None).get().share_token
    paths = [*PAGES, f"/shortlist/{token}/", "/de/shortlist/"]

    files = save_pages(client, paths, tmp_path)
    errors = validate(sorted(tmp_path.glob("*.html")))

    assert errors == [], "\n".join(
        f"{files[name]} line {line}: {message}" for name, line, message in errors
    )


def test_the_checker_finds_errors(tmp_path):
    """The check above could not fail if the checker ran on nothing or said nothing."""
    if reason := checker_missing():
        pytest.skip(reason)
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        '<body><div hx-get="/x">x</div><p><div></div></p></body></html>'
    )

    errors = validate([bad])

    assert any("hx-get" in message for _, _, message in errors), errors

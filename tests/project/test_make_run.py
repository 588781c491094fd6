"""The README's first command: `make run` sets up the catalog and serves it.

Runs the real Makefile recipe (migrate, load_catalog, runserver) against a throwaway SQLite
file on a free port, twice, as a newcomer would: the first run serves the home page, /healthz
and the admin's login page with its stylesheet; the second run loads nothing again. Beside
runserver it runs `publish_due_proposals` in the background, which publishes an approved
proposal while the site runs and stops when the site stops.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.support.local_servers import PROJECT_ROOT, fetch, free_port

INSTALLED_STAMP = PROJECT_ROOT / ".venv" / ".installed-stamp"

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None
    or not INSTALLED_STAMP.exists()
    or INSTALLED_STAMP.stat().st_mtime < (PROJECT_ROOT / "pyproject.toml").stat().st_mtime,
    # `make test` always installs first; elsewhere this test would spend minutes on pip.
    reason="needs make and an up-to-date .venv (run through `make test`)",
)


class MakeRun:
    """`make run` in the background, with its output kept for the assertions."""

    def __init__(self, database_file, port, **variables):
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "SITE_URL"}
        }
        env.update(DATABASE_URL=f"sqlite:///{database_file}", PORT=str(port), **variables)
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # so stopping it stops runserver's reloader child too
        )

    def wait_until_serving(self, seconds=120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail("make run exited early:\n" + self.process.stdout.read())
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    return response.status
            except OSError:
                time.sleep(0.3)
        self.stop()
        pytest.fail("make run did not serve within the time limit:\n" + self.output)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.output = self.process.stdout.read()
        return self.output


def test_make_run_serves_the_catalog_and_a_second_run_loads_nothing_twice(tmp_path):
    database_file = tmp_path / "catalog.sqlite3"

    first = MakeRun(database_file, free_port())
    try:
        assert first.wait_until_serving() == 200
        status, _, home = fetch(first.url + "/")
        assert status == 200
        assert b"Medical Data Science" in home
        # Its links name where it serves (SITE_URL's default in the Makefile).
        assert f'<meta property="og:url" content="{first.url}/">'.encode() in home
        assert fetch(first.url + "/healthz")[2] == b'{"status": "ok"}'
        _, _, login = fetch(first.url + "/admin/login/")
        stylesheets = re.findall(r'href="(/static/admin/css/[^"]+\.css)"', login.decode())
        assert stylesheets
        status, headers, _ = fetch(first.url + stylesheets[0])
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
    finally:
        first_output = first.stop()
    assert "create_staff_user" in first_output, "make run should say how to log in"
    assert "medical-data-science: created" in first_output

    second = MakeRun(database_file, free_port())
    try:
        assert second.wait_until_serving() == 200
    finally:
        second_output = second.stop()
    assert "pip install" not in second_output, "a second run must not reinstall"
    # load_catalog reports per file; on the second run nothing is created or updated.
    assert "languages: 0 created, 0 updated" in second_output, second_output
    assert "universities: 0 created, 0 updated" in second_output, second_output
    assert re.findall(r"^[a-z-]+: (created|updated)$", second_output, re.MULTILINE) == []
    assert "medical-data-science: unchanged" in second_output


# An approved proposal with no date, made as staff make one (the actions), in the database that
# `make run` serves: due at once.
APPROVED_PROPOSAL = r"""
import json
import django
django.setup()
from tests.support import factories
from tests.support.proposals import approved, approver_of, propose

university = factories.UniversityFactory(slug="proposing-university")
programme = factories.ProgrammeFactory(
    title="Before the Proposal", slug="proposed-programme", universities=[university]
)
proposer = factories.StaffUserFactory(username="proposer", universities=[university])
proposal = propose(programme, proposer, title="After the Proposal")
proposal = approved(proposal, approver_of(university))
print(json.dumps(proposal.pk))
"""


def test_make_run_publishes_due_proposals_while_it_serves_and_stops_doing_so_with_it(tmp_path):
    database_file = tmp_path / "catalog.sqlite3"
    run = MakeRun(database_file, free_port(), PUBLISH_EVERY="1")
    try:
        assert run.wait_until_serving() == 200
        made = subprocess.run(
            [sys.executable, "-c", APPROVED_PROPOSAL],
            cwd=PROJECT_ROOT,
            env={
                "PATH": os.environ.get("PATH", ""),
                "DJANGO_SETTINGS_MODULE": "tests.settings",
                "DATABASE_URL": f"sqlite:///{database_file}",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert made.returncode == 0, made.stderr[-3000:]
        proposal = json.loads(made.stdout.strip().splitlines()[-1])
        page = run.url + "/programmes/proposed-programme/"
        deadline = time.monotonic() + 60
        while b"After the Proposal" not in fetch(page)[2]:
            assert time.monotonic() < deadline, "the approved proposal was not published"
            time.sleep(0.5)
    finally:
        output = run.stop()
    assert f"published: proposal {proposal} (Before the Proposal)" in output, output
    publisher = int(re.search(r"Publishing due proposals every 1 s \(process (\d+)\)", output)[1])
    time.sleep(2)  # it checks for its starter every second
    assert not running(publisher), "the publisher outlived make run"


def running(pid):
    """Whether the process runs (a finished one not yet reaped by its parent does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_make_installs_a_current_setuptools_in_the_virtual_environment():
    """`venv` ships an old setuptools (65 on Python 3.11); `make` upgrades it with pip."""
    version = subprocess.run(
        [
            str(PROJECT_ROOT / ".venv" / "bin" / "python"),
            "-c",
            "import setuptools; print(setuptools.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert int(version.split(".")[0]) >= 70, version

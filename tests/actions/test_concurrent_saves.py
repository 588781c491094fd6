"""Simultaneous admin saves on SQLite, the default database: each lands or is told of the conflict.

Runs in a fresh process against a real SQLite file (the suite's own SQLite database lives in
memory, and a PostgreSQL run would not exercise SQLite's locking at all). Several threads, each
with its own connection and signed-in browser, open a programme's change form and post it at the
same moment.
"""

import json
import os
import subprocess
import sys

from tests.support.local_servers import PROJECT_ROOT

SAVERS = 6

SCRIPT = r"""
import json, sys, threading
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from programs.models import Programme
from tests.support import factories
from tests.support.admin_pages import change_url, form_data

call_command("migrate", verbosity=0)
superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
university = factories.UniversityFactory()
savers = int(sys.argv[1])
programmes = [
    factories.ProgrammeFactory(slug=f"p{i}", title=f"Programme {i}", universities=[university])
    for i in range(savers)
]

def race(targets):
    barrier = threading.Barrier(len(targets))
    outcomes = [None] * len(targets)

    def save(index, programme):
        browser = Client(raise_request_exception=False)
        browser.force_login(superuser)
        # The programmes are published: "publish at once" (the superuser may) makes each save
        # change the programme itself, whose version the savers race for.
        data = form_data(browser.get(change_url(programme)), publish_now=True)
        data["title"] = f"Saved by {index}"
        barrier.wait()
        response = browser.post(change_url(programme), data)
        conflict = b"Someone else saved this programme since you opened it" in response.content
        outcomes[index] = "saved" if response.status_code == 302 else (
            "conflict" if response.status_code == 200 and conflict else str(response.status_code)
        )

    threads = [threading.Thread(target=save, args=(i, p)) for i, p in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes

same = race([programmes[0]] * savers)
after_same = Programme.objects.get(slug="p0")
different = race(programmes)
print(json.dumps({
    "same": same,
    "same_title": after_same.title,
    "same_version": after_same.version,
    "different": different,
    "different_titles": [Programme.objects.get(slug=f"p{i}").title for i in range(savers)],
}))
"""


def run_race(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'catalog.sqlite3'}",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SAVERS)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_simultaneous_saves_on_sqlite_land_or_conflict_and_none_is_an_error_or_lost(tmp_path):
    outcome = run_race(tmp_path)

    # One programme, six editors who loaded the same version: one save wins, five are told.
    assert sorted(outcome["same"]) == ["conflict"] * (SAVERS - 1) + ["saved"]
    winner = outcome["same"].index("saved")
    assert outcome["same_title"] == f"Saved by {winner}"
    assert outcome["same_version"] == 2
    # Six programmes saved at once: every save lands.
    assert outcome["different"] == ["saved"] * SAVERS
    assert outcome["different_titles"] == [f"Saved by {i}" for i in range(SAVERS)]

"""Two runs of send_proposal_digests at once (cron's next run while a slow mail server holds the
first): each digest is sent once, and the second run reports no failure.

On PostgreSQL the runs race in threads of this process; on SQLite, whose test database lives in
memory, in a fresh process against a real SQLite file (as tests/actions/test_concurrent_saves.py
does), where SQLite's own write lock is what makes the second run wait.
"""

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import override_settings

from programs.actions import proposal_messages, proposals
from programs.actions.snapshots import snapshot_of
from programs.models import MailDelivery, ProposalMailChoice, ProposalMessage
from tests.support import factories
from tests.support.local_servers import PROJECT_ROOT

# Set while the first run is inside its send, so the second starts then.
SENDING = threading.Event()


class SlowBackend(EmailBackend):
    """Django's test outbox behind a mail server that takes a second to answer."""

    def send_messages(self, email_messages):
        SENDING.set()
        time.sleep(1)
        return super().send_messages(email_messages)


def overlapping_digest_runs():
    """Queue a digest for one approver, then start a second digest run while the first is
    sending it. Returns what each run reported and who got e-mails."""
    university = factories.UniversityFactory()
    programme = factories.ProgrammeFactory(title="Health Informatics", universities=[university])
    proposer = factories.StaffUserFactory(username="petra", universities=[university])
    approver = factories.StaffUserFactory(username="anna", universities=[university])
    approver.user_permissions.add(Permission.objects.get(codename="approve_proposal"))
    ProposalMailChoice.objects.create(user=approver, waiting=MailDelivery.DIGEST)
    proposed = snapshot_of(programme.pk)
    proposed["programme"]["ects"] = 90
    proposal, _ = proposals.save_proposal(programme, proposed, proposer)
    proposals.submit(proposal, proposer)  # committed: the digest message is queued
    assert ProposalMessage.objects.unsent().count() == 1

    SENDING.clear()
    mail.outbox = []
    reports = {}

    def run(name, wait_for_the_other):
        try:
            if wait_for_the_other:
                SENDING.wait(timeout=30)
            sent = proposal_messages.send_owed()
            reports[name] = {"digests": sent.digests, "failed": sent.failed}
        finally:
            connection.close()

    with override_settings(EMAIL_BACKEND=f"{__name__}.SlowBackend"):
        runs = [
            threading.Thread(target=run, args=("first", False)),
            threading.Thread(target=run, args=("second", True)),
        ]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join(timeout=60)
    return {
        "reports": reports,
        "sent_to": [address for email in mail.outbox for address in email.to],
        "still_owed": ProposalMessage.objects.unsent().count(),
    }


EXPECTED = {
    "reports": {
        "first": {"digests": 1, "failed": []},
        "second": {"digests": 0, "failed": []},
    },
    "sent_to": ["anna@example.org"],
    "still_owed": 0,
}


@pytest.mark.django_db(transaction=True)
def test_overlapping_digest_runs_send_each_digest_once_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: test_overlapping_digest_runs_send_each_digest_once_on_sqlite")
    assert overlapping_digest_runs() == EXPECTED


SCRIPT = r"""
import json
import django
django.setup()
from django.core.management import call_command
from tests.actions.test_proposal_digest_overlap import overlapping_digest_runs

call_command("migrate", verbosity=0)
print(json.dumps(overlapping_digest_runs()))
"""


def test_overlapping_digest_runs_send_each_digest_once_on_sqlite(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'catalog.sqlite3'}",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == EXPECTED

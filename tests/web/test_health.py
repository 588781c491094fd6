"""/healthz tells a load balancer whether this app process can reach its database."""

import json
import os
import subprocess
import sys

import pytest

from tests.support.local_servers import PROJECT_ROOT, free_port


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def run_during_an_outage(code, settings_module="catalog.settings"):
    """Run Python `code` in a fresh process whose database is a PostgreSQL server that is not
    listening (a real outage, no mock); returns what it printed."""
    closed_port = free_port()  # and nothing will listen on it
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=PROJECT_ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": settings_module,
            "SECRET_KEY": "health-check-test-key-" + "h" * 40,
            "SITE_URL": "http://testserver",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"postgres://catalog@127.0.0.1:{closed_port}/catalog",
            "LOG_LEVEL": "CRITICAL",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize("session_cookie", [False, True], ids=["no-cookie", "session-cookie"])
def test_healthz_reports_an_unreachable_database_as_503(session_cookie):
    """A probe carrying a session cookie (whose session can't be read either) gets the same
    answer."""
    output = run_during_an_outage(
        "from django.test import Client; "
        "client = Client(); "
        + ("client.cookies['sessionid'] = 'x' * 32; " if session_cookie else "")
        + "response = client.get('/healthz'); "
        "print(response.status_code); print(response.content.decode())"
    )
    status, body = output.strip().split("\n", 1)
    assert status == "503"
    assert json.loads(body)["status"] == "unavailable"


def test_public_pages_answer_503_with_retry_after_while_the_database_is_down():
    """The site's own "briefly unavailable" page, not a 500."""
    output = run_during_an_outage(
        "from django.test import Client; "
        "browser = Client(raise_request_exception=False); "
        "paths = ['/', '/programmes/?language=en', '/programmes/medical-data-science/', "
        "'/universities/', '/compare/?p=a&p=b', '/modules/?q=data', '/programmes/export.csv', "
        "'/changes/']; "
        "responses = [browser.get(path) for path in paths]; "
        "print([(r.status_code, r.get('Retry-After')) for r in responses]); "
        "print(responses[0].content.decode())",
        # The test settings: production's, with static files that need no collectstatic.
        settings_module="tests.settings",
    )
    statuses, page = output.split("\n", 1)
    assert statuses == str([(503, "30")] * 8)
    assert "The catalog is briefly unavailable" in page
    assert "Something went wrong" not in page

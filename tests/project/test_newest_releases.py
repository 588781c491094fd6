""".ci/newest_releases.py, run by `make lint`: an installed runtime dependency older than the newest
release its range allows fails the build, by name; an unreachable PyPI warns (fails under CI).

A local HTTP server stands in for PyPI's JSON API (the script's PYPI_JSON_URL), so these tests
decide what "the newest release" is; the dependency checked is Django, as installed here."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata

import pytest
from packaging.version import Version

from tests.support.local_servers import PROJECT_ROOT, free_port

SCRIPT = PROJECT_ROOT / ".ci" / "newest_releases.py"
INSTALLED = Version(metadata.version("Django"))
SERIES = f"{INSTALLED.major}.{INSTALLED.minor}"
RANGE = f">={SERIES},<{INSTALLED.major}.{INSTALLED.minor + 1}"


def release(requires_python=">=3.10", yanked=False):
    return [{"requires_python": requires_python, "yanked": yanked}]


@pytest.fixture
def pypi():
    """A stand-in for PyPI: set `.releases` to Django's {version: files}; its URL is `.url`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/django/json":
                self.send_error(404)
                return
            body = json.dumps({"releases": server.releases}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.releases = {}
    server.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def check(tmp_path, url, ci=False):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[project]\nname = "x"\ndependencies = ["Django{RANGE}"]\n')
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env.update(PYPI_JSON_URL=url, **({"CI": "true"} if ci else {}))
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--pyproject", str(pyproject)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def newer_patch():
    return f"{SERIES}.{INSTALLED.micro + 1}"


def test_an_outdated_dependency_fails_with_its_name_versions_and_range(tmp_path, pypi):
    pypi.releases = {str(INSTALLED): release(), newer_patch(): release()}
    result = check(tmp_path, pypi.url)
    assert result.returncode == 1
    assert (
        f"package Django {INSTALLED} installed, {newer_patch()} is the newest allowed by "
        f"{RANGE}: update"
    ) in result.stderr


def test_releases_the_range_excludes_yanked_or_for_another_python_dont_count(tmp_path, pypi):
    pypi.releases = {
        str(INSTALLED): release(),
        f"{INSTALLED.major}.{INSTALLED.minor + 1}.0": release(),  # the next series: not allowed
        newer_patch(): release(yanked=True),
        f"{SERIES}.{INSTALLED.micro + 2}": release(requires_python=">=3.99"),
        f"{SERIES}.{INSTALLED.micro + 3}rc1": release(),  # a pre-release
    }
    result = check(tmp_path, pypi.url)
    assert result.returncode == 0, result.stderr
    assert "1 runtime dependencies are at the newest release their range allows" in result.stdout


def test_an_unreachable_pypi_warns_and_passes_but_fails_under_ci(tmp_path):
    nobody = f"http://127.0.0.1:{free_port()}"
    warned = check(tmp_path, nobody)
    assert warned.returncode == 0
    assert "Could not ask PyPI" in warned.stderr
    failed = check(tmp_path, nobody, ci=True)
    assert failed.returncode == 1
    assert "Under CI=true that is a failure" in failed.stderr


def test_make_lint_runs_the_check():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/python .ci/newest_releases.py" in lint

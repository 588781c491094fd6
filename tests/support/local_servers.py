"""Real servers that tests and benchmarks start on 127.0.0.1 and stop afterwards.

gunicorn is started as production runs it (`-c python:catalog.gunicorn`), so what is measured or
checked is what a deploy serves. Used by the production-server and cache tests, and by
`make bench` and `make lighthouse` (benchmarks/), which put the project on their import path.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # tests/support/ -> the project


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, seconds=30):
    """Return once something listens on `port`; fail early if `process` exits meanwhile."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listened on port {port} within {seconds} s")


@contextmanager
def gunicorn(env, workers=2):
    """gunicorn serving the site with `env` as its whole environment; yields (port, its pid)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:catalog.gunicorn", "catalog.wsgi",
         "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=PROJECT_ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for_port(port, server)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=20)


def production_site(workdir, secret_key, site_url="http://127.0.0.1"):
    """The environment of a production-like site (DEBUG off) holding the real catalog in its
    own SQLite file under `workdir`, with its static files collected there. Its links name
    `site_url` (the port is gunicorn's to choose later, so none by default)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "catalog.settings",
        "SECRET_KEY": secret_key,
        "SITE_URL": site_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir / 'catalog.sqlite3'}",
        "STATIC_ROOT": str(workdir / "static"),
    }
    for command in (["migrate", "--noinput"], ["load_catalog"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return env


def fetch(url):
    """A GET from one of these servers: (status, headers, body)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers, response.read()

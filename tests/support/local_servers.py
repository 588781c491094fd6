"""Real servers that tests and benchmarks start on 127.0.0.1 and stop afterwards.

gunicorn is started as production runs it (`-c python:catalog.gunicorn`), so what is measured or
checked is what a deploy serves; nginx with the site file users deploy (deploy/nginx/). Used by
the production-server, proxy and cache tests, and by `make bench` and `make lighthouse`
(benchmarks/), which put the project on their import path.
"""

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # tests/support/ -> the project
NGINX_SITE = PROJECT_ROOT / "deploy" / "nginx" / "catalog.conf"
# The site's name in deploy/nginx/catalog.conf, kept as it is: tests ask for it by name.
SITE_NAME = "catalog.example.org"


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
def gunicorn(env, workers=2, options=()):
    """gunicorn serving the site with `env` as its whole environment, and any further command
    line `options`; yields (port, its pid)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:catalog.gunicorn", "catalog.wsgi",
         "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning", *options],
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


def nginx_binary():
    """Debian's nginx (/usr/sbin is not on every user's PATH), or None."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.access(found, os.X_OK) else None


def self_signed_certificate(directory, name=SITE_NAME):
    """A certificate for `name` and its key, made by openssl in `directory`, valid for two days."""
    certificate, key = directory / "certificate.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return certificate, key


def ipv6_loopback():
    """Whether ::1 can be listened on here (not in every container)."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def render_nginx_site(text, *, upstream_port, http_port, https_port, certificate, key):
    """deploy/nginx/catalog.conf as it runs here: on 127.0.0.1 (and ::1) at these ports, with
    this certificate, in front of gunicorn at `upstream_port`. Nothing else in it changes."""
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        f"/etc/letsencrypt/live/{SITE_NAME}/fullchain.pem": str(certificate),
        f"/etc/letsencrypt/live/{SITE_NAME}/privkey.pem": str(key),
    }
    for old, new in replacements.items():
        if old not in text:
            raise ValueError(f"{NGINX_SITE} no longer has {old!r}: update render_nginx_site()")
        text = text.replace(old, new)
    ports = {"80": http_port, "443": https_port}
    has_ipv6 = ipv6_loopback()

    def local(match):
        indent, ipv6, port, rest = match.groups()
        if not ipv6:
            return f"{indent}listen 127.0.0.1:{ports[port]}{rest}"
        if has_ipv6:
            return f"{indent}listen [::1]:{ports[port]}{rest}"
        return f"{indent}# no IPv6 on this machine: listen [::]:{port}{rest}"

    text, count = re.subn(r"(?m)^(\s*)listen (\[::\]:)?(80|443)\b(.*)$", local, text)
    if not count:
        raise ValueError(f"{NGINX_SITE} listens on neither port 80 nor 443")
    return text


@dataclass
class Nginx:
    http_port: int
    https_port: int
    certificate: Path
    access_log: Path


@contextmanager
def nginx(upstream_port):
    """Debian's nginx running deploy/nginx/catalog.conf in front of gunicorn at `upstream_port`,
    with a self-signed certificate for its name, all in a temporary directory removed afterwards.
    Yields an Nginx."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
    workdir = Path(tempfile.mkdtemp(prefix="catalog-nginx-"))
    try:
        certificate, key = self_signed_certificate(workdir)
        http_port, https_port = free_port(), free_port()
        site = workdir / "catalog.conf"
        site.write_text(
            render_nginx_site(
                NGINX_SITE.read_text(),
                upstream_port=upstream_port,
                http_port=http_port,
                https_port=https_port,
                certificate=certificate,
                key=key,
            )
        )
        access_log = workdir / "access.log"
        # As root, nginx's workers would run as `nobody`, who can't write to this directory.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        temporary = " ".join(
            f"{kind}_temp_path {workdir / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (workdir / "nginx.conf").write_text(
            f"""{user}
daemon off;
worker_processes 1;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"};
events {{ worker_connections 64; }}
http {{
    {temporary}
    access_log {access_log};
    include {site};
}}
"""
        )
        server = subprocess.Popen(
            [binary, "-p", str(workdir), "-c", str(workdir / "nginx.conf"),
             "-e", str(workdir / "error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            try:
                wait_for_port(https_port, server)
                wait_for_port(http_port, server)
            except RuntimeError as failed:
                log = (workdir / "error.log").read_text(errors="replace")
                raise RuntimeError(f"nginx did not start: {failed}\n{log}") from None
            yield Nginx(http_port, https_port, certificate, access_log)
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

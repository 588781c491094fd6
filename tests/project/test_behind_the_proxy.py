"""The site behind the proxy users deploy: deploy/nginx/catalog.conf in front of gunicorn, with
production settings (DEBUG off, HTTPS=1).

Most tests run twice, once per front: "nginx" goes through Debian's nginx over HTTPS (with a
certificate made for the test) from a client on 127.0.0.2 or 127.0.0.3 (all of 127/8 is this
machine), and "gunicorn" goes straight to gunicorn from 127.0.0.1, the proxy's own address,
with the headers nginx adds for that client. Under CI=true a missing nginx fails the run.
"""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.support.local_servers import (
    PROJECT_ROOT,
    SITE_NAME,
    gunicorn,
    nginx,
    nginx_binary,
    production_site,
)

PASSWORD = "correct horse battery staple"
GUESSER, SOMEONE_ELSE = "127.0.0.2", "127.0.0.3"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode(errors="replace")


class TLSConnection(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 that asks for `server_name` in the handshake (SNI), as a browser that
    resolved that name to this machine would."""

    def __init__(self, port, server_name, context, source):
        super().__init__(server_name, port, timeout=30, source_address=(source, 0))
        self.tls = context

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


class PlainConnection(http.client.HTTPConnection):
    def __init__(self, port, source):
        super().__init__("127.0.0.1", port, timeout=30, source_address=(source, 0))


class Front:
    """How a test reaches the site: its requests, answered as a browser would see them."""

    name = ""

    def connection(self, client, https, server_name):
        raise NotImplementedError

    def headers_for(self, client, https, headers):
        return headers

    def request(
        self,
        method,
        path,
        *,
        client=GUESSER,
        headers=None,
        body=None,
        https=True,
        host=SITE_NAME,
        server_name=SITE_NAME,
    ):
        """One request on a connection of its own; None when the server closes it unanswered."""
        connection = self.connection(client, https, server_name)
        headers = self.headers_for(client, https, {"Host": host, **(headers or {})})
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        except http.client.RemoteDisconnected:
            return None
        finally:
            connection.close()


class ThroughNginx(Front):
    name = "nginx"

    def __init__(self, server):
        self.server = server
        self.tls = ssl.create_default_context(cafile=str(server.certificate))

    def connection(self, client, https, server_name):
        if https:
            return TLSConnection(self.server.https_port, server_name, self.tls, client)
        return PlainConnection(self.server.http_port, client)


class StraightAtGunicorn(Front):
    """gunicorn as nginx reaches it: from 127.0.0.1, told the protocol and the client."""

    name = "gunicorn"

    def __init__(self, port):
        self.port = port

    def connection(self, client, https, server_name):
        return PlainConnection(self.port, "127.0.0.1")

    def headers_for(self, client, https, headers):
        written = headers.get("X-Forwarded-For")
        return {
            **headers,
            "X-Forwarded-For": f"{written}, {client}" if written else client,
            **({"X-Forwarded-Proto": "https"} if https else {}),
        }


def manage(env, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The production site: its environment, gunicorn's port and access log."""
    workdir = tmp_path_factory.mktemp("behind-the-proxy")
    env = production_site(workdir, "behind-the-proxy-test-key-" + "k" * 40)
    env.update(
        ALLOWED_HOSTS=SITE_NAME,
        CSRF_TRUSTED_ORIGINS=f"https://{SITE_NAME}",
        HTTPS="1",
        # The configured origin, once the app reads it; harmless until then.
        SITE_URL=f"https://{SITE_NAME}",
    )
    for front in ("nginx", "gunicorn"):  # one to guess at per front: lockouts outlive a test
        manage(
            env,
            "create_staff_user",
            f"alice-{front}",
            "--university",
            "rwth-aachen",
            "--password-stdin",
            stdin=PASSWORD,
        )
    access_log = workdir / "gunicorn-access.log"
    with gunicorn(env, options=["--access-logfile", str(access_log)]) as (port, _pid):
        yield port, access_log


@pytest.fixture(scope="module")
def nginx_server(site):
    if nginx_binary() is None or shutil.which("openssl") is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("nginx or openssl is missing; `make test` installs Debian's")
        pytest.skip("nginx or openssl is not installed (`make nginx` as root installs them)")
    port, _access_log = site
    with nginx(port) as server:
        yield server


@pytest.fixture(params=["nginx", "gunicorn"])
def front(request, site):
    if request.param == "nginx":
        return ThroughNginx(request.getfixturevalue("nginx_server"))
    return StraightAtGunicorn(site[0])


# --- the sign-in lockout counts the real client -----------------------------------------------


def sign_in(front, username, password, client, forwarded_for=None):
    """The admin's sign-in as a browser does it: the form (and its CSRF cookie), then the post."""
    form = front.request("GET", "/admin/login/", client=client)
    assert form.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    cookie = SimpleCookie(form.headers["Set-Cookie"])["csrftoken"].value
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
        "Origin": f"https://{SITE_NAME}",
        "Referer": f"https://{SITE_NAME}/admin/login/",
    }
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for  # written by the client itself
    fields = {"username": username, "password": password, "next": "/admin/"}
    body = urlencode({**fields, "csrfmiddlewaretoken": token})
    return front.request("POST", "/admin/login/", client=client, headers=headers, body=body).status


def test_a_lockout_holds_its_client_and_leaves_another_free(front):
    """Five wrong passwords lock out the one who guessed, not everyone behind the proxy."""
    username = f"alice-{front.name}"
    answers = [sign_in(front, username, "wrong", GUESSER) for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]

    # Writing another address in front of the proxy's changes nothing for the guesser...
    assert sign_in(front, username, PASSWORD, GUESSER, forwarded_for="203.0.113.9") == 429
    # ...and the staff member, from her own address, signs in.
    assert sign_in(front, username, PASSWORD, SOMEONE_ELSE) == 302


def logged(access_log, marker):
    """gunicorn's access log lines holding `marker`, once written (just after the answer)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [line for line in access_log.read_text().splitlines() if marker in line]
        if lines:
            return lines
        time.sleep(0.05)
    return []


def test_the_access_log_names_each_client(front, site):
    _port, access_log = site
    marker = f"marker-{front.name}-{time.monotonic_ns()}"
    assert front.request("GET", f"/programmes/?q={marker}", client=SOMEONE_ELSE).status == 200
    lines = logged(access_log, marker)
    assert len(lines) == 1
    assert lines[0].startswith(f"{SOMEONE_ELSE} ")


def test_straight_at_gunicorn_a_made_up_x_forwarded_for_is_not_believed(site):
    """gunicorn reached from anywhere but the proxy: the header is the sender's own words."""
    port, access_log = site
    marker = f"marker-forged-{time.monotonic_ns()}"
    connection = PlainConnection(port, GUESSER)
    headers = {"Host": SITE_NAME, "X-Forwarded-For": "198.51.100.9", "X-Forwarded-Proto": "https"}
    connection.request("GET", f"/programmes/?q={marker}", headers=headers)
    assert connection.getresponse().status == 200
    connection.close()
    lines = logged(access_log, marker)
    assert lines and lines[0].startswith(f"{GUESSER} ")


# --- Host --------------------------------------------------------------------------------------


def test_an_unknown_host_gets_no_page(front):
    answer = front.request("GET", "/", host="evil.example")
    if front.name == "nginx":
        assert answer is None  # closed without an answer (444): it never reached gunicorn
    else:
        assert answer.status == 400  # ALLOWED_HOSTS


def test_nginx_refuses_the_handshake_for_any_other_name(nginx_server):
    front = ThroughNginx(nginx_server)
    with pytest.raises(ssl.SSLError):
        front.request("GET", "/", host="evil.example", server_name="evil.example")
    assert front.request("GET", "/", host="evil.example", https=False) is None


def test_through_nginx_the_app_sees_the_server_name_whatever_the_host_header(nginx_server):
    """A Host with a port (or in capitals) reaches the site, but the app sees the server's name:
    its absolute links carry no port of the client's choosing."""
    front = ThroughNginx(nginx_server)
    for host in (f"{SITE_NAME}:8443", SITE_NAME.upper()):
        answer = front.request("GET", "/programmes/medical-data-science/", host=host)
        assert answer.status == 200
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', answer.text).group(1)
        assert canonical == f"https://{SITE_NAME}/programmes/medical-data-science/"


# --- request bodies ---------------------------------------------------------------------------


def post(front, path, length, body):
    """A multipart POST whose headers say it has `length` bytes, sending `body` (perhaps less)
    64 KB at a time until the server answers or stops reading; the status it answers (a server
    still waiting for the rest lets the connection's 30 s timeout fail the test)."""
    connection = front.connection(GUESSER, True, SITE_NAME)
    headers = front.headers_for(
        GUESSER,
        True,
        {
            "Host": SITE_NAME,
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(length),
        },
    )
    try:
        connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        try:
            for offset in range(0, len(body), 64 * 1024):
                connection.send(body[offset : offset + 64 * 1024])
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the end: the answer is waiting
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_claimed_300_mb_upload_is_refused_before_it_is_sent(front):
    """A server that waited for the body, or read it, would not answer after the first 1 KB."""
    assert post(front, "/shortlist/add/", 300 * 1024 * 1024, b"x" * 1024) == 413


def upload(front, path, size):
    body = b"--x\r\nContent-Disposition: form-data; name=f; filename=a.csv\r\n\r\n"
    body += b"y" * (size - len(body) - 7) + b"\r\n--x--"
    return post(front, path, len(body), body)


def test_each_address_takes_the_bodies_the_app_does(front):
    megabyte = 1024 * 1024
    # A public form: 64 KB.
    assert upload(front, "/shortlist/add/", 63 * 1024) == 403  # read, and refused by the CSRF check
    assert upload(front, "/shortlist/add/", 1 * megabyte) == 413
    # The admin: 2.5 MB and the form; its spreadsheet import: two 2 MB files and the form.
    assert upload(front, "/admin/login/", 2 * megabyte) == 403
    assert upload(front, "/admin/login/", int(3.5 * megabyte)) == 413
    assert upload(front, "/admin/programs/programme/import/", int(3.5 * megabyte)) == 403
    assert upload(front, "/de/admin/programs/programme/import/", int(3.5 * megabyte)) == 403
    assert upload(front, "/admin/programs/programme/import/", 6 * megabyte) == 413


# --- the forwarded protocol -------------------------------------------------------------------


def test_over_https_the_app_knows_it_and_its_cookies_are_secure(front):
    answer = front.request("GET", "/admin/login/")
    assert answer.status == 200
    csrf_cookie = SimpleCookie(answer.headers["Set-Cookie"])["csrftoken"]
    assert csrf_cookie["secure"] is True
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_plain_http_is_sent_to_https(front):
    answer = front.request("GET", "/admin/login/?next=/admin/", https=False)
    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{SITE_NAME}/admin/login/?next=/admin/"


def test_the_server_header_names_no_version_and_not_gunicorn(front):
    server = front.request("GET", "/healthz").headers.get("Server")
    if front.name == "nginx":
        assert server == "nginx"  # what Debian's nginx allows: the name, without the version
    else:
        assert server is None

"""The app as production runs it: gunicorn, DEBUG off, static files from whitenoise.

A real server process on 127.0.0.1 with its own SQLite file, so this checks what a deploy gets:
the catalog's pages, /healthz, and the admin's login page with its stylesheet (hashed and
compressed by collectstatic).
"""

import re
import urllib.request

import pytest

from tests.support.local_servers import fetch, gunicorn, production_site


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("production")
    secret_key = "production-server-test-key-" + "q" * 40
    env = production_site(workdir, secret_key)
    with gunicorn(env) as (port, _pid):
        yield f"http://127.0.0.1:{port}"


def test_catalog_pages_and_healthz_answer(production_server):
    status, _, body = fetch(production_server + "/")
    assert status == 200
    assert b"Medical Data Science" in body
    assert fetch(production_server + "/healthz")[2] == b'{"status": "ok"}'


def test_admin_login_page_comes_with_its_stylesheet(production_server):
    status, _, body = fetch(production_server + "/admin/login/")
    assert status == 200
    stylesheets = re.findall(r'href="(/static/admin/css/[^"]+\.css)"', body.decode())
    assert stylesheets, "the login page links no admin stylesheet"
    for path in stylesheets:
        # Hashed names (base.<hash>.css) so browsers may cache them for a year.
        assert re.search(r"\.[0-9a-f]{12}\.css$", path), path
        status, headers, css = fetch(production_server + path)
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert "max-age=315360000" in headers["Cache-Control"]
        assert css


def test_our_own_stylesheet_and_vendored_htmx_are_served(production_server):
    _, _, body = fetch(production_server + "/programmes/")
    assets = re.findall(r'(?:href|src)="(/static/(?:css|js)/[^"]+)"', body.decode())
    assert any("htmx" in path for path in assets)
    for path in assets:
        assert fetch(production_server + path)[0] == 200


def test_favicon_ico_is_the_site_icon(production_server):
    """The admin's sign-in page names no icon, so browsers ask for /favicon.ico: no 404."""
    status, headers, body = fetch(production_server + "/favicon.ico")
    assert status == 200
    assert headers["Content-Type"] == "image/svg+xml"
    assert body.startswith(b"<svg")


def test_pages_are_gzipped_and_static_files_come_precompressed(production_server):
    import gzip

    request = urllib.request.Request(
        production_server + "/programmes/medical-data-science/",
        headers={"Accept-Encoding": "gzip"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert b"Medical Data Science" in gzip.decompress(response.read())


def test_a_request_with_another_port_in_its_host_changes_no_visitors_links(production_server):
    """Django's host check ignores the port, so `Host: 127.0.0.1:31337` is served; the pages it
    gets are kept and served to everyone after it (by each worker: so asked several times),
    and must name the site's address, SITE_URL, not that port."""
    path = "/programmes/medical-data-science/"
    for _ in range(6):
        request = urllib.request.Request(
            production_server + path, headers={"Host": "127.0.0.1:31337"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert b"31337" not in response.read()
    for _ in range(6):
        _, _, body = fetch(production_server + path)
        assert b"31337" not in body
        assert f'<link rel="canonical" href="http://127.0.0.1{path}">'.encode() in body


def test_static_files_refuse_the_browser_features_the_site_does_not_use_too(production_server):
    """whitenoise answers them before most of the middleware; the policy comes before it."""
    _, _, body = fetch(production_server + "/programmes/")
    stylesheet = re.search(r'href="(/static/css/[^"]+\.css)"', body.decode()).group(1)
    _, headers, _ = fetch(production_server + stylesheet)
    assert "camera=()" in headers["Permissions-Policy"]
    assert "interest-cohort=()" in headers["Permissions-Policy"]


def test_three_workers_share_one_count_of_a_visitors_writes(tmp_path_factory):
    """gunicorn's workers each hold their own memory: the write counts must be shared, or each
    worker would allow a client the whole limit again (3 workers: 180 writes a minute)."""
    import http.client

    workdir = tmp_path_factory.mktemp("throttle")
    env = production_site(workdir, "production-server-test-key-" + "q" * 40)
    env["THROTTLE_DIR"] = str(workdir / "throttle")
    env["VISITOR_WRITES_PER_MINUTE"] = "20"
    statuses = []
    with gunicorn(env, workers=3) as (port, _pid):
        for _ in range(60):
            # A new connection each time, so the requests spread over the workers.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            form = {"Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", "/shortlist/add/", "programme=medical-data-science", form)
            statuses.append(connection.getresponse().status)
            connection.close()
    refused = statuses.count(429)
    # Two workers counting the same instant may lose a count between them: a few at most.
    assert 40 - 3 <= refused <= 40, statuses

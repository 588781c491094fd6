"""gunicorn's settings for this site: `gunicorn -c python:catalog.gunicorn catalog.wsgi`."""

import io
import sys
import time

from catalog.interpreter import cookie_parsing_problem

# gunicorn runs no system checks: refuse to serve on a Python whose cookie parsing one crafted
# request can tie up for seconds (catalog/interpreter.py). Checked as gunicorn reads this file,
# before anything else; gunicorn prints the RuntimeError's message and exits with status 1.
if problem := cookie_parsing_problem():
    raise RuntimeError(problem)

# After the check, which needs no gunicorn.
from gunicorn.glogging import Logger
from gunicorn.http import wsgi as gunicorn_http

# gunicorn names itself in a `Server: gunicorn` header on every response, telling a stranger what
# to look up vulnerabilities for; no setting turns it off, so its response's default headers leave
# that one out. (Behind nginx, nginx sends its own: see deploy/nginx/catalog.conf.)
_default_headers = gunicorn_http.Response.default_headers


def _default_headers_without_server(response):
    return [line for line in _default_headers(response) if not line.startswith("Server:")]


gunicorn_http.Response.default_headers = _default_headers_without_server


class ClientAddressLogger(Logger):
    """gunicorn's access log (`--access-logfile`) naming each request's client as the app does:
    behind our proxy the address it forwarded, not the proxy's (programs/web/clients.py)."""

    def atoms(self, resp, req, environ, request_time):
        from programs.web.clients import address_from

        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = address_from(environ) or "-"
        return atoms


logger_class = ClientAddressLogger

# The pages a visitor most often opens first. A worker renders each once before it takes
# requests: otherwise the first visitor to each pays for importing its views, compiling its
# templates and reading Babel's locale data, 100-200 ms (measured as the list's cold time in
# `make bench`, 222 ms against 64-113 ms for the pages measured after it).
FIRST_PAGES = ("/", "/programmes/", "/universities/", "/modules/", "/compare/")

# The most a worker spends on them: gunicorn's timeout already runs while a worker starts, and
# a slow database must not have the worker killed and restarted again and again.
FIRST_PAGES_SECONDS = 10
# The most a worker spends starting to build archived editions' indexes (after the first pages):
# about 4.5 s each at 100,000 programmes, and twice that on a busy machine (make bench with its
# budget at 15 s built two of three there, and the third edition's first visitor waited 4.8 s).
EDITION_INDEXES_SECONDS = 60


def post_worker_init(worker):
    # Each worker reads the list's facet index before taking requests, so no visitor waits for
    # it (programs/search/facet_index.py); after that it follows the catalog's changes by itself.
    from django.db import DatabaseError, close_old_connections, connection

    from programs.search import edition_index, facet_index

    if facet_index.warm_up():
        deadline = time.monotonic() + min(FIRST_PAGES_SECONDS, worker.timeout / 2)

        def may_go_on():
            worker.notify()  # tells gunicorn's arbiter this worker is alive
            return time.monotonic() < deadline

        try:
            answered = open_first_pages(worker.wsgi, may_go_on)
        except Exception:
            # Only a head start: a worker that can't take it still serves (its first visitors
            # wait a little longer), rather than failing to boot again and again.
            worker.log.exception("Could not open the first pages ahead of visitors")
        else:
            if any(status != 200 for status in answered.values()):
                worker.log.warning("Opening the first pages ahead of visitors: %s", answered)
        # Then the archived editions' lists' indexes, newest first: the first visitor of an old
        # edition's list would otherwise wait for its index, seconds at 100,000 programmes
        # (programs/search/edition_index.py). Each is built whole once started, and the arbiter
        # is told before each, so gunicorn's timeout bounds one build, not all of them; none
        # starts after EDITION_INDEXES_SECONDS.
        editions_deadline = time.monotonic() + EDITION_INDEXES_SECONDS

        def editions_may_go_on():
            worker.notify()
            return time.monotonic() < editions_deadline

        edition_index.warm_up(editions_may_go_on)
    # Django asks SQLite once per process whether it reads JSON (a programme's page does): ask
    # now rather than during a visitor's request.
    try:
        connection.features.supports_json_field  # noqa: B018 (read for its side effect)
    except DatabaseError:
        pass  # the first request asks instead
    finally:
        close_old_connections()


def open_first_pages(application, may_go_on=lambda: True):
    """Request FIRST_PAGES and one programme's page from the WSGI `application` in-process,
    while `may_go_on()`; returns {path: the status it answered}, up to the first that isn't 200
    (the others would fail alike: the database, or the settings)."""
    from django.conf import settings

    from programs.models import Programme

    host = next(
        (name.lstrip(".") for name in settings.ALLOWED_HOSTS if name not in ("*", ".")),
        "localhost",
    )
    https = settings.SECURE_SSL_REDIRECT or bool(settings.SECURE_PROXY_SSL_HEADER)
    proxy_says_https = {}
    if settings.SECURE_PROXY_SSL_HEADER:  # behind a proxy that terminates HTTPS
        header, value = settings.SECURE_PROXY_SSL_HEADER
        proxy_says_https = {header: value}
    slug = Programme.objects.published().order_by("pk").values_list("slug", flat=True).first()
    paths = FIRST_PAGES + ((f"/programmes/{slug}/",) if slug else ())
    answered = {}
    for path in paths:
        if not may_go_on():
            break
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": host,
            "SERVER_PORT": "443" if https else "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host,
            # A cookie of its own keeps these pages out of the page cache: a worker's own
            # rehearsal is never what visitors are served.
            "HTTP_COOKIE": "worker_warm_up=1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https" if https else "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **proxy_says_https,
        }

        def start_response(status, headers, exc_info=None, path=path):
            answered[path] = int(status.split()[0])

        response = application(environ, start_response)
        response.close()  # as a server would: ends the request (and its database connection)
        if answered[path] != 200:
            break
    return answered

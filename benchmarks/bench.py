"""The catalog's speed at 1,000 and 100,000 programmes, on SQLite and PostgreSQL: `make bench`.

For each database and size this builds a throwaway catalog with `generate_catalog`, starts
gunicorn as production runs it (DEBUG off, 2 workers, 127.0.0.1), and measures each page with
`wrk`, a real HTTP load tool, for a bounded time:

- cold latency: the first request after a catalog change (so no cached result can answer it);
- warm requests per second, as a share of a static file's, measured in the same run (the
  static file is the yardstick: absolute numbers depend on the machine, the share much less; it
  is measured again beside each page with a warm target, as the machine's speed drifts);
- p50 and p99 latency under that load, the HTML's size, and the SQL queries the page runs;
- for the large downloads (the sitemap's index and sections, the CSV export): the whole body's
  time on the first request, when it is made, and on the requests after it, when it is kept
  (programs/web/downloads.py), and their load as a crawler or browser asks for them (gzip);
- for harvesters: the Open Education API's programme list, a page near its end, one programme,
  a revalidation answered 304 (If-None-Match with the ETag held), and /api/changes, each
  held to a page's targets (programs/web/harvesting.py keeps their bodies per revision);
- catalog editions: after generating, EDITIONS editions are archived with a tenth of the
  programmes revised before each but the first (programs/transfer/synthetic_editions.py), and
  the live catalog is the edition after them; each archive's time and what the edition tables
  grew by on disk are reported, every edition after the first held to EDITION_SHARE of the
  first's bytes, and the oldest archived edition's list, filtered list, search and a programme
  page (one revised in every edition) are held to the live pages' targets.

It writes benchmarks/results.md and exits 1 when a target of TARGETS is missed.

    make bench                                     # everything (about 45 minutes here)
    .venv/bin/python benchmarks/bench.py --sizes 1000 --databases sqlite --seconds 3
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))  # for the servers the tests start too

from tests.support.local_servers import gunicorn  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.md"

# The targets at the largest size (see issue 10); checked by check_targets().
COLD_MS = 250
WARM_SHARE = 0.40
LAST_PAGE_SLOWER = 1.20
HTML_KB = 150
CSV_FIRST_BYTE_MS = 300
CSV_MEMORY_GROWTH_MB = 20
# The large downloads: after the first request (which makes and keeps them) they are held to a
# kept page's targets, the whole body within COLD_MS, the load's share of the static file's
# (both asked for as crawlers and browsers do, with gzip) at least WARM_SHARE, and the catalog
# revision their only query; made, the sitemap's are held to COLD_MS too, and the CSV export (up
# to 10,000 rows, seconds) streams its first byte within CSV_FIRST_BYTE_MS.
DOWNLOADS = ("sitemap index", "sitemap programmes", "sitemap universities", "CSV export")
# Sequential whole downloads after the first: the median is the kept time.
KEPT_SAMPLES = 7
# With the default per-process cache each gunicorn worker keeps its own copy, so the other
# worker's first request makes it again. Before the kept figures, rounds of this many parallel
# requests are sent until KEPT_ROUNDS rounds in a row come back within COLD_MS (each worker has
# its copy then), at most WARMING_ROUNDS rounds.
PARALLEL = 4
KEPT_ROUNDS = 3
WARMING_ROUNDS = 12
GZIP = "gzip"
MAX_QUERIES = 8
# The CSV export's first 500 rows read one relation more than a page: the fact sources, which
# its `inferred` column names (issue 28). Still the same at every size (checked below).
# The Open Education API's programme list reads the revision (its ETag) before the count, the
# page and the six relations of its programmes (tests/web/test_oeapi.py pins them).
MAX_QUERIES_OF = {"CSV export": 9, "API list": 9, "API page 400": 9, "API last page": 9}
# The first and a deep page of a list: compared cold, by the median of DEPTH_SAMPLES requests.
# The API's deep page is page 400, as issue 33 asks ("page 400 of /programmes costs what page 1
# does"). Its last page is measured and reported beside it (DEPTH_REPORTED) without that target:
# OEAPI pages by number, so the last of 10,000 pages walks the order's index to its offset, a
# cost that grows with the catalog (docs/scaling.md).
DEPTH_PAIRS = (("list", "last page"), ("API list", "API page 400"))
DEPTH_REPORTED = (("API list", "API last page"),)
DEPTH_PAGES = tuple(name for pair in DEPTH_PAIRS + DEPTH_REPORTED for name in pair)
DEPTH_SAMPLES = 5
WARM_PAGES = (
    "list",
    "filtered list",
    "search (most match)",
    "search (few match)",
    "detail",
    "API list",
    "API detail",
    "API 304",
)
# Asked with If-None-Match and the ETag its address answers with: a harvester revalidating.
REVALIDATIONS = ("API 304",)
# Archived editions made before measuring, the share of programmes revised before each but the
# first, and the most an edition after the first may add to the edition tables, as a share of
# what the first added (issue 32: "under 25 % of the first edition when 10 % changed").
EDITIONS = 3
REVISED_SHARE = 0.10
EDITION_SHARE = 0.25
EDITION_PAGES = ("edition list", "edition filtered list", "edition search", "edition detail")
WARM_PAGES += EDITION_PAGES


def pages(catalog):
    """The measured pages: name -> path. `catalog` holds slugs and counts of the generated data."""
    slugs = catalog["slugs"]
    edition = f"/editions/{catalog['edition']}/"
    return {
        "list": "/programmes/",
        "filtered list": "/programmes/?language=en&ects_min=90&ects_max=120",
        "search (most match)": "/programmes/?q=data",
        "search (few match)": "/programmes/?q=epidemiology",
        "last page": f"/programmes/?page={catalog['last_page']}",
        "detail": f"/programmes/{slugs[0]}/",
        "compare of three": "/compare/?" + "&".join(f"p={slug}" for slug in slugs[:3]),
        "universities": "/universities/",
        "modules search": "/modules/?q=statistics",
        "sitemap index": "/sitemap.xml",
        "sitemap programmes": "/sitemap-programmes.xml",
        "sitemap universities": "/sitemap-universities.xml",
        "CSV export": "/programmes/export.csv?language=de",
        "API list": "/api/oeapi/v6/programmes",
        "API page 400": f"/api/oeapi/v6/programmes?pageNumber={catalog['api_page_400']}",
        "API last page": f"/api/oeapi/v6/programmes?pageNumber={catalog['api_last_page']}",
        "API detail": f"/api/oeapi/v6/programmes/{catalog['uuids'][0]}",
        "API 304": f"/api/oeapi/v6/programmes/{catalog['uuids'][0]}",
        "API changes": "/api/changes?since=2000-01-01T00:00:00Z",
        # The oldest archived edition: its pages read frozen programmes, not the live ones.
        "edition list": f"{edition}programmes/",
        "edition filtered list": f"{edition}programmes/?language=en&ects_min=90&ects_max=120",
        "edition search": f"{edition}programmes/?q=data",
        "edition detail": f"{edition}programmes/{catalog['edition_slug']}/",
    }


def ensure_wrk():
    """wrk from Debian, installed when missing (as root; otherwise say how)."""
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("make bench needs wrk: run 'sudo apt-get install wrk'")
    print("Installing wrk from Debian", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def manage(env, *command, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if capture else None,
        text=True,
    )
    return result.stdout


# Run inside `manage.py shell`: what the pages need to know about the generated catalog.
CATALOG_FACTS = """
import json, math
from django.db.models import Count
from programs.models import Edition, EditionProgramme, Programme
from programs.web.oeapi_parameters import DEFAULT_PAGE_SIZE
published = Programme.objects.published()
archived = Edition.objects.archived()
oldest = archived.order_by("starts_in").first()
revised = (EditionProgramme.objects.values("uuid").annotate(contents=Count("frozen", distinct=True))
           .filter(contents=archived.count()).values("uuid"))
first = published.order_by("title", "slug")
slugs = list(first.values_list("slug", flat=True)[:3])
uuids = [str(uuid) for uuid in first.values_list("uuid", flat=True)[:3]]
print(json.dumps({"programmes": published.count(), "slugs": slugs, "uuids": uuids,
                  "last_page": max(1, math.ceil(published.count() / 20)),
                  # Page 400 where there is one; and a full page at the end, the one before
                  # the last.
                  "api_page_400": min(400, math.ceil(published.count() / DEFAULT_PAGE_SIZE)),
                  "api_last_page": max(1, math.ceil(published.count() / DEFAULT_PAGE_SIZE) - 1),
                  "edition": oldest.slug,
                  # The first programme (by title) revised in every edition: its page shows
                  # what changed between each.
                  "edition_slug": EditionProgramme.objects.filter(edition=oldest, uuid__in=revised)
                      .order_by("title", "slug").values_list("slug", flat=True).first()}))
"""

# Run inside `manage.py shell`: the archived editions (see EDITIONS), with what each took.
MAKE_EDITIONS = f"""
import json
from programs.transfer.synthetic_editions import as_dicts, make_editions
print(json.dumps(as_dicts(make_editions({EDITIONS}, {REVISED_SHARE!r}, seed=1))))
"""

# Run inside `manage.py shell`: after generating, what an operator does after a bulk load.
SETTLE = """
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
print("settled")
"""

# Run inside `manage.py shell`: a staff-like change (one programme saved), so the next request
# of every page is a cold one.
CATALOG_CHANGE = """
from programs.models import Programme
programme = Programme.objects.published().order_by("pk").first()
programme.save()
"""

# Run inside `manage.py shell`: the SQL queries each page runs, with Django's test client, and
# those of a second request (for the downloads: kept); a revalidation is asked with the ETag a
# request before it was answered with.
COUNT_QUERIES = """
import itertools, json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from programs.web.csv_export import EXPORT_CHUNK
client, counts = Client(), {}
connection.features.supports_json_field  # asked once per process, as a worker does at its start
measured = json.loads(sys.stdin.readline())
for name, path in measured["pages"].items():
    headers = {}
    if name in measured["revalidations"]:
        headers["If-None-Match"] = client.get(path, HTTP_HOST="localhost")["ETag"]
    for attempt in ("first", "again"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, HTTP_HOST="localhost", headers=headers)
            chunks = iter(response.streaming_content) if response.streaming else iter(())
            # A download reads its rows in chunks as it is sent: count one.
            list(itertools.islice(chunks, EXPORT_CHUNK + 2))
        list(chunks)  # the rest, sent whole so that it is kept
        counts.setdefault(name, {})[attempt] = len(queries)
print(json.dumps(counts))
"""


def shell(env, code, stdin=None):
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        input=stdin,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def fetch(port, path, encoding=None, etag=None):
    """One GET: (seconds to the first byte, seconds to the last, body, status); the body as
    sent, so compressed when `encoding` (an Accept-Encoding) asks for it; with `etag`, asked
    If-None-Match it (a 304 has no body)."""
    headers = {"Host": "localhost", **({"Accept-Encoding": encoding} if encoding else {})}
    if etag:
        headers["If-None-Match"] = etag
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read(1)
            first_byte = time.perf_counter() - started
            body = response.read()
            return first_byte, time.perf_counter() - started, body, response.status
    except urllib.error.HTTPError as answer:  # urllib raises on a 304 too
        if answer.code != 304:
            raise
        elapsed = time.perf_counter() - started
        return elapsed, elapsed, b"", answer.code


def etag_of(port, path):
    """The ETag `path` answers with now."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        return response.headers["ETag"]


WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port, path, seconds, encoding=None, etag=None):
    """Warm load with wrk: 2 threads, 4 connections, `seconds` long; `encoding`: the
    Accept-Encoding to ask with (none by default); `etag`: the If-None-Match to ask with."""
    accept = ["-H", f"Accept-Encoding: {encoding}"] if encoding else []
    if etag:
        accept += ["-H", f"If-None-Match: {etag}"]
    output = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency", "-H", "Host: localhost", *accept,
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def latency(percentile):
        value, unit = re.search(
            rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M
        ).groups()
        return float(value) * WRK_UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "errors": int(errors.group(1)) if errors else 0,
    }


def csv_load(port, path, seconds):
    """Whole downloads, two at a time (one per worker), for at least `seconds`: wrk would time
    out on a download that takes longer than its two seconds."""
    timings, started = [], time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        while time.perf_counter() - started < seconds or not timings:
            timings += [result[1] for result in pool.map(lambda _: fetch(port, path), range(2))]
    timings.sort()
    return {
        "rps": len(timings) / (time.perf_counter() - started),
        "p50_ms": timings[len(timings) // 2] * 1000,
        "p99_ms": timings[-1] * 1000,
    }


def worker_memory_mb(master_pid):
    """The resident memory of each gunicorn worker (children of the master), in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def static_path(port):
    body = fetch(port, "/programmes/")[2].decode()
    start = body.index("/static/css/")
    return body[start : body.index('"', start)]


def measure_size(env, size, seconds):
    """Every page's figures at `size` generated programmes on the database `env` names."""
    print(f"  generating {size:,} programmes", flush=True)
    manage(env, "generate_catalog", "--programmes", str(size), "--seed", "1")
    print(f"  archiving {EDITIONS} editions, {REVISED_SHARE:.0%} revised before each after the "
          "first", flush=True)  # fmt: skip
    editions = json.loads(shell(env, MAKE_EDITIONS))
    for edition in editions:
        print(f"    {edition['label']}: archived in {edition['seconds']:.1f} s, "
              f"{edition['frozen_new']:,} frozen programmes new of {edition['programmes']:,}, "
              f"edition tables +{edition['bytes'] / 2**20:.1f} MB", flush=True)  # fmt: skip
    # As after any bulk load: let the database settle (PostgreSQL's VACUUM ANALYZE), so that
    # its autovacuum doesn't take a core from the server in the middle of the measurements.
    shell(env, SETTLE)
    catalog = json.loads(shell(env, CATALOG_FACTS))
    measured = pages(catalog)
    asked = {"pages": measured, "revalidations": REVALIDATIONS}
    queries = json.loads(shell(env, COUNT_QUERIES, stdin=json.dumps(asked) + "\n"))
    results = {}
    with gunicorn(env) as (port, master_pid):
        fetch(port, "/healthz")
        static = static_path(port)
        results["static file"] = {"path": static, **wrk(port, static, seconds)}
        # The yardstick is measured again after each warm page, and a page's share is over the
        # mean of the static file's rate just before and just after it: this shared 2-core
        # machine's speed drifts over a run (the static file's own rate by 20 % and more), and
        # a drift should weigh on the page and its yardstick alike.
        static_before = results["static file"]["rps"]
        for name, path in measured.items():
            shell(env, CATALOG_CHANGE)
            # A revalidation's cold request: the first with the ETag of the catalog as it is now.
            etag = etag_of(port, path) if name in REVALIDATIONS else None
            first_byte, cold, body, status = fetch(port, path, etag=etag)
            entry = {
                "path": path,
                "status": status,
                "cold_ms": cold * 1000,
                "kb": len(body) / 1024,
                "queries": queries[name]["first"],
            }
            if name in DOWNLOADS:
                entry.update(measure_download(port, path, seconds, first_byte, cold, static))
                entry["kept_queries"] = queries[name]["again"]
            if name == "CSV export":
                # Up to 10,000 rows, streamed when made: its cold latency is the wait for the
                # first byte; under load, a worker's memory must not grow with the rows.
                entry["cold_ms"] = entry["first_byte_ms"]
                memory_before = max(worker_memory_mb(master_pid))
                entry["whole_downloads"] = csv_load(port, path, seconds)
                entry["memory_growth_mb"] = max(worker_memory_mb(master_pid)) - memory_before
            elif name not in DOWNLOADS:
                entry.update(wrk(port, path, seconds, etag=etag))
            if name in DEPTH_PAGES:
                # One cold request is a noisy sample: the first and last page are compared by
                # the median of several, each after its own catalog change.
                colds = [cold]
                for _ in range(DEPTH_SAMPLES - 1):
                    shell(env, CATALOG_CHANGE)
                    colds.append(fetch(port, path)[1])
                entry["cold_median_ms"] = statistics.median(colds) * 1000
            yardstick = static_before
            if name in WARM_PAGES:
                static_after = wrk(port, static, seconds)["rps"]
                yardstick = (static_before + static_after) / 2
                static_before = static_after
            entry.setdefault("static_rps", yardstick)
            entry["share_of_static"] = entry["rps"] / entry["static_rps"]
            results[name] = entry
            print(f"    {name:<22} cold {entry['cold_ms']:7.0f} ms  {entry['rps']:8.1f} req/s "
                  f"({entry['share_of_static']:6.1%})  {entry['kb']:7.1f} KB  "
                  f"{entry['queries']} queries", flush=True)  # fmt: skip
    return {"programmes": catalog["programmes"], "pages": results, "editions": editions}


def measure_download(port, path, seconds, first_byte, made, static):
    """A large download's figures, after its first request (`first_byte` and `made` seconds):
    whole bodies kept, and the load as crawlers and browsers ask (gzip), beside the static file
    asked the same way just before and just after (whitenoise sends it precompressed)."""
    warming_started, fast_rounds, rounds = time.perf_counter(), 0, 0
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        while fast_rounds < KEPT_ROUNDS and rounds < WARMING_ROUNDS:
            slowest = max(pool.map(lambda _: fetch(port, path)[1], range(PARALLEL)))
            fast_rounds = fast_rounds + 1 if slowest * 1000 <= COLD_MS else 0
            rounds += 1
    warming = time.perf_counter() - warming_started
    kept = sorted(fetch(port, path)[1] for _ in range(KEPT_SAMPLES))
    packed = fetch(port, path, GZIP)[2]
    static_before = wrk(port, static, seconds, GZIP)["rps"]
    load = wrk(port, path, seconds, GZIP)
    static_after = wrk(port, static, seconds, GZIP)["rps"]
    return {
        "first_byte_ms": first_byte * 1000,
        "made_ms": made * 1000,
        # Until every worker had its own copy (the first request's worker had it already).
        "warming_ms": warming * 1000,
        "kept_ms": statistics.median(kept) * 1000,
        "kept_max_ms": kept[-1] * 1000,
        "gzip_kb": len(packed) / 1024,
        **load,
        "static_rps": (static_before + static_after) / 2,
    }


def measure_database(seconds, sizes, out):
    """Child mode: measure the database DATABASE_URL names at each size, write JSON to `out`."""
    env = {
        **os.environ,
        "DEBUG": "",
        "SECRET_KEY": "benchmark-only-key-" + "x" * 40,
        "SITE_URL": "http://localhost",
        "ALLOWED_HOSTS": "localhost",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    results = {str(size): measure_size(env, size, seconds) for size in sizes}
    Path(out).write_text(json.dumps(results, indent=2))


def run_database(database, seconds, sizes, workdir):
    out = workdir / f"{database}.json"
    child = [PYTHON, __file__, "--measure-into", str(out), "--seconds", str(seconds),
             "--sizes", *map(str, sizes)]  # fmt: skip
    print(f"{database}:", flush=True)
    if database == "sqlite":
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}"}
        subprocess.run(child, cwd=ROOT, env=env, check=True)
    else:
        subprocess.run([PYTHON, "tests/run_with_postgres.py", "--", *child], cwd=ROOT, check=True)
    return json.loads(out.read_text())


def check_targets(results, size):
    """The missed targets at `size`, as sentences (empty when everything holds)."""
    missed = []
    for database, by_size in results.items():
        measured = by_size.get(str(size))
        if not measured:
            continue
        pages_ = {name: entry for name, entry in measured["pages"].items() if name != "static file"}
        for name, entry in pages_.items():
            expected = 304 if name in REVALIDATIONS else 200
            if entry["status"] != expected or entry["errors"]:
                missed.append(f"{database}: {name} answered with errors")
            if entry["cold_ms"] > COLD_MS:
                missed.append(f"{database}: {name} cold {entry['cold_ms']:.0f} ms > {COLD_MS} ms")
            most = MAX_QUERIES_OF.get(name, MAX_QUERIES)
            if entry["queries"] > most:
                missed.append(f"{database}: {name} runs {entry['queries']} queries > {most}")
            small = by_size.get(str(min(map(int, by_size))), measured)["pages"].get(name)
            if small and small["queries"] != entry["queries"]:
                missed.append(f"{database}: {name} runs {entry['queries']} queries at {size:,}, "
                              f"{small['queries']} at the smallest size")  # fmt: skip
            listing = name.startswith(("list", "filtered", "search", "last", "compare")) or (
                name in EDITION_PAGES and name != "edition detail"
            )
            if listing and entry["kb"] > HTML_KB:
                missed.append(f"{database}: {name} is {entry['kb']:.0f} KB > {HTML_KB} KB")
        for name in WARM_PAGES:
            share = pages_[name]["share_of_static"]
            if share < WARM_SHARE:
                missed.append(f"{database}: {name} warm {share:.0%} of static < {WARM_SHARE:.0%}")
        # Warm, both are kept pages and cost the same; what a deep page could add shows cold.
        for first_name, last_name in DEPTH_PAIRS:
            first, last = pages_[first_name], pages_[last_name]
            last_ms, first_ms = last["cold_median_ms"], first["cold_median_ms"]
            if last_ms > first_ms * LAST_PAGE_SLOWER:
                missed.append(f"{database}: {last_name} cold {last_ms:.0f} ms vs "
                              f"{first_name} {first_ms:.0f} ms (medians)")  # fmt: skip
        for name in DOWNLOADS:
            entry = pages_[name]
            if entry["kept_ms"] > COLD_MS:
                missed.append(f"{database}: {name} kept, whole {entry['kept_ms']:.0f} ms > "
                              f"{COLD_MS} ms")  # fmt: skip
            if entry["share_of_static"] < WARM_SHARE:
                missed.append(f"{database}: {name} kept {entry['share_of_static']:.0%} of static "
                              f"< {WARM_SHARE:.0%}")  # fmt: skip
            if entry["kept_queries"] != 1:
                missed.append(f"{database}: {name} kept runs {entry['kept_queries']} queries, "
                              "not only the revision")  # fmt: skip
        first, *later = measured["editions"]
        for edition in later:
            share = edition["bytes"] / first["bytes"]
            if share > EDITION_SHARE:
                missed.append(f"{database}: edition {edition['label']} added {share:.0%} of the "
                              f"first's bytes > {EDITION_SHARE:.0%}")  # fmt: skip
        csv = pages_["CSV export"]
        if csv["first_byte_ms"] > CSV_FIRST_BYTE_MS:
            missed.append(f"{database}: CSV first byte {csv['first_byte_ms']:.0f} ms")
        if csv["memory_growth_mb"] > CSV_MEMORY_GROWTH_MB:
            missed.append(f"{database}: CSV export grew a worker by "
                          f"{csv['memory_growth_mb']:.0f} MB")  # fmt: skip
    return missed


def editions_report(editions):
    """The lines on the archived editions: each archive's time and what it stored."""
    first = editions[0]["bytes"]
    lines = [
        f"Catalog editions: {len(editions)} archived, the oldest first, {REVISED_SHARE:.0%} of "
        "the published programmes revised before each after the first (a new ECTS total and "
        "a sentence in the summary, written as the spreadsheet importer writes a change); the "
        "live catalog is the edition after them. Archived in: publishing the next edition, "
        "which archives the one it takes over from. Bytes: what the edition tables "
        "(programs_edition, programs_editionprogramme, programs_frozenprogramme, "
        "programs_addendum) grew by with their indexes, on disk.",
        "",
        "| edition | programmes | revised before | frozen programmes new | archived in s | "
        "edition tables grew by MB | share of the first |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for edition in editions:
        megabytes, share = edition["bytes"] / 2**20, edition["bytes"] / first
        lines.append(f"| {edition['label']} | {edition['programmes']:,} | {edition['revised']:,} "
                     f"| {edition['frozen_new']:,} | {edition['seconds']:.1f} | "
                     f"{megabytes:.1f} | {share:.0%} |")  # fmt: skip
    return [*lines, ""]


def write_report(results, sizes, missed, seconds):
    small, large = str(min(sizes)), str(max(sizes))
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"gunicorn with 2 workers and DEBUG off, `wrk -t2 -c4 -d{seconds}s` per page, on this "
        f"machine ({os.cpu_count()} cores). Cold: the first request after a catalog change. "
        "Share: warm requests per second over the static file's in the same run (for the list, "
        "filtered list, searches and detail, over the mean of the static file's rate measured "
        "just before and just after the page, as the machine's speed drifts during a run).",
        "",
    ]
    for database, by_size in results.items():
        for size in dict.fromkeys((large, small)):
            if size not in by_size:
                continue
            measured = by_size[size]
            lines += [f"## {database}, {measured['programmes']:,} published programmes", ""]
            lines += [
                "| page | cold ms | req/s | share of static | p50 ms | p99 ms | KB | queries |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for name, entry in measured["pages"].items():
                cold = f"{entry['cold_ms']:.0f}" if "cold_ms" in entry else ""
                share = f"{entry['share_of_static']:.0%}" if "share_of_static" in entry else "1"
                kb = f"{entry['kb']:.1f}" if "kb" in entry else ""
                lines.append(f"| {name} | {cold} | {entry['rps']:.0f} | {share} | "
                             f"{entry['p50_ms']:.1f} | {entry['p99_ms']:.1f} | {kb} | "
                             f"{entry.get('queries', '')} |")  # fmt: skip
            csv = measured["pages"]["CSV export"]
            whole = csv["whole_downloads"]
            lines += [""]
            for first_name, last_name in DEPTH_PAIRS + DEPTH_REPORTED:
                first, last = measured["pages"][first_name], measured["pages"][last_name]
                lines.append(
                    f"{first_name} and {last_name}, cold (median of {DEPTH_SAMPLES}, each after "
                    f"a catalog change): {first['cold_median_ms']:.0f} ms and "
                    f"{last['cold_median_ms']:.0f} ms."
                )
            lines += [
                "",
                "API 304: the programme's address asked with If-None-Match and the ETag it "
                "answered with (a harvester revalidating its copy); its cold figure is the first "
                "such request after a catalog change.",
                "",
                "The large downloads, whole bodies: made (the first request after a catalog "
                "change); warming, until the other worker had made its own copy too (each keeps "
                f"its own with the default per-process cache: rounds of {PARALLEL} parallel "
                f"requests until {KEPT_ROUNDS} in a row came back within {COLD_MS} ms); kept "
                f"(the median and the slowest of {KEPT_SAMPLES} requests after that, sent "
                "unpacked, the most a kept one costs). Their req/s, share and p50/p99 above are "
                "of kept ones asked for with gzip, as crawlers and browsers ask, over the static "
                "file's asked the same way; queries: made / kept.",
                "",
                "| download | made ms | warming ms | kept ms (max) | KB | gzip KB | queries |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for name in DOWNLOADS:
                entry = measured["pages"][name]
                lines.append(f"| {name} | {entry['made_ms']:,.0f} | {entry['warming_ms']:,.0f} | "
                             f"{entry['kept_ms']:.0f} ({entry['kept_max_ms']:,.0f}) | "
                             f"{entry['kb']:,.0f} | {entry['gzip_kb']:,.0f} | "
                             f"{entry['queries']} / {entry['kept_queries']} |")  # fmt: skip
            lines += [
                "",
                f"CSV export: first byte {csv['first_byte_ms']:.0f} ms (its cold figure above) "
                f"and whole file {csv['made_ms']:,.0f} ms when made; a worker's memory grew "
                f"{csv['memory_growth_mb']:.1f} MB over repeated whole downloads, two at a time "
                f"and unpacked ({whole['rps']:.0f} a second, p50 {whole['p50_ms']:.0f} ms); its "
                "made queries are those of its first 500 rows, and each further 500 rows read "
                "the same again.",
                "",
            ]
            lines += editions_report(measured["editions"])
        if small in by_size and large in by_size and small != large:
            lines += [f"### {database}: from {int(small):,} to {int(large):,} programmes", ""]
            lines += [
                "| page | cold ms | share of static | KB | queries |",
                "| --- | --- | --- | --- | --- |",
            ]
            for name, entry in by_size[large]["pages"].items():
                before = by_size[small]["pages"][name]
                if "cold_ms" not in entry:
                    continue
                lines.append(
                    f"| {name} | {before['cold_ms']:.0f} → {entry['cold_ms']:.0f} | "
                    f"{before['share_of_static']:.0%} → {entry['share_of_static']:.0%} | "
                    f"{before['kb']:.1f} → {entry['kb']:.1f} | "
                    f"{before['queries']} → {entry['queries']} |"
                )
            lines.append("")
    lines += [f"## Targets at {int(large):,} programmes", ""]
    lines += [f"- missed: {line}" for line in missed] or ["- every target holds"]
    RESULTS.write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=int, default=5, help="wrk's run per page")
    parser.add_argument("--measure-into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_into:
        measure_database(args.seconds, args.sizes, args.measure_into)
        return 0
    ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="catalog-bench-"))
    try:
        results = {db: run_database(db, args.seconds, args.sizes, workdir) for db in args.databases}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    missed = check_targets(results, max(args.sizes))
    write_report(results, args.sizes, missed, args.seconds)
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")
    for line in missed:
        print("missed:", line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

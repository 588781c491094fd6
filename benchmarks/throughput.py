"""Page throughput, measured against the static-file server in the same run.

    make bench            # or: .venv/bin/python benchmarks/throughput.py [--programmes 200]

Builds a throwaway SQLite catalog (the real fixtures plus clearly labelled synthetic programmes,
so pages are measured at a realistic size), starts gunicorn with DEBUG off on 127.0.0.1, and sends
a bounded number of keep-alive requests to each URL from a few client threads. Absolute numbers
depend on the machine and on what else runs; the ratio of a page's requests per second to a
static file's (served by whitenoise from the same processes) is what to compare between runs.
Results are printed and written to benchmarks/results/latest.json.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

PAGES = {
    "programme list": "/programmes/",
    "filtered list": "/programmes/?language=en&ects_min=60&sort=-ects",
    "search": "/programmes/?q=health",
    "programme detail": "/programmes/health-informatics/",
    "compare": "/compare/?p=medical-data-science&p=data-driven-health",
    "universities": "/universities/",
    "modules search": "/modules/?q=data",
    "CSV export": "/programmes/export.csv?language=en",
    "healthz": "/healthz",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def hammer(port: int, path: str, requests: int, threads: int, time_limit: float) -> dict:
    """Send `requests` GETs over `threads` keep-alive connections; stop early at `time_limit`."""
    per_thread = requests // threads
    done, errors = [0] * threads, [0] * threads
    deadline = time.monotonic() + time_limit

    def worker(index: int):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_thread):
            if time.monotonic() > deadline:
                break
            connection.request("GET", path, headers={"Host": "localhost"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors[index] += 1
            done[index] += 1
        connection.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"requests": sum(done), "errors": sum(errors), "rps": sum(done) / elapsed}


def static_css_path(port: int) -> str:
    """The hashed name of our stylesheet, read from the page the way a browser would find it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/programmes/", headers={"Host": "localhost"})
    html = connection.getresponse().read().decode()
    start = html.index("/static/css/")
    return html[start : html.index('"', start)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=200, help="synthetic programmes to add")
    parser.add_argument("--requests", type=int, default=400, help="requests per URL")
    parser.add_argument("--threads", type=int, default=4, help="concurrent client connections")
    parser.add_argument("--seconds", type=float, default=20, help="time limit per URL")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="catalog-bench-"))
    env = {
        **os.environ,
        "DEBUG": "",
        "SECRET_KEY": "benchmark-only-key-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
    }

    def manage(*command):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    print("Preparing a catalog in", workdir, flush=True)
    manage("migrate", "--noinput")
    manage("load_catalog")
    manage("generate_catalog", "--programmes", str(args.programmes))
    manage("collectstatic", "--noinput")

    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "catalog.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        urls = {"static file (baseline)": static_css_path(port), **PAGES}
        results = {}
        for name, path in urls.items():
            hammer(port, path, 20, 2, 10)  # warm up caches and connections
            results[name] = {"path": path, **hammer(port, path, args.requests, args.threads,
                                                    args.seconds)}  # fmt: skip
        baseline = results["static file (baseline)"]["rps"]
        print(f"\n{'URL':<28}{'req/s':>10}{'vs static':>12}{'errors':>8}")
        for name, result in results.items():
            result["ratio_to_static"] = result["rps"] / baseline
            print(f"{name:<28}{result['rps']:>10.1f}{result['ratio_to_static']:>12.2f}"
                  f"{result['errors']:>8}")  # fmt: skip
        out = ROOT / "benchmarks" / "results"
        out.mkdir(exist_ok=True)
        report = {"synthetic_programmes": args.programmes, "threads": args.threads,
                  "results": results}  # fmt: skip
        (out / "latest.json").write_text(json.dumps(report, indent=2))
        return 1 if any(result["errors"] for result in results.values()) else 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())

"""Lighthouse's four scores for the public pages, on a phone and on a desktop: `make lighthouse`.

Serves the real catalog as production does (gunicorn, DEBUG off, hashed static files from
whitenoise, compressed HTML) from a throwaway SQLite file, runs Lighthouse (pinned in
package.json, installed into node_modules by the Makefile) with Debian's Chromium on every page in
both modes, prints a table of the scores and exits 1 when any score is below 100.

Lighthouse's performance score varies from run to run with the machine's load (its main-thread
timings are measured, then scaled up to a phone's). As Lighthouse's documentation advises, each
page is run several times (--runs, 3 by default) and the median of each score is reported.

    make lighthouse
    .venv/bin/python benchmarks/lighthouse.py --pages list detail --out /tmp/lighthouse.md
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for the servers the tests start too

from tests.support.local_servers import gunicorn, production_site  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MODES = ("mobile", "desktop")

# The public pages, with programmes of the real catalog (fixtures/). Not the shortlist: a
# visitor's own list says noindex on purpose, which Lighthouse's SEO score counts against it
# (63); its accessibility is axe's in tests/browser.
PAGES = {
    "home": "/",
    "list": "/programmes/",
    "filtered list": "/programmes/?language=en&country=DE",
    "field of study": "/programmes/?field=068&duration_min=4",
    "search in German": "/de/programmes/?q=Gesundheitsdaten",
    "misspelt search": "/programmes/?q=helth",
    "detail": "/programmes/medical-data-science/",
    "compare of two": "/compare/?p=medical-data-science&p=data-driven-health",
    "compare, differences": (
        "/compare/?p=medical-data-science&p=data-driven-health&differences=only"
    ),
    "editions": "/editions/",
    "universities": "/universities/",
    "universities found": "/universities/?q=university&country=IT",
    "follow a programme": "/programmes/medical-data-science/follow/",
    "modules": "/modules/",
}


@contextmanager
def production_server(workdir):
    """gunicorn serving the real catalog with DEBUG off; yields its base URL."""
    env = production_site(workdir, "lighthouse-run-key-" + "l" * 40)
    # The same gunicorn (2 workers, DEBUG off) as `make bench` measures.
    with gunicorn(env) as (port, _pid):
        yield f"http://127.0.0.1:{port}"


def lighthouse(url, mode, report_path):
    """One Lighthouse run: ({category: score 0-100}, the audits that lost points, its
    benchmarkIndex: how fast this machine was at the time)."""
    command = [
        str(LIGHTHOUSE), url,
        "--quiet", "--output=json", f"--output-path={report_path}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    if mode == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    # On a busy machine Chromium now and then misses one of Lighthouse's deadlines: try again.
    for attempt in range(3):
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode == 0:
            break
        print(f"  {url} ({mode}) failed, attempt {attempt + 1}: {result.stderr[-300:]}", flush=True)
    else:
        raise RuntimeError(f"Lighthouse failed three times on {url} ({mode})")
    report = json.loads(Path(report_path).read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{name}: {audit['id']} ({audit.get('displayValue', '')})")
    return scores, failing, report["environment"]["benchmarkIndex"]


def median_run(url, mode, report_path, runs):
    """The median of each category's score over `runs` runs, and the audits of the median run."""
    results = [lighthouse(url, mode, report_path) for _ in range(runs)]
    scores = {
        category: round(statistics.median(result[0][category] for result in results))
        for category in CATEGORIES
    }
    middle = sorted(results, key=lambda result: result[0]["performance"])[runs // 2]
    return scores, middle[1], [result[2] for result in results]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--runs", type=int, default=3, help="runs per page and mode (median)")
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) to this file")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse` (npm installs it locally).")

    rows, below = [], []
    tmp = tempfile.TemporaryDirectory(prefix="lighthouse-")
    with tmp, production_server(Path(tmp.name)) as base:
        for name in args.pages:
            for mode in args.modes:
                url, report = base + PAGES[name], Path(tmp.name) / "r.json"
                scores, failing, speeds = median_run(url, mode, report, args.runs)
                row = f"| {name} | `{PAGES[name]}` | {mode} | " + " | ".join(
                    str(scores[category]) for category in CATEGORIES
                )
                rows.append(row + f" | {', '.join(str(round(s)) for s in speeds)} |")
                print(rows[-1], flush=True)
                if min(scores.values()) < 100:
                    below.append(f"{name} ({mode}): " + "; ".join(failing))
    version = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True
    ).stdout.strip()
    table = "\n".join(
        [
            f"Lighthouse {version}, Debian Chromium headless, gunicorn with DEBUG off, "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; the median of "
            f"{args.runs} runs per row. Load average at the end: "
            f"{', '.join(f'{load:.1f}' for load in os.getloadavg())} on {os.cpu_count()} cores. "
            "The last column is Lighthouse's benchmarkIndex of each run (the machine's speed "
            "at the time; a desktop computer scores about 1,000 to 2,000).",
            "",
            "| page | path | mode | performance | accessibility | best practices | SEO "
            "| benchmarkIndex |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
            *rows,
        ]
    )
    print("\n" + table)
    if args.out:
        args.out.write_text(table + "\n")
    if below:
        print("\nBelow 100:\n" + "\n".join(below))
        sys.exit(1)


if __name__ == "__main__":
    main()

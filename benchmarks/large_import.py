"""Write a large synthetic spreadsheet import: N programmes (default 10,000) with 20 modules each.

    .venv/bin/python benchmarks/large_import.py /tmp/large [--programmes 10000]
    /usr/bin/time -v .venv/bin/python manage.py import_programmes /tmp/large/programmes.csv \
        --modules /tmp/large/modules.csv --user SOMEONE --commit

Every row is labelled synthetic in its slug and title (as `generate_catalog`'s are), for
measuring only; the programmes are offered by the catalog's real universities, so load the
catalog first.
"""

import argparse
import csv
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from programs.transfer.spreadsheet_columns import MODULE_COLUMNS, PROGRAMME_COLUMNS  # noqa: E402

UNIVERSITIES = ["rwth-aachen", "fh-salzburg", "kth", "unisr"]
MODULES_EACH = 20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--programmes", type=int, default=10_000)
    args = parser.parse_args()
    args.directory.mkdir(parents=True, exist_ok=True)
    with (args.directory / "programmes.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, PROGRAMME_COLUMNS)
        writer.writeheader()
        for number in range(args.programmes):
            writer.writerow(
                {
                    "slug": f"synthetic-import-{number:05d}",
                    "title": f"Synthetic programme {number} (benchmark)",
                    "universities": UNIVERSITIES[number % len(UNIVERSITIES)],
                    "degree": "Master of Science",
                    "level": "master",
                    "languages": "en" if number % 3 else "de; en",
                    "ects": "120",
                    "duration_semesters": "4",
                    "study_mode": "full-time",
                    "summary": f"A synthetic programme for measuring imports, number {number}.",
                    "published": "no",
                }
            )
    with (args.directory / "modules.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, MODULE_COLUMNS)
        writer.writeheader()
        for number in range(args.programmes):
            for position in range(MODULES_EACH):
                writer.writerow(
                    {
                        "programme": f"synthetic-import-{number:05d}",
                        "position": str(position),
                        "title": f"Synthetic module {position + 1}",
                        "kind": "compulsory" if position % 4 else "elective",
                        "semester": str(position % 4 + 1),
                        "ects": "6",
                        "description": "A synthetic module for measuring imports.",
                    }
                )


if __name__ == "__main__":
    main()

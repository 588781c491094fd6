"""What search that forgives costs on a large catalog: the German words' translation, the
"did you mean" of a misspelt search, and the list page answering each.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py generate_catalog \
        --programmes 100000 --seed 1
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python benchmarks/forgiving_search.py

In one process, as a worker answers: the facet index is built first (as the workers do before
taking requests), then each step is timed (the median of many runs, in ms); the list pages are
asked through Django's test client with the caches emptied before each request, so every one is
computed, never a kept copy.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

import django
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from django.core.cache import caches  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import translation  # noqa: E402

from programs.core.search_words import query_words  # noqa: E402
from programs.finder.cache import CatalogCache  # noqa: E402
from programs.models import Programme  # noqa: E402
from programs.search import facet_index, query_understanding, spelling  # noqa: E402

RUNS = 30
MISSPELT = ["helth", "heath data", "medcal", "epidemology", "xqzvkwpt"]
PAGES = [
    "/programmes/?q=health+data",
    "/programmes/?q=heath+data",
    "/programmes/?q=medcal",
    "/de/programmes/?q=Gesundheitsdaten",
    "/de/programmes/?q=Gesundhiet",
]


def median_ms(step, runs=RUNS):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    print(f"{Programme.objects.published().count():,} published programmes")
    start = time.perf_counter()
    index = facet_index.at_revision(*CatalogCache().state)
    print(f"facet index built: {(time.perf_counter() - start) * 1000:.0f} ms")
    start = time.perf_counter()
    candidates = spelling.catalog_words(index.words)
    print(
        f"the catalog's words gathered once per built index: "
        f"{(time.perf_counter() - start) * 1000:.1f} ms, {len(candidates.words):,} words"
    )
    for text in MISSPELT:
        searched = query_words(text)
        took = median_ms(lambda searched=searched: spelling.suggestion(index.words, searched))
        suggested = spelling.suggestion(index.words, searched)
        print(f"did you mean for {text!r}: {took:.2f} ms -> {suggested!r}")
    # The generated catalog's texts use few distinct words; a real one of this size holds many
    # more (names, places, module titles). The same search over 100,000 made-up words:
    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    many = spelling.CatalogWords.__new__(spelling.CatalogWords)
    many.words = ["".join(rng.choices(letters, k=rng.randint(4, 12))) for _ in range(100_000)]
    many.weights = np.ones(len(many.words), dtype=np.int64)
    took = median_ms(lambda: many.nearest("epidemology"))
    print(f"nearest of 'epidemology' among 100,000 words: {took:.2f} ms")
    with translation.override("de"):
        for text in ["Gesundheitsdaten", "Medizininformatik", "Gesundheitsforschung Berlin"]:
            took = median_ms(lambda text=text: query_understanding.understand(text, "de"))
            print(f"understood {text!r}: {took:.3f} ms")
    client = Client(HTTP_HOST="localhost")
    for address in PAGES:

        def ask(address=address):
            for cache in caches.all():
                cache.clear()
            response = client.get(address)
            assert response.status_code == 200

        print(f"GET {address}: {median_ms(ask, runs=10):.1f} ms")


if __name__ == "__main__":
    main()

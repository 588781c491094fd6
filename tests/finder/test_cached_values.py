"""What the shared cache holds is plain data, so it loads in the next release too.

A shared cache (Redis) outlives a deploy. A pickled instance of one of our classes names the
module it lived in, and stops loading once the class moves (the layers refactor moved them all);
dicts, lists, strings, bytes and numbers pickle without naming any class.
"""

import io
import pickle
from dataclasses import dataclass

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from programs.finder.cache import CatalogCache
from tests.support.list_pages import get_list


class PlainDataOnly(pickle.Unpickler):
    """Loads a pickle only if it names no class or function at all."""

    def find_class(self, module, name):
        raise AssertionError(f"a cached value holds {module}.{name}")


def stored_values():
    """{key: value} of everything in the test's caches (each process's memory: LocMemCache and,
    for the kept pages, catalog.memory_cache, which keep values pickled, as Redis does)."""
    pickled = dict(cache._cache.items())
    pickled |= {key: raw for key, (_, raw) in caches["pages"]._store.items()}
    return {key: PlainDataOnly(io.BytesIO(raw)).load() for key, raw in pickled.items()}


def test_the_lists_counts_and_the_kept_pages_are_cached_as_plain_data(catalog):
    visitor = Client()  # no session: the list and programme pages are kept whole
    get_list(visitor)
    get_list(visitor, {"language": "en", "q": "health"})
    slug = "medical-data-science"
    assert visitor.get(reverse("programs:programme-detail", args=[slug])).status_code == 200
    for path in ("programs:module-list", "programs:change-list", "programs:university-list"):
        assert visitor.get(reverse(path)).status_code == 200

    stored = stored_values()  # fails on a value that names a class
    # Keys are ":1:catalog:<revision>:<namespace>:…" (Django's prefix and version, then ours).
    kinds = {key.split(":")[4] for key in stored if key.startswith(":1:catalog:")}
    assert {"facet-counts", "page"} <= kinds


def test_the_catalog_cache_refuses_an_instance_of_our_classes(db):
    @dataclass
    class Counted:
        total: int

    with pytest.raises(TypeError, match="Only plain data is cached"):
        CatalogCache().get_or_compute("test", ("a",), lambda: {"counted": [Counted(3)]})
    assert CatalogCache().get_or_compute("test", ("b",), lambda: {"x": [1, "y", (b"z", None)]})

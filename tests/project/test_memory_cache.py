"""The kept pages' cache in each process's memory holds at most its bytes
(catalog/memory_cache.py), and otherwise behaves as Django's cache API says."""

import itertools

import time_machine

from catalog.memory_cache import BytesBoundedMemoryCache

_names = itertools.count()


def memory_cache(max_bytes):
    return BytesBoundedMemoryCache(
        f"memory-cache-test-{next(_names)}", {"OPTIONS": {"MAX_BYTES": max_bytes}}
    )


def test_the_least_recently_used_values_go_once_the_bytes_are_used_up():
    cache = memory_cache(100_000)
    for number in range(50):
        cache.set(f"page-{number}", b"x" * 10_000)
        cache.get("page-0")  # read again and again: kept

    assert cache.bytes_held() <= 100_000
    assert cache.get("page-0") == b"x" * 10_000
    assert cache.get("page-49") == b"x" * 10_000
    assert cache.get("page-1") is None


def test_a_value_larger_than_the_whole_cache_is_not_kept_nor_its_older_one():
    cache = memory_cache(10_000)
    cache.set("page", "small")
    cache.set("page", "x" * 20_000)

    assert cache.get("page") is None
    assert cache.bytes_held() == 0


def test_values_expire_add_and_touch_as_djangos_caches_do():
    cache = memory_cache(10_000)
    with time_machine.travel(0, tick=False) as traveller:
        cache.set("a", 1, timeout=10)
        assert cache.add("a", 2) is False
        assert cache.add("b", 2, timeout=None) is True
        traveller.shift(5)
        assert cache.touch("a", timeout=10) is True
        traveller.shift(9)
        assert cache.get_many(["a", "b"]) == {"a": 1, "b": 2}
        traveller.shift(2)
        assert cache.get("a") is None
        assert cache.has_key("b")
        assert cache.delete("b") is True
        assert cache.get("b", "gone") == "gone"

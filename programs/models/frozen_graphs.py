"""A loaded programme, with everything its pages read, as JSON and back: an archived edition's
programmes are rendered by the live pages' own code from these.

A page's code reads a programme loaded by a queryset (`with_detail_data()` and the like): its
fields, the rows joined to it (`select_related`) and the lists prefetched with it. `to_graph`
writes down exactly that: each instance's concrete fields, the related instances cached on it and
its prefetched lists, recursively; `from_graph` builds the same instances again, with the same
caches filled, so `programme.modules.all()` or `offering.university.name` answer from the graph
and never ask the database. Whatever a page reads that the loading queryset did not load would be
read from the live catalog: tests/editions/ render archived pages while refusing any query of a
catalog table, so such a read fails a test instead of showing live data in an archive.

A user appears only by name (who checked a programme against its source): nothing else of an
account is frozen.
"""

import hashlib
import json
import zlib

from django.apps import apps

# Models frozen with only these fields (what a page shows of them), instead of every one.
FIELDS_KEPT = {"auth.user": ("id", "username", "first_name", "last_name")}


def _fields(model):
    kept = FIELDS_KEPT.get(model._meta.label_lower)
    fields = model._meta.concrete_fields
    return [field for field in fields if kept is None or field.attname in kept]


def _stored(value):
    """A field's value as JSON: dates, decimals and identifiers as their text."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def to_graph(instance, _ancestors=()):
    """The instance as JSON-ready data: its fields, cached related instances and prefetched
    lists. A related instance that is one of its ancestors (a module's programme) is written as
    a reference to it, so the graph has no cycles."""
    ancestors = (*_ancestors, instance)
    graph = {
        "model": instance._meta.label_lower,
        "fields": {
            field.attname: _stored(getattr(instance, field.attname)) for field in _fields(instance)
        },
    }
    related = {}
    for name, value in instance._state.fields_cache.items():
        if value is None:
            related[name] = None
            continue
        up = next((n for n, a in enumerate(reversed(ancestors)) if a is value), None)
        related[name] = {"up": up} if up is not None else to_graph(value, ancestors)
    if related:
        graph["related"] = related
    prefetched = getattr(instance, "_prefetched_objects_cache", {})
    if prefetched:
        graph["lists"] = {
            name: [to_graph(item, ancestors) for item in items]
            for name, items in sorted(prefetched.items())
        }
    return graph


def from_graph(graph, using="default", _ancestors=()):
    """The instance `to_graph` wrote, with its related instances and lists cached as loaded."""
    model = apps.get_model(graph["model"])
    fields = {field.attname: field for field in _fields(model)}
    values = graph["fields"]
    instance = model(
        **{
            name: None if values.get(name) is None else field.to_python(values[name])
            for name, field in fields.items()
            if name in values
        }
    )
    instance._state.adding, instance._state.db = False, using
    ancestors = (*_ancestors, instance)
    for name, value in graph.get("related", {}).items():
        if value is None:
            instance._state.fields_cache[name] = None
        elif "up" in value:
            instance._state.fields_cache[name] = ancestors[-1 - value["up"]]
        else:
            instance._state.fields_cache[name] = from_graph(value, using, ancestors)
    for name, items in graph.get("lists", {}).items():
        cached = getattr(instance, name).get_queryset()
        cached._result_cache = [from_graph(item, using, ancestors) for item in items]
        cached._prefetch_done = True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = cached
    return instance


def packed(data):
    """JSON data as compact, compressed bytes, and the digest of its text (equal data, equal
    digest: keys are sorted)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    encoded = text.encode()
    return zlib.compress(encoded, 6), hashlib.sha256(encoded).hexdigest()


def unpacked(blob):
    """The data `packed` compressed."""
    return json.loads(zlib.decompress(bytes(blob)))

"""The OpenAPI document of the Open Education API as the catalog serves it: OEAPI's own
(standards/oeapi-v6/oeapi.yaml, vendored unchanged) restricted to the operations served here,
with all its components, and this site as its server. Read once per process, then kept."""

import copy
import functools
import json
from pathlib import Path

import yaml
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

VENDORED_DOCUMENT = Path(settings.BASE_DIR) / "standards" / "oeapi-v6" / "oeapi.yaml"

# The C loader when PyYAML has it: the document is half a megabyte.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def vendored():
    """OEAPI 6.0's document as published."""
    with VENDORED_DOCUMENT.open(encoding="utf-8") as document:
        return yaml.load(document, Loader=_LOADER)


def restricted(paths):
    """The vendored document with only `paths`, and of each only its GET: the API is read-only.
    Its components stay whole, so every reference still resolves."""
    document = copy.copy(vendored())
    document["paths"] = {path: {"get": vendored()["paths"][path]["get"]} for path in paths}
    return document


@functools.cache
def _served(paths, server):
    document = restricted(paths)
    document["servers"] = [{"url": server.rstrip("/"), "description": "This catalog"}]
    return json.dumps(document, cls=DjangoJSONEncoder).encode()


def served(operations, server):
    """The document a client reads at /api/oeapi/v6/openapi.json, as JSON: `operations` (OEAPI
    paths) on `server` (the API's base address). Serialised once, not on every request."""
    return _served(tuple(operations), server)

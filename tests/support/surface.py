"""The app's public surface, as text: every model label (historical ones included) with its table
and fields, every admin registration with its inlines, every URL pattern with its name.

A move of code between modules must leave it as it is: tests/project/test_public_surface.py
compares it with tests/support/surface.txt. After a deliberate change (a new URL, a new model),
write the file again:

    DEBUG=1 .venv/bin/python -m tests.support.surface > tests/support/surface.txt
"""

from django.apps import apps
from django.contrib import admin
from django.urls import URLResolver, get_resolver


def surface_lines():
    lines = []
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label):
        # Sorted: the order of reverse relations follows the order the models were imported in.
        fields = ",".join(sorted(field.name for field in model._meta.get_fields()))
        lines.append(f"model {model._meta.label} {model._meta.db_table} {fields}")
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda i: i[0]._meta.label):
        inlines = ",".join(inline.__name__ for inline in model_admin.inlines)
        lines.append(f"admin {model._meta.label} {type(model_admin).__name__} [{inlines}]")
    lines += _url_lines(get_resolver().url_patterns)
    return lines


def _url_lines(patterns, prefix="", namespace=""):
    lines = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            lines += _url_lines(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = namespace + pattern.name if pattern.name else "-"
            lines.append(f"url {prefix}{pattern.pattern} {name}")
    return lines


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog.settings")
    django.setup()
    print("\n".join(surface_lines()))

"""A GIN index for full-text search over programme titles and summaries, on PostgreSQL only.

SQLite has no GIN indexes and searches with a plain substring match, so there this migration does
nothing. The indexed expression must stay identical to `programme_search_vector()` in
programs/querysets.py, or PostgreSQL will not use the index; it is spelled out here rather than
imported so that this migration keeps meaning what it meant when it ran.
"""

from django.db import migrations

INDEX_NAME = "programme_search_vector_gin"


def search_index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    vector = SearchVector("title", weight="A", config="english") + SearchVector(
        "summary", weight="B", config="english"
    )
    return GinIndex(vector, name=INDEX_NAME)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("programs", "Programme"), search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("programs", "Programme"), search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_search_index, remove_search_index, elidable=False),
    ]

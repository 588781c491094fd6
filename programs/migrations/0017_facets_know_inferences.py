from django.db import migrations


def mark_inferred_facet_keys(apps, schema_editor):
    """Every programme's facet keys say which values it holds only as an inference, so the
    list's facets count them as such from the first request (programs/search/facet_index.py)."""
    # Frozen code, not programs.search: the migration keeps doing what it did.
    from . import _0017_facet_keys as facet_keys

    facet_keys.refresh(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0016_provenance_of_titles_places_and_placements"),
    ]

    operations = [
        migrations.RunPython(mark_inferred_facet_keys, migrations.RunPython.noop, elidable=True),
    ]

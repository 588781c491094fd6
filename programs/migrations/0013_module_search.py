"""The module search's documents and text index (programs/search/module_documents.py), and indexes that
read universities by name and programmes by title.

- The table `programs_modulesearchdocument` (ModuleSearchDocument) holds each module's words,
  keyed by programme id * 2**32 + module id, filled here for the modules already stored.
- SQLite: an FTS5 table over it (external content, rowid = the key). A trigger takes deleted
  documents out; programs/search/module_documents.py adds new ones in one statement per batch (a trigger
  run per inserted row made writing two million documents several times slower). Documents are
  never updated, only deleted and written again.
- PostgreSQL: a stored tsvector column generated from the words, with a GIN index.
- `university_name_idx`: the paged /universities/ reads a page of them in name order.
- (The compare chooser's first programmes by title are read through 0012's index on published
  programmes' titles.)

The SQL is spelled out here, not imported, and the documents are written by a frozen copy of the
code (_0013_module_documents.py), so that this migration keeps meaning what it meant when it
ran; programs/search/module_documents.py names the same table and column.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE programs_modulesearch_fts USING fts5(
        words, content='programs_modulesearchdocument', content_rowid='key',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    # Deleted documents leave the index however they go (with their module, programme, or in
    # bulk); new ones are added by programs/search/module_documents.py in one statement per batch.
    """CREATE TRIGGER programs_modulesearch_ad AFTER DELETE ON programs_modulesearchdocument
    BEGIN
        INSERT INTO programs_modulesearch_fts(programs_modulesearch_fts, rowid, words)
        VALUES ('delete', old.key, old.words);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS programs_modulesearch_ad",
    "DROP TABLE IF EXISTS programs_modulesearch_fts",
]
POSTGRESQL_CREATE = [
    """ALTER TABLE programs_modulesearchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, words)) STORED""",
    """CREATE INDEX module_search_document_gin ON programs_modulesearchdocument
    USING gin (search_vector)""",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS module_search_document_gin",
    "ALTER TABLE programs_modulesearchdocument DROP COLUMN IF EXISTS search_vector",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


def fill_documents(apps, schema_editor):
    # Frozen code, not programs.search: the migration keeps doing what it did.
    from . import _0013_module_documents as module_search

    Programme = apps.get_model("programs", "Programme")
    alias = schema_editor.connection.alias
    ids = Programme.objects.using(alias).values_list("pk", flat=True)
    module_search.refresh_programmes(list(ids), using=alias)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0012_facet_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ModuleSearchDocument",
            fields=[
                ("key", models.BigIntegerField(primary_key=True, serialize=False)),
                (
                    "module",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_document",
                        to="programs.module",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.programme",
                    ),
                ),
                ("words", models.TextField(default="")),
            ],
            options={
                "ordering": ["key"],
            },
        ),
        migrations.AddIndex(
            model_name="university",
            index=models.Index(fields=["name", "id"], name="university_name_idx"),
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
            elidable=False,
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop, elidable=False),
    ]

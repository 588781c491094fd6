"""One search document per programme, indexed by each database's own full-text search.

- The table `programs_programmesearchdocument` (ProgrammeSearchDocument) holds each programme's
  words (see programs/search/programme_documents.py), filled here for the programmes already stored.
- SQLite: an FTS5 table over it (external content, rowid = programme id), kept in step by
  triggers, so any write to the documents (the ORM's or plain SQL) updates the index.
- PostgreSQL: a stored tsvector column generated from the documents (the title's words weighted
  A, the main part's B, which the ranking asks for), with a GIN index; the GIN
  index of migration 0002 (titles and summaries only) is no longer read and is dropped.

The SQL is spelled out here, not imported, and the documents are built by a frozen copy of the
code (_0011_programme_documents.py), so that this migration keeps meaning what it meant when it
ran; the search in programs/search/programme_documents.py names the same table and column.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_CREATE = [
    # The words are stored without accents already; remove_diacritics covers any other text.
    """CREATE VIRTUAL TABLE programs_programmesearch_fts USING fts5(
        title_text, main_text, more_text,
        content='programs_programmesearchdocument', content_rowid='programme_id',
        tokenize='unicode61 remove_diacritics 2', prefix='3'
    )""",
    """CREATE TRIGGER programs_programmesearch_ai AFTER INSERT ON programs_programmesearchdocument
    BEGIN
        INSERT INTO programs_programmesearch_fts(rowid, title_text, main_text, more_text)
        VALUES (new.programme_id, new.title_text, new.main_text, new.more_text);
    END""",
    """CREATE TRIGGER programs_programmesearch_ad AFTER DELETE ON programs_programmesearchdocument
    BEGIN
        INSERT INTO programs_programmesearch_fts(
            programs_programmesearch_fts, rowid, title_text, main_text, more_text
        ) VALUES ('delete', old.programme_id, old.title_text, old.main_text, old.more_text);
    END""",
    """CREATE TRIGGER programs_programmesearch_au AFTER UPDATE ON programs_programmesearchdocument
    BEGIN
        INSERT INTO programs_programmesearch_fts(
            programs_programmesearch_fts, rowid, title_text, main_text, more_text
        ) VALUES ('delete', old.programme_id, old.title_text, old.main_text, old.more_text);
        INSERT INTO programs_programmesearch_fts(rowid, title_text, main_text, more_text)
        VALUES (new.programme_id, new.title_text, new.main_text, new.more_text);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS programs_programmesearch_au",
    "DROP TRIGGER IF EXISTS programs_programmesearch_ad",
    "DROP TRIGGER IF EXISTS programs_programmesearch_ai",
    "DROP TABLE IF EXISTS programs_programmesearch_fts",
]
POSTGRESQL_CREATE = [
    """ALTER TABLE programs_programmesearchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_text), 'A')
        || setweight(to_tsvector('simple'::regconfig, main_text), 'B')
        || to_tsvector('simple'::regconfig, more_text)
    ) STORED""",
    """CREATE INDEX programme_search_document_gin ON programs_programmesearchdocument
    USING gin (search_vector)""",
    "DROP INDEX IF EXISTS programme_search_vector_gin",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS programme_search_document_gin",
    "ALTER TABLE programs_programmesearchdocument DROP COLUMN IF EXISTS search_vector",
    # Migration 0002's index, as it built it.
    """CREATE INDEX IF NOT EXISTS programme_search_vector_gin ON programs_programme USING gin ((
        setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B')
    ))""",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


def fill_documents(apps, schema_editor):
    # Frozen code, not programs.search: the migration keeps doing what it did.
    from . import _0011_programme_documents as search

    Programme = apps.get_model("programs", "Programme")
    alias = schema_editor.connection.alias
    ids = Programme.objects.using(alias).values_list("pk", flat=True)
    search.refresh(list(ids), apps=apps, using=alias)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0010_every_iso_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgrammeSearchDocument",
            fields=[
                (
                    "programme",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="programs.programme",
                    ),
                ),
                ("title_text", models.TextField(default="")),
                ("main_text", models.TextField(default="")),
                ("more_text", models.TextField(default="")),
            ],
            options={
                "ordering": ["programme"],
            },
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
            elidable=False,
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop, elidable=False),
    ]

# The published-title index carries each programme's id on PostgreSQL (issue 33: deep pages of
# the Open Education API). A deep page finds its ten ids by skipping the rows before it in this
# index; SQLite's indexes hold the row's id already, PostgreSQL's must be told to (INCLUDE), or
# it reads every skipped row from the table: page 9,798 of 98,000 programmes took 130 ms, 15 ms
# with the ids in the index. Django's Index(include=…) would warn on SQLite (models.W040), so
# this is SQL for PostgreSQL alone; the model's index, and so its state here, stays as it was.

from django.db import migrations

CARRYING_IDS = (
    "CREATE INDEX programme_published_title ON programs_programme (published, title, slug) "
    "INCLUDE (id)"
)
WITHOUT_IDS = (
    "CREATE INDEX programme_published_title ON programs_programme (published, title, slug)"
)


def _recreate(definition):
    def recreate(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS programme_published_title")
        schema_editor.execute(definition)

    return recreate


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0021_withdrawals"),
    ]

    operations = [
        migrations.RunPython(_recreate(CARRYING_IDS), _recreate(WITHOUT_IDS)),
    ]

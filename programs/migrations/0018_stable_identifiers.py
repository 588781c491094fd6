"""Every university, programme and module gets a stable identifier (a random UUID) that the
open-data API and the exports use.

In three steps, as a unique column with a per-row value must be added: the column without its
constraint, a value for every row, then the constraint. A programme's or module's history records
take the identifier of the row they record (the rows of deleted ones one new identifier each), so a
restored module comes back under its own identifier.
"""

import uuid

from django.db import migrations, models

HELP = "Never changes: the open-data API and exports name it by this."
LIVE = ("university", "programme", "module")
RECORDED = {"historicalprogramme": "programme", "historicalmodule": "module"}
BATCH = 5000


def _new_identifiers(cursor, table, column, ids, prepare):
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        cursor.executemany(
            f"UPDATE {table} SET {column} = %s WHERE id = %s",
            [(prepare(uuid.uuid4()), pk) for pk in ids[start : start + BATCH]],
        )


def _prepared(field, connection):
    """How `field` writes a UUID in raw SQL on this database (text on SQLite, uuid on PostgreSQL)."""
    return lambda value: field.get_db_prep_value(value, connection)


def give_identifiers(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in LIVE:
            model = apps.get_model("programs", name)
            field = model._meta.get_field("uuid")
            ids = model.objects.using(connection.alias).values_list("pk", flat=True)
            table, column = quote(model._meta.db_table), quote(field.column)
            _new_identifiers(cursor, table, column, ids, _prepared(field, connection))
        for history_name, live_name in RECORDED.items():
            history = apps.get_model("programs", history_name)
            live = apps.get_model("programs", live_name)
            field = history._meta.get_field("uuid")
            table, live_table = quote(history._meta.db_table), quote(live._meta.db_table)
            column = quote(field.column)
            cursor.execute(
                f"UPDATE {table} SET {column} = (SELECT live.{column} FROM {live_table} live"
                f" WHERE live.id = {table}.id)"
            )
            gone = (
                history.objects.using(connection.alias)
                .filter(uuid__isnull=True)
                .values_list("id", flat=True)
                .distinct()
            )
            _new_identifiers(cursor, table, column, gone, _prepared(field, connection))


def _column(**options):
    return models.UUIDField(verbose_name="stable identifier", help_text=HELP, **options)


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0017_facets_know_inferences"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=name, name="uuid", field=_column(null=True))
            for name in (*LIVE, *RECORDED)
        ),
        migrations.RunPython(give_identifiers, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name=name,
                name="uuid",
                field=_column(default=uuid.uuid4, editable=False, unique=True),
            )
            for name in LIVE
        ),
        *(
            migrations.AlterField(
                model_name=name,
                name="uuid",
                field=_column(db_index=True, default=uuid.uuid4, editable=False),
            )
            for name in RECORDED
        ),
    ]

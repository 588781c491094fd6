"""Every write to a programme goes through here: the admin, history restore, `load_catalog` and
the spreadsheet importers all call these functions rather than writing the rules again.

- What any save of a programme sets off (its next version, its search document, its public
  change) is `programs.actions.saving.programme_write`, which these functions use too.
- `set_published`, `mark_checked`, `duplicate_programme`: the admin's actions, and the importers'
  publish step.
- `own_university_ids`: the universities a staff member works for, which the staff offering rule
  (programs/core/offering_rule.py) checks a change of offering universities against.

What a programme consists of besides its own row is programs.models.parts.PROGRAMME_PARTS.
"""

from django.db import connections, router, transaction
from django.utils import timezone

from programs.actions.saving import programme_write
from programs.models import (
    PROGRAMME_PARTS,
    Module,
    Programme,
    ProgrammeUniversity,
    Track,
)
from programs.search import programme_documents


def set_published(queryset, published, user=None):
    """Publish or unpublish programmes one by one (history, version, public change log).

    Returns how many changed and how many of the others selected already were so.
    """
    changed = 0
    with programme_write() as write:
        selected = queryset.count()
        rows = Programme.objects.select_for_update().filter(
            pk__in=queryset.values("pk"), published=not published
        )
        for programme in rows:
            programme.published = published
            # The row is locked (select_for_update): its next version is this one, no claim
            # needed, and none can race it.
            programme.version += 1
            if user is not None:
                programme._history_user = user
            programme.save(update_fields=["published", "version", "updated_at"])
            write.wrote(programme.pk)
            changed += 1
    return changed, selected - changed


def mark_checked(queryset, user, today):
    """Record that `user` checked these programmes against their sources on `today`, one by one
    (history, version); returns how many."""
    count = 0
    with transaction.atomic():
        for programme in Programme.objects.select_for_update().filter(pk__in=queryset.values("pk")):
            programme.mark_checked(user, today)
            programme.version += 1
            programme.save(update_fields=["checked_on", "checked_by", "version", "updated_at"])
            count += 1
    return count


def copy_slug_and_title(programme):
    """A free slug and a matching title for a copy: `<slug>-copy` and "<title> (copy)", then
    `<slug>-copy-2` and "<title> (copy 2)", and so on."""
    slug_length = Programme._meta.get_field("slug").max_length
    title_length = Programme._meta.get_field("title").max_length
    number = 1
    while True:
        slug_suffix, title_suffix = (
            ("-copy", " (copy)") if number == 1 else (f"-copy-{number}", f" (copy {number})")
        )
        slug = programme.slug[: slug_length - len(slug_suffix)] + slug_suffix
        if not Programme.objects.filter(slug=slug).exists():
            return slug, programme.title[: title_length - len(title_suffix)] + title_suffix
        number += 1


def copy_row(row, **changes):
    """Save a copy of a model row as a new row, with some fields changed."""
    values = {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        # A copy is a new programme or module: it gets a stable identifier of its own.
        if not field.primary_key and field.name != "uuid"
    }
    copy = type(row)(**{**values, **changes})
    copy.save()
    return copy


def duplicate_programme(programme):
    """Copy a programme with all its parts, languages and universities as a new draft."""
    # One write: the copy's search words built once, not again after each of its parts. The copy
    # is a draft, so it is not listed as written: there is nothing public to record.
    with programme_write():
        programme = Programme.objects.prefetch_related(
            "languages", *(part.related_name for part in PROGRAMME_PARTS)
        ).get(pk=programme.pk)
        slug, title = copy_slug_and_title(programme)
        copy = copy_row(programme, title=title, slug=slug, published=False, version=1)
        copy.languages.set(programme.languages.all())
        # Modules point at tracks: point the copies at the copied tracks.
        track_copies = {}
        for part in PROGRAMME_PARTS:
            for row in getattr(programme, part.related_name).all():
                if part.model is Track:
                    track_copies[row.pk] = copy_row(row, programme_id=copy.pk).pk
                elif part.model is Module:
                    copy_row(row, programme_id=copy.pk, track_id=track_copies.get(row.track_id))
                else:
                    copy_row(row, programme_id=copy.pk)
        return copy


def own_university_ids(user):
    """The universities a user works for; None for a superuser, who may attach any."""
    if user is None or user.is_superuser:
        return None
    return set(user.universities.values_list("pk", flat=True))


def record_history_in_bulk(programmes, user, reason, language_rows):
    """History records for programmes just created in bulk, as `user` with `reason`, each with
    a snapshot of its teaching languages (`language_rows`: their saved through-table rows), as a
    save would record them."""
    records = Programme.history.bulk_history_create(
        programmes, batch_size=2000, default_user=user, default_change_reason=reason
    )
    snapshot = Programme.history.model.languages.model
    by_programme = {}
    for row in language_rows:
        by_programme.setdefault(row.programme_id, []).append(row)
    snapshot.objects.bulk_create(
        [
            snapshot(
                id=row.pk, history_id=record.pk, programme_id=record.id, language_id=row.language_id
            )
            for record in records
            for row in by_programme.get(record.id, [])
        ],
        batch_size=2000,
    )


def replace_offerings(programme, university_ids, user, reason=None):
    """Make the programme offered by exactly these universities, in this order.

    Rows of universities that stay keep their role; the caller has checked the staff rule
    (staff_offering_check). Each write is recorded in history as `user`, with `reason`.
    """
    current = {row.university_id: row for row in programme.offerings.all()}
    for university_id, row in current.items():
        if university_id not in university_ids:
            row._history_user, row._change_reason = user, reason
            row.delete()
    for position, university_id in enumerate(university_ids):
        row = current.get(university_id)
        if row is None:
            row = ProgrammeUniversity(
                programme=programme, university_id=university_id, position=position
            )
        elif row.position == position:
            continue
        row.position = position
        row._history_user, row._change_reason = user, reason
        row.save()


def insert_parts(model, rows, user, reason, batch_size=2000):
    """Create many parts of programmes at once, each with its history record, as `user` with
    `reason`: the importers' bulk path, where a save per row would take minutes."""
    created = model.objects.bulk_create(rows, batch_size=batch_size)
    copy_into_history(model, [row.pk for row in created], user, reason, "+")
    # bulk_create sends no signals, which rebuild the programmes' search words on a save.
    programme_documents.programmes_changed({row.programme_id for row in created})
    return created


def update_parts(model, rows, fields, user, reason, batch_size=2000):
    """Save changed parts at once (only `fields`), each with its history record."""
    model.objects.bulk_update(rows, fields, batch_size=batch_size)
    copy_into_history(model, [row.pk for row in rows], user, reason, "~")
    programme_documents.programmes_changed({row.programme_id for row in rows})


def copy_into_history(model, pks, user, reason, history_type):
    """Write the history records of these rows as they are stored now, in SQL.

    One INSERT … SELECT per 500 rows instead of a historical instance per row through the ORM
    (what simple-history's bulk helpers do): the records are the same, written ten times faster.
    """
    history = model.history.model
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    extra = ["history_date", "history_change_reason", "history_type", "history_user"]
    extra_columns = ", ".join(quote(history._meta.get_field(name).column) for name in extra)
    now = history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
    user_id = user.pk if user is not None else None
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {extra_columns}) "
                f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                [now, reason, history_type, user_id, *chunk],
            )

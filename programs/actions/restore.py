"""Restoring a programme, its parts and its teaching languages as they were at an earlier moment.

django-simple-history records every save of a programme and of each of its parts, and a snapshot
of the programme's teaching languages with each programme record. `restore_programme` reads all
of them as of one moment (`as_of()`) and writes the differences back, in one transaction, as a
new version recorded under the restoring user's name.

What one version of a programme is: the admin writes the programme's own record first and its
parts' records after it, in the same save. So the version a programme record stands for lasts
until the programme's next record (`version_end`), not only until the record's own
`history_date`, which would miss the parts saved with it (and for a new programme, all of them).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from programs.actions.programme_writes import own_university_ids
from programs.actions.saving import programme_write
from programs.core.offering_rule import restore_offering_problems, staff_offering_check
from programs.models import (
    PART_MODELS,
    AdmissionRequirement,
    Language,
    Module,
    Programme,
    ProgrammeUniversity,
    Track,
    University,
)

# The programme's own fields a restore leaves alone: its identity (database id and stable
# identifier), the optimistic-locking counter (which moves on instead) and the timestamps.
NOT_RESTORED = {"id", "uuid", "version", "created_at", "updated_at"}


def edited_by_people(programme) -> bool:
    """Whether anyone signed in (admissions staff, an admin) has changed this programme or any
    of its parts. The catalog loader writes without a user, so its history rows don't count."""
    if programme.history.filter(history_user__isnull=False).exists():
        return True
    return any(
        model.history.filter(programme_id=programme.pk, history_user__isnull=False).exists()
        for model in PART_MODELS
    )


class RestoreRefused(ValidationError):
    """The version can't be restored as it was; nothing has been written."""


def version_end(record):
    """The last moment of the version a historical programme record stands for.

    That is just before the programme's next record (the parts saved along with this record come
    after it), or now for the latest record. Timestamps are stored to the microsecond on SQLite
    and PostgreSQL alike, so one microsecond earlier is "strictly before".
    """
    following = record.next_record
    if following is None:
        return timezone.now()
    return following.history_date - timedelta(microseconds=1)


def languages_of(record):
    """The codes of the teaching languages a historical programme record's snapshot holds."""
    return sorted(record.languages.values_list("language_id", flat=True))


def parts_as_of(programme_pk, as_of):
    """Each kind of part of a programme as of a moment: {model: {pk: unsaved instance}}."""
    return {
        model: {
            part.pk: part for part in model.history.as_of(as_of).filter(programme_id=programme_pk)
        }
        for model in PART_MODELS
    }


def restored_fields(restore_publication):
    """The programme's own fields a restore writes back: publication only when asked for, so a
    restore never takes a programme offline (or online) as a side effect."""
    skipped = NOT_RESTORED if restore_publication else NOT_RESTORED | {"published"}
    return [field for field in Programme._meta.concrete_fields if field.attname not in skipped]


@dataclass
class RestorePreview:
    """What restoring a version would change, for the confirmation page: the programme's own
    fields and its languages as (field, now, then), each kind of part as counts, and its
    publication now and then (restored only when the user asks)."""

    fields: list
    parts: list
    published_now: bool
    published_then: bool

    @property
    def publication_differs(self):
        return self.published_now != self.published_then

    @property
    def changes_anything(self):
        return bool(self.fields or self.parts)


def restore_preview(programme, as_of):
    """What `restore_programme(programme, as_of, ...)` would change, without writing anything."""
    then = programme.history.as_of(as_of)
    fields = [
        (field, getattr(programme, field.attname), getattr(then, field.attname))
        for field in restored_fields(restore_publication=False)
        if getattr(programme, field.attname) != getattr(then, field.attname)
    ]
    now_languages = sorted(programme.languages.values_list("code", flat=True))
    then_languages = languages_of(then._history)
    if now_languages != then_languages:
        fields.append((Programme._meta.get_field("languages"), now_languages, then_languages))
    parts = []
    for model, wanted in parts_as_of(programme.pk, as_of).items():
        attnames = [field.attname for field in model._meta.concrete_fields]
        current = {row.pk: row for row in model.objects.filter(programme_id=programme.pk)}
        back = sum(1 for pk in wanted if pk not in current)
        removed = sum(1 for pk in current if pk not in wanted)
        changed = sum(
            1
            for pk, row in current.items()
            if pk in wanted and values_of(row, attnames) != values_of(wanted[pk], attnames)
        )
        if back or removed or changed:
            parts.append((model._meta.verbose_name_plural, back, changed, removed))
    return RestorePreview(fields, parts, programme.published, then.published)


def restore_programme(programme, as_of, user, loaded_version=None, restore_publication=False):
    """Bring a programme back to the state it had at `as_of`, parts and languages included.

    Its own fields and teaching languages are set as they were; of each kind of part, the rows
    that existed then come back with their values then (recreated with their old primary key if
    deleted since) and rows created later are deleted. Rows that are already as they were are not
    touched, so the history shows only what the restore changed, by `user`.

    The version number moves on by one, so forms opened before the restore are refused as stale;
    with `loaded_version` (the version a restore form was loaded with) the restore itself is
    refused with StaleVersion when someone saved in between. Staff (not superusers) may not
    attach a university they don't work for, nor change or remove a partner university's part,
    and the programme must stay offered by one of their universities, as in the change form.
    Its publication (published or draft) stays as it is now unless `restore_publication`.
    Raises RestoreRefused, having written nothing, when the version can't be restored.
    """
    # Claim the next version first: of two racing restores or saves, one fails here.
    with programme_write({programme.pk: loaded_version}):
        current = Programme.objects.get(pk=programme.pk)
        try:
            then = current.history.as_of(as_of)
        except Programme.DoesNotExist:
            raise RestoreRefused(
                gettext("The programme did not exist yet at that moment.")
            ) from None
        parts = parts_as_of(current.pk, as_of)
        languages = languages_of(then._history)
        problems = restore_problems(current, parts, languages, user)
        if problems:
            raise RestoreRefused(problems)

        for field in restored_fields(restore_publication):
            setattr(current, field.attname, getattr(then, field.attname))
        # The languages first, without a history record of their own, so that the programme's
        # record written next holds the restored snapshot; its parts' records follow it, as
        # after an admin save (see version_end).
        current.skip_history_when_saving = True
        try:
            current.languages.set(languages)
        finally:
            del current.skip_history_when_saving
        current._history_user = user
        current.save()

        # A module's track may have been deleted while the module stayed (the database then set
        # it to none without a history record): it comes back without a track, as it was.
        restored_tracks = parts[Track].keys()
        for module in parts[Module].values():
            if module.track_id not in restored_tracks:
                module.track_id = None
        for model in PART_MODELS:
            restore_rows(model, current.pk, parts[model], user)
    return current


def restore_problems(programme, parts, languages, user):
    """Why these parts and languages can't be restored onto the programme (empty if they can)."""
    problems = []
    offerings = parts[ProgrammeUniversity]
    if not offerings:
        problems.append(
            gettext(
                "A programme needs at least one offering university, and this version had none."
            )
        )
    # Rows a restore would bring back must still be able to point where they pointed.
    wanted_universities = {offering.university_id for offering in offerings.values()}
    gone = wanted_universities - set(
        University.objects.filter(pk__in=wanted_universities).values_list("pk", flat=True)
    )
    if gone:
        problems.append(gettext("A university this version was offered by has been deleted since."))
    wanted_languages = set(languages) | {
        requirement.original_language_id
        for requirement in parts[AdmissionRequirement].values()
        if requirement.original_language_id is not None
    }
    missing = wanted_languages - set(
        Language.objects.filter(pk__in=wanted_languages).values_list("pk", flat=True)
    )
    if missing:
        problems.append(
            gettext("Languages this version used have been deleted since: %(codes)s.")
            % {"codes": ", ".join(sorted(missing))}
        )
    # A primary key that now belongs to another programme's row must not be taken from it.
    for model, rows in parts.items():
        if model.objects.filter(pk__in=rows).exclude(programme_id=programme.pk).exists():
            problems.append(
                gettext("A %(part)s of this version now belongs to another programme.")
                % {"part": model._meta.verbose_name}
            )
    if not user.is_superuser:
        problems.extend(offering_problems(programme, offerings, user))
    return problems


def offering_problems(programme, offerings, user):
    """The change form's rules for staff (core.offering_rule.staff_offering_check), applied to the
    offerings a restore would write, in the words of a restore."""
    current = {offering.university_id: offering for offering in programme.offerings.all()}
    check = staff_offering_check(
        own_university_ids(user),
        {pk: (row.role, row.position) for pk, row in current.items()},
        {row.university_id: (row.role, row.position) for row in offerings.values()},
    )
    names = University.objects.in_bulk([*check.foreign_added, *check.partners_touched])
    return restore_offering_problems(check, names)


def values_of(row, attnames):
    """A row's values of these fields, to compare two rows."""
    return [getattr(row, attname) for attname in attnames]


def unique_attnames(model):
    """The fields besides the programme that a part's unique constraints cover."""
    names = set()
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    names.discard("programme")
    return sorted(model._meta.get_field(name).attname for name in names)


def restore_rows(model, programme_pk, wanted, user):
    """Make a programme's rows of one kind of part exactly `wanted` ({pk: unsaved instance})."""
    attnames = [field.attname for field in model._meta.concrete_fields]
    keys = unique_attnames(model)
    kept = {}
    for row in model.objects.filter(programme_id=programme_pk):
        target = wanted.get(row.pk)
        # A row whose unique key changes is deleted and recreated, not updated: two rows that
        # swapped keys would otherwise clash with each other halfway through.
        if target is None or values_of(target, keys) != values_of(row, keys):
            row._history_user = user
            row.delete()
        else:
            kept[row.pk] = row
    for pk, target in wanted.items():
        row = kept.get(pk)
        if row is not None and values_of(row, attnames) == values_of(target, attnames):
            continue
        target._history_user = user
        target.save(force_insert=row is None)

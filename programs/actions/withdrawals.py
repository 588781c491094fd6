"""Deletion markers for harvesters: a programme that leaves the public catalog (unpublished or
deleted) is recorded as a Withdrawal, and one published again loses its marker.

Connected as signals (programs/receivers.py), so every path that unpublishes or deletes a
programme (the admin's form and its bulk actions, set_published, history restores, load_catalog,
the importers) records it inside its own transaction without knowing about it: a write that
rolls back takes its marker with it. A programme that was never public leaves no marker (no
harvester can hold it); deleting one that was unpublished earlier turns its marker into a
deletion.
"""

from django.utils import timezone

from programs.models import Programme, Withdrawal, WithdrawalReason


def note_publication_before_save(sender, instance, raw=False, **kwargs):
    """Remember whether the stored programme was public before this save (see saved())."""
    if instance._state.adding:
        was_published = False
    else:
        was_published = getattr(instance, "published_as_loaded", None)
        if was_published is None and not instance.published:
            # Built rather than read (a fixture, a restore): ask the row as stored.
            was_published = Programme.objects.filter(pk=instance.pk, published=True).exists()
    instance.published_before_save = was_published


def programme_saved(sender, instance, created, **kwargs):
    """Mark an unpublished programme withdrawn; unmark one published again."""
    was_published = getattr(instance, "published_before_save", None)
    if instance.published and was_published is not True:
        # Published again, or created under the stable identifier of one deleted earlier (a
        # restore from the fixtures): harvesters see it listed as changed instead.
        Withdrawal.objects.filter(programme_uuid=instance.uuid).delete()
    elif not instance.published and was_published:
        _withdraw(instance.uuid, WithdrawalReason.UNPUBLISHED)
    # A second save in the same write starts from what this one stored.
    instance.published_as_loaded = instance.published


def programme_deleted(sender, instance, **kwargs):
    """Mark a deleted programme withdrawn, if harvesters can have seen it."""
    if instance.published:
        _withdraw(instance.uuid, WithdrawalReason.DELETED)
    else:
        # Unpublished before: its marker now says it is gone for good.
        Withdrawal.objects.filter(programme_uuid=instance.uuid).update(
            reason=WithdrawalReason.DELETED, withdrawn_at=timezone.now()
        )


def _withdraw(programme_uuid, reason):
    Withdrawal.objects.update_or_create(
        programme_uuid=programme_uuid,
        defaults={"reason": reason, "withdrawn_at": timezone.now()},
    )

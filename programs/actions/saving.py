"""Saving a programme: what every write of one (or many) sets off, written once.

The admin, history restore, `load_catalog` and the spreadsheet importer all write inside
`programme_write()`:

    with programme_write({programme.pk: loaded_version}) as write:
        ... save the programme and its parts (write.claim / write.wrote for any others) ...

The block is one transaction (a savepoint inside an outer one). Each programme written takes its
next version (`write.claim`, optimistic locking: StaleVersion, and the block rolls back, when
someone saved since the writer loaded it). The search documents of every programme written are
rebuilt once, at the end, rather than after each row. And on leaving the block, still inside the
transaction, the public change log records what each written published programme now shows
(nothing for drafts), so a change and the rows it describes are committed together.
"""

from contextlib import contextmanager

from django.db import models, transaction

from programs.changelog.changes import record_public_changes_of
from programs.models import Programme
from programs.search import programme_documents


class StaleVersion(Exception):
    """Another save changed the programme after this form was loaded; nothing may be written."""


def claim_version(programme_pk, loaded_version=None):
    """Move a stored programme on to its next version and return the new number.

    With `loaded_version` (the version the writer read), the claim is a conditional UPDATE: of two
    writers racing from the same version exactly one succeeds, the other gets StaleVersion, and
    its transaction must roll back. Without it, the version simply moves on, so that any form
    opened before this write is refused as stale.
    """
    claim = Programme.objects.filter(pk=programme_pk)
    if loaded_version is not None:
        claim = claim.filter(version=loaded_version)
    if not claim.update(version=models.F("version") + 1):
        raise StaleVersion(programme_pk)
    if loaded_version is not None:
        return loaded_version + 1
    return Programme.objects.filter(pk=programme_pk).values_list("version", flat=True).get()


class ProgrammeWrite:
    """The programmes one write has written so far: what `programme_write()` ends it with."""

    def __init__(self):
        self.written = set()

    def claim(self, programme_pk, loaded_version=None):
        """Claim a stored programme's next version (see claim_version) for this write; returns
        the new number, for the programme's row to be saved with."""
        version = claim_version(programme_pk, loaded_version)
        self.written.add(programme_pk)
        return version

    def wrote(self, *programme_pks):
        """Programmes this write wrote without claiming a version: new ones (their first version
        is 1), or parts whose writer moves no version on (load_catalog's)."""
        self.written.update(programme_pks)


@contextmanager
def programme_write(claims=None, savepoint=True):
    """Write programmes in one transaction; yields the ProgrammeWrite to tell it what is written.

    `claims` ({programme pk: version the writer loaded, or None}) are claimed on entering, before
    anything is written, so a stale writer fails first. On leaving (an exception leaves at once,
    and the transaction rolls back): the written programmes' public changes are recorded, then
    their search documents rebuilt once, all in the transaction.

    Inside another transaction the block is a savepoint, so that a caller may catch the write's
    error and go on; a writer whose errors roll back the caller's whole transaction anyway (the
    admin's) passes `savepoint=False` and saves its two queries. Inside another programme write
    (or `refreshed_together()`), the search documents wait for the outer block's end.
    """
    with transaction.atomic(savepoint=savepoint), programme_documents.refreshed_together():
        write = ProgrammeWrite()
        for programme_pk, loaded_version in (claims or {}).items():
            write.claim(programme_pk, loaded_version)
        yield write
        # Writes without signals (the importer's bulk ones) leave the documents to this; for the
        # others, the signals have listed them already.
        programme_documents.programmes_changed(write.written)
        record_public_changes_of(sorted(write.written))

"""The catalog revision, which keys every cache of the public catalog, and the facet indexes'
log of the programmes each revision changed."""

import secrets
from datetime import UTC, datetime, timedelta

from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CatalogRevisionQuerySet(models.QuerySet):
    def current(self):
        """The catalog's revision now, as a string naming this database and its change count."""
        token, number = self.state()
        return f"{token}-{number}" if token else "none"

    def state(self):
        """(database token, change count) now; ("", 0) before the first change."""
        row = self._row("database", "number")
        return tuple(row) if row else ("", 0)

    def stamp(self):
        """(database token, change count, when the catalog last changed) now, in one query;
        ("", 0, None) before the first change. What a harvester's conditional request is
        answered from (programs/web/harvesting.py)."""
        row = self._row("database", "number", "changed_at")
        if not row:
            return "", 0, None
        token, number, changed_at = row
        if isinstance(changed_at, str):  # SQLite hands back the text a column without a type holds
            changed_at = datetime.fromisoformat(changed_at)
        if changed_at is not None and timezone.is_naive(changed_at):  # SQLite keeps UTC, naive
            changed_at = changed_at.replace(tzinfo=UTC)
        return token, number, changed_at

    def _row(self, *columns):
        """The revision row's `columns`, or None before the first change.

        Read on every public request (kept pages included), so as plain SQL: building it with
        the ORM costs more than running it."""
        quote = connections[self.db].ops.quote_name
        names = ", ".join(map(quote, columns))
        table = quote(self.model._meta.db_table)
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT {names} FROM {table} WHERE id = 1")
            return cursor.fetchone()

    def bump(self, changed=()):
        """Count one more change of the catalog, inside the caller's transaction.

        Everything cached about the public catalog is keyed by the revision, so a write that
        commits makes every process compute afresh, and a write that rolls back takes its bump
        with it. One row updated in place: writers queue on it only for their own commit.

        `changed` names the programmes whose filterable facts (what the list's facets count)
        this write changed, logged as CatalogChange rows under the new number so that each
        process's facet index (programs/search/facet_index.py) re-reads only those; EVERY_PROGRAMME
        makes them rebuild it whole.
        """
        counted = _bumped_in_this_transaction(self.db)
        if not counted and not self.filter(pk=1).update(
            number=models.F("number") + 1, changed_at=_next_change_time()
        ):
            self.get_or_create(pk=1, defaults={"number": 1})
        if not changed:
            return
        # Read inside the transaction that holds the row's lock: no other writer can take a
        # number between this one and its commit, so the log is in commit order.
        number = self.filter(pk=1).values_list("number", flat=True).get()
        ids = [None] if changed is EVERY_PROGRAMME else sorted(set(changed))
        CatalogChange.objects.bulk_create(
            [CatalogChange(revision=number, programme_id=pk) for pk in ids]
        )
        if not counted and number % CHANGE_LOG_PRUNE_EVERY == 0:
            CatalogChange.objects.filter(revision__lt=number - CHANGE_LOG_KEPT).delete()


def _next_change_time():
    """The time of a new revision: now, or one second after the last one's if that is as late.

    HTTP's Last-Modified counts whole seconds, so two revisions within one second would share
    one, and a harvester asking If-Modified-Since with the first would be told "not modified"
    about the second. Each revision's second is therefore later than the one before; only a
    burst of more than one write a second runs ahead of the clock, by as many seconds.
    """
    now = timezone.now()
    last = models.F("changed_at")
    return models.Case(
        models.When(
            changed_at__gte=now.replace(microsecond=0),
            then=models.ExpressionWrapper(
                last + timedelta(seconds=1), output_field=models.DateTimeField()
            ),
        ),
        default=models.Value(now),
    )


def _revision_counted():
    """Marks, in a transaction's on-commit list, that it has counted its change (see below)."""


def _bumped_in_this_transaction(using):
    """Whether this transaction has already counted one change of the catalog; marks it so.

    One write (a programme saved with its parts, a restore, an import) sends many signals that
    each call bump(); counting once is enough, since the caches need one new number per commit.
    The mark is a no-op callback in the transaction's on-commit list, which Django empties on
    commit and on rollback and trims when a savepoint is rolled back (taking the count's UPDATE
    with it), so it never outlives the count it stands for. In autocommit every statement is
    its own transaction and every bump counts. Inside a test case's own transaction, the write's
    transaction is its outermost savepoint, as it would be a transaction of its own outside one.
    """
    connection = connections[using]
    root = next(
        (
            depth
            for depth, block in enumerate(connection.atomic_blocks)
            if not getattr(block, "_from_testcase", False)
        ),
        None,
    )
    if root is None:
        return False
    root_savepoint = connection.savepoint_ids[root - 1] if root else None
    if root and root_savepoint is None:  # atomic(savepoint=False) inside a test's transaction
        block = connection.atomic_blocks[root]
        counted = getattr(connection, "_revision_counted_in", None) is block
        connection._revision_counted_in = block
        return counted
    for savepoints, callback, _robust in connection.run_on_commit:
        if callback is _revision_counted and (not root or root_savepoint in savepoints):
            return True
    transaction.on_commit(_revision_counted, using=using)
    return False


def new_database_token():
    return secrets.token_hex(8)


# bump(changed=EVERY_PROGRAMME): a write whose changed programmes are not listed (bulk ones).
EVERY_PROGRAMME = object()


# The change log keeps this many revisions; a process further behind rebuilds its index whole.
CHANGE_LOG_KEPT = 20_000


CHANGE_LOG_PRUNE_EVERY = 1_000


class CatalogChange(models.Model):
    """One programme whose filterable facts changed at a revision (see CatalogRevision.bump).

    `programme_id` is a plain number, not a foreign key: a deleted programme's entry must stay.
    NULL means "any programme may have changed".
    """

    revision = models.PositiveBigIntegerField(_("revision"), db_index=True)
    programme_id = models.IntegerField(_("programme id"), null=True)

    class Meta:
        verbose_name = _("catalog change")
        verbose_name_plural = _("catalog changes")

    def __str__(self):
        return f"programme {self.programme_id} changed at revision {self.revision}"


class CatalogRevision(models.Model):
    """The one row counting the catalog's changes (see CatalogRevisionQuerySet.bump).

    `database` is random per database, so two databases sharing one cache server (a staging
    and a production site, a restored copy) never read each other's entries.
    """

    database = models.CharField(_("database"), max_length=16, default=new_database_token)
    number = models.PositiveBigIntegerField(_("number"), default=0)
    # When the catalog last changed, as HTTP's Last-Modified tells harvesters (a count is no
    # time); set by the same UPDATE that counts the change, so it costs the writer nothing and
    # the reader's one query reads both. Strictly later second by second (see _next_change_time).
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = CatalogRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalog revision")
        verbose_name_plural = _("catalog revisions")

    def __str__(self):
        return f"catalog revision {self.number}"

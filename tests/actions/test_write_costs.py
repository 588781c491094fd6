"""What one write costs: a programme's save runs a fixed number of queries and counts one change
of the catalog, however many signals it sends (programs/receivers.py)."""

import pytest
from django.db import connection, transaction

from programs.models import CatalogRevision, Semester
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = factories.ProgrammeFactory(published=True)
    factories.ProgrammeUniversityFactory(programme=programme)
    track = factories.TrackFactory(programme=programme)
    factories.ModuleFactory(programme=programme, track=track)
    factories.ModuleFactory(programme=programme)
    programme.refresh_from_db()
    return programme


def revision_number():
    return CatalogRevision.objects.state()[1]


def test_saving_a_programme_runs_a_fixed_number_of_queries(programme, django_assert_num_queries):
    # The row, its history record and languages, one revision count, its search document (six
    # reads, the key facts' sources among them, one write), its modules' documents (delete,
    # read, write, and on SQLite the FTS5 table's insert; PostgreSQL's COPY writes them outside
    # Django's query log) and the facet log (the revision's number, the changed programme). It
    # was 19, with two counts.
    with django_assert_num_queries(17 if connection.vendor == "sqlite" else 15):
        programme.title = "Another title"
        programme.save()


def test_saving_a_programme_counts_one_change_of_the_catalog(programme):
    before = revision_number()
    programme.title = "Another title"
    programme.save()
    assert revision_number() == before + 1


def test_a_write_of_a_programme_and_its_parts_counts_one_change(programme):
    """The admin saves a programme with its inlines in one transaction: one new revision."""
    before = revision_number()
    with transaction.atomic():
        programme.title = "Another title"
        programme.save()
        Semester.objects.create(programme=programme, number=1, title="First semester")
        programme.modules.first().delete()
    assert revision_number() == before + 1


def test_each_write_counts_its_own_change(programme):
    """Counting once per transaction must not swallow the next transaction's count."""
    before = revision_number()
    for title in ("One", "Two", "Three"):
        with transaction.atomic():
            programme.title = title
            programme.save()
    assert revision_number() == before + 3


def test_a_rolled_back_write_leaves_the_next_one_its_count(programme):
    before = revision_number()
    with pytest.raises(RuntimeError), transaction.atomic():
        programme.title = "Rolled back"
        programme.save()
        raise RuntimeError("the write fails")
    assert revision_number() == before
    with transaction.atomic():
        programme.title = "Kept"
        programme.save()
    assert revision_number() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_count_rolled_back_with_a_savepoint_is_made_again_in_a_real_transaction():
    """Outside a test's own transaction (as in production): a bump undone by a savepoint's
    rollback leaves the write's next bump to count, and each commit counts once."""
    programme = factories.ProgrammeFactory(published=True)
    before = revision_number()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            programme.title = "Rolled back"
            programme.save()
            raise RuntimeError("this part of the write fails")
        Semester.objects.create(programme=programme, number=1, title="First semester")
    assert revision_number() == before + 1
    with transaction.atomic():
        programme.title = "Next write"
        programme.save()
        Semester.objects.create(programme=programme, number=2, title="Second semester")
    assert revision_number() == before + 2

"""/api/changes?since=…: what a harvester must fetch again or remove since its last run
(programs/web/harvest_views.py)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.test import Client

from programs.actions.programme_writes import set_published
from programs.models import Programme, PublicChange, Withdrawal
from programs.web.oeapi_parameters import PAGE_SIZES

pytestmark = pytest.mark.django_db

SLUG = "health-informatics"


def stamp(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def listing(since, **paging):
    response = Client().get("/api/changes", {"since": since, **paging})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def every_item(since, page_size=10):
    """Every item of every page, walking the pages as a harvester does."""
    items, number = [], 1
    while True:
        page = listing(since, pageSize=page_size, pageNumber=number)
        items += page["items"]
        if not page["hasNextPage"]:
            return items, page["totalPages"]
        number += 1


@pytest.fixture
def before(catalog):
    """A moment before the test's writes, the catalog loaded a day earlier."""
    moment = datetime.now(UTC)
    Programme.objects.update(updated_at=moment - timedelta(days=1))
    PublicChange.objects.update(changed_at=moment - timedelta(days=1))
    return stamp(moment - timedelta(seconds=1))


def changes(since):
    return {item["programmeId"]: item for item in listing(since)["items"]}


def test_an_unpublished_programme_is_listed_as_removed(before):
    programme = Programme.objects.get(slug=SLUG)

    set_published(Programme.objects.filter(pk=programme.pk), False)

    item = changes(before)[str(programme.uuid)]
    assert (item["change"], item["reason"]) == ("removed", "unpublished")
    assert datetime.fromisoformat(item["at"]) >= datetime.fromisoformat(before)


def test_a_deleted_programme_is_listed_as_removed(before):
    programme = Programme.objects.get(slug=SLUG)

    programme.delete()

    item = changes(before)[str(programme.uuid)]
    assert (item["change"], item["reason"]) == ("removed", "deleted")


def test_a_programme_published_again_is_listed_as_updated_not_removed(before):
    programme = Programme.objects.get(slug=SLUG)
    set_published(Programme.objects.filter(pk=programme.pk), False)

    set_published(Programme.objects.filter(pk=programme.pk), True)

    assert changes(before)[str(programme.uuid)]["change"] == "updated"
    assert not Withdrawal.objects.exists()


def test_a_saved_programme_is_listed_as_updated_and_the_others_are_not(before):
    programme = Programme.objects.get(slug=SLUG)
    programme.title = "Health Informatics, renamed"
    programme.save()

    found = changes(before)

    assert list(found) == [str(programme.uuid)]
    assert found[str(programme.uuid)]["change"] == "updated"


def test_a_removal_before_since_is_not_listed(before):
    programme = Programme.objects.get(slug=SLUG)
    set_published(Programme.objects.filter(pk=programme.pk), False)

    later = stamp(datetime.now(UTC) + timedelta(seconds=1))

    assert changes(later) == {}


def test_the_pages_add_up_to_every_published_programme(catalog):
    published = {str(uuid) for uuid in Programme.objects.published().values_list("uuid", flat=True)}
    set_published(Programme.objects.filter(slug=SLUG), False)

    items, total_pages = every_item("2000-01-01T00:00:00Z", page_size=10)

    assert {item["programmeId"] for item in items} == published
    assert len(items) == len(published)  # each once
    assert total_pages == 1
    first = listing("2000-01-01T00:00:00Z", pageSize=10)
    assert (first["pageNumber"], first["hasPreviousPage"], first["pageSize"]) == (1, False, 10)


def test_paging_splits_removals_and_updates_without_losing_one(catalog):
    """A page boundary between the removed and the updated ones: ten a page, over both."""
    from tests.support import factories

    factories.ProgrammeFactory.create_batch(12, published=True)
    gone = list(Programme.objects.published().order_by("pk")[:5])
    set_published(Programme.objects.filter(pk__in=[p.pk for p in gone]), False)
    expected = {str(uuid) for uuid in Programme.objects.values_list("uuid", flat=True)}
    expected -= {str(p.uuid) for p in Programme.objects.filter(published=False)}
    expected |= {str(p.uuid) for p in gone}

    items, total_pages = every_item("2000-01-01T00:00:00Z", page_size=10)

    assert [item["programmeId"] for item in items if item["change"] == "removed"] == [
        str(uuid) for uuid in Withdrawal.objects.values_list("programme_uuid", flat=True)
    ]
    assert sorted(item["programmeId"] for item in items) == sorted(expected)
    assert total_pages == -(-len(expected) // 10)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({}, "since"),
        ({"since": "yesterday"}, "RFC 3339"),
        ({"since": "2026-12-01"}, "RFC 3339"),
        ({"since": "2026-12-01T00:00:00"}, "offset"),
        ({"since": "2026-02-31T00:00:00Z"}, "RFC 3339"),
        ({"since": "2026-12-01T00:00:00 01:00"}, "%2B"),
        ({"since": "2026-12-01T00:00:00Z", "pageSize": "1000"}, "pageSize"),
        ({"since": "2026-12-01T00:00:00Z", "pageSize": "x"}, "pageSize"),
        ({"since": "2026-12-01T00:00:00Z", "pageNumber": "0"}, "pageNumber"),
        ({"since": "2026-12-01T00:00:00Z", "pageNumber": "-1"}, "pageNumber"),
        ({"since": "2026-12-01T00:00:00Z", "pageNumber": "9" * 30}, "pageNumber"),
    ],
)
def test_a_bad_request_gets_a_problem_that_says_what_is_wrong(catalog, query, says):
    response = Client().get("/api/changes", query)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert says in problem["detail"]


def test_an_offset_written_with_plus_is_understood(before):
    programme = Programme.objects.get(slug=SLUG)
    programme.delete()
    plus_one = datetime.fromisoformat(before).astimezone(timezone(timedelta(hours=1)))
    assert "+01:00" in plus_one.isoformat()

    assert str(programme.uuid) in changes(plus_one.isoformat())


def test_page_sizes_are_bounded(catalog):
    assert max(PAGE_SIZES) == 250
    assert listing("2000-01-01T00:00:00Z", pageSize=250)["pageSize"] == 250


def test_a_repeated_listing_reads_only_the_revision(before, django_assert_num_queries):
    listing(before)

    with django_assert_num_queries(1):
        listing(before)

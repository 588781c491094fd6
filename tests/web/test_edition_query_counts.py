"""A programme's page runs a fixed number of SQL queries when catalog editions hold it: its links
to the other editions, and what changed between them, cost one query (make bench's MAX_QUERIES
is 8 for the live page, which it used to exceed with three editions)."""

import datetime

import pytest
import time_machine
from django.db import models
from django.urls import reverse

from programs.actions.editions import open_edition, publish_edition
from programs.changelog.changes import record_public_changes
from programs.models import Programme
from programs.search import edition_index
from tests.support import factories

pytestmark = [
    # Archiving sets its transaction's isolation level, which PostgreSQL allows only first.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen_day"),
]


@pytest.fixture
def frozen_day():
    with time_machine.travel(datetime.datetime(2026, 12, 8, 12, tzinfo=datetime.UTC)):
        yield
    edition_index.forget()


def archive_two_editions(size):
    """`size` programmes in 2024/25 and 2025/26 (archived), each with 60 more ECTS in the
    second, the live catalog being 2026/27; returns the first programme."""
    english = factories.LanguageFactory(code="en", name="English")
    university = factories.UniversityFactory()
    programmes = []
    for index in range(size):
        programme = factories.ProgrammeFactory(
            slug=f"programme-{index:02d}", ects=60, languages=[english], universities=[university]
        )
        factories.ModuleFactory(programme=programme, semester=1)
        record_public_changes(programme)
        programmes.append(programme)
    publish_edition(open_edition(2024, datetime.date(2024, 9, 1)))
    publish_edition(open_edition(2025, datetime.date(2025, 9, 1)))
    for programme in programmes:
        Programme.objects.filter(pk=programme.pk).update(ects=models.F("ects") + 60)
        record_public_changes(programme)
    publish_edition(open_edition(2026, datetime.date(2026, 9, 1)))
    return programmes[0]


@pytest.mark.parametrize("size", [1, 6])
def test_a_live_programme_page_with_editions_runs_eight_queries(
    client, size, django_assert_num_queries
):
    programme = archive_two_editions(size)
    url = reverse("programs:programme-detail", kwargs={"slug": programme.slug})

    # The catalog revision, the programme (with its latest public facts), its offerings,
    # languages, tracks, modules, public changes, and the editions with its entry in each.
    with django_assert_num_queries(8):
        page = client.get(url).content.decode()

    assert_changes_summarised(page)


@pytest.mark.parametrize("size", [1, 6])
def test_an_archived_programme_page_runs_a_fixed_number_of_queries(
    client, size, django_assert_num_queries
):
    programme = archive_two_editions(size)
    url = reverse(
        "programs:edition-programme-detail", kwargs={"edition": "2024-25", "slug": programme.slug}
    )
    client.get(url)  # the process reads the edition's index once

    # The catalog revision, the edition, its entry with the frozen programme, the live
    # programme's address, the editions with its entry in each, the live public facts, and
    # the addenda.
    with django_assert_num_queries(7):
        page = client.get(url, {"from": "q=x"}).content.decode()

    assert '<strong aria-current="page">2024/25</strong>' in page
    assert_changes_summarised(page)


def assert_changes_summarised(page):
    """The links say what changed between the editions: the ECTS, then nothing (the current
    edition is the live catalog, as 2025/26 froze it)."""
    links = page[page.index('<nav class="edition-links"') :].split("</nav>", 1)[0]
    assert '2025/26</a><span class="edition-change">' in links
    assert "Changed: ECTS credits" in links.split("2025/26", 1)[1].split("</li>", 1)[0]
    assert "since the edition before: No change" in links.split("2026/27", 1)[1]

"""make bench's catalog editions: archived one after another from the generated catalog, a tenth
revised before each after the first, each later one storing only what changed."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from programs.models import Edition, EditionProgramme, Programme, PublicChange
from programs.transfer.synthetic_editions import edition_storage_bytes, make_editions

pytestmark = pytest.mark.django_db(transaction=True)


@time_machine.travel(datetime.datetime(2026, 12, 8, 12, tzinfo=datetime.UTC))
def test_three_editions_are_archived_and_later_ones_store_only_the_revised_programmes():
    call_command("generate_catalog", programmes=200, seed=1, verbosity=0)
    published = Programme.objects.published().count()

    editions = make_editions(count=3, share=0.1, seed=1)

    assert [edition.label for edition in editions] == ["2023/24", "2024/25", "2025/26"]
    tenth = round(published * 0.1)
    assert [edition.revised for edition in editions] == [0, tenth, tenth]
    assert all(edition.programmes == published for edition in editions)
    # The first freezes every programme; the later ones only those revised since.
    assert [edition.frozen_new for edition in editions] == [published] + [
        edition.revised for edition in editions[1:]
    ]
    assert all(edition.seconds > 0 for edition in editions)
    first, *later = (edition.bytes for edition in editions)
    assert all(0 < size < first * 0.5 for size in later)
    assert edition_storage_bytes() >= sum(edition.bytes for edition in editions)
    # The live catalog is this academic year's edition; the three before it are archived.
    current = Edition.objects.current()
    assert current.label == "2026/27"
    assert list(Edition.objects.archived().values_list("starts_in", flat=True)) == [
        2023,
        2024,
        2025,
    ]
    # The revisions were written as changes are: the public change log has them.
    revised = EditionProgramme.objects.filter(edition__starts_in=2025).exclude(
        frozen__in=EditionProgramme.objects.filter(edition__starts_in=2024).values("frozen")
    )
    assert revised.count() == editions[2].revised
    assert PublicChange.objects.filter(programme_id__in=revised.values("catalog_id")).exists()


@time_machine.travel(datetime.datetime(2026, 12, 8, 12, tzinfo=datetime.UTC))
def test_the_same_seed_revises_the_same_programmes():
    call_command("generate_catalog", programmes=100, seed=1, verbosity=0)
    make_editions(count=2, share=0.1, seed=1)
    first = _revised_slugs()
    Edition.objects.all().delete()
    call_command("generate_catalog", programmes=100, seed=1, verbosity=0)
    make_editions(count=2, share=0.1, seed=1)

    assert _revised_slugs() == first and first


def _revised_slugs():
    return sorted(
        EditionProgramme.objects.filter(edition__starts_in=2025)
        .exclude(
            frozen__in=EditionProgramme.objects.filter(edition__starts_in=2024).values("frozen")
        )
        .values_list("slug", flat=True)
    )

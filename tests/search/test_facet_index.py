"""The list's facet index (programs/search/facet_index.py): every write shows in the counts at once,
a process re-reads only what a write logged, and long facets show their most common options."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import (
    EVERY_PROGRAMME,
    CatalogChange,
    CatalogRevision,
    Programme,
    ProgrammeSearchDocument,
    Track,
    University,
)
from programs.search import programme_documents as search
from tests.support import factories
from tests.support.list_pages import (
    facet_counts,
    facet_hint,
    facet_inferred,
    facet_options,
    get_list,
    html_of,
    shown_slugs,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    return factories.LanguageFactory(code="en", name="English")


@pytest.fixture
def german():
    return factories.LanguageFactory(code="de", name="German")


def test_a_language_added_to_a_programme_counts_at_once(client, english, german):
    programme = factories.ProgrammeFactory(languages=[english])
    factories.ProgrammeFactory(languages=[english])
    assert facet_counts(get_list(client), "language") == {"en": 2}
    programme.languages.add(german)
    assert facet_counts(get_list(client), "language") == {"en": 2, "de": 1}
    assert shown_slugs(get_list(client, {"language": "de"})) == [programme.slug]


def test_a_deleted_or_unpublished_programme_leaves_the_counts_and_the_list(client, english):
    kept, deleted, hidden = factories.ProgrammeFactory.create_batch(3, languages=[english])
    assert facet_counts(get_list(client), "language") == {"en": 3}
    deleted.delete()
    hidden.published = False
    hidden.save()
    response = get_list(client)
    assert facet_counts(response, "language") == {"en": 1}
    assert shown_slugs(response) == [kept.slug]


def test_a_university_moving_country_moves_its_programmes(client):
    university = factories.UniversityFactory(country="DE")
    factories.ProgrammeFactory(universities=[university])
    assert facet_counts(get_list(client), "country") == {"DE": 1}
    university.country = "AT"
    university.save()
    assert facet_counts(get_list(client), "country") == {"AT": 1}


def test_a_track_for_a_background_counts_at_once(client):
    programme = factories.ProgrammeFactory()
    assert facet_counts(get_list(client), "background") == {}
    factories.TrackFactory(programme=programme, background="computing")
    assert facet_counts(get_list(client), "background") == {"computing": 1}
    Track.objects.filter(programme=programme).delete()
    assert facet_counts(get_list(client), "background") == {}


def test_a_new_title_takes_its_place_in_the_order(client):
    for title in ("Bravo", "Charlie", "Delta"):
        factories.ProgrammeFactory(title=title, slug=title.lower())
    assert shown_slugs(get_list(client)) == ["bravo", "charlie", "delta"]
    delta = Programme.objects.get(slug="delta")
    delta.title = "Alpha"
    delta.save()
    factories.ProgrammeFactory(title="Echo", slug="echo")
    assert shown_slugs(get_list(client)) == ["delta", "bravo", "charlie", "echo"]
    assert shown_slugs(get_list(client, {"sort": "-title"})) == [
        "echo",
        "charlie",
        "bravo",
        "delta",
    ]


def test_after_a_save_a_process_reads_only_the_programme_saved(client, english):
    programmes = factories.ProgrammeFactory.create_batch(3, languages=[english])
    get_list(client)  # the index is read whole
    programmes[0].save()
    with CaptureQueriesContext(connection) as queries:
        get_list(client)
    read = [query["sql"] for query in queries if "programs_catalogchange" in query["sql"]]
    assert len(read) == 1
    # ...and not every programme again (the whole read takes every programme's facet keys).
    whole = [query["sql"] for query in queries if "facet_keys" in query["sql"]]
    assert whole == read


def test_a_bulk_write_makes_every_process_read_the_index_whole(client, english):
    factories.ProgrammeFactory(languages=[english])
    get_list(client)
    # A write that doesn't list its programmes (as the bulk imports and generate_catalog do):
    # the index can't know what changed, so it reads everything again.
    Programme.objects.update(level="bachelor")
    CatalogRevision.objects.bump(changed=EVERY_PROGRAMME)
    assert CatalogChange.objects.filter(programme_id=None).exists()
    with CaptureQueriesContext(connection) as queries:
        assert facet_counts(get_list(client), "level") == {"bachelor": 1}
    assert any("ORDER BY p.title, p.slug" in query["sql"] for query in queries)


def test_a_long_facet_shows_its_most_common_options_and_finds_the_others(client):
    universities = [
        factories.UniversityFactory(
            name=f"University of Place {letter.upper()}", slug=f"u-{letter}"
        )
        for letter in "abcdefghijkl"
    ]
    # u-a offers 12 programmes, u-b 11, ... u-l 1.
    for offered, university in enumerate(universities):
        for _ in range(12 - offered):
            factories.ProgrammeFactory(universities=[university])
    shown = facet_options(get_list(client), "university")
    assert sorted(shown) == [f"u-{letter}" for letter in "abcdefghij"]
    html = html_of(get_list(client))
    assert 'name="find_university"' in html
    assert "Find one of 12 by name" in html

    # Typing part of a name, without JavaScript: the form's GET finds the rarer ones too.
    response = get_list(client, {"find_university": "place L"})
    assert facet_options(response, "university") == {"u-l": ("University of Place L", 1, False)}
    # ...with the filters unfolded (a phone folds them), the text kept in its field.
    assert 'class="facet-panel" open' in html_of(response)
    assert 'name="find_university" value="place L"' in html_of(response)
    # A chosen option stays shown, whatever the most common ones are.
    chosen = facet_options(get_list(client, {"university": "u-k"}), "university")
    assert chosen["u-k"] == ("University of Place K", 2, True)
    # Nothing found says so.
    assert "None has that name." in html_of(get_list(client, {"find_university": "zzz"}))


def test_short_facets_show_every_option(client, english):
    factories.ProgrammeFactory(languages=[english])
    html = html_of(get_list(client))
    assert "find_language" not in html
    assert University.objects.count() == 0


# How a value is known travels with it into the index (programs/display/facet_provenance.py).


def test_a_deleted_programme_takes_its_inferences_with_it(client, catalog):
    assert facet_inferred(get_list(client), "level") == {"master": "1 inferred"}
    Programme.objects.get(slug="applied-ai-in-healthcare").delete()
    response = get_list(client)
    assert facet_counts(response, "level") == {"master": 3}
    assert facet_inferred(response, "level") == {"master": ""}
    assert "fh-salzburg" not in facet_inferred(response, "university")


def test_an_unpublished_programme_leaves_the_inferred_counts_too(client, catalog):
    programme = Programme.objects.get(slug="applied-ai-in-healthcare")
    programme.published = False
    programme.save()
    response = get_list(client)
    assert facet_inferred(response, "country") == {
        "DE": "1 inferred",
        "IT": "1 inferred",
        "SE": "1 inferred",
    }
    # ...and it no longer counts as a programme stating no language.
    assert facet_hint(response, "language") is None


def test_migration_0017_marks_the_inferences_of_documents_written_before_it(client, catalog):
    """Documents written before the facet keys said how each value is known count every value
    as stated; the migration writes them again, and every process reads its index afresh."""
    freeze = importlib.import_module("programs.migrations._0017_facet_keys")
    for document in ProgrammeSearchDocument.objects.all():
        lines = (document.facet_keys or "").split("\n")
        # As documents were: no mark, and no line for a column facet.
        document.facet_keys = "\n".join(
            line.replace(":inferred", "", 1)
            for line in lines
            if line.split("\t")[0].split(":")[0] not in ("level", "study_mode", "delivery", "start")
        )
        document.save()
    CatalogRevision.objects.bump(changed=EVERY_PROGRAMME)
    before = get_list(client)
    assert facet_inferred(before, "country")["AT"] == ""
    assert facet_inferred(before, "level") == {"master": ""}
    revision = CatalogRevision.objects.state()[1]

    freeze.refresh(apps, "default")

    assert CatalogRevision.objects.state()[1] == revision + 1
    after = get_list(client)
    assert facet_inferred(after, "country")["AT"] == "1 inferred"
    assert facet_inferred(after, "university")["fh-salzburg"] == "1 inferred"
    assert facet_inferred(after, "level") == {"master": "1 inferred"}
    assert facet_inferred(after, "background") == {
        "computing": "2 inferred",
        "life-sciences": "2 inferred",
    }
    # The frozen copy writes what the live code wrote then: the field of study's keys came
    # later (migration 0028 added the field, empty, so no document held one when it ran).

    def before_fields(keys):
        return "\n".join(line for line in keys.split("\n") if not line.startswith("field"))

    written = {d.programme_id: d.facet_keys for d in ProgrammeSearchDocument.objects.all()}
    live = {d.programme_id: before_fields(d.facet_keys) for d in search.documents(list(written))}
    assert written == live

"""The programme list's in-memory search (programs/search/word_index.py): it finds, and ranks,
exactly what the database's own text index finds, and follows every write at once."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from programs.finder.filters import ProgrammeFilter
from programs.models import Programme, ProgrammeSearchDocument
from programs.search import facet_index, word_index
from tests.support import factories
from tests.support.list_pages import get_list, shown_slugs

pytestmark = pytest.mark.django_db


def list_filter(text):
    return ProgrammeFilter({"q": text}, queryset=Programme.objects.published())


def list_order(text):
    """The ids the list shows for search `text`, best match first (from the in-memory index)."""
    return list(list_filter(text).ids_in_order())


def database_order(text):
    """The same search asked of the database's text index, ranked by the database."""
    found = Programme.objects.published().search(text).sorted_by("relevance")
    return list(found.values_list("pk", flat=True))


@pytest.fixture
def stored_words(catalog):
    """Every word the four programmes' search documents hold, sorted."""
    texts = ProgrammeSearchDocument.objects.values_list("title_text", "main_text", "more_text")
    return sorted({word for row in texts for text in row for word in text.split()})


# A search word: a stored word, or its start (as short as a letter), in any case; or any text.
def search_texts(stored_words):
    stored = st.sampled_from(stored_words)
    start = st.builds(lambda word, length: word[:length], stored, st.integers(1, 8))
    word = st.one_of(stored, start, st.sampled_from(["MSc", "ma", "AI", "m.sc.", "zzz"]))
    return st.one_of(
        st.lists(word, min_size=1, max_size=3).map(" ".join),
        st.text(max_size=12),
    )


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_list_finds_and_ranks_what_the_databases_text_index_does(stored_words, data):
    text = data.draw(search_texts(stored_words))
    # As the list's form reads it (blank, it searches nothing: the whole list shows).
    filterset = list_filter(text)
    assume(filterset.is_valid() and filterset.form.cleaned_data["q"])
    assert list_order(text) == database_order(filterset.form.cleaned_data["q"]), text


def test_a_broad_search_finds_every_programme_and_ranks_title_hits_first(catalog):
    # "health" starts a word of three titles, and a word somewhere in the fourth's text.
    slugs = dict(Programme.objects.values_list("pk", "slug"))
    found = [slugs[pk] for pk in list_order("health")]
    assert len(found) == Programme.objects.published().count() == 4
    assert found[-1] == "medical-data-science"


def test_an_edited_title_is_found_by_its_new_words_and_not_its_old_ones(client, catalog):
    get_list(client)  # the index is read whole
    programme = Programme.objects.get(slug="health-informatics")
    programme.title = "Clinical Bioinformatics"
    programme.save()
    assert shown_slugs(get_list(client, {"q": "bioinformatics"})) == ["health-informatics"]
    # A title hit now, so first.
    assert shown_slugs(get_list(client, {"q": "clinical"}))[0] == "health-informatics"
    # Changed again: the words of its second edit replace those of the first.
    programme.title = "Health Informatics"
    programme.save()
    assert shown_slugs(get_list(client, {"q": "bioinformatics"})) == []
    assert shown_slugs(get_list(client, {"q": "informatics"}))[0] == "health-informatics"
    assert list_order("clinical") == database_order("clinical")


def test_new_and_deleted_programmes_are_found_and_forgotten_at_once(client, catalog):
    get_list(client)
    added = factories.ProgrammeFactory(title="Veterinary Epidemiology", slug="veterinary")
    assert shown_slugs(get_list(client, {"q": "veterinary"})) == ["veterinary"]
    added.delete()
    assert shown_slugs(get_list(client, {"q": "veterinary"})) == []


def test_a_module_added_makes_its_programme_findable_by_the_modules_words(client, catalog):
    get_list(client)
    programme = Programme.objects.get(slug="medical-data-science")
    assert "medical-data-science" not in shown_slugs(get_list(client, {"q": "xenotransplant"}))
    factories.ModuleFactory(programme=programme, title="Xenotransplantation ethics")
    assert shown_slugs(get_list(client, {"q": "xenotransplant"})) == ["medical-data-science"]


def test_a_catch_up_keeps_the_big_index_and_reads_only_the_changed_programme(client, catalog):
    get_list(client)
    built = facet_index._current.words.built
    programme = Programme.objects.get(slug="medical-data-science")
    programme.summary = "Now about quasicrystals."
    programme.save()
    assert shown_slugs(get_list(client, {"q": "quasicrystals"})) == ["medical-data-science"]
    assert facet_index._current.words.built is built
    assert list(facet_index._current.words.changed_texts) == [programme.pk]


def test_past_the_changes_kept_the_index_is_read_whole_again(client, catalog, monkeypatch):
    monkeypatch.setattr(word_index, "CHANGES_KEPT", 1)
    get_list(client)
    built = facet_index._current.words.built
    first, second = Programme.objects.filter(slug__in=["health-informatics", "data-driven-health"])
    first.title, second.title = "Ornithology", "Oceanography"
    first.save()
    second.save()
    assert shown_slugs(get_list(client, {"q": "ornith"})) == [first.slug]
    assert shown_slugs(get_list(client, {"q": "oceanog"})) == [second.slug]
    assert facet_index._current.words.built is not built
    assert facet_index._current.words.changed_texts == {}

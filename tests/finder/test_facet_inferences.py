"""The list's facets tell inferred values from stated ones, and say what they leave uncounted.

On the real catalog (fixtures/): every programme's country is the catalog's inference from where
its universities are; Applied AI in Healthcare (FH Salzburg) has its university and its level
inferred from the page's address and states no teaching language; only Medical Data Science
(RWTH) states a start, study mode and delivery; the four tracks that serve a background (RWTH's
and UniSR's) have it inferred, and KTH and FH Salzburg name none.
"""

import pytest

from programs.models import FactSource, KeyFact, Programme
from tests.support import factories
from tests.support.list_pages import (
    facet_counts,
    facet_hint,
    facet_inferred,
    get_list,
    html_of,
    shown_slugs,
)

FH_SALZBURG = "applied-ai-in-healthcare"

# What a count and a facet's hint say in each of the site's languages.
WORDING = {
    "en": {
        "one inferred": "1 inferred",
        "two inferred": "2 inferred",
        "one unstated": "1 programme doesn\u2019t state this, so no option counts it.",
        "three unstated": "3 programmes don\u2019t state this, so no option counts them.",
        "two unstated": "2 programmes don\u2019t state this, so no option counts them.",
        "sort": "Values the catalog infers sort with the stated ones",
    },
    "de": {
        "one inferred": "davon 1 abgeleitet",
        "two inferred": "davon 2 abgeleitet",
        "one unstated": (
            "1 Studiengang gibt das nicht an und wird darum unter keiner Option gezählt."
        ),
        "three unstated": (
            "3 Studiengänge geben das nicht an und werden darum unter keiner Option gezählt."
        ),
        "two unstated": (
            "2 Studiengänge geben das nicht an und werden darum unter keiner Option gezählt."
        ),
        "sort": "Vom Katalog abgeleitete Werte werden zusammen mit den angegebenen sortiert",
    },
    "it": {
        "one inferred": "di cui 1 dedotto",
        "two inferred": "di cui 2 dedotti",
        "one unstated": "1 corso di studio non lo indica, quindi nessuna opzione lo conta.",
        "three unstated": "3 corsi di studio non lo indicano, quindi nessuna opzione li conta.",
        "two unstated": "2 corsi di studio non lo indicano, quindi nessuna opzione li conta.",
        "sort": "I valori dedotti dal catalogo sono ordinati insieme a quelli indicati",
    },
    "sv": {
        "one inferred": "varav 1 härledd",
        "two inferred": "varav 2 härledda",
        "one unstated": (
            "1 program anger inte detta och räknas därför inte under något alternativ."
        ),
        "three unstated": (
            "3 program anger inte detta och räknas därför inte under något alternativ."
        ),
        "two unstated": (
            "2 program anger inte detta och räknas därför inte under något alternativ."
        ),
        "sort": "Värden som katalogen härleder sorteras tillsammans med de angivna",
    },
}
LANGUAGES = list(WORDING)


def list_in(client, language, params=None):
    """The list page in `language` (English at its own address, the others under /xx/)."""
    path = "/programmes/" if language == "en" else f"/{language}/programmes/"
    response = client.get(path, params or {}, follow=True)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_country_is_counted_as_inferred(client, catalog, language):
    response = list_in(client, language)
    # Both Italian universities offer one programme: counted once, and inferred once.
    assert facet_counts(response, "country") == {"AT": 1, "DE": 1, "IT": 1, "SE": 1}
    one = WORDING[language]["one inferred"]
    assert facet_inferred(response, "country") == {"AT": one, "DE": one, "IT": one, "SE": one}


@pytest.mark.parametrize("language", LANGUAGES)
def test_country_at_shows_its_count_as_inferred(client, catalog, language):
    response = list_in(client, language, {"country": "AT"})
    assert shown_slugs(response) == [FH_SALZBURG]
    assert facet_counts(response, "country")["AT"] == 1
    assert facet_inferred(response, "country")["AT"] == WORDING[language]["one inferred"]
    # Among FH Salzburg's programme alone, its level is an inference too, and no language is
    # stated.
    assert facet_inferred(response, "level") == {"master": WORDING[language]["one inferred"]}
    assert facet_hint(response, "language") == WORDING[language]["one unstated"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_fh_salzburg_is_marked_in_the_university_facet_and_the_others_are_not(
    client, catalog, language
):
    inferred = facet_inferred(list_in(client, language), "university")
    assert inferred.pop("fh-salzburg") == WORDING[language]["one inferred"]
    # RWTH, KTH, UniSR and POLIMI are named by their own texts.
    assert inferred == {"rwth-aachen": "", "kth": "", "unisr": "", "polimi": ""}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_master_count_shows_its_inferred_part(client, catalog, language):
    response = list_in(client, language)
    assert facet_counts(response, "level") == {"master": 4}
    assert facet_inferred(response, "level") == {"master": WORDING[language]["one inferred"]}
    # Every programme states or infers a level: nothing is left uncounted.
    assert facet_hint(response, "level") is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_facet_says_a_programme_states_no_language(client, catalog, language):
    response = list_in(client, language)
    assert facet_counts(response, "language") == {"de": 1, "en": 3}
    assert facet_inferred(response, "language") == {"de": "", "en": ""}
    assert facet_hint(response, "language") == WORDING[language]["one unstated"]
    # The fieldset names the hint, so a screen reader reads it with the options.
    assert 'aria-describedby="language-hint"' in html_of(response)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("facet", ["start", "study_mode", "delivery"])
def test_start_study_mode_and_delivery_say_three_programmes_state_none(
    client, catalog, language, facet
):
    response = list_in(client, language)
    assert sum(facet_counts(response, facet).values()) == 1  # RWTH's
    assert facet_hint(response, facet) == WORDING[language]["three unstated"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_background_facet_counts_its_inferences_and_what_it_leaves_out(
    client, catalog, language
):
    response = list_in(client, language)
    assert facet_counts(response, "background") == {"computing": 2, "life-sciences": 2}
    two = WORDING[language]["two inferred"]
    assert facet_inferred(response, "background") == {"computing": two, "life-sciences": two}
    # Its hint still says it rests on inferred data, and now that KTH and FH Salzburg name
    # no background for any track.
    assert facet_hint(response, "background").endswith(WORDING[language]["two unstated"])


def test_a_chosen_facet_counts_the_programmes_it_leaves_out_for_an_unstated_value(client, catalog):
    # Choosing German leaves out FH Salzburg's programme for stating no language: the facet
    # still says so, as the ECTS bounds say what they leave out.
    response = get_list(client, {"language": "de"})
    assert shown_slugs(response) == ["medical-data-science"]
    assert facet_hint(response, "language") == WORDING["en"]["one unstated"]


def test_a_facet_no_programme_states_still_says_so(client, catalog):
    # KTH's programme states no start: the facet has no option to show, and says why.
    response = get_list(client, {"university": "kth"})
    assert facet_counts(response, "start") == {}
    assert facet_hint(response, "start") == WORDING["en"]["one unstated"]
    assert '<fieldset class="facet" aria-describedby="start-hint">' in html_of(response)


def test_an_inference_recorded_in_the_admin_counts_at_once(client, catalog):
    """A fact source written on its own (the admin's inline) rebuilds the facet keys."""
    kth = Programme.objects.get(slug="data-driven-health")
    source = FactSource.objects.get(programme=kth, fact=KeyFact.LEVEL)
    source.inferred_because = "The text says only 'MSc', which is taken as a master's."
    source.save()
    response = get_list(client)
    assert facet_inferred(response, "level") == {"master": "2 inferred"}
    source.delete()  # KTH's level now has no recorded source: not an inference either
    assert facet_inferred(get_list(client), "level") == {"master": "1 inferred"}


def test_a_value_held_both_stated_and_inferred_counts_as_stated(client, db):
    programme = factories.ProgrammeFactory()
    factories.TrackFactory(programme=programme, background="computing", inferred_because="Why.")
    assert facet_inferred(get_list(client), "background") == {"computing": "1 inferred"}
    factories.TrackFactory(
        programme=programme, background="computing", source_quote="For CS.", inferred_because=None
    )
    assert facet_counts(get_list(client), "background") == {"computing": 1}
    assert facet_inferred(get_list(client), "background") == {"computing": ""}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("sort", ["duration", "-duration", "ects", "-ects"])
def test_sorting_by_a_fact_says_how_inferred_and_unstated_values_sort(
    client, catalog, language, sort
):
    html = html_of(list_in(client, language, {"sort": sort}))
    assert WORDING[language]["sort"] in html
    assert 'aria-describedby="sort-hint"' in html
    # Every programme has a title, none sorted last: the title sorts have no such note.
    assert WORDING[language]["sort"] not in html_of(list_in(client, language, {"sort": "-title"}))

"""Issue 28, the pages people read: a value the programme's page marks inferred is marked on every
page that shows it (the list's cards, a shortlist, the <title>, the compare table, the
university pages, the module search), in all four languages; an unstated one never has a value;
and what the source only counts, places without saying so or calls a course is not read as
more than it says.

The fixtures hold the audit's data as another branch records it; the few rows these tests need
(an inferred title, an inferred "two years", a track placed by inference, the alternative courses,
a university's location source) are written by the tests themselves.
"""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from programs.display.facts import key_facts
from programs.models import FactSource, KeyFact, Programme, Track, TrackKind, University

# The site's languages, by the prefix of their addresses, and the mark each writes.
MARKS = {"": "(inferred)", "/de": "(erschlossen)", "/it": "(dedotto)", "/sv": "(härledd)"}
PREFIXES = list(MARKS)
SITE_NAMES = {
    "": "Curriculum catalog",
    "/de": "Studiengangskatalog",
    "/it": "Catalogo dei corsi di laurea",
    "/sv": "Utbildningskatalogen",
}
FOUR = [
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
    "medical-data-science",
]

TITLE_REASON = (
    "The text never names the programme: its title is from the address of the page it was "
    "copied from (applied-ai-in-healthcare-joint-master)."
)
TWO_YEARS_REASON = "The source says two years; the catalog counts them as four semesters."
PLACEMENT_REASON = "The text says participants begin with a starting track: the first semester."
KTH_LOCATION = "The text: 'offered at the KTH Flemingsberg campus in Stockholm'."


def language_of(prefix):
    return prefix.strip("/") or "en"


def get(client, prefix, path, data=None):
    response = client.get(prefix + path, data)
    assert response.status_code == 200, prefix + path
    return response.content.decode()


def text(fragment):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def visible(fragment):
    """The text a sighted reader sees: without what is there for screen readers only."""
    return text(re.sub(r'<span class="visually-hidden">.*?</span>', "", fragment, flags=re.S))


def hidden(fragment):
    """What is there for screen readers only (the reason beside a mark)."""
    return " ".join(
        text(span)
        for span in re.findall(r'<span class="visually-hidden">(.*?)</span>', fragment, re.S)
    )


@pytest.fixture
def audited(catalog):
    """The catalog with the audit's provenance: FH Salzburg's title inferred from the page's
    address, KTH's and UniSR's "two years" counted as 4 semesters by inference, RWTH's
    starting tracks placed in semester 1 by inference, UniSR's alternative courses recorded as
    such, and where KTH's country and city come from."""
    fh_salzburg = Programme.objects.get(slug="applied-ai-in-healthcare")
    FactSource.objects.create(
        programme=fh_salzburg, fact=KeyFact.TITLE, inferred_because=TITLE_REASON
    )
    FactSource.objects.filter(
        programme__slug__in=["data-driven-health", "health-informatics"], fact=KeyFact.DURATION
    ).update(inferred_because=TWO_YEARS_REASON)
    Track.objects.filter(programme__slug="medical-data-science", kind=TrackKind.STARTING).update(
        placement_inferred_because=PLACEMENT_REASON
    )
    Track.objects.filter(programme__slug="health-informatics").update(
        kind=TrackKind.ALTERNATIVE_COURSE
    )
    University.objects.filter(slug="kth").update(location_source=KTH_LOCATION)


# --- the list's cards ------------------------------------------------------------------------


def card_of(html, slug):
    match = re.search(
        rf'<article aria-labelledby="programme-{slug}">(.*?)</article>', html, flags=re.S
    )
    assert match, f"no card for {slug}"
    return match.group(1)


def card_facts(card):
    """{fact key: its <dd>} of a card (or a shortlist entry)."""
    return dict(
        re.findall(r'<div data-fact="([a-z_]+)"><dt>[^<]*</dt><dd>(.*?)</dd></div>', card, re.S)
    )


@pytest.mark.parametrize("prefix", PREFIXES)
def test_fh_salzburgs_card_marks_its_inferred_title_institution_and_duration(
    client, audited, prefix
):
    mark = MARKS[prefix]
    card = card_of(get(client, prefix, "/programmes/"), "applied-ai-in-healthcare")
    heading = re.search(r"<h3 [^>]*>(.*?)</h3>", card, re.S).group(1)
    assert visible(heading) == f"Applied AI in Healthcare {mark}"
    universities = re.search(r'<p class="card-universities">(.*?)</p>', card, re.S).group(1)
    assert visible(universities) == f"Salzburg University of Applied Sciences {mark}"
    assert visible(card_facts(card)["duration"]).endswith(mark)
    # Its reason for a screen reader, which reads the mark and what it is about.
    if not prefix:
        assert "its title is from the address of the page" in hidden(heading)
        assert "the page it was copied from is on FH Salzburg's website" in hidden(universities)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_two_years_counted_as_four_semesters_is_marked_on_the_card(client, audited, prefix):
    html = get(client, prefix, "/programmes/")
    for slug in ("data-driven-health", "health-informatics"):
        duration = visible(card_facts(card_of(html, slug))["duration"])
        assert duration.startswith("4 ")
        assert duration.endswith(MARKS[prefix]), slug
    # RWTH states its 4 semesters: nothing on its card is inferred.
    assert MARKS[prefix] not in visible(card_of(html, "medical-data-science"))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_card_says_when_the_source_puts_a_programme_under_approval(client, audited, prefix):
    html = get(client, prefix, "/programmes/")
    approval = card_facts(card_of(html, "health-informatics"))["approval_status"]
    assert visible(approval) == "under ministerial approval"
    # The others state no approval status: their cards have no room for a "not stated" one.
    assert "approval_status" not in card_facts(card_of(html, "medical-data-science"))


def expected_card(programme, language):
    """{fact key: (inferred?, stated?)} of the facts a card shows, from the programme page's
    own key facts in `language`."""
    with translation.override(language):
        facts = {fact.key: fact for fact in key_facts(programme)}
    keys = [
        "degree",
        "ects",
        "duration",
        "languages",
        "study_mode",
        "tuition_fees",
        "application_deadlines",
        "delivery",
    ]
    if facts["approval_status"].stated:
        keys.append("approval_status")
    return {key: (facts[key].inferred, facts[key].stated) for key in keys}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_fact_on_the_four_cards_is_shown_as_the_programme_page_knows_it(
    client, audited, prefix
):
    """Walks every fact of every card: an inferred one carries the mark (and its reason for
    screen readers), a stated one none, an unstated one reads "not stated" and has no value."""
    html = get(client, prefix, "/programmes/")
    language = language_of(prefix)
    with translation.override(language):
        not_stated = translation.gettext("not stated")
    for slug in FOUR:
        programme = Programme.objects.with_listing_data().get(slug=slug)
        shown = card_facts(card_of(html, slug))
        expected = expected_card(programme, language)
        assert list(shown) == list(expected), slug
        for key, (inferred, stated) in expected.items():
            value = visible(shown[key])
            assert value.endswith(MARKS[prefix]) == inferred, (slug, key, value)
            assert bool(hidden(shown[key])) == inferred, (slug, key)
            assert (value == not_stated) == (not stated), (slug, key, value)


# --- a shortlist -----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_shortlist_entry_marks_its_country_and_an_inferred_duration(client, audited, prefix):
    for slug in ("medical-data-science", "data-driven-health"):
        client.post(reverse("programs:shortlist-add"), {"programme": slug})
    html = get(client, prefix, "/shortlist/")
    entries = re.findall(r'<li class="shortlist-entry".*?</dl>', html, re.S)
    assert len(entries) == 2
    rwth, kth = (card_facts(entry) for entry in entries)
    mark = MARKS[prefix]
    # No source text names a country: it is always the catalog's inference.
    assert visible(rwth["country"]).endswith(mark)
    assert visible(kth["country"]).endswith(mark)
    assert not visible(rwth["duration"]).endswith(mark)
    assert visible(kth["duration"]).endswith(mark)


# --- the module search ---------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_module_search_marks_an_inferred_title_and_universities(client, audited, prefix):
    html = get(client, prefix, "/modules/")
    (group,) = [
        group
        for group in re.findall(r'<section class="module-programme">(.*?)<ul', html, re.S)
        if "/programmes/applied-ai-in-healthcare/" in group
    ]
    heading, universities = re.findall(r"<(?:h2|p class=\"fact-note\")>(.*?)</(?:h2|p)>", group)
    assert visible(heading) == f"Applied AI in Healthcare {MARKS[prefix]}"
    assert visible(universities) == f"Salzburg University of Applied Sciences {MARKS[prefix]}"

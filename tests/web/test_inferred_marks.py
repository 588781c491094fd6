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

from programs.display.facts import compared_facts, key_facts
from programs.models import FactSource, KeyFact, ModuleKind, Programme, Track, TrackKind, University
from tests.support import factories

# The site's languages, by the prefix of their addresses, and the mark each writes.
MARKS = {"": "(inferred)", "/de": "(abgeleitet)", "/it": "(dedotto)", "/sv": "(härledd)"}
PREFIXES = list(MARKS)
SITE_NAMES = {
    "": "Curriculum catalog",
    "/de": "Studiengangskatalog",
    "/it": "Catalogo dei corsi di studio",
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
    FactSource.objects.update_or_create(
        programme=fh_salzburg, fact=KeyFact.TITLE, defaults={"inferred_because": TITLE_REASON}
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
    # RWTH states its 4 semesters: nothing else on its card is inferred (no source names a
    # field of study, so each card's field is: test_every_fact_on_the_four_cards…).
    rwth = card_facts(card_of(html, "medical-data-science"))
    assert not any(
        MARKS[prefix] in visible(value) for key, value in rwth.items() if key != "field_of_study"
    )


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
    keys = ["field_of_study", "degree", "ects", "duration", "languages", "study_mode"]
    # Seldom stated, so shown only when they are (issue 30: two "not stated" lines a card).
    keys += [key for key in ("tuition_fees", "application_deadlines") if facts[key].stated]
    keys.append("delivery")
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


# --- the programme's page: <title>, description, heading, roles ------------------------------


def head_of(html):
    return html[: html.index("</head>")]


def meta(html, attribute, name):
    return unescape(re.search(rf'<meta {attribute}="{name}" content="([^"]*)">', html).group(1))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_title_of_a_page_marks_an_inferred_title_and_its_universities(client, audited, prefix):
    mark = MARKS[prefix]
    head = head_of(get(client, prefix, "/programmes/applied-ai-in-healthcare/"))
    title = unescape(re.search(r"<title>(.*?)</title>", head, re.S).group(1).strip())
    assert title == (
        f"Applied AI in Healthcare {mark} · Salzburg University of Applied Sciences {mark}"
        f" · {SITE_NAMES[prefix]}"
    )
    assert meta(head, "property", "og:title") == f"Applied AI in Healthcare {mark}"
    rwth = head_of(get(client, prefix, "/programmes/medical-data-science/"))
    assert mark not in unescape(re.search(r"<title>(.*?)</title>", rwth, re.S).group(1))


# Words of each language that promise admission requirements or careers.
PROMISES = {
    "": ("admission", "career"),
    "/de": ("Zulassung", "Beruf"),
    "/it": ("ammissione", "sbocchi"),
    "/sv": ("antagning", "behörighet", "karriär"),
}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_description_promises_only_what_the_page_holds(client, audited, prefix):
    """FH Salzburg's text has a study plan and focus areas, no admission and no careers."""
    description = meta(
        head_of(get(client, prefix, "/programmes/applied-ai-in-healthcare/")), "name", "description"
    )
    assert description.startswith(f"Applied AI in Healthcare {MARKS[prefix]}: ")
    for word in PROMISES[prefix]:
        assert word.lower() not in description.lower()
    with translation.override(language_of(prefix)):
        for part in ("key facts", "study plan", "modules"):
            assert translation.gettext(part) in description


@pytest.mark.parametrize("prefix", PREFIXES)
def test_an_inferred_title_is_explained_under_the_heading(client, audited, prefix):
    html = get(client, prefix, "/programmes/applied-ai-in-healthcare/")
    header = html.split("<h1", 1)[1].split('<p class="official-page">')[0]
    with translation.override(language_of(prefix)):
        assert translation.gettext("Inferred:") in text(header)
    assert "its title is from the address of the page" in text(header)
    stated = get(client, prefix, "/programmes/medical-data-science/")
    assert "title-provenance" not in stated


def offered_by(html):
    match = re.search(r'<ul class="fact-universities">(.*?)</ul>', html, re.S)
    return text(match.group(1))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_offering_the_programme_alone_is_marked_as_inferred_as_the_joint_degree_is(
    client, audited, prefix
):
    """RWTH and KTH name no partner: "alone" is the catalog's conclusion, as "Joint degree: No"
    is."""
    mark = MARKS[prefix]
    for slug, university in [
        ("medical-data-science", "RWTH Aachen University"),
        ("data-driven-health", "KTH Royal Institute of Technology"),
    ]:
        value = offered_by(get(client, prefix, f"/programmes/{slug}/"))
        assert value.startswith(university)
        assert value.endswith(f") {mark}"), value
    # UniSR's text states the joint degree: its partners' role is stated too.
    assert mark not in offered_by(get(client, prefix, "/programmes/health-informatics/"))


# --- tracks and alternative courses ----------------------------------------------------------


def section(html, anchor):
    return re.search(rf'<section id="{anchor}".*?</section>', html, re.S).group(0)


def track_item(html, name):
    for item in re.findall(r'<li class="track">.*?</li>', section(html, "tracks"), re.S):
        if f">{name}</h3>" in item:
            return item
    raise AssertionError(f"no track {name!r}")


def when_of(item, label):
    """The "When" of a track: (its value, how it is known) as groups 1 and 2."""
    return re.search(
        rf'<div class="fact[^"]*"><dt>{label}</dt><dd>(.*?)</dd>(.*?)</div>', item, re.S
    )


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_track_placed_by_inference_is_marked_with_its_reason(client, audited, prefix):
    html = get(client, prefix, "/programmes/medical-data-science/")
    with translation.override(language_of(prefix)):
        semester_1 = translation.gettext("Semester %(number)s") % {"number": 1}
        semester_3 = translation.gettext("Semester %(number)s") % {"number": 3}
        inferred = translation.gettext("Inferred:")
        when = translation.gettext("When")
    for name in ("Medical Aspects", "Computer Science Aspects"):
        placed = when_of(track_item(html, name), when)
        assert text(placed.group(1)) == f"{semester_1} {MARKS[prefix]}"
        assert text(placed.group(2)) == f"{inferred} {PLACEMENT_REASON}"
    # The specialisation tracks' third semester is stated.
    placed = when_of(track_item(html, "Data Analytics"), when)
    assert text(placed.group(1)) == semester_3
    assert text(placed.group(2)) == ""


HEADINGS = {
    "": ("Alternative courses", "Tracks and alternative courses", "Tracks"),
    "/de": ("Alternative Module", "Studienrichtungen und alternative Module", "Studienrichtungen"),
    "/it": ("Insegnamenti alternativi", "Percorsi e insegnamenti alternativi", "Percorsi"),
    "/sv": ("Alternativa kurser", "Inriktningar och alternativa kurser", "Inriktningar"),
}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_unisrs_alternative_courses_are_not_called_tracks(client, audited, prefix):
    """The source says "two alternative courses"; the word "track" is not in it."""
    alternatives, mixed, tracks = HEADINGS[prefix]
    html = get(client, prefix, "/programmes/health-informatics/")
    heading = re.search(r'<h2 id="tracks-heading">(.*?)</h2>', html).group(1)
    assert heading == alternatives
    assert f'<a href="#tracks">{alternatives}</a>' in html
    with translation.override(language_of(prefix)):
        starting_track = translation.gettext("Starting track")
    assert starting_track not in text(section(html, "tracks"))
    # A programme with both says both; one with tracks only keeps its heading.
    programme = factories.ProgrammeFactory(slug="both")
    factories.TrackFactory(programme=programme, kind=TrackKind.SPECIALISATION)
    factories.TrackFactory(programme=programme, kind=TrackKind.ALTERNATIVE_COURSE)
    both = get(client, prefix, "/programmes/both/")
    assert re.search(r'<h2 id="tracks-heading">(.*?)</h2>', both).group(1) == mixed
    rwth = get(client, prefix, "/programmes/medical-data-science/")
    assert re.search(r'<h2 id="tracks-heading">(.*?)</h2>', rwth).group(1) == tracks


# --- the study plan: what the source counts without naming -----------------------------------


def counts_of(html):
    return [text(count) for count in re.findall(r'<p class="semester-count">(.*?)</p>', html)]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_rwths_second_semester_counts_three_modules_it_does_not_name(client, audited, prefix):
    """Only the internship is named there, which the source adds to the three."""
    html = get(client, prefix, "/programmes/medical-data-science/")
    with translation.override(language_of(prefix)):
        unnamed = [
            translation.ngettext(
                "The source counts %(counter)s module in this semester without naming it.",
                "The source counts %(counter)s modules in this semester without naming them.",
                count,
            )
            % {"counter": count}
            for count in (4, 3, 4)
        ]
        all_listed = translation.gettext(
            "All modules are listed by semester in the study plan above."
        )
    assert counts_of(html) == unnamed
    # Its eleven taught modules are unnamed: the plan does not list "all modules".
    assert all_listed not in text(section(html, "modules"))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_all_modules_are_said_to_be_listed_only_when_they_are(client, db, prefix):
    programme = factories.ProgrammeFactory(slug="counted", duration_semesters=2)
    factories.SemesterFactory(programme=programme, number=1, module_count=2)
    factories.SemesterFactory(programme=programme, number=2, module_count=3)
    for title in ("A", "B"):
        factories.ModuleFactory(programme=programme, semester=1, title=title)
    factories.ModuleFactory(programme=programme, semester=2, title="C")
    factories.ModuleFactory(programme=programme, semester=2, kind=ModuleKind.THESIS)
    with translation.override(language_of(prefix)):
        all_named = translation.ngettext(
            "The source counts %(counter)s module in this semester.",
            "The source counts %(counter)s modules in this semester.",
            2,
        ) % {"counter": 2}
        some_named = translation.gettext(
            "The source counts %(counted)s modules in this semester and names %(named)s of them."
        ) % {"counted": 3, "named": 1}
        all_listed = translation.gettext(
            "All modules are listed by semester in the study plan above."
        )
    html = get(client, prefix, "/programmes/counted/")
    assert counts_of(html) == [all_named, some_named]
    assert all_listed not in text(section(html, "modules"))
    factories.ModuleFactory(programme=programme, semester=2, title="D")
    factories.ModuleFactory(programme=programme, semester=2, title="E")
    html = get(client, prefix, "/programmes/counted/")
    assert all_listed in text(section(html, "modules"))


# --- the university pages --------------------------------------------------------------------


def fact_of(html, label):
    match = re.search(rf"<dt>{re.escape(label)}</dt>(.*?)</div>", html, re.S)
    assert match, label
    return match.group(1)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_universitys_country_and_city_say_where_they_come_from(client, audited, prefix):
    html = get(client, prefix, "/universities/kth/")
    with translation.override(language_of(prefix)):
        country, city = translation.gettext("Country"), translation.gettext("City")
        inferred = translation.gettext("Inferred:")
    for label in (country, city):
        assert text(fact_of(html, label)).endswith(f"{inferred} {KTH_LOCATION}")
    listing = get(client, prefix, "/universities/")
    row = re.search(
        r'<tr>\s*<th scope="row"><a href="[^"]*/universities/kth/">.*?</tr>', listing, re.S
    )
    location = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)[0]
    assert visible(location).count(MARKS[prefix]) == 2  # the country and the city
    assert KTH_LOCATION in hidden(location)


def programme_entry(html, slug):
    match = re.search(rf'<li>\s*<a href="[^"]*/programmes/{slug}/".*?</li>', html, re.S)
    assert match, slug
    return match.group(0)


def link_mark(entry):
    """What follows a programme's link on a university page, before its facts."""
    return entry.split("</a>", 1)[1].split('<span class="fact-note">')[0]


def facts_note(entry):
    """A programme's facts on a university page, as read: role, degree, ECTS, languages, ..."""
    return visible(entry.split('<span class="fact-note">')[1]).split(" · ")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_universitys_programmes_carry_their_marks_and_approval(client, audited, prefix):
    mark = MARKS[prefix]
    fh_salzburg = programme_entry(
        get(client, prefix, "/universities/fh-salzburg/"), "applied-ai-in-healthcare"
    )
    # Its title and that FH Salzburg offers it are both the catalog's inference.
    assert visible(link_mark(fh_salzburg)) == mark
    if not prefix:
        assert "its title is from the address of the page" in hidden(link_mark(fh_salzburg))
        assert "is on FH Salzburg's website" in hidden(link_mark(fh_salzburg))
    assert facts_note(fh_salzburg)[0].endswith(mark)  # the joint degree partner's role
    rwth = programme_entry(
        get(client, prefix, "/universities/rwth-aachen/"), "medical-data-science"
    )
    assert facts_note(rwth)[0].endswith(mark)  # "offers the programme alone"
    assert visible(link_mark(rwth)) == ""
    unisr = programme_entry(get(client, prefix, "/universities/unisr/"), "health-informatics")
    assert facts_note(unisr)[-1].endswith("under ministerial approval")
    assert mark not in visible(unisr)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_inferred_credits_degree_and_languages_are_marked_on_the_university_page(
    client, audited, prefix
):
    kth = Programme.objects.get(slug="data-driven-health")
    FactSource.objects.filter(
        programme=kth, fact__in=[KeyFact.ECTS, KeyFact.DEGREE, KeyFact.LANGUAGES]
    ).update(inferred_because="Made up for a test: taken as inferred.")
    entry = programme_entry(get(client, prefix, "/universities/kth/"), "data-driven-health")
    _role, degree, ects, languages = facts_note(entry)
    mark = MARKS[prefix]
    with translation.override(language_of(prefix)):
        credits = translation.gettext("%(ects)s ECTS") % {"ects": 120}
    assert degree == f"Master of Science {mark}"
    assert ects == f"{credits} {mark}"
    assert languages.endswith(mark)


# --- the compare table -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_compared_fact_of_the_four_programmes_carries_its_provenance(client, audited, prefix):
    """Walks every cell: an inferred value is marked beside it (its reason below it), a stated
    one is not, an unstated one reads "not stated"."""
    html = get(client, prefix, "/compare/", {"p": FOUR})
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = [
        re.findall(r"<td>(.*?)</td>", row, re.S)
        for row in re.findall(r"<tr class=\"\w+\">(.*?)</tr>", body, re.S)
    ]
    language = language_of(prefix)
    with translation.override(language):
        not_stated = translation.gettext("not stated")
    programmes = {p.slug: p for p in Programme.objects.filter(slug__in=FOUR).with_compare_data()}
    mark = MARKS[prefix]
    for column, slug in enumerate(FOUR):
        with translation.override(language):
            facts = compared_facts(programmes[slug])
        assert len(facts) == len(rows)
        for fact, cells in zip(facts, rows, strict=True):
            value = re.sub(r'<p class="provenance-[a-z]+">.*?</p>', "", cells[column], flags=re.S)
            value = text(
                re.sub(r'<details class="provenance">.*?</details>', "", value, flags=re.S)
            )
            # Who offers it is marked also when only a university's role is inferred.
            inferred = fact.inferred or any(u.role_inferred for u in fact.universities)
            assert value.endswith(mark) == inferred, (slug, fact.key, value)
            assert (value == not_stated) == (not fact.stated), (slug, fact.key, value)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_stated_and_an_inferred_four_semesters_differ_in_the_comparison(client, audited, prefix):
    html = get(client, prefix, "/compare/", {"p": ["medical-data-science", "data-driven-health"]})
    with translation.override(language_of(prefix)):
        label = translation.gettext("Standard period of study")
    (row,) = [
        (css, cells)
        for css, cells in re.findall(r'<tr class="(\w+)">(.*?)</tr>', html, re.S)
        if f'<th scope="row">{label}' in cells
    ]
    assert row[0] == "differs"
    rwth, kth = re.findall(r"<td>(.*?)</td>", row[1], re.S)
    assert MARKS[prefix] not in text(rwth)
    assert MARKS[prefix] in text(kth)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_compare_heading_marks_an_inferred_title(client, audited, prefix):
    html = get(
        client, prefix, "/compare/", {"p": ["applied-ai-in-healthcare", "medical-data-science"]}
    )
    headings = [
        visible(heading.split("<form")[0])
        for heading in re.findall(r'<th scope="col">(.*?)</th>', html, re.S)
    ]
    assert headings == [f"Applied AI in Healthcare {MARKS[prefix]}", "Medical Data Science"]


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

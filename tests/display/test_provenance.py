"""Every fact shows where it comes from: the source's words one click away, or "inferred" with
the reason; the audit's defects (items 1 and 3-8) are fixed on the pages students read."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import FactSource, KeyFact, Module, Programme, Track
from tests.support import factories
from tests.support.admin_pages import add_row, change_url, errors_of, form_data, row_index
from tests.support.list_pages import get_list, shown_slugs
from tests.support.proposal_flow import publish_after_review

FIXTURE_SLUGS = [
    "medical-data-science",
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
]


def detail(client, slug):
    response = client.get(reverse("programs:programme-detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response.content.decode()


def text(fragment):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def fact_block(html, label):
    """The whole <div class="fact"> of the key fact labelled `label`: value and provenance."""
    match = re.search(
        rf'<div class="fact[^"]*">\s*<dt>{re.escape(label)}</dt>(.*?)</div>', html, re.DOTALL
    )
    assert match, f"no fact labelled {label!r}"
    return match.group(1)


def last_checked(html):
    """The text of the source section's "Last checked against the source" value."""
    value = re.search(r"<dt>Last checked against the source</dt><dd>(.*?)</dd>", html).group(1)
    return unescape(re.sub(r"<[^>]+>", "", value))


def section(html, anchor):
    match = re.search(rf'<section id="{anchor}".*?</section>', html, re.DOTALL)
    assert match, anchor
    return match.group(0)


def item_of(html, anchor, name):
    """The <li> in a section whose heading or text starts with `name`."""
    for item in re.findall(
        r"<li(?: class=\"[a-z-]+\")?>.*?</li>", section(html, anchor), re.DOTALL
    ):
        if name in item:
            return item
    raise AssertionError(f"{name!r} not found in #{anchor}")


# --- the quote, one click away --------------------------------------------------------------


def test_a_stated_facts_quote_is_one_click_away_in_a_details_element(client, catalog):
    block = fact_block(detail(client, "medical-data-science"), "ECTS credits")
    details = re.search(r'<details class="provenance">(.*?)</details>', block, re.DOTALL)
    assert details, "no <details> with the source quote"
    # The summary is what a screen reader announces: it names the fact it belongs to.
    assert text(re.search(r"<summary>(.*?)</summary>", details.group(1)).group(1)) == (
        "Source quote for ECTS credits"
    )
    assert "<blockquote" in details.group(1)
    assert "ECTS Credits: 90" in text(details.group(1))
    assert "Inferred" not in text(block)


def test_a_quote_from_two_places_of_the_source_shows_both_passages(client, catalog):
    html = detail(client, "medical-data-science")
    quote = re.search(
        r"<blockquote[^>]*>(.*?)</blockquote>", fact_block(html, "Study mode"), re.DOTALL
    ).group(1)
    assert quote.count("<p>") == 2
    assert "further education students or those employed part-time" in text(quote)
    assert "design their part-time studies" in text(quote)


def test_parts_show_their_quote_too(client, catalog):
    html = detail(client, "health-informatics")
    career = item_of(html, "careers", "Project Managers")
    assert '<details class="provenance">' in career
    module = item_of(html, "modules", "Thesis project")
    assert "participation in laboratories up to the thesis project" in text(module)


@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_nothing_on_the_four_pages_is_shown_without_its_provenance(client, catalog, slug):
    html = detail(client, slug)
    assert "Source not recorded" not in html
    stated = re.findall(r'<div class="fact[^"]*">\s*<dt>(.*?)</dt>\s*<dd>(.*?)</dd>', html)
    for label, value in stated:
        if "not stated" in text(value) or label in {"Document", "Public page", "Transcribed on"}:
            continue
        if label in {"Kind", "When", "For students from", "Last checked against the source"}:
            continue  # a track's own facts, carried by the track's provenance below it
        block = fact_block(html, label)
        assert "Source quote" in block or "Inferred:" in block, label


def test_a_fact_with_no_recorded_source_says_so(client, db):
    factories.ProgrammeFactory(slug="new", degree="Master of Science")
    assert "Source not recorded" in fact_block(detail(client, "new"), "Degree awarded")


def test_compare_shows_each_facts_quote_and_marks_inferences(client, catalog):
    url = reverse("programs:compare")
    html = client.get(url, {"p": ["medical-data-science", "applied-ai-in-healthcare"]})
    html = html.content.decode()
    (row,) = [
        r for r in re.findall(r"<tr class.*?</tr>", html, re.DOTALL) if "Standard period" in r
    ]
    rwth, salzburg = re.findall(r"<td>(.*?)</td>", row, re.DOTALL)
    assert "Standard Period of Studies: 4 semesters" in text(rwth)
    assert "<summary>Source quote" in rwth
    assert "Inferred:" in text(salzburg)
    assert "calls the 4th 'the final semester'" in text(salzburg)


# --- audit item 1: inferences are marked, with their reason ---------------------------------


def test_fh_salzburgs_duration_is_marked_inferred_with_the_reason(client, catalog):
    block = text(fact_block(detail(client, "applied-ai-in-healthcare"), "Standard period of study"))
    assert block.startswith("4 semesters Inferred:")
    assert "the text never states the period itself" in block


@pytest.mark.parametrize(
    ("slug", "track"),
    [
        ("medical-data-science", "Medical Aspects"),
        ("medical-data-science", "Computer Science Aspects"),
        ("health-informatics", "Software Systems Design and Operations"),
        ("health-informatics", "Biology, Genetics, Anatomy, and Physiology"),
    ],
)
def test_which_background_a_track_serves_is_marked_inferred(client, catalog, slug, track):
    item = item_of(detail(client, slug), "tracks", f"<h3>{track}</h3>")
    served = re.search(r"<dt>For students from</dt><dd>(.*?)</dd>", item).group(1)
    assert text(served).endswith("(inferred)")
    # A track may carry two inferences (where it falls, whom it serves): one names the background.
    reasons = [text(part.split("</p>")[0]) for part in item.split("Inferred:")[1:]]
    assert any("background" in reason for reason in reasons), reasons


def test_a_stated_track_has_no_inferred_mark(client, catalog):
    item = item_of(detail(client, "medical-data-science"), "tracks", "<h3>Data Analytics</h3>")
    assert "inferred" not in text(item).lower()
    assert "Source quote" in item


def test_the_background_filter_says_it_rests_on_inferred_data(client, catalog):
    html = get_list(client).content.decode()
    group = re.search(r'<fieldset class="facet" aria-describedby="background-hint">', html)
    assert group is not None
    hint = re.search(r'<p class="field-hint" id="background-hint">(.*?)</p>', html).group(1)
    assert hint.startswith("Inferred data")


# --- audit items 3-8 on the rendered pages ---------------------------------------------------


def test_fh_salzburgs_joint_degree_partner_is_shown_as_not_stated(client, catalog):
    """Audit item 3: "Joint degree: Yes" beside one university needs the missing partner said."""
    block = fact_block(detail(client, "applied-ai-in-healthcare"), "Offered by")
    assert "Joint-degree partner: not stated" in text(block)
    # A joint degree whose partners are all named says nothing of the kind.
    assert "partner: not stated" not in text(
        fact_block(detail(client, "health-informatics"), "Offered by")
    )


def test_kth_campus_keeps_mainly(client, catalog):
    """Audit item 4: "mainly offered at the KTH Flemingsberg campus"."""
    block = fact_block(detail(client, "data-driven-health"), "Campus")
    assert text(block).startswith("KTH Flemingsberg campus (mainly)")


def test_unisrs_alternative_courses_are_not_called_electives(client, catalog):
    """Audit item 5: alternatives assigned by background are not free electives."""
    html = detail(client, "health-informatics")
    for title in ("Software Systems Design and Operations", "Biology, Genetics, Anatomy"):
        meta = re.search(
            rf'{re.escape(title)}.*?<span class="module-meta">(.*?)</span>', html, re.DOTALL
        ).group(1)
        assert meta.startswith("Alternative course")
    assert "Elective" not in text(section(html, "modules"))


def test_unisrs_sectors_sentence_is_among_the_careers(client, catalog):
    """Audit item 6."""
    careers = text(section(detail(client, "health-informatics"), "careers"))
    assert "Industrial, academic, scientific, or public governance sectors" in careers
    assert "in industrial, academic, scientific, or public governance sectors" in careers


def test_kth_advanced_topics_electives_have_no_year(client, catalog):
    """Audit item 7: the second-year sentence is not about the advanced-topics electives."""
    item = item_of(detail(client, "data-driven-health"), "tracks", "<h3>Advanced topics</h3>")
    assert re.search(r"<dt>When</dt><dd>(.*?)</dd>", item).group(1).count("not stated") == 1


def test_cards_carry_the_sources_own_duration_wording(client, catalog):
    """Audit item 8: "two years" on the list's cards, not only 4 semesters."""
    html = get_list(client).content.decode()
    card = re.search(r'id="programme-data-driven-health".*?</article>', html, re.DOTALL).group(0)
    assert "4 semesters (the source says “two years”)" in unescape(card)


# --- freshness ---------------------------------------------------------------------------------


def test_the_detail_page_says_when_and_by_whom_the_facts_were_last_checked(client, catalog):
    html = detail(client, "data-driven-health")
    assert last_checked(html) == "1 December 2026, by the catalog's transcribers"
    assert '<time datetime="2026-12-01">' in section(html, "source")


def test_a_check_by_staff_names_them(client, catalog):
    programme = Programme.objects.get(slug="health-informatics")
    programme.mark_checked(
        factories.UserFactory(first_name="Ada", last_name="Rossi"), datetime.date(2027, 1, 5)
    )
    programme.save()
    assert last_checked(detail(client, "health-informatics")) == "5 January 2027, by Ada Rossi"


def test_the_list_sorts_by_when_programmes_were_last_checked(client, catalog):
    Programme.objects.filter(slug="health-informatics").update(checked_on=datetime.date(2027, 2, 1))
    Programme.objects.filter(slug="data-driven-health").update(checked_on=None)
    newest_first = shown_slugs(get_list(client, {"sort": "-checked"}))
    assert newest_first[0] == "health-informatics"
    assert newest_first[-1] == "data-driven-health"  # never checked: last both ways
    oldest_first = shown_slugs(get_list(client, {"sort": "checked"}))
    assert oldest_first[-2:] == ["health-informatics", "data-driven-health"]


# --- the admin: provenance edited with the fact, recorded in history; checks ------------------


@pytest.fixture
def staff_programme(db):
    university = factories.UniversityFactory(name="Uni A")
    programme = factories.ProgrammeFactory(
        title="Health Data", ects=90, duration_semesters=4, universities=[university]
    )
    factories.ModuleFactory(programme=programme, title="Statistics")
    return programme


@pytest.fixture
def alice(client, staff_programme):
    user = factories.StaffUserFactory(
        username="alice",
        first_name="Alice",
        last_name="Meyer",
        universities=staff_programme.universities.all(),
    )
    client.force_login(user)
    return client


@pytest.fixture
def reviewer(staff_programme):
    """A second staff member of the university, who approves its proposals."""
    return factories.StaffUserFactory(
        username="reviewer",
        universities=staff_programme.universities.all(),
        approves_proposals=True,
    )


def test_staff_edit_a_facts_provenance_with_the_fact_and_history_records_it(
    alice, reviewer, staff_programme
):
    data = form_data(alice.get(change_url(staff_programme)))
    add_row(data, "fact_sources", fact=KeyFact.ECTS, source_quote="ECTS Credits: 90")
    row = row_index(data, "modules", "title", "Statistics")
    data[f"modules-{row}-source_quote"] = "mandatory courses in Statistics"
    data[f"modules-{row}-inferred_because"] = ""
    response = alice.post(change_url(staff_programme), data)
    assert response.status_code == 302, errors_of(response)
    # The programme is published: the edit is alice's proposal until it is reviewed.
    assert not FactSource.objects.filter(programme=staff_programme).exists()
    publish_after_review(staff_programme, reviewer)

    source = FactSource.objects.get(programme=staff_programme, fact=KeyFact.ECTS)
    assert source.source_quote == "ECTS Credits: 90"
    assert source.history.latest().history_user.username == "alice"
    module = Module.objects.get(programme=staff_programme, title="Statistics")
    assert (module.source_quote, module.inferred_because) == (
        "mandatory courses in Statistics",
        None,
    )
    changes = alice.get(
        reverse("admin:programs_programme_history", args=[staff_programme.pk])
    ).context["part_changes"]
    module_change = next(c for c in changes if c.part_kind == "module")
    # Named by their labels, as the change form names them.
    assert {c.field for c in module_change.changes} == {"Source quote", "Inferred because"}
    assert any(c.part_kind == "source of a key fact" for c in changes)
    # The public page shows it once published.
    html = detail(alice, staff_programme.slug)
    assert "ECTS Credits: 90" in text(fact_block(html, "ECTS credits"))


def test_a_fact_source_without_quote_or_reason_is_refused_with_a_plain_message(
    alice, staff_programme
):
    data = form_data(alice.get(change_url(staff_programme)))
    add_row(data, "fact_sources", fact=KeyFact.ECTS, source_quote="", inferred_because="")
    response = alice.post(change_url(staff_programme), data)
    assert response.status_code == 200
    assert "Give the source's words, the reason for the inference, or both." in errors_of(response)


def test_ticking_checked_today_records_the_date_and_the_user(alice, reviewer, staff_programme):
    data = form_data(alice.get(change_url(staff_programme)))
    data["checked_today"] = "on"
    response = alice.post(change_url(staff_programme), data)
    assert response.status_code == 302, errors_of(response)
    publish_after_review(staff_programme, reviewer)
    staff_programme.refresh_from_db()
    assert staff_programme.checked_on == timezone.localdate()
    assert staff_programme.checked_by.username == "alice"
    assert staff_programme.history.latest().checked_by_id == staff_programme.checked_by_id
    assert last_checked(detail(alice, staff_programme.slug)).endswith(", by Alice Meyer")


def test_saving_without_the_tick_leaves_the_last_check_alone(alice, staff_programme):
    data = form_data(alice.get(change_url(staff_programme)))
    assert "checked_today" not in data
    assert alice.post(change_url(staff_programme), data).status_code == 302
    staff_programme.refresh_from_db()
    assert staff_programme.checked_on is None


def test_the_admin_action_marks_the_selected_programmes_checked_today(alice, staff_programme):
    url = reverse("admin:programs_programme_changelist")
    response = alice.post(
        url, {"action": "mark_checked_today", "_selected_action": [staff_programme.pk]}
    )
    assert response.status_code == 302
    staff_programme.refresh_from_db()
    assert (staff_programme.checked_on, staff_programme.checked_by.username) == (
        timezone.localdate(),
        "alice",
    )
    assert staff_programme.version == 2  # an open form from before is now stale
    assert staff_programme.history.latest().history_user.username == "alice"


def test_staff_see_which_of_their_programmes_were_not_checked_for_12_months(alice, staff_programme):
    today = timezone.localdate()
    university = staff_programme.universities.get()
    recent = factories.ProgrammeFactory(title="Recent", universities=[university])
    stale = factories.ProgrammeFactory(title="Stale", universities=[university])
    Programme.objects.filter(pk=recent.pk).update(checked_on=today - datetime.timedelta(days=30))
    Programme.objects.filter(pk=stale.pk).update(checked_on=today - datetime.timedelta(days=400))
    # Another university's overdue programme is not theirs to see.
    factories.ProgrammeFactory(title="Elsewhere", universities=[factories.UniversityFactory()])

    url = reverse("admin:programs_programme_changelist")
    overdue = alice.get(url, {"checked": "overdue"})
    titles = {programme.title for programme in overdue.context["cl"].result_list}
    assert titles == {"Stale", "Health Data"}  # never checked counts as overdue
    assert "Not in the last 12 months" in overdue.content.decode()
    recent_titles = {
        p.title for p in alice.get(url, {"checked": "recent"}).context["cl"].result_list
    }
    assert recent_titles == {"Recent"}


def test_load_catalog_sets_the_fixtures_check_date(catalog):
    dates = set(Programme.objects.values_list("checked_on", "checked_by"))
    assert dates == {(datetime.date(2026, 12, 1), None)}


def test_restoring_a_version_brings_back_its_provenance(alice, reviewer, staff_programme):
    track = factories.TrackFactory(
        programme=staff_programme, name="Clinical", source_quote="clinical track"
    )
    before = staff_programme.history.latest()
    data = form_data(alice.get(change_url(staff_programme)))
    row = row_index(data, "tracks", "name", "Clinical")
    data[f"tracks-{row}-source_quote"] = "changed by mistake"
    assert alice.post(change_url(staff_programme), data).status_code == 302
    publish_after_review(staff_programme, reviewer)
    assert Track.objects.get(pk=track.pk).source_quote == "changed by mistake"

    from programs.actions.restore import restore_programme, version_end

    restore_programme(
        Programme.objects.get(pk=staff_programme.pk),
        version_end(before),
        factories.UserFactory(is_superuser=True, username="root"),
    )
    assert Track.objects.get(pk=track.pk).source_quote == "clinical track"


def test_a_duplicated_programme_keeps_how_each_fact_is_known(db):
    from programs.staff.admin import duplicate_programme

    programme = factories.ProgrammeFactory(ects=90)
    FactSource.objects.create(programme=programme, fact=KeyFact.ECTS, source_quote="90 ECTS")
    factories.CareerFactory(
        programme=programme, source_quote="Data analysts", inferred_because=None
    )
    copy = duplicate_programme(programme)
    assert list(copy.fact_sources.values_list("fact", "source_quote")) == [("ects", "90 ECTS")]
    assert list(copy.careers.values_list("source_quote", "inferred_because")) == [
        ("Data analysts", None)
    ]


# --- the admin keeps quotes honest ----------------------------------------------------------


@pytest.fixture
def kth_editor(client, catalog):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def kth_form(client):
    """The published programme's form, "publish at once" ticked (the superuser may): these tests
    are about the form's checks and what a save that passes them stores."""
    programme = Programme.objects.get(slug="data-driven-health")
    return programme, form_data(client.get(change_url(programme)), publish_now=True)


def fact_row(data, fact):
    return row_index(data, "fact_sources", "fact", fact)


def test_a_quote_that_is_not_in_the_source_text_is_refused(kth_editor):
    programme, data = kth_form(kth_editor)
    data[f"fact_sources-{fact_row(data, KeyFact.CAMPUS)}-source_quote"] = (
        "Taught entirely at the invented campus."
    )

    response = kth_editor.post(change_url(programme), data)

    assert response.status_code == 200
    assert "These words are not in the source text" in errors_of(response)
    assert "invented" not in FactSource.objects.get(programme=programme, fact="campus").source_quote


def test_a_changed_fact_needs_its_source_looked_at_too(kth_editor):
    programme, data = kth_form(kth_editor)
    data["ects"] = "90"

    stale = kth_editor.post(change_url(programme), data)

    assert stale.status_code == 200
    assert "You changed ECTS credits; its source still describes the old value" in errors_of(stale)
    programme.refresh_from_db()
    assert programme.ects == 120

    data[f"fact_sources-{fact_row(data, KeyFact.ECTS)}-inferred_because"] = (
        "The department told us the programme was shortened; its page is not updated yet."
    )
    assert kth_editor.post(change_url(programme), data).status_code == 302
    programme.refresh_from_db()
    assert programme.ects == 90


def test_a_fact_emptied_while_its_source_row_stays_is_refused(kth_editor):
    programme, data = kth_form(kth_editor)
    data["campus"] = ""

    response = kth_editor.post(change_url(programme), data)

    assert response.status_code == 200
    assert "Campus is now empty (not stated), so its source row describes nothing" in errors_of(
        response
    )


def test_an_edit_elsewhere_passes_the_source_checks(kth_editor):
    programme, data = kth_form(kth_editor)
    data["title"] = "Data-driven Health (renamed)"

    response = kth_editor.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)

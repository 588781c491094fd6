"""Editing programmes in the admin: every page renders, inline edits save, bad data is refused."""

import datetime
import re
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from programs.actions.editions import open_edition
from programs.actions.proposals import proposed_state, save_proposal
from programs.models import Language, Module, Programme, Semester
from programs.staff.forms import ProgrammeAdminForm
from tests.support import factories
from tests.support.admin_pages import add_row, change_url, errors_of, form_data, row_index
from tests.support.proposal_flow import publish_after_review

pytestmark = pytest.mark.django_db

# One way to build a row of each registered model, so its change page can be opened.
ROW_BUILDERS = {
    "programs.language": lambda: factories.LanguageFactory(code="de", name="German"),
    "programs.university": factories.UniversityFactory,
    "programs.programme": lambda: factories.ProgrammeFactory(
        universities=[factories.UniversityFactory()]
    ),
    "auth.user": factories.UserFactory,
    "auth.group": lambda: Group.objects.create(name="Editors"),
    "otp_totp.totpdevice": lambda: TOTPDevice.objects.create(
        user=factories.UserFactory(), name="Authenticator app"
    ),
    "axes.accessattempt": lambda: AccessAttempt.objects.create(
        username="guesser", ip_address="192.0.2.7", failures_since_start=3
    ),
    "axes.accesslog": lambda: AccessLog.objects.create(username="alice", ip_address="192.0.2.8"),
    "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(
        username="guesser", ip_address="192.0.2.7"
    ),
    "programs.proposal": lambda: a_proposal(),
    "programs.edition": lambda: open_edition(2030, datetime.date(2030, 9, 1)),
}
# django-axes' records of sign-in attempts are written by axes alone: they can be read (and
# attempts deleted, which lifts a lockout), not added by hand.
NOT_ADDED_BY_HAND = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
# A proposal begins by editing a published programme (its change form), never on a page of its
# own: its "add" page is refused like axes' records.
NOT_ADDED_BY_HAND |= {"programs.proposal"}
# Each person's own page, without a list or anyone else's row: its own tests are in
# tests/staff/test_proposal_mail_choices.py.
OWN_PAGES_ONLY = {"programs.proposalmailchoice"}
REGISTERED = sorted(
    model._meta.label_lower
    for model in admin.site._registry
    if model._meta.label_lower not in OWN_PAGES_ONLY
)


def a_proposal():
    """An open proposal, as a save of a published programme's change form starts one."""
    programme = factories.ProgrammeFactory(universities=[factories.UniversityFactory()], ects=120)

    def write():
        Programme.objects.filter(pk=programme.pk).update(ects=90)

    snapshot, _ = proposed_state(programme.pk, write)
    return save_proposal(programme, snapshot, factories.StaffUserFactory())[0]


@pytest.fixture
def superuser():
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def programme():
    """A draft with two semesters, a track and two modules, offered by one university."""
    programme = factories.ProgrammeFactory(
        title="Health Data Science",
        slug="health-data-science",
        ects=120,
        duration_semesters=4,
        published=True,
        universities=[factories.UniversityFactory(name="Uni A", slug="uni-a")],
        languages=[factories.LanguageFactory()],
    )
    factories.SemesterFactory(programme=programme, number=1, title="Foundations")
    factories.SemesterFactory(programme=programme, number=2, title="Methods")
    track = factories.TrackFactory(programme=programme, name="Clinical")
    factories.ModuleFactory(programme=programme, title="Statistics", ects=Decimal(10))
    factories.ModuleFactory(programme=programme, title="Imaging", ects=Decimal(5), track=track)
    return programme


@pytest.mark.parametrize("label", REGISTERED)
def test_every_registered_model_has_add_and_change_pages_that_render(superuser_client, label):
    app_label, model_name = label.split(".")
    row = ROW_BUILDERS[label]()

    add = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    change = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[row.pk]))
    listing = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))

    expected_add = 403 if label in NOT_ADDED_BY_HAND else 200
    assert (add.status_code, change.status_code, listing.status_code) == (expected_add, 200, 200)


def test_programme_change_page_shows_every_part_inline_in_public_page_order(
    superuser_client, programme
):
    response = superuser_client.get(change_url(programme))

    prefixes = [formset.formset.prefix for formset in response.context["inline_admin_formsets"]]
    assert prefixes == [
        "offerings",
        "fact_sources",
        "semesters",
        "tracks",
        "modules",
        "admission_requirements",
        "application_deadlines",
        "tuition_fees",
        "careers",
    ]
    fieldsets = [name for name, _ in response.context["adminform"].model_admin.fieldsets]
    assert fieldsets == ["Key facts", "Plan", "Text", "Provenance", "Retirement", "Publication"]
    assert 'name="version" value="1"' in response.content.decode()


def test_the_change_page_names_its_part_tables_in_plain_english(superuser_client, programme):
    html = superuser_client.get(change_url(programme)).content.decode()

    headings = re.findall(r"<h2[^>]*>\s*([^<]*?)\s*</h2>", html)
    for heading in (
        "Offering universities",
        "Sources of the key facts",
        "Semesters",
        "Tracks",
        "Modules",
        "Admission requirements",
        "Careers",
    ):
        assert heading in headings
    assert "universitys" not in html.lower()


def test_saving_an_inline_edit_updates_the_public_programme_page(superuser_client, programme):
    """The programme is published, so the edit is a proposal: public once it is reviewed."""
    data = form_data(superuser_client.get(change_url(programme)))
    row = row_index(data, "semesters", "title", "Methods")
    data[f"semesters-{row}-title"] = "Research methods in health data"
    detail = reverse("programs:programme-detail", kwargs={"slug": programme.slug})

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    assert "Research methods in health data" not in superuser_client.get(detail).content.decode()
    approver = factories.StaffUserFactory(
        universities=programme.universities.all(), approves_proposals=True
    )
    publish_after_review(programme, approver)
    assert Semester.objects.get(programme=programme, number=2).title == (
        "Research methods in health data"
    )
    programme.refresh_from_db()
    assert programme.version == 2
    assert "Research methods in health data" in superuser_client.get(detail).content.decode()


def test_adding_a_programme_through_the_admin_starts_it_as_a_draft(superuser_client):
    university = factories.UniversityFactory()
    data = form_data(superuser_client.get(reverse("admin:programs_programme_add")))
    data.update(
        {
            "title": "Digital Health",
            "slug": "digital-health",
            "offerings-0-university": university.pk,
        }
    )

    response = superuser_client.post(reverse("admin:programs_programme_add"), data)

    assert response.status_code == 302, errors_of(response)
    programme = Programme.objects.get(slug="digital-health")
    assert programme.published is False
    assert list(programme.universities.all()) == [university]


def test_a_programme_without_any_offering_university_is_refused(superuser_client):
    data = form_data(superuser_client.get(reverse("admin:programs_programme_add")))
    data.update({"title": "Digital Health", "slug": "digital-health"})

    response = superuser_client.post(reverse("admin:programs_programme_add"), data)

    assert response.status_code == 200
    assert "A programme needs at least one offering university." in errors_of(response)
    assert not Programme.objects.filter(slug="digital-health").exists()


def test_a_semester_beyond_the_standard_period_is_refused_with_a_clear_message(
    superuser_client, programme
):
    data = form_data(superuser_client.get(change_url(programme)))
    add_row(data, "semesters", number="5", title="Extra")

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    assert "semester 5 is beyond the standard period of 4 semesters" in errors_of(response)
    assert not Semester.objects.filter(number=5).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration_semesters", "0", "The standard period of study is at least 1 semester"),
    ],
)
def test_a_value_the_database_forbids_gets_a_plain_message_not_the_constraint_name(
    superuser_client, programme, field, value, message
):
    data = form_data(superuser_client.get(change_url(programme)))
    data[field] = value

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    assert message in errors_of(response)
    assert "Constraint" not in errors_of(response)


def test_a_university_country_in_lowercase_gets_a_plain_message(superuser_client):
    add = reverse("admin:programs_university_add")
    data = form_data(superuser_client.get(add), form_id="university_form")
    data.update({"name": "Example University", "slug": "example", "country": "de"})

    response = superuser_client.post(add, data)

    assert response.status_code == 200
    assert "two-letter ISO code in capitals, such as DE" in errors_of(response)
    assert "Constraint" not in errors_of(response)


def test_shortening_the_period_below_an_existing_semester_is_refused(superuser_client, programme):
    data = form_data(superuser_client.get(change_url(programme)))
    data["duration_semesters"] = "1"

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    assert "semester 2 is beyond the standard period of 1 semesters" in errors_of(response)
    programme.refresh_from_db()
    assert programme.duration_semesters == 4


def test_shortening_the_period_while_deleting_the_last_semester_is_accepted(
    superuser_client, programme
):
    data = form_data(superuser_client.get(change_url(programme)), publish_now=True)
    data["duration_semesters"] = "1"
    data[f"semesters-{row_index(data, 'semesters', 'number', '2')}-DELETE"] = "on"

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    assert list(programme.semesters.values_list("number", flat=True)) == [1]


def test_a_repeated_semester_number_is_refused(superuser_client, programme):
    data = form_data(superuser_client.get(change_url(programme)))
    add_row(data, "semesters", number="2", title="Second again")

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    assert "semester 2 appears 2 times; each semester number may appear once" in errors_of(response)


def test_track_and_module_semesters_must_lie_within_the_standard_period(
    superuser_client, programme
):
    data = form_data(superuser_client.get(change_url(programme)))
    data[f"tracks-{row_index(data, 'tracks', 'name', 'Clinical')}-semester"] = "7"
    data[f"modules-{row_index(data, 'modules', 'title', 'Statistics')}-semester"] = "6"

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    errors = errors_of(response)
    assert "semester 7 is beyond the standard period of 4 semesters" in errors
    assert "semester 6 is beyond the standard period of 4 semesters" in errors


def test_module_credits_adding_up_past_the_programme_are_refused(superuser_client, programme):
    data = form_data(superuser_client.get(change_url(programme)))
    add_row(data, "modules", title="Thesis", kind="thesis", ects="110", position="0")

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    assert (
        "the modules' credits add up to 125 ECTS, more than the programme's 120 ECTS"
        in errors_of(response)
    )
    assert not Module.objects.filter(title="Thesis").exists()


def test_module_credits_ignore_rows_marked_for_deletion(superuser_client, programme):
    data = form_data(superuser_client.get(change_url(programme)), publish_now=True)
    data[f"modules-{row_index(data, 'modules', 'title', 'Statistics')}-DELETE"] = "on"
    add_row(data, "modules", title="Thesis", kind="thesis", ects="115", position="0")

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    assert set(programme.modules.values_list("title", flat=True)) == {"Imaging", "Thesis"}


def test_lowering_the_programme_credits_below_its_modules_is_refused(superuser_client, programme):
    data = form_data(superuser_client.get(change_url(programme)))
    data["ects"] = "12"

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    assert "more than the programme's 12 ECTS" in errors_of(response)


def test_a_module_can_only_join_a_track_of_its_own_programme(superuser_client, programme):
    elsewhere = factories.TrackFactory(name="Someone else's track")
    data = form_data(superuser_client.get(change_url(programme)))
    data[f"modules-{row_index(data, 'modules', 'title', 'Statistics')}-track"] = str(elsewhere.pk)

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    assert "Select a valid choice" in errors_of(response)
    assert Module.objects.get(title="Statistics").track is None


def test_a_language_code_outside_iso_639_1_is_refused(superuser_client):
    response = superuser_client.post(
        reverse("admin:programs_language_add"), {"code": "xx", "name": "Nonsense", "_save": "1"}
    )

    assert response.status_code == 200
    assert '"xx" is not an ISO 639-1 language code' in errors_of(response)
    assert not Language.objects.filter(code="xx").exists()


def test_the_changelist_costs_the_same_queries_for_two_or_six_programmes(
    superuser_client, django_assert_num_queries
):
    def build(count):
        for _ in range(count):
            factories.ProgrammeFactory(
                universities=[factories.UniversityFactory(), factories.UniversityFactory()],
                languages=[factories.LanguageFactory()],
            )

    url = reverse("admin:programs_programme_changelist")
    build(2)
    superuser_client.get(url)  # the session and content types are cached from here on
    with django_assert_num_queries(QUERIES_PER_CHANGELIST):
        first = superuser_client.get(url)
    build(4)
    with django_assert_num_queries(QUERIES_PER_CHANGELIST):
        second = superuser_client.get(url)

    assert first.context["cl"].result_count == 2
    assert second.context["cl"].result_count == 6


# Session, user, the two related-only filters' choices, two counts (filtered and total), the
# page, then prefetched: its offerings, their universities, its languages.
QUERIES_PER_CHANGELIST = 10


def test_the_change_form_carries_the_version_it_was_loaded_with():
    form = ProgrammeAdminForm(instance=Programme(version=7))

    assert form["version"].value() == 7


def test_text_left_blank_is_stored_as_not_stated(superuser_client, programme):
    data = form_data(superuser_client.get(change_url(programme)), publish_now=True)
    data["summary"] = ""
    add_row(data, "semesters", number="3", title="", summary="", goal="")

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    programme.refresh_from_db()
    semester = programme.semesters.get(number=3)
    assert (programme.summary, semester.title, semester.summary, semester.goal) == (
        None,
        None,
        None,
        None,
    )


def test_the_change_page_links_to_the_public_page_for_preview(superuser_client, programme):
    html = superuser_client.get(change_url(programme)).content.decode()

    assert "View on site" in html


@pytest.mark.parametrize(
    "slug",
    [
        "medical-data-science",
        "applied-ai-in-healthcare",
        "data-driven-health",
        "health-informatics",
    ],
)
def test_each_transcribed_programme_saves_unchanged_through_the_admin(
    catalog, superuser_client, slug
):
    """The real data passes the admin's own checks, so staff can edit it without tripping them;
    saved as it was loaded, it changes nothing, so no new version is written (issue 17). (The
    superuser publishes at once: the programme is published, and this is about its versions.)"""
    programme = Programme.objects.get(slug=slug)
    data = form_data(superuser_client.get(change_url(programme)), publish_now=True)

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    assert Programme.objects.get(slug=slug).version == programme.version
    data["summary"] = "An edited summary."
    response = superuser_client.post(change_url(programme), data)
    assert response.status_code == 302, errors_of(response)
    assert Programme.objects.get(slug=slug).version == programme.version + 1


def test_a_staff_members_changelist_adds_only_the_permission_lookups(
    client, django_assert_num_queries
):
    """Scoping to their universities is a subquery; staff also load their (group) permissions."""
    university = factories.UniversityFactory()
    client.force_login(factories.StaffUserFactory(universities=[university]))
    for _ in range(3):
        factories.ProgrammeFactory(
            universities=[university], languages=[factories.LanguageFactory()]
        )
    factories.ProgrammeFactory(universities=[factories.UniversityFactory()])
    url = reverse("admin:programs_programme_changelist")
    client.get(url)  # the session and content types are cached from here on

    with django_assert_num_queries(QUERIES_PER_CHANGELIST + 2):
        response = client.get(url)

    assert response.context["cl"].result_count == 3

"""Drafts: new programmes start unpublished, show on no public page, and staff publish them."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import strip_tags
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from programs.models import Programme
from tests.support import factories

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Secret Draft Programme"


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni A", slug="uni-a")


@pytest.fixture
def draft(university):
    programme = factories.ProgrammeFactory(
        title=DRAFT_TITLE,
        slug="secret-draft",
        published=False,
        universities=[university],
        languages=[factories.LanguageFactory()],
    )
    factories.ModuleFactory(programme=programme, title="Secret Draft Module")
    return programme


@pytest.fixture
def published(university):
    """A published programme beside the draft, so each page has something to show."""
    programme = factories.ProgrammeFactory(
        title="Public Programme", slug="public-programme", universities=[university]
    )
    factories.ModuleFactory(programme=programme, title="Public Module")
    return programme


def public_url(name, query="", **kwargs):
    """A public page's address."""
    return reverse(f"programs:{name}", kwargs=kwargs or None) + query


@pytest.mark.parametrize(
    ("name", "query", "kwargs"),
    [
        ("home", "", {}),
        ("programme-list", "", {}),
        ("programme-list", "?q=Secret", {}),
        ("programme-export", "", {}),
        ("university-list", "", {}),
        ("university-detail", "", {"slug": "uni-a"}),
        ("compare", "?p=secret-draft&p=public-programme", {}),
        ("module-list", "?q=Secret", {}),
        ("change-list", "", {}),
        ("change-feed", "", {}),
    ],
)
def test_a_draft_appears_on_no_public_page(client, draft, published, name, query, kwargs):
    response = client.get(public_url(name, query, **kwargs))

    assert response.status_code in {200, 400}
    body = b"".join(response) if response.streaming else response.content
    assert DRAFT_TITLE.encode() not in body
    assert b"/programmes/secret-draft/" not in body
    if "secret-draft" not in query:  # the compare page may echo a slug it was asked for
        assert b"secret-draft" not in body
    assert b"Secret Draft Module" not in body


def test_a_university_offering_only_drafts_is_not_a_filter_choice(client, draft):
    response = client.get(public_url("programme-list"), {"university": "uni-a"})
    page = response.content.decode()

    assert response.status_code == 200
    assert "“uni-a” is not a university we list." in page
    assert draft.universities.get().name not in strip_tags(page)


def test_a_drafts_own_page_is_not_found_for_visitors(client, draft):
    response = client.get(public_url("programme-detail", slug=draft.slug))

    assert response.status_code == 404


def test_staff_who_may_edit_a_draft_can_preview_it_and_others_cannot(client, draft, university):
    url = public_url("programme-detail", slug=draft.slug)
    client.force_login(factories.StaffUserFactory(universities=[university]))
    assert client.get(url).status_code == 200

    client.force_login(factories.StaffUserFactory(universities=[factories.UniversityFactory()]))
    assert client.get(url).status_code == 404


def test_a_password_alone_previews_no_draft_where_the_admin_asks_for_a_code(
    client, settings, draft, university
):
    """The preview shows what the admin would, so it asks for what the admin asks for."""
    settings.ADMIN_REQUIRE_2FA = True
    url = public_url("programme-detail", slug=draft.slug)
    editor = factories.StaffUserFactory(universities=[university])
    device = TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)
    client.force_login(editor)  # the password, and no code yet

    assert client.get(url).status_code == 404
    assert DRAFT_TITLE not in client.get(public_url("programme-list", "?q=Secret")).content.decode()

    # The same session, once it has given a code, as the admin's sign-in form does.
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(url).status_code == 200


def test_a_new_programme_defaults_to_draft():
    assert Programme(title="x", slug="x").published is False


def changelist_action(client, action, *programmes):
    # Confirmed: publishing drafts without their core facts asks first
    # (tests/staff/test_bulk_publish.py); the other actions don't read it.
    return client.post(
        reverse("admin:programs_programme_changelist"),
        {
            "action": action,
            "_selected_action": [p.pk for p in programmes],
            "publish_confirmed": "yes",
        },
    )


@pytest.fixture
def staff(client, university):
    client.force_login(factories.StaffUserFactory(username="staff", universities=[university]))
    return client


def test_publishing_a_draft_records_who_did_it_and_moves_its_version_on(staff, draft):
    response = changelist_action(staff, "publish", draft)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.published, draft.version) == (True, 2)
    assert draft.history.latest().history_user.username == "staff"
    assert staff.get(public_url("programme-list")).content.decode().count(DRAFT_TITLE) >= 1


def test_unpublishing_makes_a_programme_a_draft_again(staff, published):
    changelist_action(staff, "unpublish", published)

    published.refresh_from_db()
    assert published.published is False


def shown_messages(client, response):
    """The messages the page after an action's redirect shows."""
    assert response.status_code == 302
    return [str(message) for message in client.get(response.url).context["messages"]]


def test_publishing_says_how_many_were_published_and_how_many_already_were(
    staff, draft, published, university
):
    other_draft = factories.ProgrammeFactory(published=False, universities=[university])

    only_published = changelist_action(staff, "publish", published)
    assert shown_messages(staff, only_published) == ["1 programme was already published."]
    mixed = changelist_action(staff, "publish", draft, other_draft, published)
    assert shown_messages(staff, mixed) == [
        "Published 2 programmes. 1 programme was already published."
    ]


def test_unpublishing_says_how_many_became_drafts_and_how_many_already_were(
    staff, draft, published
):
    response = changelist_action(staff, "unpublish", draft, published)

    assert shown_messages(staff, response) == [
        "Unpublished 1 programme; it is a draft now. 1 programme was already a draft."
    ]
    again = changelist_action(staff, "unpublish", draft, published)
    assert shown_messages(staff, again) == ["2 programmes were already drafts."]


def test_staff_cannot_publish_another_universitys_draft(staff):
    elsewhere = factories.ProgrammeFactory(
        published=False, universities=[factories.UniversityFactory()]
    )

    changelist_action(staff, "publish", elsewhere)

    elsewhere.refresh_from_db()
    assert elsewhere.published is False


def test_duplicating_copies_every_part_as_a_draft_with_a_new_slug(staff, university):
    partner = factories.UniversityFactory()
    source = factories.ProgrammeFactory(
        title="Health AI",
        slug="health-ai",
        ects=120,
        universities=[university, partner],
        languages=[
            factories.LanguageFactory(),
            factories.LanguageFactory(code="de", name="German"),
        ],
    )
    factories.SemesterFactory(programme=source, number=1, title="Basics")
    track = factories.TrackFactory(programme=source, name="Imaging")
    factories.ModuleFactory(programme=source, title="MRI", track=track, ects=Decimal("7.5"))
    factories.AdmissionRequirementFactory(programme=source)
    factories.CareerFactory(programme=source)

    changelist_action(staff, "duplicate", source)
    changelist_action(staff, "duplicate", source)

    first = Programme.objects.get(slug="health-ai-copy")
    second = Programme.objects.get(slug="health-ai-copy-2")
    assert (first.title, second.title) == ("Health AI (copy)", "Health AI (copy 2)")
    for copy in (first, second):
        assert (copy.published, copy.version, copy.ects) == (False, 1, 120)
        assert list(copy.universities.order_by("pk")) == [university, partner]
        assert set(copy.languages.values_list("code", flat=True)) == {"en", "de"}
        assert list(copy.semesters.values_list("title", flat=True)) == ["Basics"]
        module = copy.modules.get()
        assert (module.title, module.ects, module.track.programme) == ("MRI", Decimal("7.5"), copy)
        assert copy.admission_requirements.count() == copy.careers.count() == 1
    source.refresh_from_db()
    assert source.published is True
    assert source.modules.get().track == track


def test_duplicating_says_what_was_copied(staff, draft, published):
    one = shown_messages(staff, changelist_action(staff, "duplicate", draft))
    two = shown_messages(staff, changelist_action(staff, "duplicate", draft, published))

    # Each copy's slug links to its change page.
    assert [strip_tags(message) for message in one + two] == [
        "Copied 1 programme as a draft: secret-draft-copy",
        "Copied 2 programmes as drafts: public-programme-copy, secret-draft-copy-2",
    ]


def test_the_draft_preview_links_to_its_change_page_and_offers_publishing(staff, draft):
    page = staff.get(public_url("programme-detail", slug=draft.slug)).content.decode()

    change = reverse("admin:programs_programme_change", args=[draft.pk])
    publish = reverse("admin:programs_programme_publish", args=[draft.pk])
    assert f'href="{change}"' in page
    assert f'action="{publish}"' in page and "Publish it now" in page


def test_the_preview_of_a_german_draft_links_to_the_german_admin(staff, draft):
    page = staff.get(f"/de{public_url('programme-detail', slug=draft.slug)}").content.decode()

    assert f'href="/de/admin/programs/programme/{draft.pk}/change/"' in page


def test_publishing_from_the_preview_publishes_and_shows_the_public_page(staff, draft):
    response = staff.post(reverse("admin:programs_programme_publish", args=[draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == public_url("programme-detail", slug=draft.slug)
    draft.refresh_from_db()
    assert (draft.published, draft.version) == (True, 2)
    assert draft.history.latest().history_user.username == "staff"
    page = staff.get(response["Location"]).content.decode()
    assert f"Published “{DRAFT_TITLE}”: everyone can see it now." in page
    assert "Draft preview" not in page


def test_publishing_from_the_preview_answers_only_a_post(staff, draft):
    response = staff.get(reverse("admin:programs_programme_publish", args=[draft.pk]))

    assert response.status_code == 405
    draft.refresh_from_db()
    assert draft.published is False


def test_staff_cannot_publish_another_universitys_draft_from_a_typed_address(staff):
    elsewhere = factories.ProgrammeFactory(
        published=False, universities=[factories.UniversityFactory()]
    )

    response = staff.post(reverse("admin:programs_programme_publish", args=[elsewhere.pk]))

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.published is False


def test_staff_who_may_only_view_see_no_publish_button(client, draft, university):
    viewer = factories.UserFactory(is_staff=True)
    viewer.universities.set([university])
    client.force_login(viewer)

    page = client.get(public_url("programme-detail", slug=draft.slug))

    assert page.status_code == 200
    assert "Publish it now" not in page.content.decode()

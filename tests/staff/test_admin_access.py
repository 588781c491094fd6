"""Per-university permissions: staff see and edit only the programmes their universities offer."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from programs.models import Programme, ProgrammeUniversity, Proposal, University
from tests.support.admin_pages import add_row, change_url, errors_of, form_data, row_index
from tests.support.factories import (
    ProgrammeFactory,
    StaffUserFactory,
    UniversityFactory,
    UserFactory,
)
from tests.support.proposal_flow import publish_after_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def uni_a():
    return UniversityFactory(name="University A", slug="uni-a")


@pytest.fixture
def uni_b():
    return UniversityFactory(name="University B", slug="uni-b")


@pytest.fixture
def programme_a(uni_a):
    return ProgrammeFactory(title="A's programme", slug="a-programme", universities=[uni_a])


@pytest.fixture
def programme_b(uni_b):
    return ProgrammeFactory(title="B's programme", slug="b-programme", universities=[uni_b])


@pytest.fixture
def joint(uni_a, uni_b):
    return ProgrammeFactory(title="Joint programme", slug="joint", universities=[uni_a, uni_b])


@pytest.fixture
def staff_a(client, uni_a):
    """A test client logged in as admissions staff of university A."""
    client.force_login(StaffUserFactory(username="staff-a", universities=[uni_a]))
    return client


def changelist_titles(client):
    response = client.get(reverse("admin:programs_programme_changelist"))
    assert response.status_code == 200
    return sorted(programme.title for programme in response.context["cl"].result_list)


def test_editable_by_lists_each_programme_of_the_staff_members_universities_once():
    a, b, c = UniversityFactory.create_batch(3)
    user = StaffUserFactory(universities=[a, b])
    joint = ProgrammeFactory(universities=[a, b])
    own = ProgrammeFactory(universities=[a])
    ProgrammeFactory(universities=[c])

    assert list(Programme.objects.editable_by(user).order_by("pk")) == [joint, own]


def test_editable_by_gives_superusers_everything_and_others_nothing():
    university = UniversityFactory()
    programme = ProgrammeFactory(universities=[university])
    superuser = UserFactory(is_staff=True, is_superuser=True)
    not_staff = UserFactory(is_staff=False)
    university.staff.add(not_staff)

    assert list(Programme.objects.editable_by(superuser)) == [programme]
    assert not Programme.objects.editable_by(not_staff).exists()
    assert not Programme.objects.editable_by(AnonymousUser()).exists()


def test_staff_list_only_their_universities_programmes(staff_a, programme_a, programme_b, joint):
    assert changelist_titles(staff_a) == ["A's programme", "Joint programme"]


def test_superuser_lists_every_programme(client, programme_a, programme_b, joint):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert changelist_titles(client) == ["A's programme", "B's programme", "Joint programme"]


@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_another_universitys_programme_looks_the_same_as_one_that_does_not_exist(
    staff_a, programme_b, page
):
    """Not found either way, so typed URLs can't probe which ids exist."""
    url = reverse(f"admin:programs_programme_{page}", args=[programme_b.pk])
    missing = reverse(f"admin:programs_programme_{page}", args=[programme_b.pk + 1000])

    assert (staff_a.get(url).status_code, staff_a.get(missing).status_code) == (404, 404)


def test_staff_cannot_open_an_earlier_version_of_another_universitys_programme(
    staff_a, programme_b
):
    record = programme_b.history.latest()
    url = reverse("admin:programs_programme_simple_history", args=[programme_b.pk, record.pk])
    missing = reverse(
        "admin:programs_programme_simple_history", args=[programme_b.pk + 1000, record.pk + 1000]
    )

    assert (staff_a.get(url).status_code, staff_a.get(missing).status_code) == (404, 404)
    assert staff_a.post(url, {"title": "Hijacked", "_save": "1"}).status_code == 404
    programme_b.refresh_from_db()
    assert programme_b.title == "B's programme"


def test_staff_see_the_history_of_a_deleted_programme_as_not_found(staff_a, programme_a):
    """Once deleted, a programme is no university's: only superusers may read its history."""
    url = reverse("admin:programs_programme_history", args=[programme_a.pk])
    programme_a.delete()

    assert staff_a.get(url).status_code == 404


def test_staff_cannot_change_or_delete_another_universitys_programme(
    staff_a, programme_a, programme_b
):
    # A form as staff would post it, aimed at B's programme.
    data = form_data(staff_a.get(change_url(programme_a)))
    data["title"] = "Hijacked"

    changed = staff_a.post(change_url(programme_b), data)
    deleted = staff_a.post(
        reverse("admin:programs_programme_delete", args=[programme_b.pk]), {"post": "yes"}
    )
    bulk = staff_a.post(
        reverse("admin:programs_programme_changelist"),
        {"action": "delete_selected", "_selected_action": [programme_b.pk], "post": "yes"},
    )

    assert changed.status_code == 404
    assert deleted.status_code == 404
    assert bulk.status_code in {200, 302}
    assert Programme.objects.get(pk=programme_b.pk).title == "B's programme"


def test_staff_can_delete_their_own_programme(staff_a, programme_a):
    response = staff_a.post(
        reverse("admin:programs_programme_delete", args=[programme_a.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Programme.objects.filter(pk=programme_a.pk).exists()


def test_one_partners_staff_cannot_delete_a_joint_programme(client, staff_a, joint, uni_a, uni_b):
    """Deleting would take the programme from the other partner too; editing it is allowed."""
    delete_url = reverse("admin:programs_programme_delete", args=[joint.pk])

    single = staff_a.post(delete_url, {"post": "yes"})
    bulk = staff_a.post(
        reverse("admin:programs_programme_changelist"),
        {"action": "delete_selected", "_selected_action": [joint.pk], "post": "yes"},
    )

    assert single.status_code == 403
    assert bulk.status_code == 403
    assert Programme.objects.filter(pk=joint.pk).exists()
    assert "deletelink" not in staff_a.get(change_url(joint)).content.decode()

    # Staff of both partners may delete it.
    client.force_login(StaffUserFactory(username="staff-ab", universities=[uni_a, uni_b]))
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Programme.objects.filter(pk=joint.pk).exists()


def test_staff_cannot_move_their_programme_to_another_university(
    staff_a, programme_a, uni_a, uni_b
):
    data = form_data(staff_a.get(change_url(programme_a)))
    data[f"offerings-{row_index(data, 'offerings', 'university', str(uni_a.pk))}-university"] = str(
        uni_b.pk
    )

    response = staff_a.post(change_url(programme_a), data)

    assert response.status_code == 200
    assert "Select a valid choice" in errors_of(response)
    assert list(programme_a.universities.all()) == [uni_a]


def test_staff_cannot_attach_another_university_as_partner(staff_a, programme_a, uni_a, uni_b):
    data = form_data(staff_a.get(change_url(programme_a)))
    add_row(data, "offerings", university=str(uni_b.pk), role="partner", position="1")

    response = staff_a.post(change_url(programme_a), data)

    assert response.status_code == 200
    assert "Select a valid choice" in errors_of(response)
    assert list(programme_a.universities.all()) == [uni_a]


def test_staff_cannot_add_a_programme_offered_only_by_another_university(staff_a, uni_b):
    url = reverse("admin:programs_programme_add")
    data = form_data(staff_a.get(url))
    data.update({"title": "Planted", "slug": "planted", "offerings-0-university": str(uni_b.pk)})

    response = staff_a.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in errors_of(response)
    assert not Programme.objects.filter(slug="planted").exists()


def test_staff_add_a_programme_for_their_university_as_a_draft(staff_a, uni_a):
    url = reverse("admin:programs_programme_add")
    data = form_data(staff_a.get(url))
    data.update({"title": "New", "slug": "new", "offerings-0-university": str(uni_a.pk)})

    response = staff_a.post(url, data)

    assert response.status_code == 302, errors_of(response)
    programme = Programme.objects.get(slug="new")
    assert (list(programme.universities.all()), programme.published) == ([uni_a], False)


def test_joint_programme_is_editable_by_staff_of_each_partner(client, joint, uni_a, uni_b):
    """It is published: the first partner's edit starts its proposal, the second's edits that."""
    for number, university in enumerate([uni_a, uni_b], start=1):
        client.force_login(StaffUserFactory(username=f"staff-{number}", universities=[university]))
        data = form_data(client.get(change_url(joint)))
        data["summary"] = f"Edited by staff {number}"

        response = client.post(change_url(joint), data)

        assert response.status_code == 302, errors_of(response)
        proposal = Proposal.objects.get(programme=joint)
        assert proposal.proposed["programme"]["summary"] == f"Edited by staff {number}"
    approver = StaffUserFactory(username="approver", universities=[uni_b], approves_proposals=True)
    publish_after_review(joint, approver)
    joint.refresh_from_db()
    assert joint.summary == "Edited by staff 2"


def test_staff_cannot_remove_a_partners_part_in_a_joint_programme(staff_a, joint, uni_b):
    data = form_data(staff_a.get(change_url(joint)))
    data[f"offerings-{row_index(data, 'offerings', 'university', str(uni_b.pk))}-DELETE"] = "on"

    response = staff_a.post(change_url(joint), data)

    assert response.status_code == 200
    assert "Only staff of University B can change or remove its part" in errors_of(response)
    assert joint.universities.count() == 2


def test_staff_must_keep_one_of_their_universities_on_a_joint_programme(staff_a, joint, uni_a):
    data = form_data(staff_a.get(change_url(joint)))
    data[f"offerings-{row_index(data, 'offerings', 'university', str(uni_a.pk))}-DELETE"] = "on"

    response = staff_a.post(change_url(joint), data)

    assert response.status_code == 200
    assert "must stay offered by at least one of your universities" in errors_of(response)
    assert ProgrammeUniversity.objects.filter(programme=joint, university=uni_a).exists()


def test_university_autocomplete_offers_staff_only_their_own_universities(
    staff_a, uni_a, uni_b, programme_a
):
    response = staff_a.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "programs",
            "model_name": "programmeuniversity",
            "field_name": "university",
            "term": "University",
        },
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["University A"]


def test_language_autocomplete_works_for_staff(staff_a, language_factory):
    language_factory(code="de", name="German")
    response = staff_a.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "programs",
            "model_name": "programme",
            "field_name": "languages",
            "term": "ger",
        },
    )

    assert [result["id"] for result in response.json()["results"]] == ["de"]


def test_staff_may_look_at_universities_but_not_change_them_or_their_staff(staff_a, uni_a):
    url = reverse("admin:programs_university_change", args=[uni_a.pk])

    page = staff_a.get(url)
    post = staff_a.post(url, {"name": "Renamed", "slug": "uni-a", "country": "DE"})

    assert page.status_code == 200
    assert "staff" not in page.context["adminform"].form.fields
    assert post.status_code == 403
    assert University.objects.get(pk=uni_a.pk).name == "University A"


def test_view_on_site_reveals_no_other_universitys_draft(staff_a, programme_a, programme_b):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Programme).pk
    Programme.objects.filter(pk__in=[programme_a.pk, programme_b.pk]).update(published=False)

    def view_on_site(programme_id):
        return staff_a.get(f"/admin/r/{content_type}/{programme_id}/")

    own = view_on_site(programme_a.pk)
    assert own.status_code == 302
    assert own["Location"].endswith("/programmes/a-programme/")
    # Another university's draft looks exactly like an id that doesn't exist.
    assert view_on_site(programme_b.pk).status_code == 404
    assert view_on_site(999999).status_code == 404
    assert b"b-programme" not in view_on_site(programme_b.pk).content
    # Once published, its address is public anyway.
    Programme.objects.filter(pk=programme_b.pk).update(published=True)
    assert view_on_site(programme_b.pk)["Location"].endswith("/programmes/b-programme/")


@pytest.mark.parametrize("posted_id", ["999999", "abc", "another programme's row"])
def test_an_offering_row_that_is_not_the_programmes_gets_the_conflict_message_not_an_error(
    staff_a, joint, programme_b, posted_id
):
    """A tampered id, or a row someone else removed while the form was open: nothing is saved."""
    data = form_data(staff_a.get(change_url(joint)))
    if posted_id == "another programme's row":
        posted_id = str(programme_b.offerings.get().pk)
    data["offerings-0-id"] = posted_id
    data["title"] = "Renamed"

    response = staff_a.post(change_url(joint), data)

    assert response.status_code == 200
    assert "Someone else saved this programme since you opened it" in errors_of(response)
    joint.refresh_from_db()
    assert joint.title != "Renamed"
    assert joint.offerings.count() == 2


def test_a_partner_row_removed_meanwhile_gets_the_conflict_message(client, staff_a, joint, uni_b):
    data = form_data(staff_a.get(change_url(joint)))
    # A superuser removes the partner's row while the staff member has the form open.
    joint.offerings.filter(university=uni_b).delete()

    response = staff_a.post(change_url(joint), {**data, "title": "Renamed"})

    assert response.status_code == 200
    assert "Someone else saved this programme since you opened it" in errors_of(response)


def test_staff_see_public_universities_and_their_own_but_not_others_unpublished(
    client, staff_a, uni_a, programme_b, uni_b
):
    """Decision: a university offering nothing published yet is for its own staff only."""
    hidden = UniversityFactory(name="Uni Not Yet Public", slug="uni-hidden")
    listing = staff_a.get(reverse("admin:programs_university_changelist")).content.decode()
    hidden_page = staff_a.get(reverse("admin:programs_university_change", args=[hidden.pk]))
    autocomplete = staff_a.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "programs",
            "model_name": "programmeuniversity",
            "field_name": "university",
            "term": "Uni",
        },
    )

    assert uni_a.name in listing
    assert uni_b.name in listing  # offers a published programme: public anyway
    assert hidden.name not in listing
    assert hidden_page.status_code == 302  # "doesn't exist", as for a missing id
    assert hidden.name not in autocomplete.content.decode()

    # Its own staff, and superusers, do see it.
    client.force_login(StaffUserFactory(username="staff-hidden", universities=[hidden]))
    assert (
        hidden.name in client.get(reverse("admin:programs_university_changelist")).content.decode()
    )

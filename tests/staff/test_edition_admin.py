"""Catalog editions in the admin: the list, opening an edition, publishing and archiving it from
its page, addenda, who may do what, and the edition a proposal's page names."""

import datetime
import json

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from programs.actions.editions import archive_edition, open_edition, publish_edition
from programs.models import Addendum, Edition, EditionProgramme, Programme
from programs.staff import edition_admin
from tests.support import factories

pytestmark = pytest.mark.django_db

# Noon in Berlin (the catalog's time zone) on 1 October 2026: in the 2026/27 academic year.
IN_2026_27 = datetime.datetime(2026, 10, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def autumn_2026():
    with time_machine.travel(IN_2026_27, tick=False):
        yield


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni A", slug="uni-a")


@pytest.fixture
def programmes(university):
    return [
        factories.ProgrammeFactory(title="Health Data Science", universities=[university]),
        factories.ProgrammeFactory(title="Medical Informatics", universities=[university]),
    ]


@pytest.fixture
def manager():
    user = factories.StaffUserFactory(username="erika")
    user.user_permissions.add(Permission.objects.get(codename="manage_editions"))
    return user


@pytest.fixture
def staff():
    """A staff member without the permission to manage editions: may only look."""
    return factories.StaffUserFactory(username="sven")


def current_edition(starts_in=2026, publishes_on=datetime.date(2026, 9, 1)):
    edition = open_edition(starts_in, publishes_on)
    return publish_edition(edition, datetime.date(2026, 10, 1))


def archived_edition():
    """2025/26, archived: 2026/27 took over on 1 September 2026."""
    old = publish_edition(open_edition(2025, datetime.date(2025, 9, 1)), datetime.date(2025, 9, 1))
    publish_edition(open_edition(2026, datetime.date(2026, 9, 1)), datetime.date(2026, 10, 1))
    old.refresh_from_db()
    assert old.is_archived
    return old


def page_url(edition):
    return reverse("admin:programs_edition_change", args=[edition.pk])


def archive_url(edition):
    return reverse("admin:programs_edition_archive", args=[edition.pk])


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_each_edition_with_its_state_dates_and_frozen_programmes(
    client, staff, programmes
):
    archived_edition()
    open_edition(2027, datetime.date(2027, 9, 1))
    client.force_login(staff)

    html = client.get(reverse("admin:programs_edition_changelist")).content.decode()

    rows = html[html.index("<tbody>") : html.index("</tbody>")]
    assert [row.split("</a>")[0].rsplit(">", 1)[1] for row in rows.split("<tr")[1:]] == [
        "2027/28",
        "2026/27",
        "2025/26",
    ]
    row_2025 = rows.split("<tr")[3]
    assert "archived" in row_2025 and "1 September 2025" in row_2025
    assert '<td class="field-frozen">2</td>' in row_2025
    assert "upcoming" in rows.split("<tr")[1] and "current" in rows.split("<tr")[2]


def test_the_list_says_each_state_in_the_staff_members_language(client, staff):
    current_edition()
    open_edition(2027, datetime.date(2027, 9, 1))
    client.force_login(staff)

    url = reverse("admin:programs_edition_changelist")
    german = client.get("/de" + url).content.decode()
    italian = client.get("/it" + url).content.decode()
    swedish = client.get("/sv" + url).content.decode()

    assert "aktuell" in german and "bevorstehend" in german
    assert "attuale" in italian and "in arrivo" in italian
    assert "aktuell" in swedish and "kommande" in swedish
    assert "Katalogausgaben" in german


# --- opening ------------------------------------------------------------------------------------


def test_opening_an_edition_in_the_admin_makes_an_upcoming_one(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("admin:programs_edition_add"),
        {"starts_in": "2027", "publishes_on": "2027-09-01"},
    )

    edition = Edition.objects.get()
    assert response.status_code == 302 and response.url == page_url(edition)
    assert (edition.label, edition.publishes_on, edition.published) == (
        "2027/28",
        datetime.date(2027, 9, 1),
        False,
    )
    assert said(response) == ["The 2027/28 edition is open: publish it when it is ready."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"starts_in": "2026", "publishes_on": "2026-10-01"},
            "The 2026/27 edition exists already.",
        ),
        (
            {"starts_in": "2027", "publishes_on": "2026-08-01"},
            "Editions become current in the order of their years: choose another date.",
        ),
    ],
    ids=["same year", "date before the edition before"],
)
def test_opening_is_refused_with_the_reason_and_writes_nothing(client, manager, data, message):
    current_edition()
    client.force_login(manager)

    response = client.post(reverse("admin:programs_edition_add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Edition.objects.values_list("starts_in", flat=True)) == [2026]


def test_a_year_outside_2000_to_2099_is_refused_by_the_form(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("admin:programs_edition_add"), {"starts_in": "1999", "publishes_on": "1999-09-01"}
    )

    assert response.status_code == 200
    assert "greater than or equal to 2000" in response.content.decode()
    assert not Edition.objects.exists()


# --- publishing ---------------------------------------------------------------------------------


def test_a_published_edition_becomes_current_on_its_date(client, manager):
    current_edition()
    upcoming = open_edition(2027, datetime.date(2027, 9, 1))
    client.force_login(manager)

    response = client.post(page_url(upcoming), {"_publish": ""})

    assert said(response) == ["Published: it becomes the current catalog on 1 September 2027."]
    assert Edition.objects.current().label == "2026/27"
    with time_machine.travel(datetime.datetime(2027, 8, 31, 12, tzinfo=datetime.UTC)):
        assert Edition.objects.current().label == "2026/27"
    with time_machine.travel(datetime.datetime(2027, 9, 1, 8, tzinfo=datetime.UTC)):
        assert Edition.objects.current().label == "2027/28"


def test_publishing_for_today_archives_the_edition_it_takes_over_from_at_once(
    client, manager, programmes
):
    old = publish_edition(open_edition(2025, datetime.date(2025, 9, 1)), datetime.date(2025, 9, 1))
    new = open_edition(2026, datetime.date(2026, 10, 1))
    client.force_login(manager)

    response = client.post(page_url(new), {"_publish": ""})

    old.refresh_from_db()
    assert said(response) == ["Published: it is the current catalog now."]
    assert Edition.objects.current() == new
    assert old.is_archived and old.programmes.count() == 2


def test_publishing_twice_is_refused_with_a_message(client, manager):
    edition = current_edition()
    client.force_login(manager)

    response = client.post(page_url(edition), {"_publish": ""})

    assert said(response) == ["This edition is published already."]


def test_an_upcoming_editions_day_moves_from_its_page(client, manager, staff):
    current_edition()
    upcoming = open_edition(2027, datetime.date(2027, 9, 2))
    client.force_login(manager)

    moved = client.post(page_url(upcoming), {"_move": "", "publishes_on": "2027-09-01"})
    refused = client.post(page_url(upcoming), {"_move": "", "publishes_on": "2026-08-01"})
    not_a_date = client.post(page_url(upcoming), {"_move": "", "publishes_on": "soon"})
    client.force_login(staff)
    forbidden = client.post(page_url(upcoming), {"_move": "", "publishes_on": "2027-10-01"})

    assert said(moved) == ["It becomes current on 1 September 2027 now."]
    assert said(refused)[-1] == (
        "Editions become current in the order of their years: choose another date."
    )
    assert said(not_a_date)[-1] == "Enter a valid date."
    assert forbidden.status_code == 403
    assert Edition.objects.get(pk=upcoming.pk).publishes_on == datetime.date(2027, 9, 1)


def test_the_current_editions_page_offers_no_move(client, manager):
    edition = current_edition()
    client.force_login(manager)

    page = client.get(page_url(edition)).content.decode()

    assert "Move to this day" not in page


# --- archiving ----------------------------------------------------------------------------------


def test_the_archive_page_says_how_many_programmes_it_freezes_and_that_it_is_for_good(
    client, manager, programmes
):
    edition = current_edition()
    client.force_login(manager)

    html = client.get(archive_url(edition)).content.decode()

    assert "Archiving the 2026/27 edition freezes 2 published programmes" in html
    assert "This can't be undone" in html
    assert not edition.programmes.exists()


def test_archiving_from_the_admin_freezes_the_published_programmes_once(
    client, manager, programmes
):
    edition = current_edition()
    client.force_login(manager)

    first = client.post(archive_url(edition))
    again = client.post(archive_url(edition))

    edition.refresh_from_db()
    assert first.url == page_url(edition)
    assert said(first) == ["The 2026/27 edition is archived: its pages no longer change."]
    assert said(again)[-1] == "This edition is archived already."
    assert edition.is_archived and edition.programmes.count() == 2
    page = client.get(page_url(edition)).content.decode()
    assert "Programmes frozen" in page and "Archive…" not in page


def test_above_the_limit_the_page_names_the_command_instead_of_archiving(
    client, manager, programmes, monkeypatch
):
    monkeypatch.setattr(edition_admin, "ARCHIVE_IN_ADMIN_MAX", 1)
    edition = current_edition()
    client.force_login(manager)

    html = client.get(archive_url(edition)).content.decode()
    refused = client.post(archive_url(edition))

    message = (
        "2 programmes are too many to archive in the admin (at most 1). Run "
        "`manage.py archive_edition 2026-27` on the server, which shows its progress."
    )
    assert message.replace("`", "") in html.replace("`", "")
    assert "Yes, archive it" not in html
    assert said(refused) == [message]
    edition.refresh_from_db()
    assert not edition.is_archived and not EditionProgramme.objects.exists()


def test_publishing_for_today_above_the_limit_names_the_command(
    client, manager, programmes, monkeypatch
):
    monkeypatch.setattr(edition_admin, "ARCHIVE_IN_ADMIN_MAX", 1)
    publish_edition(open_edition(2025, datetime.date(2025, 9, 1)), datetime.date(2025, 9, 1))
    new = open_edition(2026, datetime.date(2026, 10, 1))
    client.force_login(manager)

    response = client.post(page_url(new), {"_publish": ""})

    assert "`manage.py publish_edition 2026-27`" in said(response)[0]
    new.refresh_from_db()
    assert not new.published and not Edition.objects.archived().exists()


# --- who may do what ----------------------------------------------------------------------------


def test_staff_without_the_permission_see_editions_but_may_not_change_them(
    client, staff, programmes
):
    edition = current_edition()
    upcoming = open_edition(2027, datetime.date(2027, 9, 1))
    client.force_login(staff)

    assert client.get(reverse("admin:programs_edition_changelist")).status_code == 200
    page = client.get(page_url(edition))
    assert page.status_code == 200 and "2026/27" in page.content.decode()
    assert "Archive…" not in page.content.decode()
    assert client.get(reverse("admin:programs_edition_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:programs_edition_add"),
            {"starts_in": "2028", "publishes_on": "2028-09-01"},
        ).status_code
        == 403
    )
    assert client.post(page_url(upcoming), {"_publish": ""}).status_code == 403
    assert client.get(archive_url(edition)).status_code == 403
    assert client.post(archive_url(edition)).status_code == 403
    assert client.post(page_url(edition), {"_addendum": "", "text": "x"}).status_code == 403
    upcoming.refresh_from_db()
    edition.refresh_from_db()
    assert not upcoming.published and not edition.is_archived
    assert Edition.objects.count() == 2


def test_people_who_are_not_staff_are_sent_to_sign_in(client):
    edition = current_edition()
    client.force_login(factories.UserFactory())

    response = client.get(page_url(edition))

    assert response.status_code == 302 and "/admin/login/" in response.url


def test_an_edition_is_never_deleted_in_the_admin(client, manager):
    edition = current_edition()
    client.force_login(manager)

    response = client.post(
        reverse("admin:programs_edition_delete", args=[edition.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Edition.objects.filter(pk=edition.pk).exists()


# --- addenda ------------------------------------------------------------------------------------


def add(client, edition, text, entry="", dated="2026-10-01"):
    return client.post(
        page_url(edition), {"_addendum": "", "dated": dated, "text": text, "entry": entry}
    )


def test_an_addendum_shows_on_the_archived_public_page(client, manager, programmes):
    old = archived_edition()
    entry = old.programmes.get(title="Health Data Science")
    client.force_login(manager)

    response = add(client, old, "The module list omitted Statistics II.", entry=entry.pk)

    assert said(response) == ["The addendum is added to the edition's pages."]
    addendum = Addendum.objects.get()
    assert (addendum.entry, addendum.written_by, addendum.dated) == (
        entry,
        manager,
        datetime.date(2026, 10, 1),
    )
    client.logout()
    public = client.get(entry.get_absolute_url()).content.decode()
    assert "The module list omitted Statistics II." in public
    other = old.programmes.get(title="Medical Informatics")
    assert "Statistics II" not in client.get(other.get_absolute_url()).content.decode()


def test_an_addendum_about_the_whole_edition_shows_on_its_list(client, manager, programmes):
    old = archived_edition()
    client.force_login(manager)

    add(client, old, "Fees are per semester throughout.")

    client.logout()
    public_list = client.get(old.get_absolute_url()).content.decode()
    assert "Fees are per semester throughout." in public_list


def test_an_addendum_is_refused_on_a_live_edition(client, manager):
    edition = current_edition()
    client.force_login(manager)

    page = client.get(page_url(edition)).content.decode()
    response = add(client, edition, "A correction.")

    assert "Add the addendum" not in page
    assert said(response) == [
        "Addenda correct archived editions; this one still shows the live catalog."
    ]
    assert not Addendum.objects.exists()


def test_a_too_long_addendum_is_refused_by_the_form(client, manager, programmes):
    old = archived_edition()
    client.force_login(manager)

    response = add(client, old, "x" * 5001)

    assert response.status_code == 200
    assert "Ensure this value has at most 5000 characters" in response.content.decode()
    assert not Addendum.objects.exists()


def test_an_addendum_names_only_a_programme_of_its_own_edition(client, manager, programmes):
    old = archived_edition()
    current = Edition.objects.current()
    archive_edition(current)
    elsewhere = current.programmes.first()
    client.force_login(manager)

    response = add(client, old, "A correction.", entry=elsewhere.pk)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Addendum.objects.exists()


def test_the_programme_choice_searches_the_editions_programmes_by_title(
    client, manager, programmes
):
    old = archived_edition()
    client.force_login(manager)
    url = reverse("admin:programs_edition_programmes", args=[old.pk])

    page = client.get(page_url(old)).content.decode()
    found = json.loads(client.get(url, {"term": "medical"}).content)
    everything = json.loads(client.get(url, {"term": "", "page": "x"}).content)

    medical = old.programmes.get(title="Medical Informatics")
    assert found == {
        "results": [{"id": str(medical.pk), "text": f"Medical Informatics ({medical.slug})"}],
        "pagination": {"more": False},
    }
    assert f'data-ajax--url="{url}"' in page  # the form's searchable choice asks this edition
    assert [row["text"].split(" (")[0] for row in everything["results"]] == [
        "Health Data Science",
        "Medical Informatics",
    ]


def test_addenda_are_never_changed_or_deleted_in_the_admin(client, manager, programmes):
    old = archived_edition()
    client.force_login(manager)
    add(client, old, "A correction.")

    page = client.get(page_url(old)).content.decode()

    assert "A correction." in page
    assert "to correct one, add another" in page
    # There is no admin of addenda on their own: no address edits or deletes one.
    with pytest.raises(Exception, match="Reverse"):
        reverse("admin:programs_addendum_change", args=[Addendum.objects.get().pk])


# --- the proposal's edition ---------------------------------------------------------------------


def test_the_proposal_page_names_the_edition_the_proposal_goes_live_in(client, university):
    from tests.staff.test_proposal_pages import propose

    programme = factories.ProgrammeFactory(title="Health Data Science", universities=[university])
    factories.ModuleFactory(programme=programme, title="Statistics")
    proposer = factories.StaffUserFactory(username="paula", universities=[university])
    proposal = propose(programme, proposer)
    client.force_login(proposer)
    url = reverse("admin:programs_proposal_change", args=[proposal.pk])

    none_yet = client.get(url).content.decode()
    current_edition()
    open_edition(2027, datetime.date(2027, 9, 1))
    now = client.get(url).content.decode()
    proposal.effective_at = datetime.datetime(2027, 10, 1, 8, tzinfo=datetime.UTC)
    proposal.save(update_fields=["effective_at"])
    next_year = client.get(url).content.decode()

    assert "No catalog edition covers this date" in none_yet
    assert "Goes live in the 2026/27 catalog edition (current)" in now
    assert "Goes live in the 2027/28 catalog edition (upcoming)" in next_year
    german = client.get("/de" + url).content.decode()
    assert "Katalogausgabe 2027/28" in german


def test_programmes_stay_as_they_are_when_an_edition_is_opened(client, manager, programmes):
    client.force_login(manager)

    client.post(reverse("admin:programs_edition_add"), {"starts_in": "2026", "publishes_on": ""})

    assert not Edition.objects.exists()
    assert Programme.objects.published().count() == 2


@pytest.mark.parametrize("addenda", [1, 4])
def test_the_edition_page_and_list_run_a_fixed_number_of_queries(
    client, manager, programmes, addenda, django_assert_num_queries
):
    from programs.actions.editions import add_addendum

    old = archived_edition()
    for number, entry in zip(range(addenda), [*old.programmes.all()] * 2, strict=False):
        add_addendum(old, f"Correction {number}.", manager, entry=entry)
    client.force_login(manager)
    client.get(page_url(old))  # the session's first page reads the user once more

    # The session, the user, the edition, the user's permissions (twice: the admin's menu and
    # this page's steps), the addenda with their programmes, editions and writers.
    with django_assert_num_queries(6):
        page = client.get(page_url(old))
    with django_assert_num_queries(7):
        listed = client.get(reverse("admin:programs_edition_changelist"))

    assert page.content.decode().count("Correction ") == addenda
    assert listed.status_code == 200

"""The commands that set up admissions staff: their group, and an account per person."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.support import factories

pytestmark = pytest.mark.django_db

EDITED = ["programme", "programmeuniversity", "factsource", "semester", "track", "module"]
EDITED += ["admissionrequirement", "applicationdeadline", "tuition", "career"]


class Terminal(io.StringIO):
    """Standard input that claims to be an interactive terminal."""

    def isatty(self):
        return True


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def group_permissions():
    group = Group.objects.get(name="Admissions staff")
    return set(group.permissions.values_list("codename", flat=True))


def test_staff_group_gets_exactly_the_permissions_staff_need():
    run("create_staff_group")

    expected = {f"{action}_{model}" for model in EDITED for action in ("add", "change", "delete")}
    expected |= {f"view_{model}" for model in [*EDITED, "university", "language"]}
    assert group_permissions() == expected


def test_running_create_staff_group_again_resets_the_group_and_adds_nothing():
    run("create_staff_group")
    group = Group.objects.get(name="Admissions staff")
    group.permissions.add(Permission.objects.get(codename="change_university"))
    before = Group.objects.count()

    run("create_staff_group")

    assert "change_university" not in group_permissions()
    assert Group.objects.count() == before


@pytest.fixture
def universities():
    return [
        factories.UniversityFactory(slug="rwth-aachen", name="RWTH Aachen"),
        factories.UniversityFactory(slug="kth", name="KTH"),
    ]


def test_create_staff_user_links_universities_and_leaves_no_usable_password(universities):
    output = run(
        "create_staff_user",
        "alice",
        "--university",
        "rwth-aachen",
        "--university",
        "kth",
        "--email",
        "alice@example.org",
        "--no-input",
    )

    alice = get_user_model().objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser
    assert alice.email == "alice@example.org"
    assert set(alice.universities.all()) == set(universities)
    assert list(alice.groups.values_list("name", flat=True)) == ["Admissions staff"]
    assert not alice.has_usable_password()
    assert "manage.py changepassword alice" in output


def test_create_staff_user_reads_the_password_from_standard_input(client, universities):
    run(
        "create_staff_user",
        "bob",
        "--university",
        "kth",
        "--password-stdin",
        stdin=io.StringIO("a long pass phrase 2026\n"),
    )

    signed_in = client.post(
        reverse("admin:login"),
        {"username": "bob", "password": "a long pass phrase 2026"},
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("admin:programs_programme_changelist")).status_code == 200


def test_create_staff_user_asks_twice_at_a_terminal(monkeypatch, universities):
    answers = iter(["another pass phrase 77", "another pass phrase 77"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    run("create_staff_user", "carol", "--university", "kth", stdin=Terminal())

    assert get_user_model().objects.get(username="carol").check_password("another pass phrase 77")


def test_create_staff_user_refuses_passwords_that_differ_or_are_weak(monkeypatch, universities):
    answers = iter(["one pass phrase 11", "another pass phrase 22"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="differ"):
        run("create_staff_user", "carol", "--university", "kth", stdin=Terminal())
    with pytest.raises(CommandError, match="Password rejected"):
        run(
            "create_staff_user",
            "carol",
            "--university",
            "kth",
            "--password-stdin",
            stdin=io.StringIO("password\n"),
        )
    assert not get_user_model().objects.filter(username="carol").exists()


def test_create_staff_user_names_an_unknown_university_and_creates_nobody(universities):
    with pytest.raises(CommandError, match="Unknown university slug\\(s\\): nowhere"):
        run("create_staff_user", "dave", "--university", "nowhere", "--no-input")

    assert not get_user_model().objects.filter(username="dave").exists()


def test_create_staff_user_for_an_existing_user_adds_a_university_and_keeps_the_password(
    universities,
):
    run(
        "create_staff_user",
        "erin",
        "--university",
        "kth",
        "--password-stdin",
        stdin=io.StringIO("erin's pass phrase 99\n"),
    )

    run("create_staff_user", "erin", "--university", "rwth-aachen", "--no-input")

    erin = get_user_model().objects.get(username="erin")
    assert set(erin.universities.all()) == set(universities)
    assert erin.check_password("erin's pass phrase 99")

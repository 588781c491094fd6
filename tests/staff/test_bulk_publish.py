"""Issue 30: "Publish the selected programmes" asks first, as the change form does, when drafts
leave core facts not stated: a page lists what each one lacks, and only its button publishes."""

import html

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from programs.models import Programme
from tests.support import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:programs_programme_changelist"


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni A")


@pytest.fixture
def incomplete(university):
    """A draft stating its degree and ECTS only."""
    return factories.draft_lacking_core_facts(university)


@pytest.fixture
def complete(university):
    """A draft stating every core fact."""
    return factories.ProgrammeFactory(
        title="Medical Informatics",
        degree="Master of Science",
        universities=[university],
        published=False,
        level="master",
        ects=120,
        duration_as_stated="two years",
        study_mode="full-time",
        start_term="autumn",
        languages=[factories.LanguageFactory(code="en")],
    )


@pytest.fixture
def alice(client, university):
    client.force_login(factories.StaffUserFactory(username="alice", universities=[university]))
    return client


def publish(client, programmes, language="en", **extra):
    with translation.override(language):
        url = reverse(CHANGELIST)
    data = {"action": "publish", "_selected_action": [p.pk for p in programmes], **extra}
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)


def text(response):
    return html.unescape(" ".join(strip_tags(response.content.decode()).split()))


def published(*programmes):
    return [Programme.objects.get(pk=p.pk).published for p in programmes]


def test_publishing_drafts_without_core_facts_asks_with_a_checklist(alice, incomplete, complete):
    response = publish(alice, [incomplete, complete])

    assert response.status_code == 200
    assert published(incomplete, complete) == [False, False]  # nothing published yet
    page = text(response)
    assert "These drafts leave some of them not stated: Health Data Science Level" in page
    for missing in ("Standard period of study", "Teaching languages", "Study mode"):
        assert missing in page
    assert "Start of studies" in page
    assert "Medical Informatics" not in page  # it states them all
    assert 'value="Publish even though core facts are not stated"' in response.content.decode()


def test_the_confirm_button_publishes_every_selected_programme(alice, incomplete, complete):
    asked = publish(alice, [incomplete, complete])
    content = asked.content.decode()
    # The page's form sends back the action, every selected programme and the confirmation.
    for pk in (incomplete.pk, complete.pk):
        assert f'name="_selected_action" value="{pk}"' in content
    assert 'name="action" value="publish"' in content

    response = publish(alice, [incomplete, complete], publish_confirmed="yes")

    assert response.status_code == 302
    assert published(incomplete, complete) == [True, True]


def test_drafts_stating_their_core_facts_publish_without_asking(alice, complete):
    response = publish(alice, [complete])

    assert response.status_code == 302
    assert published(complete) == [True]


def test_the_checklist_speaks_the_staff_members_language(alice, incomplete):
    response = publish(alice, [incomplete], language="de")

    page = text(response)
    assert "Ohne Kernangaben veröffentlichen?" in page
    assert "Bei diesen Entwürfen fehlen einige davon" in page
    assert 'value="Veröffentlichen, obwohl Kernangaben fehlen"' in response.content.decode()
    assert not Programme.objects.get(pk=incomplete.pk).published

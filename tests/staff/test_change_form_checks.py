"""Issue 30: the programme change form asks before publishing a programme without its core facts,
and sums up its errors at the top, each linked to its field."""

import html
import re

import pytest
from django.utils.html import strip_tags

from programs.models import Programme
from tests.support import factories
from tests.support.admin_pages import change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """A draft stating its degree and ECTS only."""
    return factories.draft_lacking_core_facts(factories.UniversityFactory(name="Uni A"))


@pytest.fixture
def alice(client, draft):
    client.force_login(
        factories.StaffUserFactory(
            username="alice", universities=draft.universities.all(), publishes_directly=True
        )
    )
    return client


def text(response):
    return html.unescape(" ".join(strip_tags(response.content.decode()).split()))


def test_publishing_without_core_facts_asks_with_a_checklist(alice, draft):
    data = form_data(alice.get(change_url(draft)))
    data["published"] = "on"
    response = alice.post(change_url(draft), data)

    assert response.status_code == 200  # the form again, nothing saved
    draft.refresh_from_db()
    assert not draft.published
    errors = response.context["adminform"].form.errors["published"]
    assert list(errors)[1:] == [
        "Level",
        "Standard period of study",
        "Teaching languages",
        "Study mode",
        "Start of studies",
    ]
    assert "Publish even though core facts are not stated" in text(response)


def test_ticking_publish_even_though_publishes(alice, draft):
    data = form_data(alice.get(change_url(draft)))
    data["published"] = "on"
    data["publish_incomplete"] = "on"
    assert alice.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.published


def test_a_programme_stating_its_core_facts_publishes_without_asking(alice, draft):
    Programme.objects.filter(pk=draft.pk).update(
        level="master", duration_as_stated="two years", study_mode="full-time", start_term="autumn"
    )
    draft.languages.set([factories.LanguageFactory(code="en")])
    data = form_data(alice.get(change_url(draft)))
    data["published"] = "on"
    assert alice.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.published


def test_saving_a_draft_does_not_ask(alice, draft):
    data = form_data(alice.get(change_url(draft)))
    data["summary"] = "Still a draft."
    assert alice.post(change_url(draft), data).status_code == 302


def test_the_error_summary_links_each_error_to_its_field(alice, draft):
    data = form_data(alice.get(change_url(draft)))
    data["published"] = "on"
    data["ects"] = "-5"
    response = alice.post(change_url(draft), data)
    page = response.content.decode()

    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary))
    assert set(links) == {"id_published", "id_ects"}
    # The checklist in one line (the ECTS given is no value, so it is missing too).
    assert html.unescape(links["id_published"]).endswith(
        "save again: Level, ECTS credits, Standard period of study, Teaching languages, "
        "Study mode, Start of studies"
    )
    assert links["id_ects"].startswith("ECTS credits: ")
    # Each link leads to the field, which has its error beside it.
    for anchor in links:
        assert f'id="{anchor}"' in page
    assert "2 problems to correct" in summary
    # The summary comes before the form's fields.
    assert page.index('id="error-summary"') < page.index('id="id_title"')


def test_an_inline_rows_error_is_linked_to_its_row_field(alice, draft):
    data = form_data(alice.get(change_url(draft)))
    total = int(data["semesters-TOTAL_FORMS"])
    data["semesters-TOTAL_FORMS"] = str(total + 1)
    data[f"semesters-{total}-number"] = "0"
    data[f"semesters-{total}-title"] = "Bad"
    response = alice.post(change_url(draft), data)
    summary = response.content.decode().split('id="error-summary"')[1].split("</div>")[0]
    assert f'href="#id_semesters-{total}-number"' in summary
    assert f"row {total + 1}" in html.unescape(summary)


def test_no_summary_without_errors(alice, draft):
    assert 'id="error-summary"' not in alice.get(change_url(draft)).content.decode()

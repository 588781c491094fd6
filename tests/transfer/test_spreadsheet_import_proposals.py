"""The admin's spreadsheet import of published programmes makes proposals (one per programme,
listed after the import), unless staff who may publish directly tick "Publish at once"."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.db.models import F

from programs.actions.proposals import approve, proposed_state, publish, save_proposal, submit
from programs.actions.snapshots import snapshot_of
from programs.models import (
    CatalogRevision,
    Module,
    Programme,
    Proposal,
    ProposalEvent,
    ProposalState,
    PublicChange,
    University,
)
from programs.transfer import spreadsheet_import
from programs.transfer.spreadsheet_columns import MODULE_COLUMNS, PROGRAMME_COLUMNS
from tests.support.factories import StaffUserFactory
from tests.support.spreadsheet_files import (
    IMPORT_URL,
    confirm,
    csv_bytes,
    export,
    programme_row,
    upload,
)

pytestmark = pytest.mark.django_db

SLUG = "medical-data-science"
RESULT_URL = IMPORT_URL + "?done"
# Every public output that could show the programme, its ECTS or its modules.
PUBLIC_OUTPUTS = [
    "/",
    "/programmes/",
    "/programmes/?sort=-ects",
    "/programmes/?ects_min=100",
    "/programmes/?q=internship",
    f"/programmes/{SLUG}/",
    f"/de/programmes/{SLUG}/",
    "/programmes/export.csv",
    "/programmes/export.csv?sort=-ects",
    "/universities/rwth-aachen/",
    "/modules/?q=internship",
    f"/compare/?p={SLUG}&p=data-driven-health",
    "/changes/",
    "/changes/feed.atom",
    f"/programmes/{SLUG}/changes.atom",
    "/sitemap-programmes.xml",
    "/api/changes?since=2000-01-01T00:00:00Z",
    "/api/oeapi/v6/programmes",
    "/api/oeapi/v6/courses",
    "/api/elm/rwth-aachen.jsonld",
]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def public_outputs(client):
    """Each public output as text, byte for byte apart from the per-request form token."""
    outputs = {}
    for path in PUBLIC_OUTPUTS:
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        outputs[path] = TOKEN.sub('name="csrfmiddlewaretoken"', body.decode())
    return outputs


@pytest.fixture
def alice(client, catalog):
    """A client signed in as admissions staff of RWTH Aachen (medical-data-science is theirs)."""
    rwth = University.objects.get(slug="rwth-aachen")
    user = StaffUserFactory(username="alice", universities=[rwth])
    client.force_login(user)
    client.user = user
    return client


def may_publish_directly(user):
    user.user_permissions.add(Permission.objects.get(codename="publish_directly"))


def reviewer():
    """Bob, RWTH staff who may approve proposals."""
    bob = StaffUserFactory(
        username="bob", universities=[University.objects.get(slug="rwth-aachen")]
    )
    bob.user_permissions.add(Permission.objects.get(codename="approve_proposal"))
    return bob


def exported_rows(client, sheet):
    return list(csv.DictReader(io.StringIO(export(client, sheet, "csv").decode())))


def edited_files(client, ects="120", internship="Clinical internship"):
    """The staff's own export with the programme's ECTS and its first module's title edited."""
    programmes = exported_rows(client, "programmes")
    programmes[0]["ects"] = ects
    modules = exported_rows(client, "modules")
    modules[0]["title"] = internship
    return csv_bytes(programmes, PROGRAMME_COLUMNS), csv_bytes(modules, MODULE_COLUMNS)


def live_state():
    """What the live programme holds, and the traces a write of it leaves."""
    programme = Programme.objects.get(slug=SLUG)
    return (
        snapshot_of(programme.pk),
        programme.version,
        programme.history.count(),
        Module.history.filter(programme_id=programme.pk).count(),
        PublicChange.objects.filter(programme=programme).count(),
    )


def test_an_import_of_a_published_programme_proposes_it_and_the_public_sees_nothing(
    alice, django_user_model
):
    programmes, modules = edited_files(alice)
    visitor = alice.__class__()
    outputs, state = public_outputs(visitor), live_state()
    revision = CatalogRevision.objects.current()

    preview = upload(alice, programmes, modules)
    page = preview.content.decode()
    assert "Published programmes: proposed, not changed" in page
    assert [(p.slug, p.open_proposal) for p in preview.context["preview"].proposals] == [
        (SLUG, None)
    ]
    response = confirm(alice, preview)

    assert response.status_code == 302
    assert response["Location"] == RESULT_URL
    proposal = Proposal.objects.get()
    assert proposal.programme.slug == SLUG
    assert proposal.state == ProposalState.EDITING
    assert proposal.proposed_by == alice.user
    assert proposal.proposed["programme"]["ects"] == 120
    assert proposal.base["programme"]["ects"] == 90
    proposed_modules = proposal.proposed["parts"]["programs.Module"].values()
    assert "Clinical internship" in {module["title"] for module in proposed_modules}
    assert list(proposal.events.values_list("action", "actor__username")) == [
        (ProposalEvent.Action.STARTED, "alice")
    ]
    # Nothing public moved: not the programme, its history, its change log, the revision (so
    # no cache starts afresh) nor any output, byte for byte.
    assert live_state() == state
    assert CatalogRevision.objects.current() == revision
    assert public_outputs(visitor) == outputs

    result = alice.get(RESULT_URL)
    text = result.content.decode()
    assert f'href="/admin/programs/proposal/{proposal.pk}/change/"' in text
    assert "These published programmes are unchanged until their proposals are approved" in text
    assert "a proposal was started" in text
    messages = [str(m) for m in result.wsgi_request._messages]
    assert messages == [
        "Imported programmes.csv, modules.csv: 0 new, 2 changed, 1 unchanged, 0 removed, "
        "0 with errors."
    ]


def test_the_proposal_an_import_made_goes_live_when_approved_and_published(alice):
    """What the import proposed (a changed fact, a changed and an added module) is what goes
    live, once reviewed."""
    programmes = exported_rows(alice, "programmes")
    programmes[0]["ects"] = "120"
    modules = exported_rows(alice, "modules")
    modules[0]["title"] = "Clinical internship"
    modules.append({"programme": SLUG, "position": "99", "title": "Ethics", "kind": "elective"})
    confirm(
        alice,
        upload(alice, csv_bytes(programmes, PROGRAMME_COLUMNS), csv_bytes(modules, MODULE_COLUMNS)),
    )
    proposal = Proposal.objects.get()
    bob = reviewer()

    submit(proposal, alice.user)
    approve(proposal, bob)
    publish(proposal, bob)

    live = Programme.objects.get(slug=SLUG)
    assert live.ects == 120
    titles = list(live.modules.order_by("position").values_list("title", flat=True))
    assert titles[0] == "Clinical internship"
    assert titles[-1] == "Ethics"
    assert len(titles) == len(modules)
    assert "120 ECTS" in alice.__class__().get(f"/programmes/{SLUG}/").content.decode()


def test_a_new_programme_and_a_draft_are_written_as_before_beside_the_proposal(alice):
    programmes = exported_rows(alice, "programmes")
    programmes[0]["ects"] = "120"
    programmes.append(programme_row(slug="clinical-data-science", ects="120", languages="en"))
    programmes.append(programme_row(slug="clinical-ai", title="Clinical AI", published="yes"))

    confirm(alice, upload(alice, csv_bytes(programmes, PROGRAMME_COLUMNS)))

    assert Programme.objects.get(slug=SLUG).ects == 90
    assert Proposal.objects.get().proposed["programme"]["ects"] == 120
    new = Programme.objects.get(slug="clinical-data-science")
    assert (new.published, new.ects) == (False, 120)
    assert Programme.objects.get(slug="clinical-ai").published is True
    text = alice.get(RESULT_URL).content.decode()
    assert "New programmes" in text
    assert "Clinical Data Science</a>: a draft, not public until it is published" in text
    assert "Clinical AI</a>: published at once" in text
    assert "a proposal was started" in text


def test_a_published_programme_stays_published_when_the_file_says_no(alice):
    programmes = exported_rows(alice, "programmes")
    programmes[0]["published"] = "no"
    programmes[0]["ects"] = "120"

    preview = upload(alice, csv_bytes(programmes, PROGRAMME_COLUMNS))

    row = preview.context["preview"].rows[0]
    assert row.changes == [("ects", "90", "120")]
    assert row.notes == [
        "stays published: the import proposes changes to a published programme; unpublish it "
        "in the admin"
    ]
    confirm(alice, preview)
    assert Programme.objects.get(slug=SLUG).published is True


def test_publish_at_once_by_staff_who_may_changes_the_published_programme(alice):
    may_publish_directly(alice.user)
    programmes, modules = edited_files(alice)
    assert 'name="publish_now"' in alice.get(IMPORT_URL).content.decode()

    preview = upload(alice, programmes, modules, publish_now="on")
    assert preview.context["preview"].proposals == []
    assert preview.context["preview"].published_at_once == [(SLUG, "Medical Data Science")]
    assert "Published programmes changed at once, without review" in preview.content.decode()
    confirm(alice, preview)

    assert not Proposal.objects.exists()
    live = Programme.objects.get(slug=SLUG)
    assert live.ects == 120
    assert live.modules.order_by("position").first().title == "Clinical internship"
    assert "120 ECTS" in alice.__class__().get(f"/programmes/{SLUG}/").content.decode()
    text = alice.get(RESULT_URL).content.decode()
    assert "Changed at once, without review" in text
    assert f'href="/admin/programs/programme/{live.pk}/change/"' in text


def test_publish_at_once_from_staff_who_may_not_is_ignored_and_they_are_told(alice):
    assert 'name="publish_now"' not in alice.get(IMPORT_URL).content.decode()
    programmes, modules = edited_files(alice)
    state = live_state()

    preview = upload(alice, programmes, modules, publish_now="on")

    assert [str(m) for m in preview.wsgi_request._messages] == [
        "You may not publish without review, so changes to published programmes become proposals."
    ]
    assert [p.slug for p in preview.context["preview"].proposals] == [SLUG]
    confirm(alice, preview)
    assert live_state() == state
    assert Proposal.objects.get().proposed["programme"]["ects"] == 120


def test_publish_at_once_is_refused_at_confirm_once_the_permission_is_gone(alice):
    may_publish_directly(alice.user)
    programmes, _modules = edited_files(alice)
    preview = upload(alice, programmes, publish_now="on")
    alice.user.user_permissions.clear()

    response = confirm(alice, preview)

    # The preview promised a change at once; what can be done now is a proposal: look again.
    assert response.status_code == 400
    assert "The catalog changed since the preview" in response.content.decode()
    assert Programme.objects.get(slug=SLUG).ects == 90
    assert not Proposal.objects.exists()


def test_an_import_adds_to_the_programmes_open_proposal_and_starts_no_second(alice):
    programme = Programme.objects.get(slug=SLUG)
    colleague = StaffUserFactory(username="dora", universities=list(programme.universities.all()))
    started = snapshot_of(programme.pk)
    started["programme"]["title"] = "Medical Data Science (MSc)"
    proposal, _what = save_proposal(programme, started, colleague)
    submit(proposal, colleague)
    programmes, modules = edited_files(alice)

    preview = upload(alice, programmes, modules)
    page = preview.content.decode()
    assert "added to its open proposal, started by dora" in page
    assert "it is waiting for review, so it will need submitting again" in page
    confirm(alice, preview)

    proposal = Proposal.objects.get()  # still the one
    assert proposal.proposed_by.username == "dora"
    # The file's changes are added; what the proposal changed and the file didn't stays.
    assert proposal.proposed["programme"]["title"] == "Medical Data Science (MSc)"
    assert proposal.proposed["programme"]["ects"] == 120
    assert proposal.state == ProposalState.EDITING
    assert list(proposal.events.values_list("action", "actor__username")) == [
        ("started", "dora"),
        ("submitted", "dora"),
        ("edited", "alice"),
    ]
    assert Programme.objects.get(slug=SLUG).title == "Medical Data Science"
    text = alice.get(RESULT_URL).content.decode()
    assert "the changes were added to its open proposal" in text
    assert "it was waiting for review and needs submitting again" in text


def test_the_files_value_replaces_the_open_proposals_and_the_result_says_so(alice):
    programme = Programme.objects.get(slug=SLUG)
    started = snapshot_of(programme.pk)
    started["programme"]["ects"] = 100
    save_proposal(programme, started, alice.user)
    programmes, _modules = edited_files(alice)

    confirm(alice, upload(alice, programmes))

    assert Proposal.objects.get().proposed["programme"]["ects"] == 120
    text = alice.get(RESULT_URL).content.decode()
    assert "the file's value replaced the proposal's in 1 place" in text


def test_a_failing_row_leaves_no_proposal_and_no_change(alice):
    programmes = exported_rows(alice, "programmes")
    programmes[0]["ects"] = "120"
    programmes.append(programme_row(slug="clinical-data-science", ects="6000"))
    state = live_state()

    preview = upload(alice, csv_bytes(programmes, PROGRAMME_COLUMNS))
    refused = alice.post(IMPORT_URL, {"confirm": "1", "fingerprint": "x"})

    assert not preview.context["preview"].ok
    # Nothing can be imported, so nothing is said to become a proposal.
    assert "Published programmes: proposed, not changed" not in preview.content.decode()
    assert refused.status_code == 400
    assert "The file has errors; nothing was imported." in refused.content.decode()
    assert not Proposal.objects.exists()
    assert live_state() == state
    assert not Programme.objects.filter(slug="clinical-data-science").exists()


def test_a_failure_after_the_proposal_was_kept_undoes_the_whole_import(alice, monkeypatch):
    """The proposals and the import's own writes are one transaction: all of it or nothing."""
    programmes = exported_rows(alice, "programmes")
    programmes[0]["ects"] = "120"
    programmes.append(programme_row(slug="clinical-data-science"))
    preview = upload(alice, csv_bytes(programmes, PROGRAMME_COLUMNS))
    state = live_state()
    real = spreadsheet_import.propose_change

    def keep_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        assert Proposal.objects.exists()
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(spreadsheet_import, "propose_change", keep_then_fail)
    with pytest.raises(RuntimeError):
        confirm(alice, preview)

    assert not Proposal.objects.exists()
    assert not ProposalEvent.objects.exists()
    assert live_state() == state
    assert not Programme.objects.filter(slug="clinical-data-science").exists()


def test_the_result_page_links_only_proposals_the_signed_in_staff_may_see(alice):
    programmes, _modules = edited_files(alice)
    confirm(alice, upload(alice, programmes))
    result = alice.session["programme_import_result"]
    proposal = Proposal.objects.get()
    # A KTH staff member's session holding that result (a crafted one) shows none of it.
    outsider = StaffUserFactory(username="erik", universities=[University.objects.get(slug="kth")])
    alice.force_login(outsider)
    session = alice.session
    session["programme_import_result"] = result
    session.save()

    text = alice.get(RESULT_URL).content.decode()

    assert f"/admin/programs/proposal/{proposal.pk}/" not in text
    assert "Medical Data Science" not in text


def test_the_module_only_change_of_a_published_programme_is_proposed(alice):
    modules = exported_rows(alice, "modules")
    dropped = modules.pop()
    state = live_state()

    confirm(alice, upload(alice, modules=csv_bytes(modules, MODULE_COLUMNS)))

    assert live_state() == state
    proposed = Proposal.objects.get().proposed["parts"]["programs.Module"].values()
    assert dropped["title"] not in {module["title"] for module in proposed}
    assert len(proposed) == len(modules)


def test_a_save_of_the_programme_while_the_import_is_written_refuses_it(alice, monkeypatch):
    """Were the proposal based on the programme as saved meanwhile, publishing it would undo
    that save without anyone noticing; the import is refused instead, writing nothing. (A
    modules file: a module's change claims no version of its programme as read.)"""
    _programmes, modules = edited_files(alice)
    preview = upload(alice, modules=modules)
    planned = spreadsheet_import.CatalogImport.preview

    def saved_meanwhile(importer):
        plan = planned(importer)
        Programme.objects.filter(slug=SLUG).update(
            title="Renamed meanwhile", version=F("version") + 1
        )
        return plan

    monkeypatch.setattr(spreadsheet_import.CatalogImport, "preview", saved_meanwhile)
    response = confirm(alice, preview)

    assert response.status_code == 400
    assert "Someone changed the catalog while the import was being written" in (
        response.content.decode()
    )
    assert not Proposal.objects.exists()


def test_a_module_the_file_adds_joins_one_the_open_proposal_added(alice):
    """Both new modules were numbered in transactions that were rolled back (SQLite numbers
    them alike): the proposal keeps both, and publishing it makes both."""
    programme = Programme.objects.get(slug=SLUG)

    def add_a_module():
        Module.objects.create(programme=programme, position=98, title="Ethics", kind="elective")

    started, _result = proposed_state(programme.pk, add_a_module)
    save_proposal(programme, started, alice.user)
    modules = exported_rows(alice, "modules")
    modules.append({"programme": SLUG, "position": "99", "title": "Law", "kind": "elective"})

    confirm(alice, upload(alice, modules=csv_bytes(modules, MODULE_COLUMNS)))

    proposal = Proposal.objects.get()
    proposed = proposal.proposed["parts"]["programs.Module"].values()
    assert {"Ethics", "Law"} <= {module["title"] for module in proposed}
    assert len(proposed) == len(modules) + 1
    assert Module.objects.filter(programme=programme).count() == len(modules) - 1
    submit(proposal, alice.user)
    approve(proposal, reviewer())
    publish(proposal)
    titles = set(programme.modules.values_list("title", flat=True))
    assert {"Ethics", "Law"} <= titles
    assert len(titles) == len(modules) + 1

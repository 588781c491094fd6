"""Every signal the catalog listens to, connected once, from ProgramsConfig.ready().

What a write sets off, whichever path made it (the admin, a restore, load_catalog, an import):
- the catalog revision goes up, inside the write's transaction (programs/actions/revision.py),
  so every cache keyed by it is fresh after the commit;
- the search documents of the programmes it touched are rebuilt (programs/search/);
- a programme unpublished or deleted leaves a deletion marker for harvesters, and one published
  again loses it (programs/actions/withdrawals.py);
- a proposal's step, once committed, tells the people it concerns by e-mail
  (programs/actions/proposal_messages.py);
- and, not writes: signing in gives a session its ordinary lifetime back
  (programs/visitors/shortlists.py); `migrate` brings the admissions staff group's permissions
  up to date (programs/staff/group.py).
Writes that send no signals (bulk_create, raw SQL) call those modules themselves.
"""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save

from programs import models
from programs.actions import proposal_messages, revision, withdrawals
from programs.search import programme_documents as search_documents
from programs.staff import group as staff_group
from programs.visitors import shortlists


def connect(app_config):
    """Connect every receiver (idempotent: each has a dispatch_uid)."""
    _connect_revision()
    _connect_search_documents()
    _connect_withdrawals()
    post_save.connect(
        proposal_messages.event_recorded,
        sender=models.ProposalEvent,
        dispatch_uid="proposal-messages",
    )
    user_logged_in.connect(
        shortlists.ordinary_session_lifetime_after_login, dispatch_uid="session-after-login"
    )
    # After Django's own post_migrate receivers (auth's makes the new models' permissions).
    post_migrate.connect(
        staff_group.keep_current_after_migrate, sender=app_config, dispatch_uid="staff-group"
    )


def _connect_revision():
    for model in revision.PUBLIC_MODELS:
        label = model._meta.label
        post_save.connect(revision.catalog_changed, sender=model, dispatch_uid=f"rev-save-{label}")
        post_delete.connect(revision.catalog_changed, sender=model, dispatch_uid=f"rev-del-{label}")
    m2m_changed.connect(
        revision.languages_changed,
        sender=models.Programme.languages.through,
        dispatch_uid="revision-languages",
    )


def _connect_search_documents():
    programme = models.Programme
    post_save.connect(
        search_documents.programme_saved, sender=programme, dispatch_uid="search-programme"
    )
    post_delete.connect(
        search_documents.programme_deleted, sender=programme, dispatch_uid="search-deleted"
    )
    post_save.connect(
        search_documents.university_saved, sender=models.University, dispatch_uid="search-uni"
    )
    m2m_changed.connect(
        search_documents.languages_changed,
        sender=programme.languages.through,
        dispatch_uid="search-languages",
    )
    # The parts whose words a programme's search document holds.
    for model in (part.model for part in models.PROGRAMME_PARTS if part.searched):
        label = model._meta.label
        post_save.connect(
            search_documents.part_changed, sender=model, dispatch_uid=f"search-save-{label}"
        )
        post_delete.connect(
            search_documents.part_changed, sender=model, dispatch_uid=f"search-del-{label}"
        )


def _connect_withdrawals():
    programme = models.Programme
    pre_save.connect(
        withdrawals.note_publication_before_save, sender=programme, dispatch_uid="withdrawal-pre"
    )
    post_save.connect(withdrawals.programme_saved, sender=programme, dispatch_uid="withdrawal-save")
    post_delete.connect(
        withdrawals.programme_deleted, sender=programme, dispatch_uid="withdrawal-deleted"
    )

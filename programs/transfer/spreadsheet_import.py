"""Importing programmes and their modules from spreadsheets: first a preview of every row's
change (programs.transfer.spreadsheet_plan), then all of it in one transaction, or nothing (here).

The same rules hold for the admin's import page and for `manage.py import_programmes`:

- Columns are those the export writes (`programs.transfer.spreadsheet_columns`); a missing
  required column or an unknown one refuses the whole file. Each cell is checked by the rule of its
  field (`programs.transfer.spreadsheet_cells`: choices, ranges, lengths), then against the
  catalog (known languages and universities), and a cell a spreadsheet would run as a formula is
  refused (written as text, it starts with an apostrophe, as the export writes it).
- Staff create and change only programmes of their own universities, and may change only their
  own universities' part in a joint programme (`core.offering_rule.staff_offering_check`); any
  other row is an error in the preview, never a write.
- A new programme is a draft unless the file says `published` and the user may publish (the
  admin's Publish action needs the change permission).
- A modules file replaces the modules of each programme it names: rows are matched by the
  programme's slug and the module's position; a stored module the file doesn't list is removed.
- One error anywhere and nothing is written. History records each write as the importing user,
  with the reason "Imported from <file>".
- A published programme is not changed: what the import would make of it becomes its proposal
  (one per programme, or added to its open one), reviewed before it goes live
  (programs.actions.proposals). The import's write of those programmes runs in a transaction that
  is rolled back (programs.actions.proposed_changes), so their live rows, history, public change
  log and the catalog revision stay as they are; new programmes and drafts are written for real,
  in the same transaction as the proposals. This is `propose=True`, as the admin's import page
  asks for it unless its user may publish directly and ticks that; without it (the operators'
  command, unless --propose) published programmes are written at once.

New programmes, all modules, their history and the public change log are written in bulk, so a
file of 10,000 programmes with 200,000 modules imports in well under two minutes.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs.actions.programme_writes import (
    insert_parts,
    record_history_in_bulk,
    replace_offerings,
    update_parts,
)
from programs.actions.proposals import ProposalRefused
from programs.actions.proposed_changes import propose_change, proposed_states
from programs.actions.saving import StaleVersion, programme_write
from programs.actions.snapshots import snapshot_of
from programs.core.programme_fields import MODULE_FIELDS, PROGRAMME_FIELDS
from programs.models import CatalogRevision, Module, Programme, ProgrammeUniversity, Proposal
from programs.transfer.spreadsheet_fees import replace_fee_rows
from programs.transfer.spreadsheet_plan import ImportPlan, chunked
from programs.transfer.spreadsheet_preview import CHANGED

BATCH = 2000
# The fields of a Programme row set directly from its cell (the languages are a relation).
SET_FROM_CELLS = [name for name in PROGRAMME_FIELDS if name != "languages"]
# A module's fields as written, its track by id.
MODULE_FIELDS_WRITTEN = ["track_id" if name == "track" else name for name in MODULE_FIELDS]


class ImportRefused(Exception):
    """The import can't be written as previewed; nothing was written. Carries the preview."""

    def __init__(self, preview, message):
        super().__init__(message)
        self.preview = preview


@dataclass
class ImportedProposal:
    """What the import did to a published programme: its proposal, "started", "edited" or
    "unchanged" (save_proposal's words), the proposal's state before (None for a new one), and
    where the file's value replaced one the open proposal had already changed."""

    proposal: object
    what: str
    state_before: str | None
    replaced: list


class CatalogImport(ImportPlan):
    """An import of a programmes sheet, a modules sheet, or both, by one user.

    `preview()` says what each row would do and writes nothing; `commit()` checks again in a
    transaction and writes everything, or raises ImportRefused having written nothing. After a
    commit, `proposals` lists what became of each published programme it changed (with
    `propose`), and `created` the new programmes by slug.
    """

    @transaction.atomic
    def commit(self, fingerprint=None):
        """Check everything again and write it in this one transaction, or raise ImportRefused.

        With `fingerprint` (the previewed plan's), refuse when the plan has changed since: the
        catalog moved on and the person should look at the new preview first.
        """
        preview = self.preview()
        if not preview.ok:
            raise ImportRefused(preview, _("The file has errors; nothing was imported."))
        if fingerprint is not None and fingerprint != preview.fingerprint:
            raise ImportRefused(
                preview,
                _(
                    "The catalog changed since the preview, so nothing was imported. Look at "
                    "the new preview and confirm again."
                ),
            )
        self.created, self.proposals = {}, []
        proposed = self.proposed
        direct = {
            "new_programmes": self.new_programmes,
            "changed_programmes": without(self.changed_programmes, proposed),
            "module_plan": without(self.module_plan, proposed),
        }
        try:
            snapshots = self.proposed_snapshots(proposed)
            # A savepoint, so that on PostgreSQL a refused write leaves a usable transaction. At
            # its end the programmes written get their search words and public changes.
            with programme_write() as write:
                self.write_plan(write, **direct)
                if write.written:
                    # The bulk writes bypass the signals that bump the revision for each save.
                    # (Proposals alone change nothing public, so they leave it as it is.)
                    CatalogRevision.objects.bump()
            self.keep_proposals(proposed, snapshots)
        except (StaleVersion, IntegrityError):
            # Someone saved a programme (or took a slug) while this import was being written.
            raise ImportRefused(
                preview,
                _(
                    "Someone changed the catalog while the import was being written, so nothing "
                    "was imported. Upload the file again to see the new preview."
                ),
            ) from None
        except ProposalRefused as refusal:
            raise ImportRefused(
                preview, _("Nothing was imported. %(reason)s") % {"reason": refusal}
            ) from None
        return preview

    def write_plan(self, write, new_programmes, changed_programmes, module_plan):
        self.write_new_programmes(write, new_programmes)
        self.write_changed_programmes(write, changed_programmes)
        self.write_modules(write, module_plan, changed_programmes)

    def proposed_snapshots(self, proposed):
        """What the import would make of each programme in `proposed` ({slug: stored}), as
        {pk: (live snapshot, snapshot after the import)}, none of it written.

        The programmes are locked first and must still be the versions the plan read: the
        proposals' base is the live programme from here on, so a save slipping in between
        would be silently undone when they are published.
        """
        if not proposed:
            return {}
        programmes = proposed.values()
        versions = {}
        for chunk in chunked([programme.pk for programme in programmes]):
            versions.update(
                Programme.objects.select_for_update()
                .filter(pk__in=chunk)
                .values_list("pk", "version")
            )
        if any(versions.get(programme.pk) != programme.version for programme in programmes):
            raise StaleVersion(sorted(proposed))
        before = {programme.pk: snapshot_of(programme.pk) for programme in programmes}
        changed = {
            slug: self.changed_programmes[slug]
            for slug in proposed
            if slug in self.changed_programmes
        }
        module_plan = {
            slug: self.module_plan[slug] for slug in proposed if slug in self.module_plan
        }

        def write_them():
            with programme_write() as write:
                self.write_plan(write, {}, changed, module_plan)

        after, _result = proposed_states(list(before), write_them)
        return {pk: (before[pk], after[pk]) for pk in before}

    def keep_proposals(self, proposed, snapshots):
        """Each proposed programme's change kept as its proposal, by this user."""
        keeping = _("Keeping proposals")
        for done, programme in enumerate(proposed.values(), start=1):
            self.progress(keeping, done, len(proposed))
            state_before = (
                Proposal.objects.open()
                .filter(programme=programme)
                .values_list("state", flat=True)
                .first()
            )
            before, after = snapshots[programme.pk]
            proposal, what, replaced = propose_change(programme, before, after, self.user)
            self.proposals.append(ImportedProposal(proposal, what, state_before, replaced))

    def write_new_programmes(self, write, new_programmes):
        rows = list(new_programmes.values())
        if not rows:
            return
        programmes = [
            Programme(**{name: row.values[name] for name in SET_FROM_CELLS if name in row.values})
            for row in rows
        ]
        for done in range(0, len(programmes), BATCH):
            self.progress(_("Writing programmes"), min(done + BATCH, len(programmes)), len(rows))
            Programme.objects.bulk_create(programmes[done : done + BATCH])
        language_rows = Programme.languages.through.objects.bulk_create(
            [
                Programme.languages.through(programme_id=programme.pk, language_id=code)
                for programme, row in zip(programmes, rows, strict=True)
                for code in row.values.get("languages") or []
            ],
            batch_size=BATCH,
        )
        record_history_in_bulk(programmes, self.user, self.reason, language_rows)
        insert_parts(
            ProgrammeUniversity,
            [
                ProgrammeUniversity(programme_id=programme.pk, university_id=university, position=i)
                for programme, row in zip(programmes, rows, strict=True)
                for i, university in enumerate(row.values["university_ids"])
            ],
            self.user,
            self.reason,
        )
        replace_fee_rows(
            [(programme.pk, row.values) for programme, row in zip(programmes, rows, strict=True)],
            self.user,
            self.reason,
        )
        self.created = {programme.slug: programme for programme in programmes}
        write.wrote(*(programme.pk for programme in programmes))

    def write_changed_programmes(self, write, changed_programmes):
        writing = _("Writing programmes")
        for done, (stored, row) in enumerate(changed_programmes.values(), start=1):
            self.progress(writing, done, len(changed_programmes))
            programme = Programme.objects.get(pk=stored.pk)
            # Optimistic locking, as in the admin: a save since the preview refuses the import.
            programme.version = write.claim(programme.pk, stored.version)
            for name in SET_FROM_CELLS:
                if name in row.values:
                    setattr(programme, name, row.values[name])
            programme._history_user = self.user
            programme._change_reason = self.reason
            if "languages" in row.values:
                # Set before the save, without a record of their own, so that the programme's
                # record holds the new languages (as a restore does).
                programme.skip_history_when_saving = True
                try:
                    programme.languages.set(row.values["languages"])
                finally:
                    del programme.skip_history_when_saving
            programme.save()
            if row.values.get("university_ids") is not None:
                replace_offerings(programme, row.values["university_ids"], self.user, self.reason)
        replace_fee_rows(
            [(stored.pk, row.values) for stored, row in changed_programmes.values()],
            self.user,
            self.reason,
        )

    def write_modules(self, write, module_plan, changed_programmes):
        created = self.created
        creates, updates, deletes = [], [], []
        touched = set()
        for slug_value, (module_rows, removed) in module_plan.items():
            programme = created.get(slug_value) or self.stored[slug_value]
            for row in module_rows:
                values = {name: row.values.get(name) for name in MODULE_FIELDS_WRITTEN}
                module = row.stored_module
                if module is None:
                    creates.append(
                        Module(programme_id=programme.pk, position=row.values["position"], **values)
                    )
                elif row.change.status == CHANGED:
                    updates.append(Module(pk=module["pk"], programme_id=programme.pk, **values))
                else:
                    continue
                touched.add(programme.pk)
            deletes += [module["pk"] for module in removed]
            if removed:
                touched.add(programme.pk)
        for chunk in chunked(deletes):
            # One by one, so that each deletion is in the history as this user's.
            for module in Module.objects.filter(pk__in=chunk):
                module._history_user = self.user
                module._change_reason = self.reason
                module.delete()
        if updates:
            update_parts(Module, updates, MODULE_FIELDS_WRITTEN, self.user, self.reason)
        for done in range(0, len(creates), BATCH * 5):
            self.progress(_("Writing modules"), min(done + BATCH * 5, len(creates)), len(creates))
            insert_parts(Module, creates[done : done + BATCH * 5], self.user, self.reason)
        # A programme whose modules changed is a new version, so forms opened before are stale.
        already = {stored.pk for stored, _row in changed_programmes.values()} | {
            programme.pk for programme in created.values()
        }
        for pk in touched - already:
            write.claim(pk)


def without(plan, slugs):
    """A part of the plan ({slug: …}) without these programmes."""
    return {slug_value: value for slug_value, value in plan.items() if slug_value not in slugs}

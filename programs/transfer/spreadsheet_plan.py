"""What a spreadsheet import would do: each row checked against the catalog and the user's rights.

ImportPlan.preview() reads the sheets (programs.transfer.spreadsheet_cells), loads what is stored
for the programmes they name, and decides each row's status: new, changed, unchanged, removed or
an error, with the reason. It writes nothing; programs.transfer.spreadsheet_import writes a plan.

With `propose=True` (the admin's import page, unless its user may publish directly and ticks
it) a published programme the import changes is changed by a proposal, reviewed before it goes
live (programs.actions.proposals); the plan lists them, with the open proposal each already
has. Without it (the operators' command) they are changed at once, as drafts are.
"""

from collections import defaultdict

from django.db.models import Sum
from django.utils.translation import gettext as _

from programs.actions.programme_writes import own_university_ids
from programs.core import consistency
from programs.core.offering_rule import (
    no_offering_university,
    staff_offering_check,
    staff_offering_problems,
)
from programs.core.programme_fields import MODULE_FIELDS
from programs.core.quotes import SourceText, not_in_source
from programs.models import Language, Module, Programme, Proposal, Track, University
from programs.transfer.fixtures_check import source_text
from programs.transfer.spreadsheet_cells import (
    MODULE_PARSERS,
    PROGRAMME_PARSERS,
    REQUIRED_MODULE_COLUMNS,
    REQUIRED_PROGRAMME_COLUMNS,
    column_problems,
    parse_rows,
)
from programs.transfer.spreadsheet_columns import (
    MODULE_COLUMNS,
    PROGRAMME_COLUMNS,
    ProgrammeResource,
    cell_text,
)
from programs.transfer.spreadsheet_fees import (
    DEADLINES,
    TUITION,
    deadlines_cell,
    tuition_cell,
)
from programs.transfer.spreadsheet_fees import check_sources as check_fee_sources
from programs.transfer.spreadsheet_preview import (
    CHANGED,
    ERROR,
    REMOVED,
    UNCHANGED,
    Preview,
    ProposedProgramme,
    RowChange,
)

# What the modules' comparison reads of each stored module: what places it, and its fields
# (its track by name, as the sheet has it).
STORED_MODULE_VALUES = (
    "pk",
    "programme_id",
    "programme__slug",
    "position",
    *("track__name" if name == "track" else name for name in MODULE_FIELDS),
)


class ImportPlan:
    """What importing a programmes sheet, a modules sheet, or both would do, for one user.

    `preview()` says what each row would do and writes nothing; the plan it leaves behind
    (new_programmes, changed_programmes, module_plan, and `proposed`: the published programmes
    whose changes become proposals) is what CatalogImport.commit() writes.
    """

    def __init__(self, user, programmes=None, modules=None, progress=None, propose=False):
        self.user = user
        self.propose = propose
        self.programmes = programmes
        self.modules = modules
        self.progress = progress or (lambda step, done, total: None)
        names = [table.name for table in (programmes, modules) if table is not None]
        self.reason = (_("Imported from %(file)s") % {"file": " and ".join(names)})[:100]

    def preview(self):
        """Every row's change as a Preview; the plan to write is kept on this object."""
        self.preview_rows = []
        self.new_programmes = {}  # slug -> ParsedRow
        self.changed_programmes = {}  # slug -> (stored Programme, ParsedRow)
        self.module_plan = {}  # slug -> (its module rows, the stored modules they drop)
        self.proposed = {}  # slug -> stored published Programme, changed by a proposal
        header_problems = [
            problem
            for problem in (
                self.programmes
                and column_problems(
                    self.programmes, "programmes", PROGRAMME_COLUMNS, REQUIRED_PROGRAMME_COLUMNS
                ),
                self.modules
                and column_problems(
                    self.modules, "modules", MODULE_COLUMNS, REQUIRED_MODULE_COLUMNS
                ),
            )
            if problem
        ]
        if header_problems:
            # Without the right columns no row can be read as meant.
            return Preview(header_problems)
        self.own = own_university_ids(self.user)
        self.may_add = self.user.has_perm("programs.add_programme")
        self.may_change = self.user.has_perm("programs.change_programme")
        # Publishing is what the admin's Publish action does, which needs the change permission.
        self.may_publish = self.may_change
        self.stored = {}
        self.sources = {}  # source document -> its SourceText, or None when it has none
        self.editable = set()
        self.stored_module_credits = {}
        self.slugs_with_modules = set()
        if self.modules is not None and "programme" in self.modules.headers:
            index = self.modules.headers.index("programme")
            self.slugs_with_modules = {
                cells[index].strip() for _line, cells in self.modules.rows if len(cells) > index
            }
        if self.programmes is not None:
            self.plan_programmes()
        if self.modules is not None:
            self.plan_modules()
        published = self.published_programmes_changed()
        if not self.propose:
            at_once = [(slug_value, programme.title) for slug_value, programme in published.items()]
            return Preview(self.preview_rows, published_at_once=at_once)
        self.proposed = published
        return Preview(self.preview_rows, proposals=self.proposals_of(published))

    def published_programmes_changed(self):
        """The stored published programmes the import would change, {slug: Programme}."""
        slugs = set(self.changed_programmes) | {
            slug_value
            for slug_value, (module_rows, removed) in self.module_plan.items()
            if removed
            or any(row.stored_module is None or row.change.status == CHANGED for row in module_rows)
        }
        return {
            slug_value: self.stored[slug_value]
            for slug_value in sorted(slugs)
            if slug_value in self.stored and self.stored[slug_value].published
        }

    def proposals_of(self, published):
        """Each of these programmes as a ProposedProgramme, with its open proposal if any."""
        open_proposals = {}
        for chunk in chunked([programme.pk for programme in published.values()]):
            open_proposals.update(
                (proposal.programme_id, proposal)
                for proposal in Proposal.objects.open()
                .filter(programme_id__in=chunk)
                .select_related("proposed_by")
            )
        return [
            ProposedProgramme(slug_value, programme.title, open_proposals.get(programme.pk))
            for slug_value, programme in published.items()
        ]

    def load_stored(self, slugs):
        """The stored programmes with these slugs, and which of them this user may change."""
        missing = set(slugs) - set(self.stored)
        if not missing:
            return
        stored = Programme.objects.prefetch_related(
            "offerings__university", "languages", "tuition_fees", "application_deadlines"
        )
        for chunk in chunked(sorted(missing)):
            self.stored.update(
                (programme.slug, programme) for programme in stored.filter(slug__in=chunk)
            )
            self.editable.update(
                Programme.objects.editable_by(self.user)
                .filter(slug__in=chunk)
                .values_list("slug", flat=True)
            )
            self.stored_module_credits.update(
                Module.objects.filter(programme__slug__in=chunk, ects__isnull=False)
                .values("programme_id")
                .annotate(total=Sum("ects"))
                .values_list("programme_id", "total")
            )

    def plan_programmes(self):
        """Each programme row's change, in file order, with the new and changed ones kept."""
        rows = parse_rows(
            self.programmes,
            "programmes",
            PROGRAMME_PARSERS,
            lambda row: row.values.get("slug") or "?",
        )
        self.load_stored([row.values["slug"] for row in rows if row.values.get("slug")])
        self.file_programmes = {row.values["slug"]: row for row in rows if row.values.get("slug")}
        universities = University.objects.in_bulk(field_name="slug")
        languages = set(Language.objects.values_list("code", flat=True))
        first_seen = {}
        self.exporter = ProgrammeResource()
        self.programme_columns = [c for c in PROGRAMME_COLUMNS if c in self.programmes.headers]
        checking = _("Checking programmes")
        for index, row in enumerate(rows):
            self.progress(checking, index + 1, len(rows))
            slug_value = row.values.get("slug")
            stored = self.stored.get(slug_value) if slug_value else None
            self.check_slug_once(row, first_seen)
            if stored is not None and slug_value not in self.editable:
                row.error(
                    "slug",
                    _(
                        "a programme with this slug exists and is not offered by your "
                        "universities: you may not change it"
                    ),
                )
                self.preview_rows.append(row.change)
                continue
            if stored is None and not self.may_add:
                row.error("slug", _("you may not add programmes"))
            self.check_universities(row, stored, universities)
            self.check_languages(row, languages)
            self.settle_published(row, stored)
            self.check_successor(row, stored)
            document = row.values.get("source_document") or (stored and stored.source_document)
            check_fee_sources(row, document, self.sources)
            self.check_stored_module_credits(row, stored)
            row.change.label = row.values.get("title") or ""
            if stored is None:
                if row.change.status != ERROR:
                    self.new_programmes[slug_value] = row
            else:
                self.compare_programme(row, stored)
            self.preview_rows.append(row.change)

    def check_slug_once(self, row, first_seen):
        """A slug may name one row of the file; `first_seen` maps each slug to its first line."""
        slug_value = row.values.get("slug")
        if slug_value in first_seen:
            row.error(
                "slug",
                _("“%(slug)s” appears again: it is already on row %(line)s")
                % {"slug": slug_value, "line": first_seen[slug_value]},
            )
        elif slug_value:
            first_seen[slug_value] = row.line

    def settle_published(self, row, stored):
        """Whether the row's programme will be published: only a user who may publish changes
        it, and an empty cell leaves a stored programme as it is (a new one is a draft)."""
        if row.values.get("published") and not self.may_publish:
            row.values["published"] = stored.published if stored else False
            if not row.values["published"]:
                row.change.notes.append(_("stays a draft: you may not publish programmes"))
        if row.values.get("published") is None and "published" in row.values:
            row.values["published"] = stored.published if stored else False
        if self.propose and stored is not None and stored.published and "published" in row.values:
            if not row.values["published"]:
                # A proposal changes what a programme says, not whether it is public.
                row.change.notes.append(
                    _(
                        "stays published: the import proposes changes to a published "
                        "programme; unpublish it in the admin"
                    )
                )
            row.values["published"] = True

    def check_successor(self, row, stored):
        """Only a retired programme has a successor, and the spreadsheet has no successor
        column: taking back a retirement that names one is done in the admin, where the
        successor is cleared in the same form (written here, it would break that rule)."""
        if stored is not None and stored.successor_id and row.values.get("retired") is False:
            row.error(
                "retired",
                _(
                    "this retired programme has a successor: take the retirement back in the "
                    "admin, where you remove the successor too"
                ),
            )

    def compare_programme(self, row, stored):
        """The row's changes to the stored programme, cell by cell as the export writes them."""
        exporter = self.exporter
        old_cells = dict(
            zip(exporter.get_export_headers(), exporter.export_resource(stored), strict=True)
        )
        columns = self.programme_columns
        new_cells = {column: self.cell_of(row, column) for column in columns}
        row.change.changes = [
            (column, old_cells[column], new_cells[column])
            for column in columns
            if old_cells[column] != new_cells[column]
        ]
        if row.change.status == ERROR:
            return
        if not row.change.changes:
            row.change.status = UNCHANGED
        elif not self.may_change:
            row.error("slug", _("you may not change programmes"))
        else:
            row.change.status = CHANGED
            self.changed_programmes[row.values["slug"]] = (stored, row)

    def check_stored_module_credits(self, row, stored):
        """A programme's new ECTS total can't be below its stored modules' credits, unless the
        modules sheet gives it new modules (checked there)."""
        ects = row.values.get("ects")
        if stored is None or ects is None or row.values.get("slug") in self.slugs_with_modules:
            return
        total = self.stored_module_credits.get(stored.pk)
        for problem in consistency.module_ects_problems([total], ects):
            row.error("ects", problem)

    def cell_of(self, row, column):
        """A parsed cell written back as text, so it compares with the stored value's text."""
        value = row.values.get(column)
        if column == "languages":
            value = sorted(value or [])
        if column == TUITION:
            return cell_text(tuition_cell(value or []) or None)
        if column == DEADLINES:
            return cell_text(deadlines_cell(value or []) or None)
        return cell_text(value)

    def check_universities(self, row, stored, universities):
        slugs = row.values.get("universities") or []
        unknown = [s for s in slugs if s not in universities]
        if unknown:
            row.error(
                "universities",
                _("no university with the slug “%(slug)s”") % {"slug": unknown[0]},
            )
            return
        if len(set(slugs)) != len(slugs):
            row.error("universities", _("a university is named twice"))
            return
        if not slugs:
            row.error("universities", no_offering_university())
            return
        current = {}
        if stored is not None:
            offerings = sorted(stored.offerings.all(), key=lambda o: (o.position, o.pk))
            if [offering.university.slug for offering in offerings] == slugs:
                # As stored (and as exported): nothing to change, whatever the positions are.
                row.values["university_ids"] = None
                return
            current = {
                offering.university_id: (offering.role, offering.position) for offering in offerings
            }
        wanted = {
            universities[s].pk: (current.get(universities[s].pk, (None, None))[0], index)
            for index, s in enumerate(slugs)
        }
        row.values["university_ids"] = list(wanted)
        check = staff_offering_check(self.own, current, wanted)
        name_of = {university.pk: university.name for university in universities.values()}
        for problem in staff_offering_problems(check, name_of):
            row.error("universities", problem)

    def check_languages(self, row, languages):
        codes = row.values.get("languages") or []
        for code in codes:
            if code not in languages:
                row.error(
                    "languages",
                    _("“%(code)s” is not a language of the catalog") % {"code": code},
                )
                return
        if len(set(codes)) != len(codes):
            row.error("languages", _("a language is named twice"))

    def plan_modules(self):
        """Each module row's change, then for each programme the rules over all its modules and
        the stored modules the file drops."""
        rows = parse_rows(
            self.modules,
            "modules",
            MODULE_PARSERS,
            lambda row: f"{row.values.get('programme') or '?'} #{row.values.get('position', '?')}",
        )
        slugs = {row.values["programme"] for row in rows if row.values.get("programme")}
        self.load_stored(slugs - set(self.new_programmes))
        self.load_stored_modules([s for s in slugs if s in self.stored and s in self.editable])
        self.file_programmes = getattr(self, "file_programmes", {})
        self.sources = {}  # source document -> its SourceText, or None when it has none
        columns = [c for c in MODULE_COLUMNS if c in self.modules.headers]
        seen = {}
        by_programme = defaultdict(list)
        checking = _("Checking modules")
        for index, row in enumerate(rows):
            self.progress(checking, index + 1, len(rows))
            self.check_module_programme(row)
            if row.change.status == ERROR:
                # Not a programme this user may fill: its other cells can't be checked against it.
                self.preview_rows.append(row.change)
                continue
            self.check_position_once(row, seen)
            self.check_semester(row)
            self.check_track(row)
            self.check_quote(row)
            row.change.label = row.values.get("title") or ""
            by_programme[row.values["programme"]].append(row)
            self.compare_module(row, columns)
            self.preview_rows.append(row.change)
        for slug_value, module_rows in by_programme.items():
            self.plan_programme_modules(slug_value, module_rows)

    def load_stored_modules(self, slugs):
        """The stored modules and tracks of these programmes (which this user may change)."""
        self.stored_modules = defaultdict(dict)  # slug -> position -> the first module there
        self.all_stored_modules = defaultdict(list)  # slug -> its modules in position order
        self.tracks = defaultdict(dict)  # slug -> name -> Track
        for chunk in chunked(slugs):
            # Plain values, not model instances: a re-import of 200,000 modules compares them all.
            for module in (
                Module.objects.filter(programme__slug__in=chunk)
                .order_by("programme_id", "position", "title", "pk")
                .values(*STORED_MODULE_VALUES)
            ):
                module["programme"] = module.pop("programme__slug")
                module["track"] = module.pop("track__name")
                self.stored_modules[module["programme"]].setdefault(module["position"], module)
                self.all_stored_modules[module["programme"]].append(module)
            for track in self.stored_tracks(chunk):
                self.tracks[track.programme.slug][track.name] = track

    def stored_tracks(self, slugs):
        return Track.objects.filter(programme__slug__in=slugs).select_related("programme")

    def programme_value(self, slug_value, name):
        """A programme's field as it will be: the programmes file's cell when the file has that
        column for it, else the stored value (None for neither)."""
        programme_row = self.file_programmes.get(slug_value)
        if programme_row is not None and name in programme_row.values:
            return programme_row.values[name]
        return getattr(self.stored.get(slug_value), name, None)

    def check_module_programme(self, row):
        """The row's programme must exist (stored or in the programmes file) and be this user's."""
        slug_value = row.values.get("programme")
        if not slug_value:
            row.error("programme", _("is required"))
        elif slug_value in self.stored and slug_value not in self.editable:
            row.error(
                "programme",
                _("“%(slug)s” is not offered by your universities: you may not change it")
                % {"slug": slug_value},
            )
        elif slug_value not in self.stored and slug_value not in self.file_programmes:
            row.error(
                "programme",
                _("no programme with the slug “%(slug)s” (here or in the programmes file)")
                % {"slug": slug_value},
            )

    def check_position_once(self, row, seen):
        """A programme's position may be on one row; `seen` maps (slug, position) to its line."""
        slug_value, position = row.values["programme"], row.values.get("position")
        if position is None:
            return
        key = (slug_value, position)
        if key in seen:
            row.error(
                "position",
                _("position %(position)s of %(slug)s is already on row %(line)s")
                % {"position": position, "slug": slug_value, "line": seen[key]},
            )
        else:
            seen[key] = row.line

    def check_semester(self, row):
        """A module's semester lies within its programme's standard period."""
        duration = self.programme_value(row.values["programme"], "duration_semesters")
        semester = row.values.get("semester")
        if semester is not None and duration is not None and semester > duration:
            row.error(
                "semester",
                _("semester %(number)s is beyond the standard period of %(duration)s")
                % {"number": semester, "duration": duration},
            )

    def check_track(self, row):
        """A module's track is one of its programme's, by name; sets the row's track_id."""
        track_name = row.values.get("track")
        row.values["track_id"] = None
        if track_name is None:
            return
        track = self.tracks.get(row.values["programme"], {}).get(track_name)
        if track is None:
            row.error(
                "track", _("“%(track)s” is not a track of this programme") % {"track": track_name}
            )
        else:
            row.values["track_id"] = track.pk

    def check_quote(self, row):
        """A quote must be the source's own words, where the source text travels with the
        catalog (as in the admin's module rows)."""
        quote = row.values.get("source_quote")
        if quote is None:
            return
        document = self.programme_value(row.values["programme"], "source_document")
        if document not in self.sources:
            text = source_text(Programme(source_document=document))
            self.sources[document] = SourceText(text) if text is not None else None
        source = self.sources[document]
        missing = source.missing_passages(quote) if source is not None else []
        if missing:
            row.error("source_quote", not_in_source(missing[0]))

    def compare_module(self, row, columns):
        """The row's changes to the stored module at its position, if there is one."""
        stored_module = self.stored_modules.get(row.values["programme"], {}).get(
            row.values.get("position")
        )
        if stored_module is not None:
            row.change.changes = [
                (column, old, new)
                for column in columns
                if (old := cell_text(stored_module[column]))
                != (new := cell_text(row.values.get(column)))
            ]
            if row.change.status != ERROR:
                row.change.status = CHANGED if row.change.changes else UNCHANGED
        row.stored_module = stored_module

    def plan_programme_modules(self, slug_value, module_rows):
        """The rules over all of a programme's modules, and the stored modules the file drops."""
        ects = self.programme_value(slug_value, "ects")
        problems = consistency.module_ects_problems(
            [row.values.get("ects") for row in module_rows], ects
        )
        for problem in problems:
            module_rows[-1].error("ects", problem)
        # Every stored module the file doesn't match goes: those at positions the file doesn't
        # list, and any second module sharing a position with a matched one.
        matched = {row.stored_module["pk"] for row in module_rows if row.stored_module}
        removed = [
            module
            for module in self.all_stored_modules.get(slug_value, [])
            if module["pk"] not in matched
        ]
        for module in removed:
            self.preview_rows.append(
                RowChange(
                    sheet="modules",
                    line=None,
                    key=f"{slug_value} #{module['position']}",
                    status=REMOVED,
                    label=module["title"],
                )
            )
        self.module_plan[slug_value] = (module_rows, removed)


def chunked(items, size=500):
    """The items in lists of at most `size` (SQLite allows only so many query parameters)."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""A programme's curriculum arranged for reading: the semester plan and the remaining modules.

Sources describe curricula differently: some semester by semester (FH Salzburg), some by year
and kind of course without semesters (KTH). Modules placed in a described semester are shown in
that semester's plan; the rest are grouped by semester, else by year and kind, else by kind.
Works on prefetched rows (`with_detail_data()`), so it runs no queries of its own.
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext, gettext_lazy

from programs.display.facts import DerivedSource, Fact
from programs.models import ModuleKind, TrackKind

# What a source names "in addition" to the modules it counts in a semester ("The second
# semester comprises three modules. In addition, an internship or project work is completed"):
# such a module is not one of those counted.
_NOT_COUNTED = {ModuleKind.INTERNSHIP, ModuleKind.THESIS}


@dataclass
class PlannedSemester:
    """One described semester and the modules the source places in it."""

    semester: object
    modules: list = field(default_factory=list)

    @property
    def counted_named(self):
        """How many of the modules the source counts in this semester it names (RWTH counts
        three in its second semester and names none of them: only the internship beside them)."""
        return sum(1 for module in self.modules if module.kind not in _NOT_COUNTED)

    @property
    def all_counted_named(self):
        """Whether every module the source counts here is named (true when it counts none)."""
        count = self.semester.module_count
        return count is None or self.counted_named >= count


@dataclass
class ModuleGroup:
    """Modules that share a semester, or a year and kind, under one heading."""

    heading: str
    modules: list = field(default_factory=list)


_KIND_HEADINGS = {
    ModuleKind.COMPULSORY: gettext_lazy("Compulsory courses"),
    ModuleKind.ELECTIVE: gettext_lazy("Elective courses"),
    ModuleKind.ALTERNATIVE: gettext_lazy("Alternative courses (one per background)"),
    ModuleKind.FOCUS_AREA: gettext_lazy("Focus areas"),
    ModuleKind.PROJECT: gettext_lazy("Project courses"),
    ModuleKind.INTERNSHIP: gettext_lazy("Internship or project work"),
    ModuleKind.THESIS: gettext_lazy("Thesis"),
}
_KIND_ORDER = {kind: index for index, kind in enumerate(ModuleKind.values)}


def _in_sentence(heading):
    """A heading as it reads after a colon; German nouns keep their capital."""
    heading = str(heading)
    return heading if get_language() == "de" else heading.lower()


def _kind_heading(kind):
    return _KIND_HEADINGS.get(kind, ModuleKind(kind).label if kind in ModuleKind.values else kind)


def semester_plan(programme):
    """Each described semester in order, with the modules the source places in it."""
    plan = {semester.number: PlannedSemester(semester) for semester in programme.semesters.all()}
    for module in programme.modules.all():
        if module.semester in plan:
            plan[module.semester].modules.append(module)
    return [plan[number] for number in sorted(plan)]


def every_counted_module_named(plan):
    """Whether the study plan names every module its source counts: only then are "all
    modules" listed in it (RWTH's eleven taught modules are counted, never named)."""
    return all(entry.all_counted_named for entry in plan)


def tracks_heading(tracks):
    """The heading of a programme's tracks: a source's "alternative courses" (UniSR's) are
    courses, not tracks, and are not called tracks (needs the tracks loaded)."""
    kinds = {track.kind for track in tracks}
    if kinds and kinds <= {TrackKind.ALTERNATIVE_COURSE}:
        return gettext("Alternative courses")
    if TrackKind.ALTERNATIVE_COURSE in kinds:
        return gettext("Tracks and alternative courses")
    return gettext("Tracks")


def track_placement(track):
    """When a track falls ("Semester 1"), as a fact: inferred when the source names the track
    without placing it (RWTH's starting tracks), not stated when nothing places it."""
    if track.semester is not None:
        text = gettext("Semester %(number)s") % {"number": track.semester}
    elif track.year is not None:
        text = gettext("Year %(number)s") % {"number": track.year}
    else:
        text = None
    return Fact(
        "placement",
        gettext("When"),
        text,
        source=DerivedSource(inferred_because=track.placement_inferred_because or None),
    )


def other_module_groups(programme):
    """Modules not shown in the semester plan, grouped under headings in reading order."""
    described = {semester.number for semester in programme.semesters.all()}
    groups = {}
    for module in programme.modules.all():
        if module.semester in described:
            continue
        if module.semester is not None:
            key = (0, module.semester, 0)
            heading = gettext("Semester %(number)s") % {"number": module.semester}
        elif module.year is not None:
            key = (1, module.year, _KIND_ORDER.get(module.kind, 99))
            heading = gettext("Year %(number)s: %(kind)s") % {
                "number": module.year,
                "kind": _in_sentence(_kind_heading(module.kind)),
            }
        else:
            key = (2, 0, _KIND_ORDER.get(module.kind, 99))
            heading = _kind_heading(module.kind)
        groups.setdefault(key, ModuleGroup(heading)).modules.append(module)
    return [groups[key] for key in sorted(groups)]

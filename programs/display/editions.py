"""Programmes as an archived edition froze them, ready for the live pages' own code to show.

Each is the Programme instance the live page would have loaded when the edition was archived,
rebuilt from its frozen graph (programs/models/frozen_graphs.py) with every list it shows, and
marked with the edition so that its address, and every link built from it, is the edition's.
"""

from dataclasses import dataclass

from programs.models import EditionProgramme
from programs.models.frozen_graphs import from_graph, unpacked


@dataclass
class FrozenProgramme:
    """An edition's programme and the public changes its page listed."""

    programme: object
    changes: list


def frozen_programme(entry):
    """The frozen programme of an EditionProgramme (its `frozen` and `edition` loaded)."""
    graph = unpacked(entry.frozen.graph)
    programme = from_graph(graph["programme"])
    programme.edition_slug = entry.edition.slug
    changes = [from_graph(change) for change in graph["changes"]]
    for change in changes:
        change._state.fields_cache["programme"] = programme
    return FrozenProgramme(programme, changes)


def public_facts_of(entry):
    """The public facts of an EditionProgramme (`frozen` loaded) as the change log compares
    them, or None when the change log had none."""
    return frozen_public_facts(entry.frozen.facts)


def frozen_public_facts(facts_blob):
    """The public facts in a FrozenProgramme's `facts` (as stored), or None as above."""
    return unpacked(facts_blob)["public_facts"]


class EditionProgrammesInOrder:
    """An edition's programmes with these catalog ids, in this order, read a page at a time
    (a Paginator's list, as programs/finder/paging.ProgrammesInOrder is the live list's)."""

    def __init__(self, edition, ids):
        self.edition, self.ids = edition, ids

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, key):
        ids = [int(pk) for pk in self.ids[key]]
        entries = EditionProgramme.objects.filter(
            edition=self.edition, catalog_id__in=ids
        ).select_related("frozen", "edition")
        found = {entry.catalog_id: frozen_programme(entry).programme for entry in entries}
        return [found[pk] for pk in ids if pk in found]

    def in_chunks(self, size):
        """Every programme, in order, read `size` at a time (a streamed download's rows)."""
        for start in range(0, len(self.ids), size):
            yield from self[start : start + size]

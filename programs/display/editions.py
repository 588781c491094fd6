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


def frozen_programmes(edition, ids):
    """The edition's programmes with these catalog ids (unknown ones left out), by id."""
    entries = EditionProgramme.objects.filter(edition=edition, catalog_id__in=ids)
    return {
        entry.catalog_id: frozen_programme(entry).programme
        for entry in entries.select_related("frozen", "edition")
    }


def public_facts_of(entry):
    """The public facts of an EditionProgramme (`frozen` loaded) as the change log compares
    them, or None when the change log had none."""
    return frozen_public_facts(entry.frozen.facts)


def frozen_public_facts(facts_blob):
    """The public facts in a FrozenProgramme's `facts` (as stored), or None as above."""
    return unpacked(facts_blob)["public_facts"]

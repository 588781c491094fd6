"""The list's programmes a page at a time, in an order already known as a list of ids.

The facet index knows the title order (and a search's ranking) of every matching programme, so
a deep page costs what the first does: only that page's rows are read from the database.
"""

from programs.display.editions import frozen_programmes


class ProgrammesInOrder:
    """The programmes with these ids, in this order, read a page at a time (a Paginator's list)."""

    def __init__(self, queryset, ids):
        self.queryset, self.ids = queryset, ids

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, key):
        ids = [int(pk) for pk in self.ids[key]]
        found = self._by_id(ids)
        return [found[pk] for pk in ids if pk in found]

    def _by_id(self, ids):
        page = self.queryset.filter(pk__in=ids).order_by()  # ordered by the caller, by `ids`
        return {programme.pk: programme for programme in page}

    def in_chunks(self, size):
        """Every programme, in order, read `size` at a time (a streamed download's rows)."""
        for start in range(0, len(self.ids), size):
            yield from self[start : start + size]


class EditionProgrammesInOrder(ProgrammesInOrder):
    """An archived edition's programmes with these ids (their catalog ids then), in this order,
    each built from its frozen graph with what its card, page and CSV row show."""

    def __init__(self, edition, ids):
        super().__init__(None, ids)
        self.edition = edition

    def _by_id(self, ids):
        return frozen_programmes(self.edition, ids)

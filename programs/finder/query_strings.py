"""Query strings of the programme list: the short addresses its links and forms stand for.

Empty parameters (a submitted form sends one for every untouched field) are left out, so shared
addresses stay short; nothing here looks a value up.
"""

from django.http import QueryDict


def query_without(data, name, value=None):
    """`data` (a QueryDict) urlencoded without parameter `name` (or just that one value of it).

    Empty parameters, which a submitted form sends for every untouched field, and `page` (a
    changed filter starts again on page one) are dropped so shared addresses stay short.
    """
    query = QueryDict(mutable=True)
    for key, values in data.lists():
        if key == "page":
            continue
        kept = [v for v in values if v != "" and not (key == name and value in (None, v))]
        if kept:
            query.setlist(key, kept)
    return query.urlencode()


def query_without_empty(data):
    """`data` (a QueryDict) urlencoded without its empty parameters, every other value kept
    (repeated ones and unknown ones too): the short address a submitted form stands for."""
    query = QueryDict(mutable=True)
    for key, values in data.lists():
        kept = [value for value in values if value != ""]
        if kept:
            query.setlist(key, kept)
    return query.urlencode()


def has_empty_parameter(data):
    """Whether `data` (a QueryDict) holds an empty parameter, as a submitted form's untouched
    fields are."""
    return any("" in values for _, values in data.lists())

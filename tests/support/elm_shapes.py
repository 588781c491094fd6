"""The ELM profile's SHACL shapes (standards/elm-v3/LOQ-constraints.ttl) as pySHACL can run them,
and an ELM file read the way a harvester's sandbox reads it: offline.

One pattern needs translating. The profile checks that a `contentUrl` is a well-formed address
with a pattern written in Java's regex dialect, which Python's `re` (so pySHACL) can't compile:
an inline `(?i)` after `^`, nested character classes (`[[A-F]\\:]`, a union in Java) and `\\p{L}`.
`PYTHON_PATTERNS` gives each the same pattern in Python's dialect: `(?i)` becomes the shape's
`sh:flags "i"`, the unions are written as one class, and letters, letter numbers and digits
(`\\p{L}\\p{Nl}\\p{Nd}`) are `\\w`, which adds only `_` and a few marks, inside the branch for an
IPv6 literal (`[...]`) that none of the catalog's addresses takes. The file on disk stays as
published; a test checks that the translated shapes still refuse what they should.
"""

import functools
import warnings
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import SH

SHAPES = Path(__file__).resolve().parents[2] / "standards" / "elm-v3" / "LOQ-constraints.ttl"

_JAVA_HOST = r"(\[[[A-Fa-f0-9]\:\.]*[%[\p{L}\p{Nl}\p{Nd}]]*\]|[^\[/?#:]*)"
_PYTHON_HOST = r"(\[[A-Fa-f0-9:.]*[%\w]*\]|[^\[/?#:]*)"
_REST = r"(:(\d*(?:\{[^/]+?\})?))?)?([^?#]*)(\?([^#]*))?(#(.*))?"
_USER = r"(([^@\[/?#]*)@)?"

# {the profile's pattern: (the same in Python's dialect, its sh:flags)}
PYTHON_PATTERNS = {
    # URLRegexRestriction: an http(s) address, in any case.
    rf"^(?i)(http|https):(//{_USER}{_JAVA_HOST}{_REST}": (
        rf"^(http|https):(//{_USER}{_PYTHON_HOST}{_REST}",
        "i",
    ),
    # URIRegexRestriction: any URI.
    rf"^(([^:/?#]+):)?(//{_USER}{_JAVA_HOST}{_REST}": (
        rf"^(([^:/?#]+):)?(//{_USER}{_PYTHON_HOST}{_REST}",
        None,
    ),
}


@functools.cache
def _shapes_turtle():
    """The shapes with the Java patterns translated, as Turtle (parsed afresh by each caller,
    since pySHACL may add to the graph it is given)."""
    shapes = rdflib.Graph().parse(SHAPES)
    translated = set()
    for shape, pattern in list(shapes.subject_objects(SH.pattern)):
        if str(pattern) not in PYTHON_PATTERNS:
            continue
        python, flags = PYTHON_PATTERNS[str(pattern)]
        shapes.remove((shape, SH.pattern, pattern))
        shapes.add((shape, SH.pattern, rdflib.Literal(python)))
        if flags:
            shapes.add((shape, SH.flags, rdflib.Literal(flags)))
        translated.add(str(pattern))
    # The profile changed if a pattern is no longer there: look at it again.
    assert translated == set(PYTHON_PATTERNS), "the profile's URL patterns are not the known ones"
    return shapes.serialize(format="turtle")


def shapes_graph():
    """The profile's shapes, ready for pySHACL."""
    return rdflib.Graph().parse(data=_shapes_turtle(), format="turtle")


def parse_offline(content):
    """An ELM file's bytes as an RDF graph, with no network (a remote @context would fail)."""
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser builds a ConjunctiveGraph internally, deprecated in rdflib 7.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return rdflib.Graph().parse(data=content, format="json-ld")


def validate(graph):
    """(conforms, the results text) of `graph` against the profile."""
    conforms, _, text = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), inference="none", allow_warnings=False
    )
    return conforms, text

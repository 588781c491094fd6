"""How the catalog's values read in an OEAPI resource: texts with their language, identifiers,
study load, and the `ext` object that carries what the catalog infers, with the reason."""

from decimal import Decimal

from programs.models import TEXT_LANGUAGE, Provenance


def typed_texts(*texts):
    """LanguageTypedString entries for (text, language) pairs, leaving out empty texts; None
    when none is left. Each text carries the language it is really written in."""
    entries = [{"language": language, "value": text} for text, language in texts if text]
    return entries or None


def in_text_language(text):
    """`text` written in the catalog's text language (the source texts' English), typed."""
    return typed_texts((text, TEXT_LANGUAGE))


def stable_code(uuid):
    """The resource's primaryCode: its stable identifier. The sources give no code of their own
    (no institution's programme or course code), and a slug may be renamed; the UUID never is."""
    return {"codeType": "uuid", "code": str(uuid)}


def ects_load(ects):
    """A studyLoad list of `ects` credits, or None when not stated."""
    if ects is None:
        return None
    value = Decimal(ects)
    return [{"studyLoadUnit": "ects", "value": int(value) if value == int(value) else float(value)}]


def compact(data):
    """`data` without the keys whose value is unknown or empty: an unstated fact is absent."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


class Resource:
    """An OEAPI resource being built: its standard properties and its `ext` object.

    `place()` puts a key fact's value where its provenance says: among the properties when the
    catalog holds it as the source's (stated, or its source not recorded), in
    ext.inferred.<property> with the reason when inferred, nowhere when not stated.
    """

    def __init__(self, **properties):
        self.properties = compact(properties)
        self.ext = {}

    def place(self, name, fact, value, in_ext=False):
        """Place `value` of key fact `fact` (programs.display.facts.Fact) as property `name`
        (or as ext.<name> when `in_ext`: a fact OEAPI has no property for)."""
        if value in (None, "", [], {}) or fact.provenance == Provenance.NOT_STATED:
            return
        if fact.provenance == Provenance.INFERRED:
            self.infer(name, value, fact.inferred_because)
        elif in_ext:
            self.ext[name] = value
        else:
            self.properties[name] = value

    def infer(self, name, value, reason):
        """Carry `value` of property `name` as the catalog's inference, with its reason."""
        self.ext.setdefault("inferred", {})[name] = compact({"value": value, "reason": reason})

    def set(self, **properties):
        """Set standard properties that are known (unknown ones are left out)."""
        self.properties.update(compact(properties))

    def as_dict(self):
        """The resource as JSON-ready data; `ext` only when it holds something."""
        return {**self.properties, "ext": self.ext} if self.ext else dict(self.properties)

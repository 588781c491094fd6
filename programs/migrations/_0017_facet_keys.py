"""Migration 0017's code, frozen: every programme's facet keys written again, each value marked
when the programme holds it only as an inference.

A copy of what programs/search/programme_documents.py wrote into `facet_keys` when the migration
was made (with its historical models), so the migration keeps doing what it did whatever becomes
of the live code. Only the facet keys are rewritten: the documents' words did not change.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

from django.db import transaction

REFRESH_CHUNK = 500
# Facet: the key fact whose source says whether its values are inferred.
FACET_FACTS = {
    "language": "languages",
    "university": "universities",
    "level": "level",
    "study_mode": "study_mode",
    "delivery": "delivery",
    "start": "start_term",
}
# Facet: the programme's column holding its value (the index reads the column itself).
COLUMN_FACETS = {
    "level": "level",
    "study_mode": "study_mode",
    "delivery": "delivery",
    "start": "start_term",
}
INFERRED_MARK = ":inferred"


def facet_keys(programme_ids, apps, using):
    """{programme id: its facet keys as the documents store them} for these programmes."""
    Programme = apps.get_model("programs", "Programme")
    FactSource = apps.get_model("programs", "FactSource")
    Offering = apps.get_model("programs", "ProgrammeUniversity")
    Track = apps.get_model("programs", "Track")
    programmes = Programme.objects.using(using).filter(pk__in=programme_ids)
    inferred_facts = {
        (programme_id, fact)
        for programme_id, fact, reason in FactSource.objects.using(using)
        .filter(programme_id__in=programme_ids, fact__in=FACET_FACTS.values())
        .values_list("programme_id", "fact", "inferred_because")
        if reason
    }
    keys = {}

    def add(programme_id, facet, value, label="", inferred=None):
        if inferred is None:
            inferred = (programme_id, FACET_FACTS[facet]) in inferred_facts
        keys[programme_id].append((facet, value, label, inferred))

    for row in programmes.values("pk", *COLUMN_FACETS.values()):
        keys[row["pk"]] = []
        for facet, column in COLUMN_FACETS.items():
            add(row["pk"], facet, row[column])
    offerings = Offering.objects.using(using).filter(programme_id__in=keys)
    for programme_id, name, country, slug in offerings.values_list(
        "programme_id", "university__name", "university__country", "university__slug"
    ):
        add(programme_id, "country", country, inferred=True)
        add(programme_id, "university", slug, name)
    taught = Programme.languages.through.objects.using(using).filter(programme_id__in=keys)
    for programme_id, code in taught.values_list("programme_id", "language_id"):
        add(programme_id, "language", code)
    tracks = Track.objects.using(using).filter(programme_id__in=keys)
    for programme_id, background, reason in tracks.values_list(
        "programme_id", "background", "inferred_because"
    ):
        add(programme_id, "background", background, inferred=bool(reason))
    return {pk: _lines(programme_keys) for pk, programme_keys in keys.items()}


def _lines(keys):
    held = {}
    for facet, value, label, inferred in keys:
        if value:
            earlier = held.get((facet, value))
            held[facet, value] = (label, inferred and (earlier is None or earlier[1]))
    return "\n".join(
        "\t".join([facet + (INFERRED_MARK if inferred else ""), value] + ([label] if label else []))
        for (facet, value), (label, inferred) in held.items()
        if inferred or facet not in COLUMN_FACETS
    )


def refresh(apps, using):
    """Rewrite every programme's facet keys, and make every process read its facet index again
    (a new revision, logged as changing every programme)."""
    Programme = apps.get_model("programs", "Programme")
    Document = apps.get_model("programs", "ProgrammeSearchDocument")
    Revision = apps.get_model("programs", "CatalogRevision")
    Change = apps.get_model("programs", "CatalogChange")
    ids = sorted(Programme.objects.using(using).values_list("pk", flat=True))
    with transaction.atomic(using=using):
        for start in range(0, len(ids), REFRESH_CHUNK):
            written = facet_keys(ids[start : start + REFRESH_CHUNK], apps, using)
            documents = list(Document.objects.using(using).filter(programme_id__in=written))
            for document in documents:
                document.facet_keys = written[document.programme_id]
            Document.objects.using(using).bulk_update(documents, ["facet_keys"])
        revision, _ = Revision.objects.using(using).get_or_create(pk=1)
        revision.number += 1
        revision.save(update_fields=["number"])
        Change.objects.using(using).create(revision=revision.number, programme_id=None)

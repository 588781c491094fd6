"""A university as an OEAPI Organisation."""

from programs.display.facts import LOCATION_NOT_RECORDED
from programs.display.oeapi.values import Resource, compact, in_text_language, stable_code

# Each university is the institution itself, not a faculty or branch of another: the catalog
# keeps no hierarchy of organisations, so there is no parent, child or root to point to.
ORGANISATION_TYPE = "root"


def organisation(university):
    """The university as an Organisation. Its country and city are never an address: the source
    texts don't say where a university is, so they are the catalog's inference, carried in
    ext.inferred.location with where they come from (University.location_source)."""
    resource = Resource(
        organisationId=str(university.uuid),
        primaryCode=stable_code(university.uuid),
        organisationType=ORGANISATION_TYPE,
        # The university's name as the catalog records it, in English as the sources give it.
        name=in_text_language(university.name),
        shortName=university.short_name,
        link=university.website,
    )
    location = compact({"countryCode": university.country, "city": university.city})
    resource.infer("location", location, university.location_source or LOCATION_NOT_RECORDED)
    return resource.as_dict()

"""A programme's module as an OEAPI Course."""

from programs.display.oeapi.values import (
    Resource,
    compact,
    ects_load,
    in_text_language,
    stable_code,
)


def course(module):
    """The module as a Course (needs its programme and track loaded).

    What OEAPI has no property for goes into `ext`: the kind of module (compulsory, elective,
    thesis ...), its semester or year and its track, where the source places it. A module whose
    row is partly inferred says so in ext.inferredBecause: the row, not one property, carries the
    reason.
    """
    resource = Resource(
        courseId=str(module.uuid),
        primaryCode=stable_code(module.uuid),
        name=in_text_language(module.title),
        studyLoad=ects_load(module.ects),
        description=in_text_language(module.description),
        programmeIds=[str(module.programme.uuid)],
    )
    resource.ext.update(
        compact(
            {
                "kind": module.kind,
                "semester": module.semester,
                "year": module.year,
                "track": module.track.name if module.track_id else None,
                "inferredBecause": module.inferred_because,
            }
        )
    )
    return resource.as_dict()

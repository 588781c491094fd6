"""A university as its pages show it: where it is, and how the catalog knows; and the programmes
it offers, each with its role and key facts as the programme's own page knows them, so what that
page marks inferred is marked here too."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from programs.core import names
from programs.display.facts import DerivedSource, Fact, key_facts, title_fact

# A programme's text seldom says where its university is; the university's record says where
# the catalog has its country and city from (University.location_source), or this when it does
# not.
PLACE_NOT_RECORDED = gettext_noop(
    "Where the catalog has the university's country and city from is not recorded."
)


@dataclass(frozen=True)
class Location:
    """A university's country and city, each inferred: never from the programmes' own texts,
    both for the same reason."""

    country: Fact
    city: Fact

    @property
    def inferred_because(self):
        return self.country.inferred_because


def location(university):
    """Where `university` is, each part with the reason the catalog gives for it."""
    source = DerivedSource(inferred_because=university.location_source or PLACE_NOT_RECORDED)
    return Location(
        country=Fact(
            "country",
            _("Country"),
            names.country_name(university.country) or None,
            source=source,
        ),
        city=Fact("city", _("City"), university.city or None, source=source, source_text=True),
    )


@dataclass(frozen=True)
class OfferedProgramme:
    """A programme on its university's page."""

    programme: object
    # Its title, inferred when the title is, or when that this university offers the programme
    # is itself the catalog's inference (FH Salzburg's text never names it): both reasons.
    link: Fact
    # The university's role in it, as the offering records it, and whether it is inferred.
    role: str | None
    role_inferred: bool
    degree: Fact
    ects: Fact
    languages: Fact
    approval_status: Fact


def _link(programme, universities):
    title = title_fact(programme)
    reasons = [fact.inferred_because for fact in (title, universities) if fact.inferred]
    return Fact(
        "title",
        title.label,
        title.text,
        source=DerivedSource(inferred_because="\n".join(reasons) or None),
    )


def offered_programmes(university):
    """The published programmes `university` offers, by title (needs
    `with_published_programmes()`)."""
    offered = []
    for offering in university.published_offerings:
        programme = offering.programme
        facts = {fact.key: fact for fact in key_facts(programme)}
        universities = facts["universities"]
        role_inferred = any(
            link.role_inferred
            for link in universities.universities
            if link.url == university.get_absolute_url()
        )
        offered.append(
            OfferedProgramme(
                programme=programme,
                link=_link(programme, universities),
                role=offering.get_role_display() if offering.role else None,
                role_inferred=role_inferred,
                degree=facts["degree"],
                ects=facts["ects"],
                languages=facts["languages"],
                approval_status=facts["approval_status"],
            )
        )
    return offered

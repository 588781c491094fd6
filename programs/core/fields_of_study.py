"""The fields of study a programme is filed under: the narrow fields of ISCED-F 2013.

UNESCO's International Standard Classification of Education: Fields of education and training
2013 (ISCED-F 2013) has 11 broad fields (two-digit codes), their narrow fields (three digits)
and detailed fields (four digits). The catalog files a programme under one narrow field, by its
official code and English name; "field unknown" (99/999) is not among them: a programme whose
field is not known has none (NULL), as every fact not stated. Names in the site's other
languages come through gettext, like the rest of the interface.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldOfStudy(models.TextChoices):
    """An ISCED-F 2013 narrow field, by its three-digit code (stored as text: "061")."""

    BASIC_PROGRAMMES = "001", _("Basic programmes and qualifications")
    LITERACY_AND_NUMERACY = "002", _("Literacy and numeracy")
    PERSONAL_SKILLS = "003", _("Personal skills and development")
    EDUCATION = "011", _("Education")
    EDUCATION_INTERDISCIPLINARY = (
        "018",
        _("Inter-disciplinary programmes and qualifications involving education"),
    )
    ARTS = "021", _("Arts")
    HUMANITIES = "022", _("Humanities (except languages)")
    LANGUAGES = "023", _("Languages")
    ARTS_AND_HUMANITIES_INTERDISCIPLINARY = (
        "028",
        _("Inter-disciplinary programmes and qualifications involving arts and humanities"),
    )
    SOCIAL_AND_BEHAVIOURAL_SCIENCES = "031", _("Social and behavioural sciences")
    JOURNALISM_AND_INFORMATION = "032", _("Journalism and information")
    SOCIAL_SCIENCES_INTERDISCIPLINARY = (
        "038",
        _(
            "Inter-disciplinary programmes and qualifications involving social sciences, "
            "journalism and information"
        ),
    )
    BUSINESS_AND_ADMINISTRATION = "041", _("Business and administration")
    LAW = "042", _("Law")
    BUSINESS_INTERDISCIPLINARY = (
        "048",
        _(
            "Inter-disciplinary programmes and qualifications involving business, "
            "administration and law"
        ),
    )
    BIOLOGICAL_SCIENCES = "051", _("Biological and related sciences")
    ENVIRONMENT = "052", _("Environment")
    PHYSICAL_SCIENCES = "053", _("Physical sciences")
    MATHEMATICS_AND_STATISTICS = "054", _("Mathematics and statistics")
    NATURAL_SCIENCES_INTERDISCIPLINARY = (
        "058",
        _(
            "Inter-disciplinary programmes and qualifications involving natural sciences, "
            "mathematics and statistics"
        ),
    )
    ICT = "061", _("Information and Communication Technologies (ICTs)")
    ICT_INTERDISCIPLINARY = (
        "068",
        _(
            "Inter-disciplinary programmes and qualifications involving Information and "
            "Communication Technologies (ICTs)"
        ),
    )
    ENGINEERING = "071", _("Engineering and engineering trades")
    MANUFACTURING = "072", _("Manufacturing and processing")
    ARCHITECTURE_AND_CONSTRUCTION = "073", _("Architecture and construction")
    ENGINEERING_INTERDISCIPLINARY = (
        "078",
        _(
            "Inter-disciplinary programmes and qualifications involving engineering, "
            "manufacturing and construction"
        ),
    )
    AGRICULTURE = "081", _("Agriculture")
    FORESTRY = "082", _("Forestry")
    FISHERIES = "083", _("Fisheries")
    VETERINARY = "084", _("Veterinary")
    AGRICULTURE_INTERDISCIPLINARY = (
        "088",
        _(
            "Inter-disciplinary programmes and qualifications involving agriculture, "
            "forestry, fisheries and veterinary"
        ),
    )
    HEALTH = "091", _("Health")
    WELFARE = "092", _("Welfare")
    HEALTH_INTERDISCIPLINARY = (
        "098",
        _("Inter-disciplinary programmes and qualifications involving health and welfare"),
    )
    PERSONAL_SERVICES = "101", _("Personal services")
    HYGIENE_AND_OCCUPATIONAL_HEALTH = "102", _("Hygiene and occupational health services")
    SECURITY_SERVICES = "103", _("Security services")
    TRANSPORT_SERVICES = "104", _("Transport services")
    SERVICES_INTERDISCIPLINARY = (
        "108",
        _("Inter-disciplinary programmes and qualifications involving services"),
    )


def field_label(code):
    """How a field reads wherever it is shown: its name and its ISCED code, "Health (091)";
    None for no field, and the code itself for one the classification doesn't have."""
    if not code:
        return None
    try:
        name = FieldOfStudy(code).label
    except ValueError:
        return code
    return f"{name} ({code})"

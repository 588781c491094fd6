"""The catalog's fixed vocabularies (Django TextChoices): levels, study modes, kinds of parts,
how a fact is known. Below the models, so the change log's wording and any output can name a
choice without importing a model."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The language the programmes' own texts (titles, descriptions, modules, requirements) are
# written in: the source texts (fixtures/sources/) are the universities' English pages, and the
# catalog keeps a requirement's non-English wording
# beside it with its own language (AdmissionRequirement.original_language). Pages in other
# languages show these texts as published, marked with this language, never translated.
TEXT_LANGUAGE = "en"


class Level(models.TextChoices):
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")
    OTHER = "other", _("Other")


class StudyMode(models.TextChoices):
    FULL_TIME = "full-time", _("Full-time")
    PART_TIME = "part-time", _("Part-time")


class Delivery(models.TextChoices):
    ON_CAMPUS = "on-campus", _("On campus")
    BLENDED = "blended", _("Blended")
    ONLINE = "online", _("Online")


class StartTerm(models.TextChoices):
    WINTER = "winter", _("Winter semester")
    SUMMER = "summer", _("Summer semester")
    AUTUMN = "autumn", _("Autumn")
    SPRING = "spring", _("Spring")


class WithdrawalReason(models.TextChoices):
    """Why a programme left the public catalog, as its deletion marker tells harvesters."""

    UNPUBLISHED = "unpublished", _("Unpublished")
    DELETED = "deleted", _("Deleted")


class UniversityRole(models.TextChoices):
    SOLE = "sole", _("Offers the programme alone")
    JOINT = "joint", _("Joint degree partner")
    COORDINATING = "coordinating", _("Coordinating university")
    PARTNER = "partner", _("Partner university")


class TrackKind(models.TextChoices):
    STARTING = "starting", _("Starting track")
    # One of several courses students choose between by background, which the source calls a
    # course, not a track (UniSR's "two alternative courses").
    ALTERNATIVE_COURSE = "alternative-course", _("Alternative course")
    SPECIALISATION = "specialisation", _("Specialisation track")
    ELECTIVE_AREA = "elective-area", _("Elective area")
    PROJECT_AREA = "project-area", _("Project area")


class Background(models.TextChoices):
    """The prior education a track or course path is meant for."""

    COMPUTING = "computing", _("Computer science or engineering")
    LIFE_SCIENCES = "life-sciences", _("Medicine or life sciences")


class ModuleKind(models.TextChoices):
    COMPULSORY = "compulsory", _("Compulsory")
    ELECTIVE = "elective", _("Elective")
    # One of a set of courses a student is assigned by background, not free to choose.
    ALTERNATIVE = "alternative", _("Alternative course (one of a set, by background)")
    FOCUS_AREA = "focus-area", _("Focus area")
    PROJECT = "project", _("Project")
    INTERNSHIP = "internship", _("Internship or project work")
    THESIS = "thesis", _("Thesis")


class RequirementKind(models.TextChoices):
    DEGREE = "degree", _("Degree")
    LANGUAGE = "language", _("Language")
    PROFESSIONAL_EXPERIENCE = "professional-experience", _("Professional experience")
    TEST = "test", _("Admission test")
    OTHER = "other", _("Other")


class ApplicantGroup(models.TextChoices):
    """Whom a deadline or a fee applies to, where the source tells applicants apart."""

    ALL = "all", _("All applicants")
    EU = "eu", _("EU/EEA applicants")
    NON_EU = "non-eu", _("Non-EU/EEA applicants")


class TuitionPeriod(models.TextChoices):
    SEMESTER = "semester", _("per semester")
    YEAR = "year", _("per year")
    PROGRAMME = "programme", _("for the whole programme")


class CareerKind(models.TextChoices):
    ROLE = "role", _("Role")
    SECTOR = "sector", _("Sector or employer")
    FIELD = "field", _("Field")
    FURTHER_STUDY = "further-study", _("Further study")


class KeyFact(models.TextChoices):
    """The programme facts whose provenance is recorded (the detail page's key facts)."""

    TITLE = "title", _("Title")
    DEGREE = "degree", _("Degree awarded")
    LEVEL = "level", _("Level")
    FIELD_OF_STUDY = "field_of_study", _("Field of study")
    UNIVERSITIES = "universities", _("Offered by")
    JOINT_DEGREE = "joint_degree", _("Joint degree")
    FACULTY = "faculty", _("Faculty or school")
    CAMPUS = "campus", _("Campus")
    CITY = "city", _("City")
    ECTS = "ects", _("ECTS credits")
    DURATION = "duration", _("Standard period of study")
    LANGUAGES = "languages", _("Teaching languages")
    START_TERM = "start_term", _("Start of studies")
    STUDY_MODE = "study_mode", _("Study mode")
    DELIVERY = "delivery", _("Delivery")
    # What kind of course the source says it is ("Private Course of Study"), which is not a fee:
    # its own name in every language, never "Tuition fees".
    TUITION_TYPE = "tuition_type", _("Kind of course")
    APPROVAL_STATUS = "approval_status", _("Approval status")


class Provenance(models.TextChoices):
    """How a fact is known."""

    STATED = "stated", _("stated")
    INFERRED = "inferred", _("inferred")
    NOT_STATED = "not-stated", _("not stated")

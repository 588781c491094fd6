"""factory-boy factories for every model; each builds a valid row with only the required facts."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from programs import models


def permission(codename):
    """One of the catalog's own permissions (programs.*), by its code name."""
    return Permission.objects.get(content_type__app_label="programs", codename=codename)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffUserFactory(UserFactory):
    """An admissions staff member: in the "Admissions staff" group, working for `universities`.

    `publishes_directly=True` gives them the permission to change a published programme at
    once, without review (ticking "publish at once"); `approves_proposals=True` the permission
    to approve (or send back) their universities' proposals.
    """

    class Meta:
        skip_postgeneration_save = True

    is_staff = True

    @factory.post_generation
    def universities(self, create, extracted, **kwargs):
        if create:
            from programs.staff.group import admissions_staff_group

            self.groups.add(admissions_staff_group())
            if extracted:
                self.universities.set(extracted)

    @factory.post_generation
    def publishes_directly(self, create, extracted, **kwargs):
        if create and extracted:
            self.user_permissions.add(permission("publish_directly"))

    @factory.post_generation
    def approves_proposals(self, create, extracted, **kwargs):
        if create and extracted:
            self.user_permissions.add(permission("approve_proposal"))


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Language
        django_get_or_create = ["code"]

    code = "en"
    name = "English"


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.University

    name = factory.Sequence(lambda n: f"University {n}")
    slug = factory.Sequence(lambda n: f"university-{n}")
    country = "DE"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Programme
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    level = models.Level.MASTER
    published = True

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            self.languages.set(extracted)

    @factory.post_generation
    def universities(self, create, extracted, **kwargs):
        if create and extracted:
            for position, university in enumerate(extracted):
                models.ProgrammeUniversity.objects.create(
                    programme=self, university=university, position=position
                )


class ProgrammeUniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgrammeUniversity

    programme = factory.SubFactory(ProgrammeFactory)
    university = factory.SubFactory(UniversityFactory)
    role = models.UniversityRole.SOLE


# Test rows come from no source text: they say so, as validate_catalog wants every row to say
# how it is known.
MADE_UP = "Made up for a test; no source states it."


class FactSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FactSource

    programme = factory.SubFactory(ProgrammeFactory)
    fact = models.KeyFact.DEGREE
    inferred_because = MADE_UP


class SemesterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Semester

    programme = factory.SubFactory(ProgrammeFactory)
    inferred_because = MADE_UP
    number = factory.Sequence(lambda n: n + 1)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Track

    programme = factory.SubFactory(ProgrammeFactory)
    inferred_because = MADE_UP
    name = factory.Sequence(lambda n: f"Track {n}")
    kind = models.TrackKind.SPECIALISATION


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Module

    programme = factory.SubFactory(ProgrammeFactory)
    inferred_because = MADE_UP
    title = factory.Sequence(lambda n: f"Module {n}")
    kind = models.ModuleKind.COMPULSORY


class AdmissionRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AdmissionRequirement

    programme = factory.SubFactory(ProgrammeFactory)
    inferred_because = MADE_UP
    kind = models.RequirementKind.DEGREE
    text = "A first university degree"


class CareerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Career

    programme = factory.SubFactory(ProgrammeFactory)
    inferred_because = MADE_UP
    kind = models.CareerKind.ROLE
    text = "Data analyst"


class ApplicationDeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ApplicationDeadline

    programme = factory.SubFactory(ProgrammeFactory)
    inferred_because = MADE_UP
    deadline = datetime.date(2027, 1, 15)


class TuitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Tuition

    programme = factory.SubFactory(ProgrammeFactory)
    inferred_because = MADE_UP
    amount = Decimal("1500")
    currency = "EUR"
    period = models.TuitionPeriod.SEMESTER


def draft_lacking_core_facts(university):
    """A draft stating its degree and ECTS only: what the publish checklist asks about."""
    programme = ProgrammeFactory(
        title="Health Data Science",
        universities=[university],
        published=False,
        degree="Master of Science",
        ects=120,
        level=None,
        duration_semesters=None,
        duration_as_stated=None,
        study_mode=None,
        start_term=None,
    )
    programme.languages.clear()
    return programme

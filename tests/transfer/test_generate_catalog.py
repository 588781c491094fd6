"""The scale-benchmark generator: a realistic catalog, the same for the same seed, labelled
synthetic, and never mixed into a catalog holding real programmes by accident."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from programs.core.search_words import words as search_words
from programs.models import (
    AdmissionRequirement,
    FieldOfStudy,
    Module,
    Programme,
    Track,
    University,
)
from programs.search.programme_documents import POSTGRESQL_TEXT_INDEXES

pytestmark = pytest.mark.django_db

SYNTHETIC = {"slug__startswith": "synthetic-"}


def generate(**options):
    output, errors = io.StringIO(), io.StringIO()
    call_command("generate_catalog", stdout=output, stderr=errors, **options)
    return output.getvalue(), errors.getvalue()


def catalog_facts():
    """What a visitor could see of the generated catalog, independent of database ids."""
    return sorted(
        Programme.objects.filter(**SYNTHETIC).values_list(
            "slug",
            "title",
            "ects",
            "level",
            "field_of_study",
            "study_mode",
            "delivery",
            "published",
        )
    ), sorted(
        Module.objects.filter(programme__slug__startswith="synthetic-").values_list(
            "programme__slug", "position", "title", "kind", "semester"
        )
    )


def test_the_generated_catalog_is_shaped_like_a_real_one():
    output, progress = generate(programmes=600, seed=3)

    assert "Generated 600 synthetic programmes (seed 3)" in output
    assert "programs_module" in progress  # the progress bar named each table it wrote
    programmes = Programme.objects.filter(**SYNTHETIC)
    assert programmes.count() == 600
    assert all(p.source_document.startswith("synthetic") for p in programmes)
    languages = programmes.annotate(n=Count("languages")).values_list("n", flat=True)
    assert set(languages) == {1, 2, 3}
    modules = programmes.annotate(n=Count("modules")).values_list("n", flat=True)
    assert min(modules) >= 5 and max(modules) <= 40 and max(modules) > min(modules)
    ects = list(programmes.values_list("ects", flat=True))
    stated = [value for value in ects if value is not None]
    assert None in ects, "some programmes leave ECTS not stated"
    assert min(stated) >= 60 and max(stated) <= 300
    assert 0 < programmes.filter(published=False).count() < 60, "a few drafts"
    assert Track.objects.filter(programme__in=programmes).exists()
    assert AdmissionRequirement.objects.filter(programme__in=programmes).exists()
    countries = University.objects.filter(**SYNTHETIC).values("country").distinct().count()
    assert countries > 5
    # Fields of study as the list browses them, and a few not stated, as real sources leave them.
    fields = list(programmes.values_list("field_of_study", flat=True))
    assert None in fields and fields.count(None) < 60
    assert {"061", "068", "091"} <= set(fields)
    assert set(fields) - {None} <= {code for code, _ in FieldOfStudy.choices}


def test_the_same_seed_gives_the_same_catalog_and_another_seed_another():
    generate(programmes=80, seed=7)
    first = catalog_facts()
    generate(programmes=80, seed=7)
    assert catalog_facts() == first
    generate(programmes=80, seed=8)
    assert catalog_facts() != first


def test_a_catalog_with_real_programmes_is_refused_and_never_touched(catalog):
    real = sorted(Programme.objects.values_list("slug", "title", "ects"))

    with pytest.raises(CommandError, match="4 real published programmes"):
        generate(programmes=10)
    assert not Programme.objects.filter(**SYNTHETIC).exists()

    generate(programmes=10, force=True)
    generate(delete=True)
    assert sorted(Programme.objects.values_list("slug", "title", "ects")) == real
    assert not University.objects.filter(**SYNTHETIC).exists()


def test_generating_no_programmes_is_refused_with_a_message():
    with pytest.raises(CommandError, match="at least 1"):
        generate(programmes=0)


def test_the_generated_catalog_is_searchable_through_the_text_indexes(client):
    """generate_catalog writes every search document at once and, on PostgreSQL, builds the
    text indexes again afterwards: they exist, and the list and module searches find by them."""
    generate(programmes=30, seed=3)
    module = Module.objects.filter(programme__published=True).order_by("pk").first()
    word = search_words(module.title)[-1]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_gin"])
            names = {row[0] for row in cursor.fetchall()}
        assert set(POSTGRESQL_TEXT_INDEXES) <= names
    listed = client.get("/programmes/", {"q": module.programme.title}).content.decode()
    assert module.programme.slug in listed
    modules = client.get("/modules/", {"q": word}).content.decode()
    assert module.programme.slug in modules

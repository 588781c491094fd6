"""The catalog's own reasons for its inferences read in the page's language on every page that
shows them: no reason of the real catalog is left in English on a German, Italian or Swedish page
(the source's words a reason quotes stay as the source published them)."""

import html
import re

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from programs.models import (
    AdmissionRequirement,
    ApplicationDeadline,
    Career,
    FactSource,
    Module,
    Programme,
    Semester,
    Track,
    Tuition,
    University,
)
from tests.support import factories

PAGES_LANGUAGES = ["de", "it", "sv"]
# Every kind of row that records the catalog's reason for an inference.
SOURCED = [
    AdmissionRequirement,
    ApplicationDeadline,
    Career,
    FactSource,
    Module,
    Semester,
    Track,
    Tuition,
]


def recorded_reasons():
    """Every reason the loaded catalog records, line by line (as the pages translate them)."""
    texts = list(University.objects.values_list("location_source", flat=True))
    texts += Track.objects.values_list("placement_inferred_because", flat=True)
    for model in SOURCED:
        texts += model.objects.values_list("inferred_because", flat=True)
    return {line.strip() for text in texts if text for line in text.splitlines() if line.strip()}


def page_text(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    body = response.content.decode()
    body = re.sub(r"<script\b.*?</script>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def pages(prefix):
    yield from (
        f"/{prefix}/programmes/{slug}/" for slug in Programme.objects.values_list("slug", flat=True)
    )
    yield from (
        f"/{prefix}/universities/{slug}/"
        for slug in University.objects.values_list("slug", flat=True)
    )
    yield f"/{prefix}/universities/"
    slugs = "&".join(f"p={slug}" for slug in Programme.objects.values_list("slug", flat=True)[:3])
    yield f"/{prefix}/compare/?{slugs}"
    yield f"/{prefix}/programmes/"
    yield f"/{prefix}/modules/?q=data"
    yield f"/{prefix}/changes/"


@pytest.mark.parametrize("language", PAGES_LANGUAGES)
def test_no_reason_of_the_catalog_is_left_in_english(client, catalog, language):
    reasons = recorded_reasons()
    assert len(reasons) > 20
    left = {}
    for address in pages(language):
        text = page_text(client, address)
        english = [reason for reason in reasons if " ".join(reason.split()) in text]
        if english:
            left[address] = english
    assert left == {}


def translated_reasons(language, count):
    """`count` reasons of the fixtures and their translation (locale/<language>/…/reasons.po)."""
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "reasons.po"
    with open(path, "rb") as handle:
        found = [(m.id, m.string) for m in read_po(handle) if m.id and "\n" not in m.id]
    return found[:count]


@pytest.mark.parametrize("language", PAGES_LANGUAGES)
def test_a_fact_of_several_rows_gives_each_rows_reason_translated(
    client, programme_factory, language
):
    """Two fees, each inferred for a reason the catalog has translated: the fees' reason on the
    page is both, each in the page's language (they were joined into one English line)."""
    programme = programme_factory(published=True)
    (first, first_translated), (second, second_translated) = translated_reasons(language, 2)
    factories.TuitionFactory(programme=programme, inferred_because=first, position=0)
    factories.TuitionFactory(programme=programme, inferred_because=second, position=1)

    text = page_text(client, f"/{language}/programmes/{programme.slug}/")

    assert " ".join(first_translated.split()) in text
    assert " ".join(second_translated.split()) in text
    assert " ".join(first.split()) not in text

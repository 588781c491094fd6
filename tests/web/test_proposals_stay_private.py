"""An open proposal is invisible to the public: every public answer about the programme (pages
in the four languages, list, search, facets, compare, modules, universities, CSV, JSON-LD,
feeds, sitemaps, the open-data APIs) is the same, byte for byte apart from per-request tokens,
before and after a staff member proposes a change, with the caches warm and cold."""

import pytest
from django.core.cache import caches

from programs.models import CatalogRevision, Programme, Proposal, University
from programs.search import facet_index
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data, row_index
from tests.support.public_answers import answers

pytestmark = pytest.mark.django_db

SLUG = "data-driven-health"


def public_addresses(programme, university):
    pages = [
        "/",
        "/programmes/",
        "/programmes/?q=Statistics",
        "/programmes/?q=Renamed",
        "/programmes/?ects_min=100",
        "/programmes/?ects_max=95",
        "/programmes/?language=en&country=SE",
        f"/programmes/{SLUG}/",
        f"/programmes/{SLUG}/changes.atom",
        f"/compare/?p={SLUG}",
        "/modules/?q=Statistics",
        "/universities/",
        f"/universities/{university.slug}/",
        "/changes/",
    ]
    localized = [prefix + page for prefix in ("", "/de", "/it", "/sv") for page in pages]
    return [
        *localized,
        "/programmes/export.csv",
        "/programmes/export.csv?q=Statistics",
        "/changes/feed.atom",
        "/sitemap.xml",
        "/sitemap-programmes.xml",
        "/api/changes?since=2000-01-01T00:00:00Z",
        f"/api/elm/{university.slug}.jsonld",
        f"/api/elm/{university.slug}/report.json",
        "/api/oeapi/v6/programmes",
        "/api/oeapi/v6/programmes?q=Statistics",
        f"/api/oeapi/v6/programmes/{programme.uuid}",
        f"/api/oeapi/v6/programmes/{programme.uuid}?expand=organisation",
        f"/api/oeapi/v6/programmes/{programme.uuid}/courses",
        f"/api/oeapi/v6/programmes/{programme.uuid}/programme-offerings",
        "/api/oeapi/v6/courses",
        f"/api/oeapi/v6/organisations/{university.uuid}/programmes",
    ]


def forget_everything_kept():
    for cache in caches.all():
        cache.clear()
    facet_index.forget()


def test_every_public_answer_is_the_same_before_and_after_a_proposal(client, catalog):
    programme = Programme.objects.get(slug=SLUG)
    university = University.objects.get(offerings__programme=programme)
    addresses = public_addresses(programme, university)
    before = answers(addresses)
    assert all(status == 200 for status, _, _ in before.values()), {
        address: status for address, (status, _, _) in before.items() if status != 200
    }
    revision = CatalogRevision.objects.current()

    client.force_login(factories.StaffUserFactory(universities=[university]))
    data = form_data(client.get(change_url(programme)))
    data["title"] = "Renamed data-driven health"
    data["ects"] = "90"
    ects_source = row_index(data, "fact_sources", "fact", "ects")
    data[f"fact_sources-{ects_source}-source_quote"] = ""
    data[f"fact_sources-{ects_source}-inferred_because"] = "The new curriculum has 90 credits."
    data["summary"] = "A proposed summary."
    index = row_index(data, "modules", "title", "Statistics")
    data[f"modules-{index}-title"] = "Statistics, proposed"
    response = client.post(change_url(programme), data)
    assert response.status_code == 302, errors_of(response)
    proposal = Proposal.objects.get(programme=programme)
    assert proposal.proposed["programme"]["ects"] == 90
    assert proposal.proposed["programme"]["title"] == "Renamed data-driven health"

    # Nothing the public reads moved: not the revision every cache is keyed by ...
    assert CatalogRevision.objects.current() == revision
    programme.refresh_from_db()
    assert programme.ects == 120
    assert "Renamed" not in programme.title
    # ... nor any answer, kept or made afresh.
    warm = answers(addresses)
    forget_everything_kept()
    cold = answers(addresses)
    for address in addresses:
        assert warm[address] == before[address], address
        assert cold[address] == before[address], address

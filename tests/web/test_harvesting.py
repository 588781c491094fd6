"""What a harvester of the open data gets from every API and export response: ETag and
Last-Modified from the catalog revision, 304 for a copy it holds, a new ETag after a save, and
HEAD (programs/web/harvesting.py)."""

import uuid
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.test import Client
from django.utils.http import http_date

from programs.actions.programme_writes import set_published
from programs.actions.saving import programme_write
from programs.models import Programme
from tests.support import factories
from tests.support.admin_pages import change_url, form_data
from tests.support.proposal_flow import approver_of, publish_after_review

pytestmark = pytest.mark.django_db

SLUG = "health-informatics"
# Health Informatics and RWTH Aachen by their stable identifiers (the fixtures carry them).
PROGRAMME_ID = "1fe259c7-8098-43d1-be8b-6cca239b66d1"
ORGANISATION_ID = "d84c19d0-bf4f-405a-9835-9f7d12af0151"

# Every API and export address (more join as the API grows), as a harvester asks them.
ADDRESSES = [
    "/programmes/export.csv",
    "/de/programmes/export.csv?language=en",
    "/sitemap.xml",
    "/sitemap-programmes.xml",
    "/sitemap-universities.xml",
    "/changes/feed.atom",
    f"/programmes/{SLUG}/changes.atom",
    "/api/changes?since=2000-01-01T00:00:00Z",
    "/api/elm/kth.jsonld",
    "/api/elm/kth/report.json",
    "/api/oeapi/v6/",
    "/api/oeapi/v6/openapi.json",
    "/api/oeapi/v6/programmes",
    "/api/oeapi/v6/programmes?pageSize=20&teachingLanguage=en",
    f"/api/oeapi/v6/programmes/{PROGRAMME_ID}",
    f"/api/oeapi/v6/programmes/{PROGRAMME_ID}?expand=organisation",
    f"/api/oeapi/v6/programmes/{PROGRAMME_ID}/courses",
    f"/api/oeapi/v6/programmes/{PROGRAMME_ID}/programmes",
    f"/api/oeapi/v6/programmes/{PROGRAMME_ID}/programme-offerings",
    "/api/oeapi/v6/courses",
    "/api/oeapi/v6/organisations",
    f"/api/oeapi/v6/organisations/{ORGANISATION_ID}",
    f"/api/oeapi/v6/organisations/{ORGANISATION_ID}/programmes",
]


def fetch(address, method="get", **headers):
    return getattr(Client(), method)(address, headers=headers)


@pytest.mark.parametrize("address", ADDRESSES)
def test_every_answer_names_its_etag_and_last_modified(catalog, address):
    response = fetch(address)

    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    last_modified = parsedate_to_datetime(response["Last-Modified"])
    assert last_modified <= datetime.now(UTC) + timedelta(seconds=5)
    # Kept copies are checked with the catalog before each use: never a stale programme.
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_etag_held_is_answered_with_304_reading_only_the_revision(
    catalog, address, django_assert_num_queries
):
    etag = fetch(address)["ETag"]

    with django_assert_num_queries(1):
        response = fetch(address, If_None_Match=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


@pytest.mark.parametrize("address", ADDRESSES)
def test_if_modified_since_the_last_modified_is_answered_with_304(catalog, address):
    last_modified = fetch(address)["Last-Modified"]

    assert fetch(address, If_Modified_Since=last_modified).status_code == 304
    earlier = http_date(parsedate_to_datetime(last_modified).timestamp() - 1)
    assert fetch(address, If_Modified_Since=earlier).status_code == 200


@pytest.mark.parametrize("address", ADDRESSES)
def test_head_answers_with_the_same_headers_and_no_body(catalog, address):
    got = fetch(address)

    head = fetch(address, method="head")

    assert head.status_code == 200
    assert head.content == b""
    assert (head["ETag"], head["Last-Modified"]) == (got["ETag"], got["Last-Modified"])
    assert fetch(address, method="head", If_None_Match=got["ETag"]).status_code == 304


def test_a_repeated_request_is_the_same_bytes_and_etag(catalog):
    address = f"/programmes/{SLUG}/changes.atom"
    first = fetch(address)

    again = fetch(address)

    assert (again.content, again["ETag"]) == (first.content, first["ETag"])


def test_each_address_and_language_has_its_own_etag(catalog):
    etags = {
        fetch(address)["ETag"]
        for address in (
            "/programmes/export.csv",
            "/programmes/export.csv?language=en",
            "/de/programmes/export.csv",
        )
    }

    assert len(etags) == 3
    # A copy of one address is no copy of another.
    english = fetch("/programmes/export.csv")["ETag"]
    assert fetch("/de/programmes/export.csv", If_None_Match=english).status_code == 200


def test_an_answer_that_is_not_the_resource_carries_no_etag(catalog):
    answers = [
        (fetch("/programmes/export.csv?ects_min=many"), 400),
        (fetch("/programmes/no-such-programme/changes.atom"), 404),
        (fetch("/api/oeapi/v6/programmes?pageSize=7"), 400),
        (fetch(f"/api/oeapi/v6/programmes/{uuid.uuid4()}"), 404),
        (fetch("/api/oeapi/v6/persons"), 404),
        (fetch("/api/changes"), 400),
        (fetch("/api/elm/nowhere.jsonld"), 404),
    ]

    for response, status in answers:
        assert response.status_code == status
        assert "ETag" not in response
        assert "Last-Modified" not in response


def test_a_version_the_api_does_not_serve_is_refused_even_with_the_etag_held(catalog):
    address = f"/api/oeapi/v6/programmes/{PROGRAMME_ID}"
    held = fetch(address, Accept="application/json;version=6.0")
    assert "Accept" in held["Vary"]

    refused = fetch(address, Accept="application/json;version=7.0", If_None_Match=held["ETag"])

    assert refused.status_code == 406
    assert fetch(address, If_None_Match=held["ETag"]).status_code == 304


def test_a_programme_unpublished_is_gone_from_the_api_at_once(catalog):
    address = f"/api/oeapi/v6/programmes/{PROGRAMME_ID}"
    held = fetch(address)
    assert held.status_code == 200

    set_published(Programme.objects.filter(uuid=PROGRAMME_ID), False)

    assert fetch(address, If_None_Match=held["ETag"]).status_code == 404
    assert fetch(address).status_code == 404  # not served from a kept copy


def title_saved(programme, title):
    """Save a new title the way every write does (programs/actions/saving.py)."""
    with programme_write({programme.pk: programme.version}) as write:
        programme.refresh_from_db()
        programme.title = title
        programme.save()
        write.wrote(programme.pk)


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_save_makes_every_copy_old_at_once(catalog, address):
    held = fetch(address)

    title_saved(Programme.objects.get(slug=SLUG), "Health Informatics, renamed")

    # Within the same second as the copy was made too: Last-Modified moves on a whole second.
    for condition in (
        {"If_None_Match": held["ETag"]},
        {"If_Modified_Since": held["Last-Modified"]},
    ):
        fresh = fetch(address, **condition)
        assert fresh.status_code == 200, condition
        assert fresh["ETag"] != held["ETag"]
        assert parsedate_to_datetime(fresh["Last-Modified"]) > parsedate_to_datetime(
            held["Last-Modified"]
        )


def test_a_save_through_the_admin_gives_a_new_etag(catalog):
    address = f"/programmes/{SLUG}/changes.atom"
    held = fetch(address)
    staff = Client()
    staff.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    programme = Programme.objects.get(slug=SLUG)
    data = form_data(staff.get(change_url(programme)))
    data["title"] = "Health Informatics (saved in the admin)"

    assert staff.post(change_url(programme), data).status_code == 302

    # A proposal, until it is published: harvesters' copies stay current (304).
    assert fetch(address, If_None_Match=held["ETag"]).status_code == 304
    publish_after_review(programme, approver_of(programme))
    fresh = fetch(address, If_None_Match=held["ETag"])
    assert fresh.status_code == 200
    assert b"Health Informatics (saved in the admin)" in fresh.content
    assert fetch(address, If_None_Match=fresh["ETag"]).status_code == 304


def test_unpublishing_gives_the_sitemap_a_new_etag(catalog):
    held = fetch("/sitemap-programmes.xml")

    set_published(Programme.objects.filter(slug=SLUG), False)

    fresh = fetch("/sitemap-programmes.xml", If_None_Match=held["ETag"])
    assert fresh.status_code == 200
    assert f"/programmes/{SLUG}/".encode() not in fresh.content


@pytest.mark.parametrize(
    "address",
    ["/api/oeapi/v6/programmes", f"/api/oeapi/v6/programmes/{PROGRAMME_ID}", "/api/elm/kth.jsonld"],
)
def test_an_api_answer_asked_again_is_kept_reading_only_the_revision(
    catalog, address, django_assert_num_queries
):
    first = fetch(address)

    with django_assert_num_queries(1):
        again = fetch(address)

    assert (again.status_code, again.content) == (200, first.content)
    assert again["Content-Type"] == first["Content-Type"]

"""Public pages answer GET and HEAD (link checkers and proxies use HEAD) and refuse writes."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("programs:home", {}),
    ("programs:programme-list", {}),
    ("programs:programme-export", {}),
    ("programs:programme-detail", {"slug": "medical-data-science"}),
    ("programs:university-list", {}),
    ("programs:university-detail", {"slug": "rwth-aachen"}),
    ("programs:compare", {}),
    ("programs:module-list", {}),
    ("programs:change-list", {}),
    ("programs:change-feed", {}),
    ("programs:programme-change-feed", {"slug": "medical-data-science"}),
    ("sitemap", {}),
    ("sitemap-section", {"section": "programmes"}),
    ("robots-txt", {}),
    ("programs:shortlist", {}),
    ("programs:shortlist-export", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_public_pages_answer_head_like_get_without_a_body(client, catalog, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == client.get(url)["Content-Type"]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_public_pages_refuse_writes_with_405_even_when_csrf_is_checked(
    catalog, name, kwargs, method
):
    """As a real browser or script meets them: the CSRF check is on, as it is outside tests."""
    browser = Client(enforce_csrf_checks=True)

    response = getattr(browser, method)(reverse(name, kwargs=kwargs))

    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]

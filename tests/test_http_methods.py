"""Public pages answer GET and HEAD (link checkers and proxies use HEAD) and refuse writes."""

import pytest
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
def test_public_pages_refuse_posts_with_405(client, catalog, name, kwargs):
    response = client.post(reverse(name, kwargs=kwargs))
    assert response.status_code == 405

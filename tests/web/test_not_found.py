"""Error pages in the site's own style: 404 for unknown addresses, 400 and 500 standalone."""

import pytest
from django.template.loader import get_template
from django.urls import reverse


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/no-such-programme/",
        "/universities/no-such-university/",
        "/no-such-page/",
    ],
)
def test_unknown_address_gets_the_sites_404_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'class="skip-link"' in html
    assert f'href="{reverse("programs:programme-list")}"' in html


@pytest.mark.parametrize(("template", "code"), [("500.html", "500"), ("400.html", "400")])
def test_error_page_renders_without_request_or_database(template, code):
    """Django renders these with an empty context, and a 500 may mean the database is down.

    No `db` fixture here: any database access while rendering would raise.
    """
    html = get_template(template).render()
    assert f'<p class="error-code">{code}</p>' in html
    assert 'href="/static/css/site.css"' in html
    assert 'class="skip-link"' in html


def test_disallowed_host_gets_the_400_page(client, db):
    response = client.get("/programmes/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert b"This request can" in response.content

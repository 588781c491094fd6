"""Forbidden requests get the site's own pages, not Django's unbranded ones."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.support import factories

pytestmark = pytest.mark.django_db


def assert_site_page(html):
    """The page carries the site's stylesheet, header and a way on."""
    assert 'href="/static/css/site.css"' in html
    assert 'class="skip-link"' in html
    assert f'href="{reverse("programs:programme-list")}"' in html


def test_a_form_posted_without_its_security_token_gets_the_sites_page():
    browser = Client(enforce_csrf_checks=True)

    # The admin's sign-in form; public pages take no posts at all (405).
    response = browser.post(reverse("admin:login"), {"username": "a", "password": "b"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>This form could not be accepted</h1>" in html
    assert "Nothing was changed." in html
    assert "CSRF verification failed" not in html
    assert_site_page(html)


def test_a_page_the_user_may_not_open_gets_the_sites_403_page(client):
    # Staff, so the admin lets them in, but in no group: no permission for any model.
    client.force_login(factories.UserFactory(username="no-permissions", is_staff=True))

    response = client.get(reverse("admin:programs_programme_add"))

    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>You may not open this page</h1>" in html
    assert_site_page(html)

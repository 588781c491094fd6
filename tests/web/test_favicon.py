"""/favicon.ico, which browsers request on pages naming no icon (the admin's sign-in page).
tests/project/test_production_server.py follows the redirect to the icon itself, served by
whitenoise."""

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/favicon.ico", "/favicon.ico?v=1"])
def test_favicon_ico_leads_to_the_site_icon(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")


@pytest.mark.django_db
def test_admin_sign_in_page_names_no_icon_so_browsers_ask_for_favicon_ico(client):
    page = client.get("/admin/login/").content.decode()

    assert 'rel="icon"' not in page
    assert client.get("/favicon.ico").status_code == 302

"""Every page carries a strict Content-Security-Policy: our own files only, nothing inline."""

import pytest
from django.urls import reverse

from tests.support import factories

pytestmark = pytest.mark.django_db


def policy(response):
    return dict(
        directive.partition(" ")[::2]
        for directive in response["Content-Security-Policy"].split("; ")
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/programmes/medical-data-science/", "/compare/", "/universities/", "/modules/", "/x/"],
)
def test_public_pages_allow_only_the_sites_own_files(client, catalog, path):
    directives = policy(client.get(path))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in str(directives)


def test_the_admin_has_the_same_policy(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    directives = policy(client.get(reverse("admin:index")))

    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in str(directives)


def test_htmx_is_told_to_add_no_inline_styles_and_evaluate_no_strings(client, catalog):
    html = client.get("/programmes/").content.decode()
    config = """content='{"includeIndicatorStyles": false, "allowEval": false, "timeout": 20000}'"""
    assert f'<meta name="htmx-config" {config}>' in html


# Features no page of the site uses, so none may be used by anything a page is made to load.
UNUSED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/programmes/",
        "/programmes/medical-data-science/",
        "/de/programmes/",
        "/shortlist/",
        "/admin/login/",
        "/robots.txt",
        "/x/",
    ],
)
def test_every_response_refuses_the_browser_features_the_site_does_not_use(client, catalog, path):
    # Twice: the second list and programme page are kept pages (programs/web/page_cache.py).
    for _ in range(2):
        response = client.get(path)
        policy = dict(
            directive.strip().partition("=")[::2]
            for directive in response["Permissions-Policy"].split(",")
        )
        for feature in UNUSED_FEATURES:
            assert policy[feature] == "()", (path, feature)
        # Copying a link (static/js/copy-link.js) still works.
        assert "clipboard-write" not in policy

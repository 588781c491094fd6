"""What a page tells search engines and link previews: its <title>, meta description and Open
Graph tags, in the page's language."""

import re
from html import unescape

import pytest

from programs.templatetags.social import meta_description
from tests.support import factories

pytestmark = pytest.mark.django_db


def head(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.content.decode()
    return page[: page.index("</head>")]


def meta(page, attribute, name):
    """The content of the one <meta attribute="name">, unescaped."""
    found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', page)
    assert len(found) == 1, f"{len(found)} <meta {attribute}={name}>"
    return unescape(found[0])


def title(page):
    return unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip())


PUBLIC_PAGES = [
    "/",
    "/programmes/",
    "/programmes/?language=en",
    "/programmes/medical-data-science/",
    "/compare/?p=medical-data-science&p=data-driven-health",
    "/universities/",
    "/universities/rwth-aachen/",
    "/modules/",
    "/changes/",
    "/shortlist/",
    "/de/programmes/",
    "/it/programmes/health-informatics/",
    "/sv/universities/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_a_description_and_a_social_preview(client, catalog, path):
    page = head(client, path)
    description = meta(page, "name", "description")

    assert 50 <= len(description) <= 160
    assert meta(page, "property", "og:description") == description
    assert meta(page, "property", "og:title")
    assert meta(page, "property", "og:type") == "website"
    assert meta(page, "property", "og:url") == "http://testserver" + path
    assert meta(page, "name", "twitter:card") == "summary"
    # No preview image: the catalog has no picture of its own to show.
    assert "og:image" not in page


def test_a_programme_is_described_by_its_own_summary(client, catalog):
    page = head(client, "/programmes/medical-data-science/")
    description = meta(page, "name", "description")

    assert description.startswith("Medical Data Science \N{EN DASH} that is, the collection")
    assert description.endswith("…")
    assert meta(page, "property", "og:title") == "Medical Data Science"


def test_a_programme_title_names_its_universities(client, catalog):
    assert title(head(client, "/programmes/medical-data-science/")) == (
        "Medical Data Science · RWTH Aachen University · Curriculum catalog"
    )
    assert title(head(client, "/de/programmes/health-informatics/")) == (
        "Health Informatics · Vita-Salute San Raffaele University, Politecnico di Milano"
        " · Studiengangskatalog"
    )


def test_a_programme_without_a_summary_gets_a_description_of_its_page(client, programme_factory):
    programme = programme_factory(slug="plain", title="Plain Programme", summary="")
    factories.SemesterFactory(programme=programme)
    factories.AdmissionRequirementFactory(programme=programme)
    description = meta(head(client, "/programmes/plain/"), "name", "description")
    # Only the parts the page holds: no modules and no careers are named here.
    assert description == (
        "Plain Programme: key facts, study plan and admission requirements, from the"
        " university's own page."
    )


def test_the_list_description_counts_the_programmes_and_names_the_filters(client, catalog):
    assert meta(head(client, "/programmes/"), "name", "description").startswith(
        "Browse 4 study programmes by teaching language"
    )
    filtered = head(client, "/programmes/?language=de")
    assert meta(filtered, "name", "description").startswith(
        "1 study programme matches these filters: Teaching language: German."
    )
    assert meta(filtered, "property", "og:title") == "Programmes: Teaching language: German"


@pytest.mark.parametrize(
    "prefix, locale, site_name",
    [
        ("", "en_GB", "Curriculum catalog"),
        ("/de", "de_DE", "Studiengangskatalog"),
        ("/it", "it_IT", "Catalogo dei corsi di studio"),
        ("/sv", "sv_SE", "Utbildningskatalogen"),
    ],
)
def test_the_preview_is_in_the_page_language(client, catalog, prefix, locale, site_name):
    page = head(client, prefix + "/programmes/")

    assert meta(page, "property", "og:locale") == locale
    alternates = re.findall(r'<meta property="og:locale:alternate" content="(\w+)">', page)
    assert sorted([*alternates, locale]) == ["de_DE", "en_GB", "it_IT", "sv_SE"]
    assert meta(page, "property", "og:site_name") == site_name


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Short  and\nplain.", "Short and plain."),
        ("word " * 40, ("word " * 31).strip() + "…"),
        ("x" * 200, "x" * 159 + "…"),
        ("", ""),
    ],
)
def test_descriptions_are_cut_at_a_word(text, expected):
    assert meta_description(text) == expected

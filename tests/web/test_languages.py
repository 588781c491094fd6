"""The site in English, German, Italian and Swedish: addresses, the switcher, hreflang, names.

Expected words come from the catalogs themselves (gettext in the page's language), so a test
fails when a page shows English, or a string the catalog does not translate.
"""

import csv
import io
import json
import re
from datetime import date
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from babel.dates import format_date
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from programs.core import names
from programs.models import Programme
from programs.search import facet_index

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = ["de", "it", "sv"]
LANGUAGES = ["en", *OTHER_LANGUAGES]


def in_language(language, path):
    """`path` (an English address) as the page in `language`."""
    return path if language == "en" else f"/{language}{path}"


def translated(language, text):
    with translation.override(language):
        return gettext(text)


def html_lang(html):
    return re.search(r"<html lang=\"([^\"]+)\">", html).group(1)


def alternates(html):
    """{hreflang: path with query} of the page's <link rel="alternate" hreflang> elements."""
    found = {}
    for code, href in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        found[code] = parts.path + (f"?{parts.query}" if parts.query else "")
    return found


def shortlist_with_two(client):
    for slug in ("data-driven-health", "health-informatics"):
        client.post("/shortlist/add/", {"programme": slug})


PAGES = {
    "list": ("/programmes/", "Study programmes"),
    "detail": ("/programmes/health-informatics/", "Key facts"),
    "compare": (
        "/compare/?p=health-informatics&p=data-driven-health",
        "Compare programmes",
    ),
    "shortlist": ("/shortlist/", "Your shortlist"),
    "universities": ("/universities/", "Universities offering published programmes"),
    "modules": (
        "/modules/?q=data",
        "Courses, focus areas, projects and theses across all "
        "published programmes: who teaches what?",
    ),
    "changes": ("/changes/", "What changed"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_answers_in_its_language_with_lang_and_hreflang(client, catalog, language, page):
    path, heading = PAGES[page]
    shortlist_with_two(client)
    response = client.get(in_language(language, path))
    html = response.content.decode()

    assert response.status_code == 200
    assert html_lang(html) == language
    assert f">{translated(language, heading)}<" in html
    if language != "en":
        assert f">{heading}<" not in html
    assert alternates(html) == {
        "en": path,
        "de": f"/de{path}",
        "it": f"/it{path}",
        "sv": f"/sv{path}",
        "x-default": path,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_not_found_page_is_in_the_address_language(client, db, language):
    response = client.get(in_language(language, "/no-such-page/"))
    html = response.content.decode()
    assert response.status_code == 404
    assert html_lang(html) == language
    assert f"<h1>{translated(language, 'Page not found')}</h1>" in html
    assert alternates(html)["x-default"] == "/no-such-page/"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_server_error_shows_the_500_page_in_the_address_language(
    client, catalog, monkeypatch, language
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("programs.web.views._list_page", broken)
    browser = Client(raise_request_exception=False)
    response = browser.get(f"/{language}/programmes/")
    html = response.content.decode()
    assert response.status_code == 500
    assert html_lang(html) == language
    assert translated(language, "Something went wrong on our side") in html
    assert "Something went wrong on our side" not in html


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("400.html", "This request can't be answered"),
        ("503.html", "The catalog is briefly unavailable"),
    ],
)
def test_standalone_error_pages_are_in_the_active_language(language, template, heading):
    """Rendered as Django renders them: no request, no context, no database."""
    from django.template.loader import get_template

    with translation.override(language):
        html = get_template(template).render()
    assert html_lang(html) == language
    assert f"<h1>{translated(language, heading)}</h1>" in html


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_refused_form_gets_the_403_page_in_its_language(catalog, language):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(f"/{language}/shortlist/add/", {"programme": "health-informatics"})
    html = response.content.decode()
    assert response.status_code == 403
    assert html_lang(html) == language
    assert translated(language, "This form could not be accepted") in html


def test_english_stays_at_todays_addresses(client, catalog):
    html = client.get("/programmes/?language=en").content.decode()
    assert html_lang(html) == "en"
    assert "<h1>Study programmes</h1>" in html
    assert "Programme descriptions are shown" not in html


def test_the_home_page_follows_the_browsers_language_and_remembers_it(client, catalog):
    response = client.get("/", headers={"accept-language": "it-IT,it;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/it/"
    assert client.cookies["django_language"].value == "it"

    html = client.get(response["Location"]).content.decode()
    assert html_lang(html) == "it"
    assert f"<h1>{translated('it', 'Study programmes')}</h1>" in html


def test_the_home_page_keeps_its_query_when_it_follows_the_browser(client, catalog):
    response = client.get("/?language=en&sort=-ects", headers={"accept-language": "sv"})
    assert response["Location"] == "/sv/?language=en&sort=-ects"


def test_an_english_speaking_browser_stays_on_the_english_home_page(client, catalog):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9,de;q=0.5"})
    assert response.status_code == 200
    assert html_lang(response.content.decode()) == "en"


def test_a_remembered_language_beats_the_browsers(client, catalog):
    client.cookies["django_language"] = "sv"
    response = client.get("/", headers={"accept-language": "it"})
    assert response["Location"] == "/sv/"


@pytest.mark.parametrize(
    ("headers", "cookie", "home"),
    [
        ({"accept-language": "de-DE,de;q=0.9"}, None, "/de/"),
        ({"accept-language": "it"}, None, "/it/"),
        ({"accept-language": "sv-SE"}, None, "/sv/"),
        ({"accept-language": "en"}, "it", "/it/"),
    ],
)
def test_the_english_home_page_kept_for_others_never_answers_another_language(
    catalog, headers, cookie, home
):
    """Issue 30, 1: once an English visitor had opened `/`, its kept copy answered everyone,
    German browsers and visitors who chose a language in the switcher included."""
    english = Client().get("/", headers={"accept-language": "en"})
    assert english.status_code == 200
    assert html_lang(Client().get("/").content.decode()) == "en"  # kept, served again

    visitor = Client()
    if cookie:
        visitor.cookies["django_language"] = cookie
    response = visitor.get("/", headers=headers)

    assert response.status_code == 302
    assert response["Location"] == home


def test_an_explicit_prefix_always_wins(client, catalog):
    client.cookies["django_language"] = "sv"
    response = client.get("/de/programmes/", headers={"accept-language": "it"})
    assert html_lang(response.content.decode()) == "de"
    # An unprefixed address other than the home page is the English page.
    response = client.get("/programmes/", headers={"accept-language": "it"})
    assert html_lang(response.content.decode()) == "en"


def switcher_links(html):
    """{language: switch address} of the language switcher's links."""
    nav = html.split('id="language-switcher"')[1].split("</nav>")[0]
    return {
        code: href.replace("&amp;", "&")
        for href, code in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav)
    }


def test_filters_in_the_address_survive_a_language_switch(client, catalog):
    query = "language=en&ects_min=100&sort=-ects"
    html = client.get(f"/de/programmes/?{query}").content.decode()
    links = switcher_links(html)
    assert set(links) == {"en", "it", "sv"}
    assert parse_qs(urlsplit(links["it"]).query)["next"] == [f"/de/programmes/?{query}"]

    response = client.get(links["it"])
    assert response.status_code == 302
    assert response["Location"] == f"/it/programmes/?{query}"
    assert client.cookies["django_language"].value == "it"

    response = client.get(switcher_links(client.get(response["Location"]).content.decode())["en"])
    assert response["Location"] == f"/programmes/?{query}"
    # English chosen: the home page stays English for this visitor, whatever the browser says.
    assert client.get("/", headers={"accept-language": "it"}).status_code == 200


def test_the_switcher_refuses_to_lead_off_the_site(client, db):
    response = client.get("/language/de/?next=https://evil.example/programmes/")
    assert response["Location"] == "/de/"
    # A language the site does not have is not found (it used to lead to English silently).
    assert client.get("/language/xx/?next=/programmes/").status_code == 404


@pytest.mark.parametrize("code", ["en", "de", "it", "sv"])
@pytest.mark.parametrize(
    "next_url",
    [
        "/de//evil.example",
        "/it//evil.example/programmes/?q=x",
        "/sv//evil.example?next=/",
        "/de/\\evil.example",
        "/de/\\/evil.example",
        "/it//\\evil.example",
    ],
)
def test_the_switcher_checks_the_address_it_sends_the_browser_to(client, db, code, next_url):
    """Taking the language prefix off a path can leave `//host`, which browsers read as another
    site: whatever `next` was, the redirect stays on this site."""
    location = client.get(f"/language/{code}/", {"next": next_url})["Location"]

    # As a browser reads it: a backslash is a slash in http(s) addresses.
    followed = urljoin("https://catalog.example.org/here", location.replace("\\", "/"))
    assert urlsplit(followed).netloc == "catalog.example.org", location


def test_an_htmx_update_sends_the_switcher_again_with_the_new_filters(client, catalog):
    response = client.get("/de/programmes/?language=en&ects_min=", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="language-switcher"' in html and 'data-hx-swap-oob="true"' in html
    links = switcher_links(html)
    assert parse_qs(urlsplit(links["sv"]).query)["next"] == ["/de/programmes/?language=en"]


@pytest.mark.parametrize(
    ("language", "austria", "sweden"),
    [
        ("en", "Austria", "Sweden"),
        ("de", "Österreich", "Schweden"),
        ("it", "Austria", "Svezia"),
        ("sv", "Österrike", "Sverige"),
    ],
)
def test_country_names_are_in_the_pages_language(client, catalog, language, austria, sweden):
    universities = client.get(in_language(language, "/universities/")).content.decode()
    # Marked: where a university is is the catalog's inference (tests/web/test_inferred_marks.py).
    assert f'<span class="location-line">{sweden} <strong class="inferred-marker">' in universities
    listing = client.get(in_language(language, "/programmes/")).content.decode()
    countries = re.findall(
        r'name="country" value="([A-Z]{2})"[^>]*>([^<(]+)<span class="count">', listing
    )
    assert ("AT", austria) in [(code, name.strip()) for code, name in countries]
    # Sorted as a dictionary of that language sorts them.
    shown = [name.strip() for _, name in countries]
    assert shown == sorted(shown, key=lambda name: names.sort_key(name, language))


def test_language_names_are_in_the_pages_language(client, catalog):
    html = client.get("/it/programmes/?language=en").content.decode()
    assert "Inglese" in html
    html = client.get("/sv/programmes/health-informatics/").content.decode()
    assert "Engelska" in html


def test_swedish_sorts_a_ring_and_umlauts_after_z_and_german_sorts_umlauts_as_vowels():
    swedish = ["Österrike", "Tyskland", "Åland", "Italien", "Ärtholmen"]
    assert sorted(swedish, key=lambda n: names.sort_key(n, "sv")) == [
        "Italien",
        "Tyskland",
        "Åland",
        "Ärtholmen",
        "Österrike",
    ]
    german = ["Schweden", "Österreich", "Italien", "Deutschland"]
    assert sorted(german, key=lambda n: names.sort_key(n, "de")) == [
        "Deutschland",
        "Italien",
        "Österreich",
        "Schweden",
    ]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_dates_are_written_as_the_pages_language_writes_them(client, catalog, language):
    programme = Programme.objects.get(slug="health-informatics")
    html = client.get(f"/{language}/programmes/health-informatics/").content.decode()
    written = format_date(programme.transcribed_on, "long", locale=language)
    assert f">{written}</time>" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,234"), ("de", "1.234"), ("it", "1.234"), ("sv", "1\xa0234")],
)
def test_counts_use_the_pages_thousands_separator(language, expected):
    template = Template("{% load languages %}{{ count|grouped }}")
    with translation.override(language):
        assert template.render(Context({"count": 1234})) == expected


def test_a_date_in_german_reads_as_germans_write_it():
    from django.utils.formats import date_format

    with translation.override("de"):
        assert date_format(date(2026, 10, 1), "DATE_FORMAT") == "1. Oktober 2026"
    with translation.override("en"):
        assert date_format(date(2026, 10, 1), "DATE_FORMAT") == "1 October 2026"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_programme_texts_stay_as_published_and_say_so_once(client, catalog, language):
    html = client.get(f"/{language}/programmes/data-driven-health/").content.decode()
    programme = Programme.objects.get(slug="data-driven-health")
    assert f'<h1 lang="en">{programme.title}</h1>' in html
    assert '<div class="prose" lang="en">' in html or programme.description is None
    note = translated(
        language,
        "Programme descriptions are shown as the universities "
        "published them, in the language of the source (%(language)s).",
    )
    assert html.count(note.split("(")[0]) == 1


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_filters_and_search_select_the_same_programmes_in_every_language(client, catalog, language):
    def slugs(path):
        html = client.get(path).content.decode()
        return re.findall(r'id="programme-([a-z0-9-]+)"', html)

    for query in ("language=en", "country=SE", "q=imaging", "ects_min=100", "background=computing"):
        assert slugs(f"/{language}/programmes/?{query}") == slugs(f"/programmes/?{query}")


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_json_ld_is_the_same_in_every_language(client, catalog, language):
    def jsonld(path):
        html = client.get(path).content.decode()
        block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
        return json.loads(block)

    english = jsonld("/programmes/medical-data-science/")
    other = jsonld(f"/{language}/programmes/medical-data-science/")
    # Only the page's own address may differ: the facts are the source's.
    for data in (english, other):
        data.pop("url", None)
    assert other == english


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_prefixed_pages_run_no_more_queries_than_english(client, catalog, language):
    for path in ("/programmes/?language=en", "/programmes/health-informatics/"):
        counts = []
        for address in (path, f"/{language}{path}"):
            # Each as a process's first request: the facet index is read in both.
            facet_index.forget()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address).status_code == 200
            counts.append(len(queries))
        assert counts[1] == counts[0]


def test_the_csv_header_follows_the_page_language(client, catalog):
    english = b"".join(client.get("/programmes/export.csv").streaming_content)
    english = english.decode("utf-8-sig")
    streaming = client.get("/de/programmes/export.csv")
    # The export streams after its view returned, while the thread may serve other languages.
    translation.activate("en")
    german = b"".join(streaming.streaming_content).decode("utf-8-sig")
    assert english.splitlines()[0].startswith("title,url,universities,countries,")
    assert german.splitlines()[0].startswith("Titel;URL;Hochschulen;Länder;")
    assert "nicht angegeben" in german


def test_the_feed_is_in_its_address_language(client, catalog):
    feed = client.get("/de/changes/feed.atom").content.decode()
    assert 'xml:lang="de"' in feed
    assert translated("de", "What changed in the curriculum catalog") in feed


def test_robots_keep_every_languages_admin_shortlists_and_switch_links_out(client, db):
    lines = client.get("/robots.txt").content.decode().splitlines()
    for prefix in ("", "/de", "/it", "/sv"):
        assert f"Disallow: {prefix}/admin/" in lines
        assert f"Disallow: {prefix}/shortlist/" in lines
    assert "Disallow: /language/" in lines


def english_change(programme):
    """A change as the log stores it (English values): facts that were not stated got values,
    and a module was added."""
    from programs.changelog.changes import compare, current_snapshot
    from programs.models import PublicChange

    after = current_snapshot(programme)
    before = json.loads(json.dumps(after))
    for fact in before["facts"]:
        if fact[0] in ("ECTS credits", "Start of studies", "Study mode"):
            fact[1] = None
    for label, items in before["parts"]:
        if label == "Modules":
            del items[0]
    return PublicChange.objects.create(
        programme=programme,
        changed_at=programme.updated_at,
        lines=compare(before, after),
        snapshot=after,
    )


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_change_log_shows_stored_values_in_the_pages_language(client, catalog, language):
    programme = (
        Programme.objects.exclude(ects=None)
        .exclude(start_term=None)
        .exclude(study_mode=None)
        .order_by("slug")
        .first()
    )
    english_change(programme)
    module = programme.modules.order_by("position", "title").first()
    pages = [
        client.get(in_language(language, "/changes/")).content.decode(),
        client.get(in_language(language, f"/programmes/{programme.slug}/")).content.decode(),
    ]
    with translation.override(language):
        not_stated = gettext("not stated")
        expected = [
            f"{gettext('ECTS credits')}: {not_stated} → "
            + gettext("%(ects)s ECTS") % {"ects": programme.ects},
            f"{gettext('Start of studies')}: {not_stated} → "
            + gettext(programme.get_start_term_display()),
            f"{gettext('Study mode')}: {not_stated} → "
            + gettext(programme.get_study_mode_display()),
        ]
        kind = gettext(module.get_kind_display())
    for html in pages:
        for text in expected:
            assert text in html.replace("&gt;", ">")
        assert "not stated" not in html
        assert f"{module.title} ({kind if language == 'de' else kind.lower()}" in html
    with translation.override("en"):
        mode = programme.get_study_mode_display()
        assert f"Study mode: not stated → {mode}" in english_change(programme).descriptions


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_csv_header_has_unique_names_in_its_languages_words(client, catalog, language):
    """English headers are the stable snake_case names scripts read; German, Italian and
    Swedish ones are the words an advisor reads there (issue 30: "laender" was spelled for a
    machine), separated by the semicolon those spreadsheets split at."""
    shortlist_with_two(client)
    exports = {
        "programmes": b"".join(
            client.get(in_language(language, "/programmes/export.csv")).streaming_content
        ),
        "shortlist": client.get(in_language(language, "/shortlist/export.csv")).content,
    }
    separator = "," if language == "en" else ";"
    for export in exports.values():
        text = io.StringIO(export.decode("utf-8-sig"), newline="")
        header = next(csv.reader(text, delimiter=separator))
        *names, note = header  # the last column explains "not stated" in a sentence
        assert len(set(names)) == len(names), header
        if language == "en":
            assert all(re.fullmatch(r"[a-z_]+", name) for name in names), header
        else:
            assert not any("_" in name for name in names), header
        with translation.override(language):
            assert gettext("not stated") in note


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_boxs_example_finds_programmes(client, catalog, language):
    html = client.get(in_language(language, "/programmes/")).content.decode()
    example = re.search(r'id="id_q" name="q" value="" placeholder="([^"]+)"', html).group(1)
    word = example.split()[-1]
    found = client.get(in_language(language, "/programmes/"), {"q": word}).content.decode()
    assert '<li class="programme-card">' in found, example


def test_swedish_start_terms_are_terms_not_holidays():
    with translation.override("sv"):
        terms = [gettext(t) for t in ("Winter semester", "Summer semester", "Autumn", "Spring")]
    assert terms == ["Vintertermin", "Sommartermin", "Hösttermin", "Vårtermin"]


def test_not_stated_agrees_with_its_noun(client, db):
    from tests.support.factories import ProgrammeFactory, UniversityFactory

    university = UniversityFactory(city=None)
    ProgrammeFactory(slug="bare", universities=[university])
    listing = client.get("/it/universities/").content.decode()
    assert 'città <span class="not-stated">non indicata</span>' in listing
    detail = client.get(f"/it/universities/{university.slug}/").content.decode()
    assert 'lingue <span class="not-stated">non indicate</span>' in detail
    assert 'ECTS <span class="not-stated">non indicati</span>' in detail
    programme = client.get("/it/programmes/bare/").content.decode()
    assert (
        'Il piano di studi semestre per semestre <span class="not-stated">non è indicato</span>'
        " nella fonte." in programme
    )
    # Swedish: a fact without a value reads right after any noun.
    swedish = client.get(f"/sv/universities/{university.slug}/").content.decode()
    assert "ej angivet" not in swedish and "uppgift saknas" in swedish
    english = client.get("/universities/").content.decode()
    assert 'city <span class="not-stated">not stated</span>' in english


def accessible_names(html, visible):
    """The hidden full names of the buttons/links whose visible text is `visible`, tags removed."""
    pattern = (
        rf'<span aria-hidden="true">{re.escape(visible)}</span>'
        r'<span class="visually-hidden">(.+?)</span></(?:button|a)>'
    )
    return [re.sub(r"<[^>]+>", "", name) for name in re.findall(pattern, html)]


def test_screen_reader_names_are_whole_german_sentences(client, catalog):
    shortlist_with_two(client)
    shortlist = client.get("/de/shortlist/").content.decode()
    assert "Health Informatics von der Merkliste entfernen" in accessible_names(
        shortlist, "Entfernen"
    )
    assert "Notiz zu Health Informatics speichern" in accessible_names(shortlist, "Notiz speichern")
    assert '<span lang="en">Health Informatics</span> von der Merkliste' in shortlist
    compare = client.get(
        "/de/compare/", {"p": ["data-driven-health", "health-informatics"]}
    ).content.decode()
    assert "Health Informatics aus dem Vergleich entfernen" in accessible_names(
        compare, "Entfernen"
    )
    english = client.get("/shortlist/").content.decode()
    assert "Remove Health Informatics from your shortlist" in accessible_names(english, "Remove")


def test_wording_fixes_show_where_people_read_them(client, catalog):
    shortlist_with_two(client)
    german = client.get("/de/shortlist/").content.decode()
    assert "Damit entfernen Sie beide Studiengänge" in german
    assert "an eine Studienberatung oder an Freunde schicken" in german
    assert "Sie alle 2" not in german
    assert "This removes both programmes" in client.get("/shortlist/").content.decode()
    italian = client.get("/it/programmes/").content.decode()
    assert "<dt>Titolo di studio</dt>" in italian
    assert "Fino a" in italian
    # Language names: a capital only where the list starts ("Inglese, tedesco").
    listed = re.findall(r"<dt>Lingue</dt><dd>([^<]+)</dd>", italian)
    assert listed and all(names[1:] == names[1:].lower() for names in listed)
    assert any(", " in names for names in listed) or listed
    detail = client.get("/de/programmes/health-informatics/").content.decode()
    assert "(Bietet" not in detail


def test_italian_teaching_languages_are_lower_case_after_the_first():
    with translation.override("it"):
        assert names.language_name("de", in_sentence=True) == "tedesco"
        assert names.language_name("de") == "Tedesco"


@pytest.mark.parametrize(
    "language, expected",
    [
        ("de", "„Suche: \u201aastrophysics\u2018“ entfernen"),
        ("it", "Rimuovi «Ricerca: “astrophysics”»"),
        ("sv", "Ta bort ”Sökning: \u2019astrophysics\u2019”"),
        ("en", "Remove “Search: “astrophysics””"),
    ],
)
def test_a_quote_inside_a_quote_takes_the_inner_marks(client, catalog, language, expected):
    html = client.get(in_language(language, "/programmes/"), {"q": "astrophysics"})
    assert expected in html.content.decode()


def test_german_phone_texts_fit(client, catalog):
    listing = client.get("/de/programmes/").content.decode()
    options = re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]+)</option>", listing)
    assert "Zuletzt geprüft zuerst" in options and "Am längsten ungeprüft zuerst" in options
    universities = client.get("/de/universities/").content.decode()
    # A soft hyphen lets the column header break on a 390px phone instead of being cut off.
    assert '<th scope="col" class="numeric">Studien\u00adgänge</th>' in universities


def test_source_language_words_are_marked_english_on_other_pages(client, catalog):
    universities = client.get("/de/universities/").content.decode()
    assert '<span lang="en">RWTH Aachen University</span>' in universities
    assert '<span lang="en">Aachen</span>' in universities
    programmes = Programme.objects.exclude(duration_as_stated=None).exclude(duration_semesters=None)
    marked = [
        f'(die Quelle sagt „<span lang="en">{p.duration_as_stated}</span>“)' for p in programmes
    ]
    pages = "".join(client.get(f"/de/programmes/{p.slug}/").content.decode() for p in programmes)
    assert any(text in pages for text in marked)
    english = client.get("/universities/").content.decode()
    assert '<span lang="en">RWTH Aachen University</span>' not in english


@pytest.mark.parametrize(
    "path, shown",
    [
        ("/de/programmes/health-informatics/", True),
        ("/de/programmes/", True),
        ("/de/universities/", False),
        ("/de/changes/", False),
        ("/de/compare/", False),
        ("/de/no-such-page/", False),
    ],
)
def test_the_source_language_note_shows_only_where_descriptions_are(client, catalog, path, shown):
    note = 'class="source-language-note"'
    assert (note in client.get(path).content.decode()) is shown

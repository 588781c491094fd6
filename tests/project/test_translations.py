"""The translation catalogs: complete, current with the code, compiled; no unmarked template text.

After marking or changing a string, `make messages` updates locale/; these tests fail until every
new message is translated (not fuzzy) in German, Italian and Swedish.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings

from programs.core import reasons

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["de", "it", "sv"]


def catalog_path(language, suffix="po"):
    return ROOT / "locale" / language / "LC_MESSAGES" / f"django.{suffix}"


def read_catalog(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def messages(catalog):
    return [message for message in catalog if message.id]


def plain(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def key(message):
    return (message.context, plain(message.id))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = read_catalog(catalog_path(language))
    assert len(messages(catalog)) > 300
    fuzzy = [message.id for message in messages(catalog) if message.fuzzy]
    untranslated = [
        message.id
        for message in messages(catalog)
        if not message.string or (isinstance(message.string, tuple) and not all(message.string))
    ]
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"
    assert not untranslated, f"untranslated in {language}: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_current(language):
    """The .mo that Django reads says what the .po says (`make install` or `make messages`)."""
    compiled = catalog_path(language, "mo")
    assert compiled.exists(), f"{compiled} is missing: run `make messages`"
    with open(compiled, "rb") as handle:
        built = {key(message): plain(message.string) for message in read_mo(handle) if message.id}
    source = {
        key(message): message.string for message in messages(read_catalog(catalog_path(language)))
    }
    assert built == source, f"{compiled} is out of date: run `make messages`"


def test_the_catalogs_hold_exactly_the_strings_marked_in_the_code(tmp_path):
    """`makemessages` on a copy of the code finds the same messages as the committed catalogs:
    a string marked (or changed) since the last `make messages` fails here."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext is missing: `make install` installs Debian's gettext")
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "manage.py", copy)
    for folder in ("catalog", "programs", "templates", "locale"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("*.mo"))
    environment = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "catalog.settings"}
    environment.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete"]
        + [f"--locale={language}" for language in LANGUAGES],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    for language in LANGUAGES:
        committed = {key(m) for m in messages(read_catalog(catalog_path(language)))}
        extracted = read_catalog(copy / "locale" / language / "LC_MESSAGES" / "django.po")
        found = {key(m) for m in messages(extracted)}
        assert found - committed == set(), f"not in locale/{language}: run `make messages`"
        assert committed - found == set(), "no longer in the code: run `make messages`"


# What a template may show outside {% translate %} and {% blocktranslate %}: symbols and marks
# (arrows, the compare sign, quotes, separators), never a word.
TEMPLATE_DIRS = [ROOT / "templates"]
VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "value")


def visible_text(source):
    """The words a template would show that no translation tag covers."""
    text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", " ", source, flags=re.S)
    text = re.sub(r"\{#.*?#\}", " ", text, flags=re.S)
    text = re.sub(r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}", " ", text, flags=re.S)
    text = re.sub(r'<input\b[^>]*type="hidden"[^>]*>', " ", text)
    # The admin's body class names are CSS, not words.
    text = re.sub(r"\{%\s*block bodyclass\s*%\}.*?\{%\s*endblock\s*%\}", " ", text)
    # Attribute values people read (a button's value, an aria-label), before the tags go.
    readable = re.findall(rf'(?:{"|".join(VISIBLE_ATTRIBUTES)})="([^"]*)"', text)
    readable += re.findall(rf"(?:{'|'.join(VISIBLE_ATTRIBUTES)})='([^']*)'", text)
    text = re.sub(r"<script\b.*?</script>", " ", text, flags=re.S)
    text = re.sub(r"<meta\b[^>]*>", " ", text)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    words = []
    for piece in [text, *readable]:
        piece = re.sub(r"\{%.*?%\}", " ", piece, flags=re.S)
        piece = re.sub(r"\{\{.*?\}\}", " ", piece, flags=re.S)
        piece = re.sub(r"&[a-z]+;", " ", piece)
        words += re.findall(r"[^\W\d_]{2,}", piece)
    return words


def test_no_template_shows_text_outside_a_translation_tag():
    found = {}
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            words = visible_text(path.read_text())
            if words:
                found[str(path.relative_to(ROOT))] = words
    assert found == {}


def test_the_template_check_would_notice_an_unmarked_word():
    assert visible_text('<p>Hello {{ name }}</p><button aria-label="Close">\u00d7</button>') == [
        "Hello",
        "Close",
    ]
    assert visible_text('<p>{% translate "Hello" %} · {{ name }} →</p>') == []


# --- the catalog's reasons for its inferences: data, in a catalog of their own ------------------

FIXTURES = ROOT / "fixtures"
# The keys under which the fixtures record a reason (the catalog's own words, in English).
REASON_KEYS = ("inferred", "placement_inferred_because", "location_source")


def fixture_reasons():
    """Every reason the fixtures record, line by line as programs/core/reasons.py looks them up:
    {line: the file it is in}."""
    found = {}

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in REASON_KEYS and isinstance(item, str):
                    for line in filter(str.strip, item.splitlines()):
                        found.setdefault(line, path.relative_to(ROOT).as_posix())
                else:
                    walk(item, path)
        elif isinstance(value, list):
            for item in value:
                walk(item, path)

    for path in [*sorted((FIXTURES / "programmes").glob("*.json")), FIXTURES / "universities.json"]:
        walk(json.loads(path.read_text(encoding="utf-8")), path)
    return found


def reasons_path(language, suffix="po"):
    return ROOT / "locale" / language / "LC_MESSAGES" / f"reasons.{suffix}"


def test_the_fixtures_record_reasons_to_translate():
    recorded = fixture_reasons()
    assert len(recorded) > 20
    # The title of FH Salzburg's programme, the placement of RWTH's starting tracks and where
    # each university is are reasons too.
    assert any("applied-ai-in-healthcare-joint-master" in reason for reason in recorded)
    assert any("'begin with'" in reason for reason in recorded)
    assert any("fh-salzburg.ac.at, the website" in reason for reason in recorded)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_of_the_fixtures_is_translated(language):
    """Each reason in locale/<language>/LC_MESSAGES/reasons.po, translated and not fuzzy, and no
    reason the fixtures no longer give; the source's words a reason quotes stay in English."""
    catalog = read_catalog(reasons_path(language))
    translations = {m.id: m.string for m in messages(catalog) if not m.fuzzy}
    recorded = fixture_reasons()
    untranslated = [reason for reason in recorded if not translations.get(reason)]
    assert not untranslated, f"not translated in locale/{language}/…/reasons.po: {untranslated}"
    assert set(translations) - set(recorded) == set(), "no longer in the fixtures"
    for reason, translation in translations.items():
        assert translation != reason, reason
        quoted = re.findall(r"(?:(?<=\s)|^)'(.+?)'(?=[\s,.;:)]|$)", reason)
        assert all(f"'{words}'" in translation for words in quoted), (reason, translation)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_of_the_fixtures_is_read_in_the_pages_language(language):
    """What the pages use (programs/core/reasons.py, from the compiled reasons.mo) gives each
    reason translated: `make install` compiles reasons.po with the interface's catalogs."""
    with open(reasons_path(language, "mo"), "rb") as handle:
        built = {m.id: m.string for m in read_mo(handle) if m.id}
    assert built == {m.id: m.string for m in messages(read_catalog(reasons_path(language)))}, (
        f"{reasons_path(language, 'mo')} is out of date: run `make messages`"
    )
    for reason in fixture_reasons():
        text, translated = reasons.in_language(reason, language)
        assert translated and text != reason, reason

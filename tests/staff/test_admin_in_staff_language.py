"""The admin in the staff's language: model and field names, help texts and inline headings
are German, Italian or Swedish on /de/admin/, /it/admin/, /sv/admin/ (they were English in
sentences of the other language: "programme zur Änderung auswählen"), and English as before on
/admin/."""

import html
import re

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.utils import translation

from tests.support import factories

pytestmark = pytest.mark.django_db

LANGUAGES = ["de", "it", "sv"]


@pytest.fixture
def staff(client):
    university = factories.UniversityFactory(name="Uni A")
    client.force_login(
        factories.StaffUserFactory(
            username="alice", universities=[university], publishes_directly=True
        )
    )
    client.programme = factories.ProgrammeFactory(
        title="Health Data Science", universities=[university]
    )
    return client


def shown(client, address):
    """The page's text as a reader sees it, one piece per line."""
    response = client.get(address)
    assert response.status_code == 200, address
    body = re.sub(r"<script\b.*?</script>", " ", response.content.decode(), flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", body))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


# What the change list and change form of a programme say, in each language: the page's title,
# field labels, a help text and the inline headings (the programme's parts).
CHANGE_LIST = {
    "de": ["Studiengang zur Änderung auswählen", "Studiengang hinzufügen"],
    "it": ["Scegli corso di studio da modificare", "Aggiungi corso di studio"],
    "sv": ["Välj program att ändra", "Lägg till program"],
}
CHANGE_FORM = {
    "de": [
        "Studiengang ändern",
        "Verliehener Abschluss:",
        "Regelstudienzeit (Semester):",
        "Leer lassen, wenn die Quelle nichts dazu sagt.",
        "Anbietende Hochschulen",
        "Quellen der Eckdaten",
        "Zitat aus der Quelle",
        "Abgeleitet, weil",
        "Studienrichtungen",
        "Bewerbungsfristen",
        "Studiengebühren",
    ],
    "it": [
        "Modifica corso di studio",
        "Titolo rilasciato:",
        "Durata normale (semestri):",
        "Lasciare vuoto se la fonte non dice nulla.",
        "Università che offrono il corso",
        "Fonti dei dati principali",
        "Citazione dalla fonte",
        "Dedotto perché",
        "Percorsi",
        "Scadenze di candidatura",
        "Tasse universitarie",
    ],
    "sv": [
        "Ändra program",
        "Examen som utfärdas:",
        "Normal studietid (terminer):",
        "Lämna tomt när källan inte säger något.",
        "Lärosäten som ger programmet",
        "Källor till nyckeluppgifterna",
        "Citat ur källan",
        "Härlett eftersom",
        "Inriktningar",
        "Sista ansökningsdagar",
        "Studieavgifter",
    ],
}
# English words that were left in the pages of the other languages.
ENGLISH = [
    "programme",
    "programmes",
    "Select programme to change",
    "Degree awarded:",
    "Standard period (semesters):",
    "Offering universities",
    "Sources of the key facts",
    "Source quote",
    "Inferred because",
    "Catalog",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_programme_change_list_names_the_model_in_the_staffs_language(staff, language):
    page = shown(staff, f"/{language}/admin/programs/programme/")
    for words in CHANGE_LIST[language]:
        assert any(words in line for line in page), words
    assert not [line for line in page if line in ENGLISH or "programme" in line.split()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_programme_change_form_labels_fields_and_parts_in_the_staffs_language(staff, language):
    page = shown(staff, f"/{language}/admin/programs/programme/{staff.programme.pk}/change/")
    missing = [words for words in CHANGE_FORM[language] if not any(words in line for line in page)]
    assert missing == []
    assert [line for line in page if line in ENGLISH] == []


def test_the_english_admin_keeps_its_names(staff):
    page = shown(staff, f"/admin/programs/programme/{staff.programme.pk}/change/")
    for words in ["Change programme", "Degree awarded:", "Offering universities", "Source quote"]:
        assert any(words in line for line in page), words
    assert "Select programme to change" in shown(staff, "/admin/programs/programme/")


def catalog_identities(language):
    """The messages the catalog keeps as they are in English ("Campus", "Semester")."""
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    with open(path, "rb") as handle:
        return {m.id for m in read_po(handle) if m.id and m.string == m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_model_and_field_name_of_the_catalog_is_translated(language):
    """Every name and help text the admin can show for the catalog's models: translated, or a
    word the language writes as English does (the catalog says so: msgstr = msgid)."""
    same = catalog_identities(language)
    names = [apps.get_app_config("programs").verbose_name]
    for model in apps.get_app_config("programs").get_models():
        if model.__name__.startswith("Historical"):
            continue  # django-simple-history's own names
        names += [model._meta.verbose_name, model._meta.verbose_name_plural]
        for field in model._meta.get_fields():
            if not field.auto_created:
                names += [field.verbose_name, field.help_text]
    untranslated = set()
    for name in filter(None, names):
        with translation.override("en"):
            english = str(name)
        with translation.override(language):
            if str(name) == english and english not in same:
                untranslated.add(english)
    assert untranslated == set()

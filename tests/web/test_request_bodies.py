"""A body larger than its address takes is refused (413) before anything reads it, with the staff
import's own larger limit; a body of unknown length is refused (411).

The same limits through gunicorn and nginx: tests/project/test_behind_the_proxy.py.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from programs.core.limits import PUBLIC_BODY_MAX_BYTES
from programs.models import ShortlistEntry
from programs.web.request_bodies import import_body_max_bytes

pytestmark = pytest.mark.django_db

ADD = reverse("programs:shortlist-add")
IMPORT = reverse("admin:programs_programme_import")


def text(response):
    return response.content.decode()


def test_a_claimed_300_mb_upload_to_a_public_form_is_refused_unread(client):
    """The body says it is 300 MB: were it read (by the CSRF check, before its 403), the test
    client's payload, a few bytes long, would fail the request as cut short."""
    response = client.generic(
        "POST",
        ADD,
        b"--x\r\nContent-Disposition: form-data; name=file; filename=big.bin\r\n\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "That is more than this page accepts" in text(response)
    assert "64.0\xa0KB" in text(response)


def test_a_file_just_past_the_public_limit_is_refused_and_a_form_within_it_is_not(client):
    just_over = SimpleUploadedFile("notes.txt", b"x" * PUBLIC_BODY_MAX_BYTES)
    assert client.post(ADD, {"programme": "alpha", "file": just_over}).status_code == 413
    # Well within: the CSRF-exempt test client gets the ordinary answer (no such programme).
    assert client.post(ADD, {"programme": "alpha", "note": "x" * 1000}).status_code == 404


def test_the_longest_note_fits_even_in_emoji(client, programme_factory):
    programme = programme_factory(slug="alpha")
    client.post(ADD, {"programme": "alpha"})
    note = "\N{GRINNING FACE}" * 2000  # the longest note, 4 bytes a character, 12 encoded
    response = client.post(reverse("programs:shortlist-note"), {"programme": "alpha", "note": note})
    assert response.status_code == 302
    assert ShortlistEntry.objects.get(programme=programme).note == note


def test_the_refusal_is_in_the_address_language(client):
    response = client.generic(
        "POST", "/de" + ADD, b"x" * (PUBLIC_BODY_MAX_BYTES + 1), content_type="text/plain"
    )
    assert response.status_code == 413
    assert '<html lang="de">' in text(response)
    assert "Das ist mehr, als diese Seite annimmt" in text(response)


def test_a_body_without_a_length_is_refused(client):
    response = client.generic(
        "POST", ADD, b"", content_type="text/plain", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411
    assert "did not say how long it is" in text(response)


@pytest.fixture
def staff_client(user_factory):
    staff = Client()
    staff.force_login(user_factory(is_staff=True, is_superuser=True))
    return staff


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_the_spreadsheet_import_takes_its_two_files_of_two_megabytes(staff_client, prefix):
    """Two files at the page's own 2 MB limit reach the page, which reads them (no 413)."""
    files = {
        "programmes": SimpleUploadedFile("programmes.csv", b"slug,title\n" + b"x" * 2_000_000),
        "modules": SimpleUploadedFile("modules.csv", b"programme,position\n" + b"y" * 2_000_000),
    }
    response = staff_client.post(prefix + IMPORT, files)
    # The page itself answers: it read the file (one line of 2 MB is no spreadsheet it takes).
    assert response.status_code == 400
    assert re.search(r'class="errornote">.*programmes\.csv.*CSV', text(response))


def test_the_import_refuses_a_body_past_its_own_limit(staff_client):
    too_big = SimpleUploadedFile("programmes.csv", b"x" * import_body_max_bytes())
    response = staff_client.post(IMPORT, {"programmes": too_big})
    assert response.status_code == 413
    assert "4.1\xa0MB" in text(response)


def test_the_admin_takes_forms_larger_than_a_public_page_does(client):
    """A programme with every module is a long form: the admin's limit is Django's own."""
    body = {"username": "alice", "password": "x", "filler": "x" * (2 * PUBLIC_BODY_MAX_BYTES)}
    assert client.post(reverse("admin:login"), body).status_code == 200
    assert client.post(ADD, body).status_code == 413

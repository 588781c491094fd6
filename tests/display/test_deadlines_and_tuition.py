"""Issue 17, item 4: application deadlines and tuition fees as structured facts.

No source text of the four programmes states a deadline or a fee, so they read "not stated"
everywhere; factory-made programmes show how stated ones look, and how the list filters on them.
"""

import csv
import datetime
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import ApplicantGroup, StartTerm, TuitionPeriod
from programs.search import facet_index
from tests.support import factories

FOUR = [
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
    "medical-data-science",
]


def text(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def key_fact(html, label):
    match = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(.*?)</dd>", html, flags=re.S)
    assert match, f"no fact labelled {label!r}"
    return text(match.group(1))


def csv_rows(client, params=None):
    response = client.get(reverse("programs:programme-export"), params or {})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["title"]: row for row in csv.DictReader(io.StringIO(body, newline=""))}


def listed_titles(client, params):
    response = client.get(reverse("programs:programme-list"), params)
    assert response.status_code == 200
    return re.findall(r'<h3 id="programme-[^"]+"><a [^>]*>([^<]+)</a>', response.content.decode())


@pytest.fixture
def stated(programme_factory):
    """A programme whose (made-up) source states two deadlines and two fees."""
    programme = programme_factory(title="Stated Facts", slug="stated-facts")
    factories.ApplicationDeadlineFactory(
        programme=programme,
        intake=StartTerm.WINTER,
        intake_year=2027,
        applicant_group=ApplicantGroup.NON_EU,
        deadline=datetime.date(2027, 1, 15),
        position=0,
    )
    factories.ApplicationDeadlineFactory(
        programme=programme,
        intake=StartTerm.WINTER,
        intake_year=2027,
        applicant_group=ApplicantGroup.EU,
        deadline=datetime.date(2027, 7, 15),
        position=1,
    )
    factories.TuitionFactory(
        programme=programme,
        amount=Decimal("1500"),
        currency="EUR",
        period=TuitionPeriod.SEMESTER,
        applicant_group=ApplicantGroup.NON_EU,
        position=0,
    )
    factories.TuitionFactory(
        programme=programme,
        amount=Decimal("0"),
        currency="EUR",
        period=TuitionPeriod.SEMESTER,
        applicant_group=ApplicantGroup.EU,
        position=1,
    )
    return programme


@pytest.mark.parametrize("slug", FOUR)
def test_the_four_programmes_say_not_stated_on_their_pages(client, catalog, slug):
    html = client.get(reverse("programs:programme-detail", kwargs={"slug": slug})).content.decode()
    assert key_fact(html, "Tuition fees") == "not stated"
    assert key_fact(html, "Application deadlines") == "not stated"


def test_the_four_programmes_say_not_stated_in_compare_and_csv_and_cards_leave_it_out(
    client, catalog
):
    """Issue 30: a card spent two of its facts on "not stated" fees and deadlines."""
    listing = client.get("/programmes/").content.decode()
    cards = listing.split('<li class="programme-card">')[1:]
    assert len(cards) == 4
    for card in cards:
        assert "<dt>Tuition fees</dt>" not in card
        assert "<dt>Application deadlines</dt>" not in card
        assert key_fact(card, "ECTS")  # the card's other facts are still there
    compare = client.get(reverse("programs:compare"), {"p": FOUR}).content.decode()
    for label in ("Tuition fees", "Application deadlines"):
        (row,) = [r for r in re.findall(r"<tr class.*?</tr>", compare, re.S) if label in r]
        assert text(row).count("not stated") == 4
    for row in csv_rows(client).values():
        assert row["tuition_fees"] == "not stated"
        assert row["application_deadlines"] == "not stated"


def test_stated_deadlines_and_fees_show_on_the_programme_page(client, stated):
    html = client.get(stated.get_absolute_url()).content.decode()
    assert key_fact(html, "Application deadlines").startswith(
        "15 January 2027 (Winter semester 2027 intake, Non-EU/EEA applicants) "
        "15 July 2027 (Winter semester 2027 intake, EU/EEA applicants)"
    )
    assert key_fact(html, "Tuition fees").startswith(
        "1,500 EUR per semester (Non-EU/EEA applicants) 0 EUR per semester (EU/EEA applicants)"
    )
    # How they are known, as for every other fact.
    block = html.split("<dt>Tuition fees</dt>")[1].split('<div class="fact')[0]
    assert "Inferred:" in text(block)


def test_stated_deadlines_and_fees_show_on_the_card_compare_and_csv(client, stated):
    listing = client.get("/programmes/").content.decode()
    # The factory's rows are made up, so inferred: the card marks them, as the page does.
    assert key_fact(listing, "Tuition fees").startswith(
        "1,500 EUR per semester (Non-EU/EEA applicants); 0 EUR per semester (EU/EEA applicants)"
        " (inferred)"
    )
    other = factories.ProgrammeFactory(title="Other")
    compare = client.get(reverse("programs:compare"), {"p": [stated.slug, other.slug]})
    (row,) = [
        r
        for r in re.findall(r"<tr class.*?</tr>", compare.content.decode(), re.S)
        if "Application deadlines" in r
    ]
    assert 'class="differs"' in row
    assert "15 July 2027 (Winter semester 2027 intake, EU/EEA applicants)" in text(row)
    row = csv_rows(client)["Stated Facts"]
    assert row["application_deadlines"] == (
        "15 January 2027 (Winter semester 2027 intake, Non-EU/EEA applicants); "
        "15 July 2027 (Winter semester 2027 intake, EU/EEA applicants)"
    )
    assert row["tuition_fees"].startswith("1,500 EUR per semester")


def test_fees_in_a_page_language_use_its_number_format(client, stated):
    html = client.get("/de" + stated.get_absolute_url()).content.decode()
    assert "1.500 EUR" in html


def test_apply_by_keeps_programmes_still_open_on_that_day(client, stated):
    factories.ProgrammeFactory(title="Not stated")
    assert listed_titles(client, {"apply_by": "2027-07-15"}) == ["Stated Facts"]
    assert listed_titles(client, {"apply_by": "2027-07-16"}) == []
    html = client.get("/programmes/", {"apply_by": "2027-01-01"}).content.decode()
    assert "Still open for applications on 1 January 2027" in html


def test_tuition_up_to_compares_yearly_fees_in_one_currency(client, stated):
    expensive = factories.ProgrammeFactory(title="Expensive")
    factories.TuitionFactory(programme=expensive, amount=Decimal("9000"), period="year")
    in_kronor = factories.ProgrammeFactory(title="In kronor")
    factories.TuitionFactory(programme=in_kronor, amount=Decimal("10"), currency="SEK")
    whole = factories.ProgrammeFactory(title="Whole programme")
    factories.TuitionFactory(programme=whole, amount=Decimal("5"), period="programme")
    factories.ProgrammeFactory(title="Not stated")

    params = {"tuition_currency": "eur"}
    # 0 EUR a semester for EU applicants: within any bound.
    assert listed_titles(client, {**params, "tuition_max": "0"}) == ["Stated Facts"]
    assert listed_titles(client, {**params, "tuition_max": "9000"}) == [
        "Expensive",
        "Stated Facts",
    ]
    assert listed_titles(client, {"tuition_max": "100", "tuition_currency": "SEK"}) == ["In kronor"]


def test_tuition_up_to_needs_a_currency_and_says_so(client, stated):
    response = client.get("/programmes/", {"tuition_max": "1000"})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Choose the currency of the amount, such as EUR: fees are not converted." in html
    assert 'id="id_tuition_currency" name="tuition_currency" value="" ' in html


@pytest.mark.parametrize(
    "params",
    [
        {"apply_by": "15/01/2027"},
        {"apply_by": "2027-02-30"},
        {"tuition_max": "-5", "tuition_currency": "EUR"},
        {"tuition_max": "many", "tuition_currency": "EUR"},
        {"tuition_max": "100", "tuition_currency": "EURO"},
    ],
)
def test_bad_deadline_and_fee_filters_are_marked_not_a_500(client, stated, params):
    response = client.get("/programmes/", params)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    export = client.get(reverse("programs:programme-export"), params)
    assert export.status_code == 400


def test_export_file_name_names_the_deadline_and_fee_filters(client, stated):
    response = client.get(
        reverse("programs:programme-export"),
        {"apply_by": "2027-01-01", "tuition_max": "5000", "tuition_currency": "eur"},
    )
    filename = response["Content-Disposition"]
    assert "programmes-apply_by-2027-01-01-tuition_max-5000-tuition_currency-eur-" in filename


def test_fees_and_deadlines_keep_the_list_query_count(client, stated):
    """Deadlines and fees are prefetched (one query each), not read per card."""

    def queries():
        # Each time as a process's first request, so only the rows differ between the two.
        facet_index.forget()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/programmes/").status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(10):
        programme = factories.ProgrammeFactory()
        factories.TuitionFactory(programme=programme)
        factories.ApplicationDeadlineFactory(programme=programme)
    assert queries() == few


def test_database_refuses_a_negative_fee_and_a_bad_currency(db, stated):
    # PostgreSQL refuses a four-letter code as too long for its column (DataError) before any
    # check; SQLite leaves it to the check constraint.
    for values in ({"amount": Decimal("-1")}, {"currency": "eur"}, {"currency": "EURO"}):
        with pytest.raises((IntegrityError, DataError)), transaction.atomic():
            factories.TuitionFactory(programme=stated, **values)


def test_staff_edit_deadlines_and_fees_on_the_programme_page(client, stated):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:programs_programme_change", args=[stated.pk])
    html = client.get(url).content.decode()
    assert 'name="application_deadlines-TOTAL_FORMS"' in html
    assert 'name="tuition_fees-TOTAL_FORMS"' in html


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"apply_by": "2027-01-01"}, "states an application deadline yet"),
        ({"tuition_max": "5000", "tuition_currency": "EUR"}, "states a tuition fee yet"),
    ],
)
def test_a_filter_no_programme_can_match_says_so(client, catalog, params, says):
    """Issue 30: with no programme stating a deadline or a fee, these filters gave "0
    programmes" and nothing more, as if no programme suited the visitor."""
    html = text(client.get(reverse("programs:programme-list"), params).content.decode())
    assert "0 programmes match your filters" in html
    assert f"No programme in the catalog {says}, so the" in html
    assert "filter can't match any" in html


def test_a_filter_some_programme_could_match_says_nothing_of_the_sort(client, stated):
    """A stated fee makes the tuition filter honest: an empty list is then the visitor's own."""
    params = {"tuition_max": "1", "tuition_currency": "EUR", "apply_by": "2030-01-01"}
    html = text(client.get(reverse("programs:programme-list"), params).content.decode())
    assert "0 programmes match your filters" in html
    assert "can't match any" not in html


def test_the_cant_match_notice_is_in_the_pages_language(client, catalog):
    html = text(client.get("/de/programmes/", {"apply_by": "2027-01-01"}).content.decode())
    assert "nennt eine Bewerbungsfrist, daher kann der Fristfilter keinen treffen" in html

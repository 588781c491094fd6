"""Issue 17, items 3 and 7: what a student reads on a programme's page.

The official page sits under the title (not the internal file name at the bottom); nothing is
said twice; a caution reads as one; a joint degree with one named university says why.
"""

import re
from html import unescape

from django.urls import reverse

from programs.models import RequirementKind
from tests.support import factories


def detail(client, slug, prefix=""):
    url = prefix + reverse("programs:programme-detail", kwargs={"slug": slug})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html, name):
    """A section's content after its heading, without the source quotes (<details>)."""
    content = html.split(f'id="{name}-heading"')[1].split("</h2>", 1)[1].split("</section>")[0]
    return re.sub(r"<details.*?</details>", "", content, flags=re.S)


def header(html):
    return html.split('class="detail-header"')[1].split("</header>")[0]


def test_official_page_link_is_under_the_title(client, catalog):
    html = detail(client, "data-driven-health")
    url = (
        "https://www.kth.se/en/studies/2.23106/master/data-driven-health/"
        "msc-data-driven-health-1.1338283"
    )
    head = header(html)
    link = re.search(r'<p class="official-page"><a href="([^"]+)"[^>]*>(.*?)</a>', head)
    assert link, "no official page link in the header"
    assert link.group(1) == url
    assert text(link.group(2)).startswith("Official page")
    assert head.index("</h1>") < head.index('class="official-page"')


def test_internal_source_file_name_is_not_shown(client, catalog):
    html = detail(client, "medical-data-science")
    assert "000_7b5a055619dfbeca.txt" not in html
    assert ">Document<" not in html


def test_no_official_page_link_when_no_address_is_known(client, programme_factory):
    programme = programme_factory(source_url=None)
    assert 'class="official-page"' not in detail(client, programme.slug)


def test_admission_test_is_named_once(client, catalog):
    """UniSR's only requirement is "Admission test", also the name of its kind."""
    admission = text(section(detail(client, "health-informatics"), "admission"))
    assert admission == "Admission test"


def test_a_requirement_saying_more_than_its_kind_keeps_both(client, programme_factory):
    programme = programme_factory()
    factories.AdmissionRequirementFactory(
        programme=programme, kind=RequirementKind.TEST, text="Admission test in mathematics"
    )
    admission = text(section(detail(client, programme.slug), "admission"))
    assert admission.startswith("Admission test Admission test in mathematics")


def test_about_does_not_repeat_the_summary(client, catalog):
    html = detail(client, "health-informatics")
    about = text(section(html, "about"))
    assert "strategic collaboration" not in about
    assert about.startswith("Health Informatics is designed to train tomorrow's professionals")
    # The summary itself is still shown, once, under the title.
    body = html.split("<body", 1)[1]
    assert text(body).count("two institutions of excellence in medical") == 1


def test_about_keeps_a_description_that_does_not_start_with_the_summary(client, programme_factory):
    programme = programme_factory(
        summary="A short summary.", description="First paragraph.\n\nA short summary."
    )
    about = text(section(detail(client, programme.slug), "about"))
    assert about == "First paragraph. A short summary."


def test_a_description_that_only_repeats_the_summary_gets_no_about_section(
    client, programme_factory
):
    programme = programme_factory(summary="Same words.", description="Same  words.")
    assert 'id="about-heading"' not in detail(client, programme.slug)


def test_ministerial_approval_is_a_caution_under_the_title(client, catalog):
    head = header(detail(client, "health-informatics"))
    note = re.search(r'<div class="notice notice-caution" role="note"[^>]*>(.*?)</div>', head, re.S)
    assert note, "no caution note"
    assert text(note.group(1)) == (
        "⚠ Please note: the source says this programme is under ministerial approval. "
        "Check with the university that it is approved before you apply."
    )
    assert '<span class="caution-icon" aria-hidden="true">⚠</span>' in note.group(1)


def test_programmes_without_an_approval_status_have_no_caution(client, catalog):
    assert "notice-caution" not in detail(client, "data-driven-health")


def test_caution_marks_the_sources_words_as_english_on_other_languages_pages(client, catalog):
    head = header(detail(client, "health-informatics", prefix="/de"))
    note = head.split("notice-caution")[1].split("</div>")[0]
    assert '<span lang="en">under ministerial approval</span>' in note


def test_joint_degree_with_one_named_university_says_the_partners_are_not_named(client, catalog):
    html = detail(client, "applied-ai-in-healthcare")
    value = re.search(r"<dt>Joint degree</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert text(value) == "Yes, with partners the source does not name"


def test_joint_degree_with_both_universities_named_is_a_plain_yes(client, catalog):
    html = detail(client, "health-informatics")
    value = re.search(r"<dt>Joint degree</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert text(value) == "Yes"


def test_key_facts_name_the_country_in_the_pages_language(client, catalog):
    html = detail(client, "health-informatics")
    value = re.search(r"<dt>Country</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert text(value) == "Italy"  # both universities are in Italy: named once
    german = detail(client, "data-driven-health", prefix="/de")
    value = re.search(r"<dt>Land</dt>\s*<dd>(.*?)</dd>", german, re.S).group(1)
    assert text(value) == "Schweden"

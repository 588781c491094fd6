"""Issue 17, item 1: the compare choice adds up while a visitor browses (without JavaScript too).

"Add to compare" adds to the earlier choice instead of replacing it, a choice made on one page of
results is still there on the next, and the Compare menu link opens the current choice.
"""

import re

import pytest
from django.urls import reverse

from programs.core.limits import MAX_COMPARED

COMPARE = reverse("programs:compare")
ADD = reverse("programs:compare-add")
REMOVE = reverse("programs:compare-remove")
CHOOSE = reverse("programs:compare-choose")


def detail_url(slug):
    return reverse("programs:programme-detail", kwargs={"slug": slug})


def compared_titles(html):
    """The titles heading the compare table's columns (empty when no table is shown)."""
    if "<thead>" not in html:
        return []
    head = html.split("<thead>")[1].split("</thead>")[0]
    return re.findall(r'<th scope="col">\s*<a href="[^"]+"[^>]*>([^<]+)</a>', head)


@pytest.fixture
def programmes(programme_factory):
    return [
        programme_factory(title=title, slug=title.lower())
        for title in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon")
    ]


def test_adding_from_two_programme_pages_compares_both(client, catalog):
    first = client.post(ADD, {"p": "medical-data-science", "next": COMPARE}, follow=True)
    assert "choose at least one more" in first.content.decode()
    second = client.post(ADD, {"p": "data-driven-health", "next": COMPARE}, follow=True)
    assert second.redirect_chain[-1][0] == ("/compare/?p=medical-data-science&p=data-driven-health")
    assert compared_titles(second.content.decode()) == [
        "Medical Data Science",
        "Data-driven Health",
    ]


def test_programme_page_form_adds_and_goes_on_to_the_comparison(client, catalog):
    html = client.get(detail_url("health-informatics")).content.decode()
    form = html.split('<div class="compare-control">')[1].split("</form>")[0]
    assert 'method="post" action="/compare/add/"' in form
    assert 'name="next" value="/compare/"' in form
    assert "data-hx-post" not in form  # the page goes on to the comparison


def test_compare_menu_link_opens_the_current_choice(client, programmes):
    for slug in ("alpha", "gamma"):
        client.post(ADD, {"p": slug, "next": "/programmes/"})
    response = client.get(COMPARE)
    assert response.status_code == 302
    assert response["Location"] == "/compare/?p=alpha&p=gamma"
    assert compared_titles(client.get(response["Location"]).content.decode()) == [
        "Alpha",
        "Gamma",
    ]


def test_compare_menu_link_without_a_choice_says_how_to_choose(client, programmes):
    response = client.get(COMPARE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose at least two programmes" in html
    assert "“Add to compare” on a programme's page or in the list of programmes" in html
    assert 'class="compare-chooser" method="post" action="/compare/choose/"' in html


def test_choice_made_on_one_list_page_is_kept_on_the_next(client, programme_factory):
    for number in range(25):
        programme_factory(title=f"Programme {number:02d}", slug=f"p-{number:02d}")
    client.post(ADD, {"p": "p-00", "next": "/programmes/"})
    page_two = client.get("/programmes/", {"page": 2}).content.decode()
    client.post(ADD, {"p": "p-24", "next": "/programmes/?page=2"})
    assert "Compare 1 chosen programme" in page_two
    page_one = client.get("/programmes/").content.decode()
    assert "Compare 2 chosen programmes" in page_one
    card = page_one.split('id="programme-p-00"')[1].split("</article>")[0]
    assert "In your" in card and 'action="/compare/remove/"' in card
    assert client.get(COMPARE)["Location"] == "/compare/?p=p-00&p=p-24"


def test_a_card_form_returns_to_the_list_page_it_came_from(client, programmes):
    response = client.post(ADD, {"p": "beta", "next": "/programmes/?page=1&language=en"})
    assert response.status_code == 302
    assert response["Location"] == "/programmes/?page=1&language=en"


def test_a_card_form_refuses_to_send_the_visitor_off_site(client, programmes):
    response = client.post(ADD, {"p": "beta", "next": "https://evil.example/"})
    assert response["Location"] == "/compare/?p=beta"


def test_htmx_add_answers_with_the_cards_control_and_the_compare_bar(client, programmes):
    client.post(ADD, {"p": "alpha"})
    response = client.post(ADD, {"p": "beta", "next": "/programmes/"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/compare/remove/"' in html
    assert "“Beta” is in your comparison." in html
    assert 'id="compare-bar" data-hx-swap-oob="true"' in html
    assert "Compare 2 chosen programmes" in html


def test_adding_past_the_most_at_once_says_so_and_keeps_the_choice(client, programmes):
    for programme in programmes[:MAX_COMPARED]:
        client.post(ADD, {"p": programme.slug})
    response = client.post(ADD, {"p": "epsilon"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "You are comparing 4 programmes already, the most at once." in html
    assert 'class="compare-message field-error"' in html
    assert client.get(COMPARE)["Location"] == "/compare/?p=alpha&p=beta&p=gamma&p=delta"


def test_adding_twice_keeps_one(client, programmes):
    client.post(ADD, {"p": "alpha"})
    client.post(ADD, {"p": "alpha"})
    client.post(ADD, {"p": "beta"})
    assert client.get(COMPARE)["Location"] == "/compare/?p=alpha&p=beta"


def test_removing_from_a_card_keeps_the_others(client, programmes):
    for slug in ("alpha", "beta", "gamma"):
        client.post(ADD, {"p": slug})
    client.post(REMOVE, {"p": "beta", "next": "/programmes/"})
    assert client.get(COMPARE)["Location"] == "/compare/?p=alpha&p=gamma"


def test_removing_a_column_on_the_compare_page_updates_the_choice(client, programmes):
    for slug in ("alpha", "beta", "gamma"):
        client.post(ADD, {"p": slug})
    response = client.post(CHOOSE, {"p": ["alpha", "gamma"]})
    assert response["Location"] == "/compare/?p=alpha&p=gamma"
    assert client.get(COMPARE)["Location"] == "/compare/?p=alpha&p=gamma"


def test_the_chooser_makes_the_ticked_programmes_the_choice(client, programmes):
    response = client.post(CHOOSE, {"p": ["delta", "nonexistent", "beta", "delta"]})
    assert response["Location"] == "/compare/?p=delta&p=beta"
    assert client.get(COMPARE)["Location"] == "/compare/?p=delta&p=beta"


def test_choosing_nothing_empties_the_choice(client, programmes):
    client.post(ADD, {"p": "alpha"})
    assert client.post(CHOOSE, {})["Location"] == "/compare/"
    assert client.get(COMPARE).status_code == 200


def test_a_shared_compare_link_shows_its_programmes_and_leaves_the_choice_alone(client, programmes):
    client.post(ADD, {"p": "alpha"})
    shared = client.get(COMPARE, {"p": ["beta", "gamma"]}).content.decode()
    assert compared_titles(shared) == ["Beta", "Gamma"]
    assert client.get(COMPARE)["Location"] == "/compare/?p=alpha"


def test_drafts_and_unknown_programmes_cannot_be_added(client, programme_factory):
    programme_factory(slug="draft", published=False)
    assert client.post(ADD, {"p": "draft"}).status_code == 404
    assert client.post(ADD, {"p": "no-such-programme"}).status_code == 404
    assert client.post(ADD, {"p": "<script>"}).status_code == 404
    assert client.get(COMPARE).status_code == 200  # nothing was chosen


@pytest.mark.parametrize("url", [ADD, REMOVE, CHOOSE])
def test_changes_to_the_choice_are_post_only(client, url):
    assert client.get(url).status_code == 405


def test_a_visitor_who_chose_nothing_gets_no_session(client, programmes):
    client.get("/programmes/")
    client.get(COMPARE)
    assert "sessionid" not in client.cookies

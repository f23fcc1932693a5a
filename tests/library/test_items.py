"""Library items: the form (errors, kept input), the item page at its clean URL with Open Graph,
who sees what, "My library items" and "To publish"."""

import re

import pytest
import sqlalchemy as sa

from leerkring.extensions import db
from leerkring.library.models import FourO, ItemKind, ItemStatus, LibraryItem
from tests.factories import (
    make_admin,
    make_circle,
    make_library_item,
    make_user,
    make_werkplaats_admin,
    theme,
    werkplaats,
)

EN = {"Accept-Language": "en"}


def form_data(**kw) -> dict:
    data = {
        "title": "Buurtgesprekken: zo doe je dat",
        "summary": "Een werkwijze voor gesprekken met bewoners.",
        "body": "Begin met **luisteren**.",
        "link_url": "",
        "kind": "method",
        "os": ["onderzoek", "ondersteuning"],
        "themes": [str(theme("armoede").id)],
        "werkplaatsen": [str(werkplaats("twente").id)],
        "other_authors": "Lectoraat Sociale Kwaliteit",
        "year": "2025",
        "licence": "CC BY-SA 4.0",
        "is_public": "y",
    }
    data.update(kw)
    return {key: value for key, value in data.items() if value is not None}


def switch(client, login, user):
    """Sign out whoever is signed in, and sign ``user`` in."""
    client.post("/account/logout")
    login(user)


def items() -> list[LibraryItem]:
    return db.session.scalars(sa.select(LibraryItem).order_by(LibraryItem.id)).all()


# Adding ---------------------------------------------------------------------------------------


def test_the_form_shows_every_part_in_english(client, login):
    login(make_user())
    page = client.get("/library/new", headers=EN)
    assert "<h1>Add to the library</h1>" in page.text
    for label in ("Title", "Summary", "Kind", "Link", "Document (PDF, Word or PowerPoint)",
                  "Contributes to the four O's", "Research", "Themes", "Werkplaatsen",
                  "Authors with an account", "Other authors", "Year", "Licence",
                  "CC BY-NC-SA 4.0", "All rights reserved", "Public: visible without signing in"):
        assert label in page.text, label
    assert 'enctype="multipart/form-data"' in page.text


def test_the_form_is_a_page_and_a_fragment(client, login):
    login(make_user())
    page = client.get("/library/new", headers=EN)
    fragment = client.get("/library/new", headers={**EN, "HX-Request": "true"})
    assert "<html" in page.text
    assert "<html" not in fragment.text and 'id="item-form"' in fragment.text


def test_the_form_in_dutch(client, login):
    login(make_user())
    page = client.get("/library/new")
    assert "Toevoegen aan de bibliotheek" in page.text


def test_only_members_of_a_werkplaats_add_items(client, login):
    login(make_user(home_werkplaats=None))
    assert client.get("/library/new", headers=EN).status_code == 403


def test_a_member_adds_a_draft_with_every_choice(client, login):
    professional = make_user(name="Mehmet Aydın")
    colleague = make_user(name="Anna Colleague")
    make_circle(coordinator=professional, members=[colleague])
    login(professional)

    page = client.get("/library/new", headers=EN)
    assert "Anna Colleague" in page.text  # the people in my circles are the authors to choose
    response = client.post("/library/new", headers=EN, data=form_data(
        authors=[str(professional.id), str(colleague.id)]))

    [item] = items()
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/library/{item.id}/buurtgesprekken-zo-doe-je-dat")
    assert item.status == ItemStatus.DRAFT
    assert item.created_by_id == professional.id
    assert item.kind == ItemKind.METHOD
    assert {row.o for row in item.os} == {FourO.ONDERZOEK, FourO.ONDERSTEUNING}
    assert [t.slug for t in item.themes] == ["armoede"]
    assert [w.slug for w in item.werkplaatsen] == ["twente"]
    assert {a.id for a in item.authors} == {professional.id, colleague.id}
    assert (item.year, item.licence, item.is_public) == (2025, "CC BY-SA 4.0", True)
    assert item.other_authors == "Lectoraat Sociale Kwaliteit"
    shown = client.get(response.headers["Location"], headers=EN)
    assert "saved as a draft" in shown.text
    assert "Draft" in shown.text


def test_errors_are_shown_next_to_the_fields_and_the_input_is_kept(client, login):
    stranger = make_user()
    login(make_user())
    response = client.post("/library/new", headers=EN, data=form_data(
        title="", summary="Mijn samenvatting blijft staan", kind="magic", year="1066",
        link_url="javascript:alert(1)", licence="WTFPL", authors=[str(stranger.id)],
        werkplaatsen=["99999"]))

    assert response.status_code == 422
    assert items() == []
    text = response.text
    for message in ("Give the item a title.", "Choose a kind.", "Give a year from 1950 to",
                    "Enter a web address starting with https:// or http://.",
                    "Choose a licence.", "Choose among the people shown.",
                    "Choose among the Werkplaatsen shown."):
        assert message in text, message
    assert "Mijn samenvatting blijft staan" in text
    assert 'value="1066"' in text
    assert re.search(r'value="onderzoek"[^>]*checked|checked[^>]*value="onderzoek"', text)
    assert 'aria-invalid="true"' in text


def test_an_item_needs_a_text_a_link_or_a_document(client, login):
    login(make_user())
    response = client.post("/library/new", headers=EN, data=form_data(body=""))
    assert response.status_code == 422
    assert "Give a text, a link or a document" in response.text
    response = client.post("/library/new", headers=EN,
                           data=form_data(body="", link_url="https://example.org/methode"))
    assert response.status_code == 303
    assert items()[0].link_url == "https://example.org/methode"


def test_the_form_errors_in_dutch(client, login):
    login(make_user())
    response = client.post("/library/new", data=form_data(title=""))
    assert response.status_code == 422
    assert "Geef het product een titel." in response.text


# Editing --------------------------------------------------------------------------------------


def test_the_maker_edits_a_draft_and_others_do_not_see_it(client, login):
    maker = make_user()
    item = make_library_item(maker, title="Oude titel", status=ItemStatus.DRAFT)
    login(maker)

    page = client.get(f"/library/{item.id}/edit", headers=EN)
    assert "<h1>Edit library item</h1>" in page.text
    assert 'value="Oude titel"' in page.text
    response = client.post(f"/library/{item.id}/edit", headers=EN,
                           data=form_data(title="Nieuwe titel", werkplaatsen=[]))
    assert response.status_code == 303
    db.session.refresh(item)
    assert item.title == "Nieuwe titel"
    assert item.werkplaatsen == []

    switch(client, login, make_user())
    assert client.get(f"/library/{item.id}/edit", headers=EN).status_code == 404


def test_makers_do_not_edit_a_published_item_but_its_publishers_do(client, login):
    maker = make_user()
    item = make_library_item(maker, werkplaatsen=[werkplaats("twente")])
    login(maker)
    assert client.get(f"/library/{item.id}/edit", headers=EN).status_code == 403
    switch(client, login, make_werkplaats_admin("twente"))
    assert client.get(f"/library/{item.id}/edit", headers=EN).status_code == 200


def test_an_invalid_edit_keeps_the_input(client, login):
    maker = make_user()
    item = make_library_item(maker, status=ItemStatus.DRAFT)
    login(maker)
    response = client.post(f"/library/{item.id}/edit", headers=EN,
                           data=form_data(summary="", title="Bewaarde titel"))
    assert response.status_code == 422
    assert "Write a short summary" in response.text
    assert 'value="Bewaarde titel"' in response.text


# The item page --------------------------------------------------------------------------------


def test_the_item_page_has_a_clean_url_and_old_ones_redirect(client, login):
    item = make_library_item(make_user(), title="Eenzaamheid: wat werkt?", is_public=True)
    clean = f"/library/{item.id}/eenzaamheid-wat-werkt"

    assert client.get(clean, headers=EN).status_code == 200
    for old in (f"/library/{item.id}", f"/library/{item.id}/een-oude-titel"):
        response = client.get(old, headers=EN)
        assert response.status_code == 301
        assert response.headers["Location"].endswith(clean)


def test_a_title_that_names_another_page_gets_the_id_in_its_slug(client):
    item = make_library_item(make_user(), title="Edit", is_public=True)
    response = client.get(f"/library/{item.id}", headers=EN)
    assert response.headers["Location"].endswith(f"/library/{item.id}/edit-{item.id}")
    assert client.get(f"/library/{item.id}/edit-{item.id}", headers=EN).status_code == 200


def test_the_item_page_shows_the_item_with_open_graph_tags(client):
    item = make_library_item(
        make_user(name="Mehmet Aydın"), title="Buurtgesprekken", is_public=True,
        summary="Gesprekken met bewoners over hun buurt.",
        body="Begin met **luisteren**.\n\n<script>alert(1)</script>",
        werkplaatsen=[werkplaats("twente")], themes=[theme("armoede")],
        os=[FourO.ONDERWIJS], other_authors="J. Jansen", link_url="https://example.org/x",
    )
    page = client.get(f"/library/{item.id}/buurtgesprekken", headers=EN)
    text = page.text
    assert '<meta property="og:title" content="Buurtgesprekken">' in text
    assert '<meta property="og:description" content="Gesprekken met bewoners over hun buurt.">' \
        in text
    assert '<meta property="og:type" content="article">' in text
    assert f'<meta property="og:url" content="http://leerkring.test/library/{item.id}/' \
        'buurtgesprekken">' in text
    assert "<strong>luisteren</strong>" in text
    assert "<script>alert(1)</script>" not in text
    for shown in ("Method", "Twente", "Armoede", "Education", "CC BY 4.0", "J. Jansen",
                  "https://example.org/x", "Everyone, also without signing in"):
        assert shown in text, shown


def test_a_national_item_says_so(client, login):
    login(make_user())
    item = make_library_item(make_user(), title="Landelijk")
    assert "National" in client.get(f"/library/{item.id}/landelijk", headers=EN).text


class TestWhoSeesAnItem:
    @pytest.fixture
    def people(self):
        maker = make_user()
        return {
            "maker": maker,
            "member": make_user(),
            "twente admin": make_werkplaats_admin("twente"),
            "friesland admin": make_werkplaats_admin("friesland"),
            "association admin": make_admin(),
        }

    def status_for(self, client, login, who, item, people):
        if who != "anonymous":
            login(people[who])
        return client.get(f"/library/{item.id}/titel", headers=EN).status_code

    @pytest.mark.parametrize("who,expected", [
        ("anonymous", 302), ("maker", 200), ("member", 200), ("friesland admin", 200),
    ])
    def test_a_published_item_that_is_not_public(self, client, login, people, who, expected):
        item = make_library_item(people["maker"], title="Titel",
                                 werkplaatsen=[werkplaats("twente")])
        status = self.status_for(client, login, who, item, people)
        assert status == expected

    def test_anonymous_visitors_are_asked_to_sign_in_for_a_published_item(self, client,
                                                                           people):
        item = make_library_item(people["maker"], title="Titel")
        response = client.get(f"/library/{item.id}/titel", headers=EN)
        assert "/account/login" in response.headers["Location"]

    def test_a_public_item_is_open_to_everyone(self, client, people):
        item = make_library_item(people["maker"], title="Titel", is_public=True)
        page = client.get(f"/library/{item.id}/titel", headers=EN)
        assert page.status_code == 200
        assert "Titel" in page.text

    @pytest.mark.parametrize("who,expected", [
        ("anonymous", 404), ("maker", 200), ("member", 404), ("twente admin", 200),
        ("friesland admin", 404), ("association admin", 200),
    ])
    def test_a_submitted_item(self, client, login, people, who, expected):
        item = make_library_item(people["maker"], title="Titel", status=ItemStatus.SUBMITTED,
                                 is_public=True, werkplaatsen=[werkplaats("twente")])
        assert self.status_for(client, login, who, item, people) == expected

    @pytest.mark.parametrize("who,expected", [
        ("anonymous", 404), ("maker", 200), ("member", 404), ("twente admin", 404),
        ("association admin", 404),
    ])
    def test_a_draft(self, client, login, people, who, expected):
        item = make_library_item(people["maker"], title="Titel", status=ItemStatus.DRAFT,
                                 is_public=True, werkplaatsen=[werkplaats("twente")])
        assert self.status_for(client, login, who, item, people) == expected

    def test_an_author_with_an_account_sees_the_draft(self, client, login, people):
        item = make_library_item(people["maker"], title="Titel", status=ItemStatus.DRAFT,
                                 authors=[people["member"]])
        login(people["member"])
        assert client.get(f"/library/{item.id}/titel", headers=EN).status_code == 200


def test_the_item_page_runs_a_fixed_number_of_queries(client, login, count_queries):
    viewer = make_user()
    small = make_library_item(make_user(), title="Klein", werkplaatsen=[werkplaats("noord")])
    large = make_library_item(
        make_user(), title="Groot", authors=[make_user() for _ in range(4)],
        themes=[theme("armoede"), theme("impact"), theme("sociale-basis")],
        werkplaatsen=[werkplaats("twente"), werkplaats("friesland"), werkplaats("zuyd")],
        os=list(FourO),
    )
    small_url, large_url = f"/library/{small.id}/klein", f"/library/{large.id}/groot"
    login(viewer)
    client.get(small_url, headers=EN)  # warm up
    with count_queries() as few:
        assert client.get(small_url, headers=EN).status_code == 200
    with count_queries() as many:
        assert client.get(large_url, headers=EN).status_code == 200
    assert many.count == few.count, "\n---\n".join(few.statements)
    assert many.count <= 12


# My library items -----------------------------------------------------------------------------


def test_my_items_lists_what_i_made_or_wrote_drafts_first(client, login):
    me = make_user()
    draft = make_library_item(me, title="Mijn concept", status=ItemStatus.DRAFT)
    published = make_library_item(me, title="Mijn gepubliceerde")
    written = make_library_item(make_user(), title="Samen geschreven", authors=[me],
                                status=ItemStatus.SUBMITTED)
    make_library_item(make_user(), title="Van een ander")
    login(me)

    page = client.get("/library/mine", headers=EN)
    text = page.text
    assert "<h1>My library items</h1>" in text
    assert text.index(draft.title) < text.index(written.title) < text.index(published.title)
    assert "Van een ander" not in text
    only_drafts = client.get("/library/mine?status=draft", headers=EN).text
    assert draft.title in only_drafts and published.title not in only_drafts


def test_my_items_is_paginated_and_has_a_fragment(client, login, app):
    app.config["PER_PAGE"] = 2
    me = make_user()
    for n in range(3):
        make_library_item(me, title=f"Item {n}")
    login(me)
    first = client.get("/library/mine", headers=EN)
    assert "<html" in first.text and "Page 1 of 2" in first.text
    fragment = client.get("/library/mine?page=2", headers={**EN, "HX-Request": "true"})
    assert "<html" not in fragment.text
    assert 'id="my-items"' in fragment.text


def test_my_items_says_what_to_do_when_empty(client, login):
    login(make_user())
    page = client.get("/library/mine", headers=EN)
    assert "Nothing here yet" in page.text
    assert "/library/new" in page.text


# To publish -----------------------------------------------------------------------------------


def test_werkplaats_admins_see_the_submitted_items_of_their_werkplaats(client, login):
    twente = make_library_item(make_user(), title="Uit Twente", status=ItemStatus.SUBMITTED,
                               werkplaatsen=[werkplaats("twente")])
    friesland = make_library_item(make_user(), title="Uit Friesland",
                                  status=ItemStatus.SUBMITTED,
                                  werkplaatsen=[werkplaats("friesland")])
    national = make_library_item(make_user(), title="Landelijk", status=ItemStatus.SUBMITTED)
    make_library_item(make_user(), title="Nog een concept", status=ItemStatus.DRAFT,
                      werkplaatsen=[werkplaats("twente")])

    login(make_werkplaats_admin("twente"))
    page = client.get("/library/to-publish", headers=EN)
    assert "<h1>To publish</h1>" in page.text
    assert twente.title in page.text
    assert friesland.title not in page.text and national.title not in page.text
    assert "Nog een concept" not in page.text

    switch(client, login, make_admin())
    page = client.get("/library/to-publish", headers=EN)
    for item in (twente, friesland, national):
        assert item.title in page.text
    fragment = client.get("/library/to-publish", headers={**EN, "HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="items-to-publish"' in fragment.text


def test_members_have_nothing_to_publish(client, login):
    login(make_user())
    assert client.get("/library/to-publish", headers=EN).status_code == 403


def test_nothing_to_publish_says_so(client, login):
    login(make_admin())
    assert "Nothing is waiting to be published." in client.get(
        "/library/to-publish", headers=EN).text


def test_the_lists_run_a_fixed_number_of_queries(client, login, count_queries):
    me = make_user()
    make_library_item(me, status=ItemStatus.SUBMITTED, werkplaatsen=[werkplaats("twente")])
    login(me)
    counts = {"/library/to-publish": [], "/library/mine": []}
    for n in (0, 4):
        for _ in range(n):
            make_library_item(me, status=ItemStatus.SUBMITTED, authors=[me],
                              werkplaatsen=[werkplaats("twente"), werkplaats("noord")])
        for url, found in counts.items():
            switch(client, login, make_admin() if url.endswith("publish") else me)
            with count_queries() as counter:
                assert client.get(url, headers=EN).status_code == 200
            found.append(counter.count)
    for found in counts.values():
        assert found[0] == found[1]

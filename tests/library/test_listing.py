"""The library list: search box and filters, the live fragment, pages, visibility, languages."""

from datetime import UTC, datetime

import pytest

from leerkring.extensions import db
from leerkring.library import search
from leerkring.library.models import ItemKind, ItemStatus, LibraryItem
from tests.factories import make_user, theme, werkplaats

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true", **EN}


def make_item(title="Een product", status=ItemStatus.PUBLISHED, **kw) -> LibraryItem:
    kw.setdefault("kind", ItemKind.PUBLICATION)
    if status == ItemStatus.PUBLISHED:
        kw.setdefault("published_at", datetime.now(UTC))
    item = LibraryItem(title=title, status=status, **kw)
    db.session.add(item)
    db.session.flush()
    search.reindex(item)
    db.session.commit()
    return item


@pytest.fixture
def member(login):
    user = make_user()
    login(user)
    return user


def test_the_page_lists_the_newest_published_items(client, member):
    make_item("Eenzame ouderen", summary="Wat buren kunnen doen.", year=2025,
              themes=[theme("armoede")], werkplaatsen=[werkplaats("twente")])
    make_item("Concept", status=ItemStatus.DRAFT)
    page = client.get("/library/", headers=EN)
    assert "<html" in page.text
    assert "2 items found" not in page.text and "1 item found" in page.text
    assert "Eenzame ouderen" in page.text and "Wat buren kunnen doen." in page.text
    assert "Concept" not in page.text
    assert 'id="library-results"' in page.text
    assert 'hx-target="#library-results"' in page.text
    assert 'aria-current="page">Library</a>' in page.text


def test_searching_finds_a_dutch_word_form_with_a_marked_snippet(client, member):
    make_item("Buurtwerk", body="Over eenzame ouderen in <b>Enschede</b>.")
    make_item("Schulden")
    page = client.get("/library/?q=eenzaamheid", headers=EN)
    assert "1 item found" in page.text
    assert "<mark>eenzame</mark>" in page.text
    assert "<b>Enschede" not in page.text
    assert "Schulden" not in page.text
    assert 'value="eenzaamheid"' in page.text  # the search box keeps the text


def test_the_fragment_for_live_search(client, member):
    make_item("Eenzame ouderen")
    fragment = client.get("/library/?q=eenzaamheid", headers=HX)
    assert "<html" not in fragment.text
    assert 'id="library-results"' in fragment.text
    assert "Eenzame ouderen" in fragment.text
    assert fragment.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]


def test_filters_narrow_the_list_and_show_what_was_chosen(client, member):
    make_item("Methode", kind=ItemKind.METHOD, year=2024, themes=[theme("armoede")])
    make_item("Rapport", kind=ItemKind.REPORT, year=2025, werkplaatsen=[werkplaats("noord")])
    page = client.get("/library/?kind=method", headers=EN)
    assert "Methode" in page.text and ">Rapport<" not in page.text
    assert '<option selected value="method">' in page.text
    page = client.get("/library/?year=2025&werkplaats=noord", headers=EN)
    assert ">Rapport<" in page.text and ">Methode<" not in page.text
    page = client.get("/library/?theme=armoede", headers=EN)
    assert ">Methode<" in page.text and ">Rapport<" not in page.text
    # unknown values are no filter
    page = client.get("/library/?kind=nonsense&year=abc", headers=EN)
    assert "2 items found" in page.text


def test_no_results_says_so(client, member):
    make_item("Schulden")
    page = client.get("/library/?q=eenzaamheid", headers=EN)
    assert "0 items found" in page.text
    assert "Nothing in the library matches your search." in page.text


def test_pages_keep_the_search_and_filters(client, member):
    for n in range(3):
        make_item(f"Mantelzorg {n}", kind=ItemKind.TOOL,
                  published_at=datetime(2025, 1, n + 1, tzinfo=UTC))
    client.application.config["PER_PAGE"] = 2
    first = client.get("/library/?q=mantelzorg&kind=tool", headers=EN)
    assert "3 items found" in first.text and "Page 1 of 2" in first.text
    assert "q=mantelzorg" in first.text and "kind=tool" in first.text and "page=2" in first.text
    second = client.get("/library/?q=mantelzorg&kind=tool&page=2", headers=EN)
    assert "Page 2 of 2" in second.text and ">Mantelzorg 0<" in second.text
    past = client.get("/library/?q=mantelzorg&kind=tool&page=5", headers=EN)
    assert "3 items found" in past.text and "This page is past the last one." in past.text
    assert "Nothing in the library matches" not in past.text


def test_anonymous_visitors_see_only_public_items(client):
    make_item("Openbare methode", is_public=True, year=2023)
    make_item("Voor leden", year=2024)
    page = client.get("/library/", headers=EN)
    assert page.status_code == 200
    assert "Openbare methode" in page.text and "Voor leden" not in page.text
    assert '<option value="2024">' not in page.text  # not even its year
    assert "Add an item" not in page.text
    fragment = client.get("/library/?q=leden", headers=HX)
    assert "0 items found" in fragment.text


def test_links_to_add_and_publish_for_those_who_may(client, login):
    from tests.factories import make_werkplaats_admin

    login(make_werkplaats_admin())
    page = client.get("/library/", headers=EN)
    assert "To publish" in page.text and "My library items" in page.text


def test_the_page_in_dutch(client, member):
    make_item("Eenzame ouderen")
    page = client.get("/library/?q=eenzaamheid")
    assert "Zoek in de bibliotheek" in page.text and "Eenzame ouderen" in page.text


def test_the_number_of_queries_does_not_grow_with_the_items(client, member, count_queries):
    def counted(url):
        with count_queries() as counter:
            assert "found" in client.get(url, headers=EN).text
        return counter.count

    urls = ["/library/", "/library/?q=eenzaamheid", "/library/?q=eenzaamheid&theme=armoede"]
    make_item("Eenzame ouderen", themes=[theme("armoede")], werkplaatsen=[werkplaats()])
    few = [counted(url) for url in urls]
    for n in range(12):
        make_item(f"Eenzame ouderen {n}", themes=[theme("armoede")],
                  werkplaatsen=[werkplaats(), werkplaats("noord")], year=2000 + n)
    assert [counted(url) for url in urls] == few

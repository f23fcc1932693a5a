"""Library search: the index, Dutch stemming, ranking, filters, snippets and visibility."""

from datetime import UTC, datetime

from leerkring.extensions import db
from leerkring.library import search
from leerkring.library.models import ItemKind, ItemStatus, LibraryItem


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


def test_stemming_is_the_classic_dutch_snowball_one_as_in_postgresql():
    assert search.terms("Eenzaamheid") == search.terms("eenzame") == ["eenzam"]
    assert search.terms("de ouderen en het kind") == ["ouder", "kind"]


def matching_ids(text):
    """Item ids whose index entry matches ``text``, straight from the index."""
    if db.engine.dialect.name == "sqlite":
        statement = "SELECT rowid FROM library_search WHERE library_search MATCH :q"
        query = " ".join(f'"{term}"' for term in search.terms(text))
    else:
        statement = (
            "SELECT id FROM library_items WHERE search_vector @@ websearch_to_tsquery('dutch', :q)"
        )
        query = text
    return set(db.session.execute(db.text(statement), {"q": query}).scalars())


def test_reindex_follows_changes_and_forget_removes_the_entry(app):
    item = make_item("Eenzame ouderen in de wijk", summary="Over buurtzorg")
    assert matching_ids("eenzaamheid") == {item.id}
    item.title = "Armoede"
    search.reindex(item)
    db.session.commit()
    assert matching_ids("eenzaamheid") == set()
    assert matching_ids("armoede") == {item.id}
    item_id = item.id
    search.forget(item_id)
    db.session.delete(item)
    db.session.commit()
    assert matching_ids("armoede") == set()


def test_deleting_an_item_removes_its_entry_even_without_forget(app):
    item = make_item("Schuldhulp")
    db.session.delete(item)
    db.session.commit()
    assert matching_ids("schuldhulp") == set()


def found(text="", **kw):
    return [result.item.title for result in search.query(text, **kw).items]


def test_eenzaamheid_finds_eenzame_ouderen(app):
    make_item("Eenzame ouderen in de wijk")
    make_item("Armoede en schulden")
    assert found("eenzaamheid") == ["Eenzame ouderen in de wijk"]
    assert found("Eenzaam") == ["Eenzame ouderen in de wijk"]


def test_a_plural_finds_the_singular_and_back(app):
    make_item("Een vrijwilliger aan huis")
    make_item("Kinderen en jongeren", body="Wat wijken nodig hebben.")
    assert found("vrijwilligers") == ["Een vrijwilliger aan huis"]
    assert found("wijk") == ["Kinderen en jongeren"]


def test_every_word_must_occur_and_stop_words_do_not_count(app):
    make_item("Eenzame ouderen", summary="In de wijk")
    make_item("Eenzame jongeren")
    assert found("eenzaamheid wijken") == ["Eenzame ouderen"]
    assert found("de eenzaamheid van het") == ["Eenzame ouderen", "Eenzame jongeren"] or found(
        "de eenzaamheid van het"
    ) == ["Eenzame jongeren", "Eenzame ouderen"]


def test_a_title_match_ranks_above_a_body_match(app):
    make_item("Buurtteams", body="Over mantelzorg in de buurt en meer.")
    make_item("Mantelzorg", body="Over buurtteams.")
    make_item("Iets anders", summary="Mantelzorg van jongeren.")
    assert found("mantelzorg") == ["Mantelzorg", "Iets anders", "Buurtteams"]
    ranks = [result.rank for result in search.query("mantelzorg").items]
    assert ranks == sorted(ranks, reverse=True)


def test_the_document_text_is_searched(app):
    make_item("Rapport", document_text="Bijlage over schuldhulpverlening in Twente.")
    assert found("schuldhulpverlening") == ["Rapport"]


def test_without_words_the_newest_published_items_come_first(app):
    make_item("Oud", published_at=datetime(2024, 1, 1, tzinfo=UTC))
    make_item("Nieuw", published_at=datetime(2026, 1, 1, tzinfo=UTC))
    make_item("Concept", status=ItemStatus.DRAFT)
    assert found("") == ["Nieuw", "Oud"]
    assert found("de het") == ["Nieuw", "Oud"]  # only stop words: as if nothing was typed


def test_drafts_and_submitted_items_are_never_found(app):
    make_item("Eenzame ouderen concept", status=ItemStatus.DRAFT)
    make_item("Eenzame ouderen ingediend", status=ItemStatus.SUBMITTED)
    make_item("Eenzame ouderen")
    assert found("eenzaamheid") == ["Eenzame ouderen"]


def test_public_only_leaves_out_items_for_signed_in_users(app):
    make_item("Eenzaamheid voor iedereen", is_public=True)
    make_item("Eenzaamheid voor leden")
    assert found("eenzaam", public_only=True) == ["Eenzaamheid voor iedereen"]
    assert len(found("eenzaam")) == 2


def test_filters_by_kind_o_theme_werkplaats_and_year(app):
    from leerkring.library.models import FourO, ItemO
    from tests.factories import theme, werkplaats

    method = make_item(
        "Methode eenzaamheid",
        kind=ItemKind.METHOD,
        year=2025,
        themes=[theme("armoede")],
        werkplaatsen=[werkplaats("twente")],
    )
    method.os.append(ItemO(o=FourO.ONDERWIJS))
    db.session.commit()
    make_item("Publicatie eenzaamheid", year=2024)
    assert found("eenzaam", filters={"kind": "method"}) == ["Methode eenzaamheid"]
    assert found("eenzaam", filters={"year": 2024}) == ["Publicatie eenzaamheid"]
    assert found("eenzaam", filters={"o": "onderwijs"}) == ["Methode eenzaamheid"]
    assert found(filters={"theme": "armoede"}) == ["Methode eenzaamheid"]
    assert found(filters={"werkplaats": "twente"}) == ["Methode eenzaamheid"]
    assert found(filters={"werkplaats": "noord", "kind": "method"}) == []


def test_pages_of_results(app):
    for n in range(5):
        make_item(f"Mantelzorg deel {n}", published_at=datetime(2025, 1, n + 1, tzinfo=UTC))
    first = search.query("mantelzorg", page=1, per_page=2)
    assert first.total == 5 and first.pages == 3 and first.has_next and not first.has_prev
    last = search.query("mantelzorg", page=3, per_page=2)
    assert [result.item.title for result in last.items] == ["Mantelzorg deel 0"]
    assert search.query("mantelzorg", page=9, per_page=2).items == []


def test_snippets_mark_the_words_and_escape_the_text(app):
    make_item(
        "Verslag",
        body="Iets vooraf. <script>alert(1)</script> Over eenzame ouderen & hun buren.",
    )
    (result,) = search.query("eenzaamheid").items
    assert "<mark>eenzame</mark>" in result.snippet
    assert "<script>" not in result.snippet
    assert "alert(1)" in result.snippet
    assert "ouderen &amp; hun buren" in result.snippet


def test_a_title_only_match_has_no_snippet(app):
    make_item("Eenzaamheid", summary="Een verhaal over buren.")
    (result,) = search.query("eenzaamheid").items
    assert result.snippet is None


def test_the_number_of_queries_does_not_grow_with_the_results(app, count_queries):
    from tests.factories import theme, werkplaats

    def counted(text):
        with count_queries() as counter:
            results = search.query(text)
            for result in results.items:
                assert result.item.themes is not None and result.item.werkplaatsen is not None
        return counter.count

    make_item("Eenzame ouderen", themes=[theme("armoede")], werkplaatsen=[werkplaats()])
    few = counted("eenzaamheid"), counted("")
    for n in range(12):
        make_item(f"Eenzame ouderen {n}", themes=[theme("armoede")], werkplaatsen=[werkplaats()])
    assert (counted("eenzaamheid"), counted("")) == few


def test_snippets_leave_out_markdown_marks_and_link_addresses(app):
    make_item("Verslag", body="## Wat we zagen\n\nDe **eenzame** buren, zie [het rapport](https://x.nl/a_b).")
    (result,) = search.query("eenzaamheid").items
    assert "<mark>eenzame</mark>" in result.snippet
    assert "*" not in result.snippet and "#" not in result.snippet
    assert "het rapport" in result.snippet and "https" not in result.snippet


def test_search_syntax_in_the_text_is_taken_as_words(app):
    make_item("Eenzame ouderen")
    for text in ('"eenzaam', "eenzaam* OR", "-(eenzaam)", "eenzaam NEAR/2", "'; DROP TABLE x"):
        results = search.query(text)
        assert results.total == len(results.items)
    assert found("eenzaam*") == ["Eenzame ouderen"]

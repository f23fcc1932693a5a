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

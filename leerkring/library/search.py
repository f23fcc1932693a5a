"""Full-text search over the library: title, summary, body and document text, with Dutch stemming.

Both databases stem with the same algorithm, the classic Snowball Dutch stemmer (Porter-style,
``dutch_porter`` in snowballstemmer), which is what PostgreSQL's ``dutch`` configuration uses;
both drop the same Dutch stop words. snowballstemmer's newer ``dutch`` algorithm stems
"eenzaamheid" to "eenzaam" but "eenzame" to "eenzame", so a search for the one would miss the
other; the classic one stems both (and "eenzaam") to "eenzam", as PostgreSQL does.

- PostgreSQL: a generated ``tsvector`` column ``library_items.search_vector`` (title weight A,
  summary B, body C, document text D) with a GIN index; PostgreSQL keeps it up to date itself.
- SQLite: an FTS5 table ``library_search`` whose rowid is the item's id, holding the stemmed words
  of each field (FTS5 has no Dutch stemmer); ``reindex`` writes it, a trigger removes an item's
  row when the item is deleted.

Every item is indexed whatever its status; queries ask for published items only.
"""

import re

import snowballstemmer
import sqlalchemy as sa

from leerkring.extensions import db

#: The FTS5 table (SQLite), the generated column and its index (PostgreSQL): made by migration
#: 0009, not by the models, so the models-versus-migrations check leaves them out.
SEARCH_TABLE = "library_search"
SEARCH_COLUMN = "search_vector"
SEARCH_INDEX = "ix_library_items_search_vector"

#: Only the start of a long document is indexed (a tsvector holds at most 1 MB).
DOCUMENT_CHARS = 200_000

#: PostgreSQL's (and Snowball's) Dutch stop words.
_DUTCH_STOP_WORDS = """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
    hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar
    heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel
    meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd altijd doch wordt
    wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest andere"""
STOP_WORDS = frozenset(_DUTCH_STOP_WORDS.split())

WORD = re.compile(r"\w+")

_stemmer = snowballstemmer.stemmer("dutch_porter")


def stem(word: str) -> str | None:
    """The search term for one word: lower case, stemmed; None for a stop word."""
    word = word.lower()
    if word in STOP_WORDS:
        return None
    return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """The search terms of ``text`` in order, stop words left out."""
    return [term for term in map(stem, WORD.findall(text or "")) if term]


def include_name(name, type_, parent_names) -> bool:
    """Alembic's ``include_name``: leave out the search objects (they are not in the models)."""
    if type_ == "table":
        return not (name or "").startswith(SEARCH_TABLE)
    if type_ == "column":
        return not (parent_names.get("table_name") == "library_items" and name == SEARCH_COLUMN)
    if type_ == "index":
        return name != SEARCH_INDEX
    return True


def _is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


# Indexing -------------------------------------------------------------------------------------


def indexed_fields(item) -> dict[str, str]:
    """The stemmed words of an item's four fields, as the FTS5 table holds them."""
    return {
        "title": " ".join(terms(item.title)),
        "summary": " ".join(terms(item.summary)),
        "body": " ".join(terms(item.body)),
        "document_text": " ".join(terms((item.document_text or "")[:DOCUMENT_CHARS])),
    }


def reindex(item) -> None:
    """Bring ``item``'s search entry up to date after a change to its text (or status)."""
    if not _is_sqlite():
        return  # the generated column follows the row
    if item.id is None:
        db.session.flush()
    forget(item.id)
    db.session.execute(
        sa.text(
            f"INSERT INTO {SEARCH_TABLE} (rowid, title, summary, body, document_text) "
            "VALUES (:id, :title, :summary, :body, :document_text)"
        ),
        {"id": item.id, **indexed_fields(item)},
    )


def forget(item_id: int) -> None:
    """Remove an item's search entry (when it is deleted)."""
    if not _is_sqlite():
        return
    db.session.execute(sa.text(f"DELETE FROM {SEARCH_TABLE} WHERE rowid = :id"), {"id": item_id})

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

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy.orm import selectinload

from leerkring.extensions import db
from leerkring.library.dutch_text import MARKDOWN_LINK, MARKDOWN_MARKS, passage, plain, terms
from leerkring.library.models import (
    FourO,
    ItemKind,
    ItemO,
    ItemStatus,
    LibraryItem,
    library_item_themes,
    library_item_werkplaatsen,
)

#: The FTS5 table (SQLite), the generated column and its index (PostgreSQL): made by migration
#: 0009, not by the models, so the models-versus-migrations check leaves them out.
SEARCH_TABLE = "library_search"
SEARCH_COLUMN = "search_vector"
SEARCH_INDEX = "ix_library_items_search_vector"

#: Only the start of a long document is indexed (a tsvector holds at most 1 MB).
DOCUMENT_CHARS = 200_000

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


# Searching ------------------------------------------------------------------------------------


@dataclass
class Result:
    item: LibraryItem
    #: The matching passage with the search words in ``<mark>``; None when only the title matched
    #: or nothing was searched.
    snippet: Markup | None
    rank: float


@dataclass
class Results:
    """One page of results, shaped like Flask-SQLAlchemy's pagination for the ``pager`` macro."""

    items: list[Result]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def query(
    text: str = "",
    filters: dict | None = None,
    page: int = 1,
    *,
    public_only: bool = False,
    per_page: int | None = None,
) -> Results:
    """Published items matching ``text`` (all of its words, in any form) and ``filters`` (kind,
    o, theme slug, werkplaats slug, year), best first; without words the newest first. Three
    queries: the count, the page, and its items' themes and Werkplaatsen."""
    per_page = per_page or current_app.config["PER_PAGE"]
    page = max(1, page)
    words = terms(text)
    conditions = [LibraryItem.status == ItemStatus.PUBLISHED, *_filters(filters or {})]
    if public_only:
        conditions.append(LibraryItem.is_public.is_(True))
    if not words:
        search = _Newest()
    elif _is_sqlite():
        search = _SQLiteSearch(words)
    else:
        search = _PostgresSearch(text)

    total = db.session.execute(
        search.from_(sa.select(sa.func.count(LibraryItem.id))).where(*conditions)
    ).scalar_one()
    # Rank and sort narrow rows; only the page's items are read whole (and get a headline).
    newest = (LibraryItem.published_at.desc(), LibraryItem.id.desc())
    ranked = (
        search.from_(sa.select(LibraryItem.id, search.rank()))
        .where(*conditions)
        .order_by(*search.order(), *newest)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery("ranked")
    )
    rows = db.session.execute(
        sa.select(LibraryItem, ranked.c.rank, search.headline())
        .join(ranked, ranked.c.id == LibraryItem.id)
        .order_by(*search.order(ranked.c.rank), *newest)
        .options(selectinload(LibraryItem.themes), selectinload(LibraryItem.werkplaatsen))
    ).all()
    items = [Result(item, search.snippet(item, headline), rank) for item, rank, headline in rows]
    return Results(items=items, page=page, per_page=per_page, total=total)


def _filters(filters: dict) -> list:
    from leerkring.werkplaatsen.models import Theme, Werkplaats

    conditions = []
    if filters.get("kind"):
        conditions.append(LibraryItem.kind == ItemKind(filters["kind"]))
    if filters.get("year"):
        conditions.append(LibraryItem.year == int(filters["year"]))
    if filters.get("o"):
        conditions.append(
            sa.exists().where(ItemO.item_id == LibraryItem.id, ItemO.o == FourO(filters["o"]))
        )
    if filters.get("theme"):
        links = library_item_themes
        conditions.append(
            sa.exists()
            .where(links.c.item_id == LibraryItem.id, links.c.theme_id == Theme.id)
            .where(Theme.slug == filters["theme"])
        )
    if filters.get("werkplaats"):
        links = library_item_werkplaatsen
        conditions.append(
            sa.exists()
            .where(links.c.item_id == LibraryItem.id, links.c.werkplaats_id == Werkplaats.id)
            .where(Werkplaats.slug == filters["werkplaats"])
        )
    return conditions


class _Newest:
    """No words: every item that passes the filters, newest first."""

    def from_(self, select):
        return select

    def rank(self):
        return sa.literal(0.0, sa.Float).label("rank")

    def order(self, rank=None) -> tuple:
        """What comes before "newest first" in the order."""
        return ()

    def headline(self):
        return sa.null().label("headline")

    def snippet(self, item, headline):
        return None


#: SQLite's bm25 weights per column (title, summary, body, document text).
BM25_WEIGHTS = (10.0, 4.0, 1.0, 1.0)


class _Ranked(_Newest):
    """Words: best first, then newest first."""

    def order(self, rank=None) -> tuple:
        return (rank.desc() if rank is not None else sa.desc("rank"),)


class _SQLiteSearch(_Ranked):
    """FTS5: every stemmed word must occur; ranked by bm25 (negated: higher is better)."""

    def __init__(self, words: list[str]):
        self.words = set(words)
        self.match = " ".join(f'"{word}"' for word in dict.fromkeys(words))

    def from_(self, select):
        table = sa.table(SEARCH_TABLE, sa.column("rowid"))
        return select.join(table, table.c.rowid == LibraryItem.id).where(
            sa.text(f"{SEARCH_TABLE} MATCH :match").bindparams(match=self.match)
        )

    def rank(self):
        bm25 = sa.func.bm25(sa.literal_column(SEARCH_TABLE), *BM25_WEIGHTS)
        return (-bm25).label("rank")

    def snippet(self, item, headline):
        texts = (item.summary, plain(item.body), (item.document_text or "")[:DOCUMENT_CHARS])
        for text in texts:
            found = passage(text or "", self.words)
            if found is not None:
                return found
        return None


#: ts_headline's markers around a match, replaced by <mark> once the text is escaped.
START, STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, ShortWord=3, "
    "MaxFragments=2, FragmentDelimiter=\" … \""
)


class _PostgresSearch(_Ranked):
    """The generated tsvector column against ``websearch_to_tsquery`` (quotes, ``or`` and ``-``
    work as on a web search engine), ranked by ``ts_rank`` with the column weights."""

    def __init__(self, text: str):
        self.tsquery = sa.func.websearch_to_tsquery(sa.literal_column("'dutch'::regconfig"), text)

    def from_(self, select):
        vector = sa.literal_column(f"library_items.{SEARCH_COLUMN}")
        return select.where(vector.op("@@")(self.tsquery))

    def rank(self):
        vector = sa.literal_column(f"library_items.{SEARCH_COLUMN}")
        return sa.func.ts_rank(vector, self.tsquery).label("rank")

    def headline(self):
        text = sa.func.concat_ws(
            " ",
            LibraryItem.summary,
            sa.func.regexp_replace(
                sa.func.regexp_replace(LibraryItem.body, MARKDOWN_LINK.pattern, r"\1", "g"),
                MARKDOWN_MARKS.pattern,
                "",
                "g",
            ),
            sa.func.left(LibraryItem.document_text, DOCUMENT_CHARS),
        )
        return sa.func.ts_headline(
            sa.literal_column("'dutch'::regconfig"),
            sa.func.translate(text, START + STOP, ""),
            self.tsquery,
            HEADLINE_OPTIONS,
        ).label("headline")

    def snippet(self, item, headline):
        if not headline or START not in headline:
            return None
        marked = str(escape(" ".join(headline.split())))
        return Markup(marked.replace(START, "<mark>").replace(STOP, "</mark>"))


def reindex_all(batch: int = 1000) -> int:
    """Rebuild the whole index (SQLite; PostgreSQL's column needs nothing), e.g. after the
    stemmer changed. Returns the number of items indexed."""
    if not _is_sqlite():
        return db.session.execute(sa.select(sa.func.count(LibraryItem.id))).scalar_one()
    db.session.execute(sa.text(f"DELETE FROM {SEARCH_TABLE}"))
    rows = db.session.execute(
        sa.select(
            LibraryItem.id,
            LibraryItem.title,
            LibraryItem.summary,
            LibraryItem.body,
            LibraryItem.document_text,
        ).execution_options(yield_per=batch)
    )
    insert = sa.text(
        f"INSERT INTO {SEARCH_TABLE} (rowid, title, summary, body, document_text) "
        "VALUES (:id, :title, :summary, :body, :document_text)"
    )
    count = 0
    for chunk in rows.partitions():
        db.session.execute(insert, [{"id": row.id, **indexed_fields(row)} for row in chunk])
        count += len(chunk)
    return count

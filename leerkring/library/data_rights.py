"""The library's part of a user's data rights (see ``leerkring.accounts.data_rights``): the
library items they created or are an author of, with their text, choices and status (the
uploaded document by name, type and size; its extracted text is the document's, not theirs).

Deleting an account:

- items that are not published and that the user made alone (they created it, and no one else
  with an account is an author) are deleted, with their documents;
- published items stay in the library without their name: the author row goes, and the item no
  longer names them as its creator (the foreign keys do this when the user row goes);
- drafts made together with others stay for those others.
"""

import sqlalchemy as sa
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from leerkring.accounts.data_rights import register_part
from leerkring.extensions import db
from leerkring.library import item_services
from leerkring.library.models import ItemStatus, LibraryItem, library_item_authors

ITEM_FIELDS = ("id", "title", "summary", "body", "link_url", "kind", "status", "is_public",
               "year", "licence", "other_authors", "created_at", "updated_at", "submitted_at",
               "published_at", "document_name", "document_type", "document_size")


def _items_of(user) -> sa.Select:
    authored = sa.select(library_item_authors.c.item_id).where(
        library_item_authors.c.user_id == user.id)
    return sa.select(LibraryItem).where(
        sa.or_(LibraryItem.created_by_id == user.id, LibraryItem.id.in_(authored))
    )


def export_library(user) -> dict:
    items = db.session.execute(
        _items_of(user)
        .options(selectinload(LibraryItem.themes), selectinload(LibraryItem.werkplaatsen),
                 selectinload(LibraryItem.authors), selectinload(LibraryItem.os))
        .order_by(LibraryItem.created_at, LibraryItem.id)
    ).scalars()
    return {
        "items": [
            {
                **{field: getattr(item, field) for field in ITEM_FIELDS},
                "created_by_me": item.created_by_id == user.id,
                "authors": [author.name for author in item.authors],
                "four_os": sorted(row.o.value for row in item.os),
                "themes": [theme.name for theme in item.themes],
                "werkplaatsen": [w.name for w in item.werkplaatsen],
            }
            for item in items
        ]
    }


def _made_alone(user) -> list[LibraryItem]:
    """Unpublished items the user created with no other author who has an account."""
    others = sa.select(library_item_authors.c.item_id).where(
        library_item_authors.c.user_id != user.id)
    return list(db.session.execute(
        sa.select(LibraryItem).where(
            LibraryItem.created_by_id == user.id,
            LibraryItem.status != ItemStatus.PUBLISHED,
            LibraryItem.id.not_in(others),
        ).order_by(LibraryItem.id)
    ).scalars())


def describe_library(user) -> list[str]:
    alone = len(_made_alone(user))
    published = db.session.execute(
        sa.select(sa.func.count()).select_from(
            _items_of(user).where(LibraryItem.status == ItemStatus.PUBLISHED).subquery())
    ).scalar_one()
    lines = []
    if alone:
        lines.append(ngettext(
            "Your library draft is deleted, with its document.",
            "Your %(num)d library drafts are deleted, with their documents.",
            alone,
        ))
    if published:
        lines.append(ngettext(
            "Your published library item stays in the library, without your name.",
            "Your %(num)d published library items stay in the library, without your name.",
            published,
        ))
    return lines


def erase_library(user) -> None:
    keys = []
    for item in _made_alone(user):
        key = item_services.delete_item(item)
        if key:
            keys.append(key)
    db.session.flush()
    # The files go now: if the deletion were rolled back, the drafts would lose only a file.
    item_services.remove_files(keys)


register_part("library", export_library, describe_library, erase_library)

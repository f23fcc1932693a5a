"""Finding library items: ``/library/`` with its search box and filters, live as you type.

The list is public: a visitor who is not signed in finds the public published items, a signed-in
user every published item (as on an item's own page)."""

import sqlalchemy as sa
from flask import request
from flask_login import current_user

from leerkring.circles import queries as circle_queries
from leerkring.extensions import db
from leerkring.library import bp, search
from leerkring.library.item_forms import KIND_LABELS
from leerkring.library.items import item_url
from leerkring.library.listing_forms import LibraryFilterForm
from leerkring.library.models import ItemStatus, LibraryItem
from leerkring.permissions import (
    can_add_library_item,
    can_publish_library_items,
    public,
)
from leerkring.web import render


def published_years(public_only: bool) -> list[int]:
    """The years of the items one can find, newest first."""
    select = (
        sa.select(LibraryItem.year)
        .distinct()
        .where(LibraryItem.status == ItemStatus.PUBLISHED, LibraryItem.year.is_not(None))
        .order_by(LibraryItem.year.desc())
    )
    if public_only:
        select = select.where(LibraryItem.is_public.is_(True))
    return list(db.session.execute(select).scalars())


@bp.get("/library/")
@public
def index():
    public_only = not current_user.is_authenticated
    form = LibraryFilterForm(
        formdata=request.args,
        werkplaatsen=circle_queries.werkplaatsen(),
        themes=circle_queries.themes(),
        years=published_years(public_only),
    )
    filters = form.filters()
    results = search.query(
        filters.get("q", ""),
        filters,
        page=request.args.get("page", 1, type=int),
        public_only=public_only,
    )
    return render(
        "library/index.html",
        partial="library/_results.html",
        form=form,
        results=results,
        filters=filters,
        kind_labels=KIND_LABELS,
        item_url=item_url,
        can_add=can_add_library_item(current_user),
        can_publish=can_publish_library_items(current_user),
    )

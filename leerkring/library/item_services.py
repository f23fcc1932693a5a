"""Changes to library items: writing, submitting, publishing, sending back to draft, deleting.
Services never commit.

Every change to an item's text or status brings its search entry up to date. Files on disk are
written before the commit (a failed commit leaves an unused file, never an item without its
file) and removed after it (``remove_after_commit``)."""

import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.library import search, storage
from leerkring.library.models import ItemO, ItemStatus, LibraryItem
from leerkring.mail import send_mail
from leerkring.notifications import services as notifications

notifications.register("library_item_published", _l("Your library item “%(title)s” is published."))
notifications.register(
    "library_item_sent_back",
    _l("Your library item “%(title)s” went back to draft: %(reason)s"),
)
notifications.register(
    "library_item_submitted", _l("“%(title)s” is waiting for you to publish it in the library."),
)

PUBLISHED_SUBJECT = _l("Your library item is published: %(title)s")
SENT_BACK_SUBJECT = _l("Your library item went back to draft: %(title)s")

#: Longest reason kept in a notice (the mail has all of it).
NOTICE_REASON = 300


def reindex(item: LibraryItem) -> None:
    """Bring the item's search entry up to date (in the caller's transaction)."""
    db.session.flush()
    search.reindex(item)


def forget(item_id: int) -> None:
    """Take a deleted item out of the search index."""
    search.forget(item_id)


def _apply(item: LibraryItem, *, os=(), **fields) -> None:
    for name, value in fields.items():
        setattr(item, name, value)
    wanted = set(os)
    item.os = [row for row in item.os if row.o in wanted] + [
        ItemO(o=o) for o in sorted(wanted - {row.o for row in item.os})
    ]


def _attach(item: LibraryItem, checked: storage.Checked | None) -> str | None:
    """Store the new document on the item; returns the key of the one it replaces."""
    if checked is None:
        return None
    old = item.document_key
    item.document_key = storage.store(checked.data)
    item.document_name = checked.name
    item.document_type = checked.content_type
    item.document_size = len(checked.data)
    item.document_text = storage.extract_text(checked.data, checked.content_type)
    return old


def _detach(item: LibraryItem) -> str | None:
    old = item.document_key
    item.document_key = None
    item.document_name = item.document_type = item.document_text = ""
    item.document_size = 0
    return old


def create_item(creator, *, document: storage.Checked | None = None, **fields) -> LibraryItem:
    """A new draft of ``creator``."""
    item = LibraryItem(created_by_id=creator.id, status=ItemStatus.DRAFT)
    db.session.add(item)
    _apply(item, **fields)
    _attach(item, document)
    reindex(item)
    return item


def update_item(item: LibraryItem, *, document: storage.Checked | None = None,
                remove_document: bool = False, **fields) -> list[str]:
    """Change the item; returns the keys of documents to remove once the change is committed."""
    _apply(item, **fields)
    gone = []
    if document is not None:
        gone.append(_attach(item, document))
    elif remove_document:
        gone.append(_detach(item))
    reindex(item)
    return [key for key in gone if key]


def remove_files(keys) -> None:
    """After the commit: delete documents no item uses any more."""
    for key in keys:
        storage.remove(key)


def submit(item: LibraryItem) -> None:
    """A draft goes to those who publish it; they hear of it."""
    item.status = ItemStatus.SUBMITTED
    item.submitted_at = utcnow()
    reindex(item)
    url = url_for("library.item", item_id=item.id)
    for publisher in publishers_of(item):
        notifications.notify(publisher, "library_item_submitted", url, title=item.title)


def publish(item: LibraryItem, publisher) -> None:
    item.status = ItemStatus.PUBLISHED
    item.published_at = utcnow()
    item.published_by_id = publisher.id
    reindex(item)
    for maker in makers_to_tell(item, publisher):
        notifications.notify(maker, "library_item_published",
                             url_for("library.item", item_id=item.id), title=item.title)


def send_back(item: LibraryItem, publisher, reason: str) -> None:
    """A submitted or published item goes back to draft; its makers hear why."""
    item.status = ItemStatus.DRAFT
    item.submitted_at = None
    item.published_at = None
    item.published_by_id = None
    reindex(item)
    short = reason if len(reason) <= NOTICE_REASON else reason[:NOTICE_REASON - 1] + "…"
    for maker in makers_to_tell(item, publisher):
        notifications.notify(maker, "library_item_sent_back",
                             url_for("library.item", item_id=item.id),
                             title=item.title, reason=short)


def delete_item(item: LibraryItem) -> str | None:
    """Delete the item; returns its document's key, to remove after the commit."""
    key = item.document_key
    item_id = item.id
    db.session.delete(item)
    db.session.flush()
    forget(item_id)
    return key


# Who hears what ---------------------------------------------------------------------------------


def makers_to_tell(item: LibraryItem, actor) -> list:
    makers = {user.id: user for user in item.authors}
    if item.created_by is not None:
        makers[item.created_by.id] = item.created_by
    makers.pop(actor.id, None)
    return sorted(makers.values(), key=lambda user: user.id)


def publishers_of(item: LibraryItem) -> list:
    """The admins of the item's Werkplaatsen, or the association's admins for a national item."""
    from leerkring.accounts.models import User
    from leerkring.werkplaatsen.models import werkplaats_admins

    if item.werkplaatsen:
        select = sa.select(User).join(werkplaats_admins, werkplaats_admins.c.user_id == User.id) \
            .where(werkplaats_admins.c.werkplaats_id.in_([w.id for w in item.werkplaatsen]))
    else:
        select = sa.select(User).where(User.is_admin.is_(True))
    return list(db.session.execute(select.distinct().order_by(User.id)).scalars())


def mail_makers(item: LibraryItem, actor, template: str, subject, **context) -> None:
    """After the commit: a mail to each maker (not the one who acted), in their language."""
    from leerkring.accounts.services import mail_locale

    url = url_for("library.item", item_id=item.id, _external=True)
    for maker in makers_to_tell(item, actor):
        with force_locale(mail_locale(maker)):
            send_mail(maker.email, str(subject) % {"title": item.title},
                      render_template(f"library/{template}", item=item, url=url, **context))

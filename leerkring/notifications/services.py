"""In-app notices (meldingen). Each area registers its kinds here; the text of a notice is
rendered when it is shown, in the reader's language, from the kind's message and the stored
parameters (names and titles only, never case content)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications.models import Notification

#: kind → lazily translated message with ``%(name)s`` placeholders for the notice's params.
MESSAGES = {}

#: Shown for a notice whose kind is no longer registered.
FALLBACK = _l("You have a notice.")


def register(kind: str, message) -> None:
    """Make ``kind`` known; ``message`` is a ``lazy_gettext`` string."""
    if MESSAGES.get(kind, message) is not message:
        raise ValueError(f"notification kind {kind!r} is already registered")
    MESSAGES[kind] = message


def notify(user, kind: str, url: str, **params) -> Notification:
    """Add a notice for ``user`` in the current transaction."""
    if kind not in MESSAGES:
        raise KeyError(f"unknown notification kind {kind!r}")
    notification = Notification(user_id=user.id, kind=kind, url=url, params=params)
    db.session.add(notification)
    return notification


def text(notification: Notification) -> str:
    """The notice in the current language."""
    message = MESSAGES.get(notification.kind)
    if message is None:
        return str(FALLBACK)
    try:
        return str(message) % notification.params
    except (KeyError, TypeError, ValueError):
        return str(FALLBACK)


def for_user(user):
    """The user's notices, newest first (a select for pagination)."""
    return (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def unread_count(user) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ).scalar_one()


def mark_read(user, notifications=None) -> None:
    """Mark ``notifications`` (all of the user's when None) as read."""
    statement = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notifications is not None:
        ids = [n.id for n in notifications]
        if not ids:
            return
        statement = statement.where(Notification.id.in_(ids))
    db.session.execute(
        statement.values(read_at=utcnow()).execution_options(synchronize_session=False)
    )

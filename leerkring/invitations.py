"""Invitations by e-mail, as circles and cohorts send them. A random token goes out in the mail and
only its hash is stored; the invitation works once, until it expires. Each area keeps its own
table (with ``InvitationColumns``), its own words and what accepting means. Nothing here commits.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from leerkring.db import UTCDateTime, utcnow
from leerkring.extensions import db


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationColumns:
    """What every invitation row holds besides what it invites to."""

    #: Lower case.
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


#: ``send(email, token, days)`` mails one invitation.
Send = Callable[[str, str, int], None]


def max_age() -> int:
    """How many days an invitation works."""
    return current_app.config["INVITATION_MAX_AGE_DAYS"]


def invite(model, inviter, emails: Iterable[str], already_in: set[str], send: Send,
           **invited_to) -> list[str]:
    """A ``model`` row for each address not ``already_in`` (lower case), each mailed with
    ``send``; returns the addresses invited."""
    invited = []
    for email in dict.fromkeys(address.strip().lower() for address in emails):
        if not email or email in already_in:
            continue
        token = secrets.token_urlsafe(32)
        db.session.add(model(email=email, token_hash=hash_token(token), invited_by_id=inviter.id,
                             expires_at=utcnow() + timedelta(days=max_age()), **invited_to))
        db.session.flush()
        send(email, token, max_age())
        invited.append(email)
    return invited


def renew(invitation, send: Send) -> None:
    """Mail ``invitation`` again with a new token (the old link stops working) and a new term."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = utcnow() + timedelta(days=max_age())
    db.session.flush()
    send(invitation.email, token, max_age())


def find(model, token: str, *options):
    return db.session.execute(
        sa.select(model).where(model.token_hash == hash_token(token)).options(*options)
    ).scalar()


def is_open(invitation) -> bool:
    return invitation.accepted_at is None and invitation.expires_at > utcnow()


def still_open(model):
    """The SQL condition of ``is_open``."""
    return sa.and_(model.accepted_at.is_(None), model.expires_at > utcnow())


def use(invitation, user) -> bool:
    """Mark ``invitation`` used by ``user``; False when someone used it first."""
    model = type(invitation)
    used = db.session.execute(
        sa.update(model)
        .where(model.id == invitation.id, model.accepted_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(invitation, ["accepted_at", "accepted_by_id"])
    return used.rowcount == 1

"""Changes to Werkplaatsen: their description and their admins. Services never commit."""

import sqlalchemy as sa

from leerkring.accounts.models import User
from leerkring.extensions import db
from leerkring.werkplaatsen.models import Werkplaats


class NoSuchAccount(Exception):
    """No account has this e-mail address."""


class AlreadyAdmin(Exception):
    """The account already administers this Werkplaats."""


def update_description(werkplaats: Werkplaats, description: str) -> None:
    werkplaats.description = description.strip()


def appoint_admin(werkplaats: Werkplaats, email: str) -> User:
    """Make the account with ``email`` an admin of ``werkplaats``."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NoSuchAccount
    if user in werkplaats.admins:
        raise AlreadyAdmin
    werkplaats.admins.append(user)
    db.session.flush()
    return user


def remove_admin(werkplaats: Werkplaats, user: User) -> None:
    if user in werkplaats.admins:
        werkplaats.admins.remove(user)
        db.session.flush()

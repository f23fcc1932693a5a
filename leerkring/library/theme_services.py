"""Changes to someone's place in a theme group: following it, being shown on its page, and the
role the association gives them. Services never commit."""

import sqlalchemy as sa

from leerkring.accounts.models import User
from leerkring.extensions import db
from leerkring.library.models import ThemePerson, ThemeRole
from leerkring.werkplaatsen.models import Theme


class NoSuchAccount(Exception):
    """No account has this e-mail address."""


def place_of(theme: Theme, user) -> ThemePerson:
    """``user``'s row in the theme group, made (following nothing, shown nowhere) if absent."""
    person = db.session.execute(
        sa.select(ThemePerson).where(ThemePerson.theme_id == theme.id,
                                     ThemePerson.user_id == user.id)
    ).scalar()
    if person is None:
        person = ThemePerson(theme_id=theme.id, user_id=user.id, role=ThemeRole.MEMBER,
                             follows=False, is_visible=False)
        db.session.add(person)
    return person


def _tidy(person: ThemePerson) -> None:
    """A row that says nothing any more goes."""
    if person.role == ThemeRole.MEMBER and not person.follows and not person.is_visible:
        if person in db.session.new:
            db.session.expunge(person)
        else:
            db.session.delete(person)
    db.session.flush()


def set_following(theme: Theme, user, follows: bool) -> None:
    person = place_of(theme, user)
    person.follows = follows
    _tidy(person)


def set_visible(theme: Theme, user, visible: bool) -> None:
    person = place_of(theme, user)
    person.is_visible = visible
    _tidy(person)


def name_role(theme: Theme, email: str, role: ThemeRole) -> User:
    """Give the account with ``email`` its ``role`` in the theme group. An ambassador or content
    expert is there to be found, so naming one shows them on the page (they may hide again)."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NoSuchAccount
    person = place_of(theme, user)
    person.role = role
    if role != ThemeRole.MEMBER:
        person.is_visible = True
    _tidy(person)
    return user

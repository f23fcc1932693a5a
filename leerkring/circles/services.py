"""Changes to circles and their memberships. Services never commit; the caller does, once."""

from datetime import UTC, datetime

import sqlalchemy as sa

from leerkring.circles.models import Circle, CircleRole, Membership
from leerkring.extensions import db


class CircleFull(Exception):
    """No place is left in the circle."""


def add_member(circle: Circle, user, role: CircleRole = CircleRole.MEMBER) -> Membership:
    """Give ``user`` a place in ``circle``, or raise ``CircleFull``.

    ``member_count`` is kept on the circle so that taking a place is one conditional UPDATE: two
    people asking for the last place at the same moment can never both get it, and "has room" is
    an indexed filter on the circle list.
    """
    taken = db.session.execute(
        sa.update(Circle)
        .where(
            Circle.id == circle.id,
            sa.or_(Circle.max_members.is_(None), Circle.member_count < Circle.max_members),
        )
        .values(member_count=Circle.member_count + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise CircleFull
    membership = Membership(circle=circle, user=user, role=role, joined_at=datetime.now(UTC))
    db.session.add(membership)
    db.session.flush()
    db.session.expire(circle, ["member_count"])
    return membership


def remove_member(membership: Membership) -> None:
    """Free the place ``membership`` held."""
    circle = membership.circle
    db.session.delete(membership)
    db.session.execute(
        sa.update(Circle)
        .where(Circle.id == circle.id)
        .values(member_count=Circle.member_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.expire(circle, ["member_count"])

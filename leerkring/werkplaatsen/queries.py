"""What the Werkplaatsen and theme pages read: visible circles and grouped counts.

Which circles someone may find is ``permissions.visible_circles``. Every page asks a fixed number
of queries whatever the data size: counts are grouped in SQL and lists are paginated with their
Werkplaats and theme loaded in the same statement.
"""

from itertools import groupby

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from leerkring.accounts.models import User
from leerkring.circles.models import Circle
from leerkring.extensions import db
from leerkring.permissions import visible_circles
from leerkring.web import paginate
from leerkring.werkplaatsen.models import Theme, Werkplaats, WerkplaatsKind


def _belongs_to(werkplaats: Werkplaats) -> sa.ColumnElement[bool]:
    """The association's circles are the national ones (no Werkplaats) and its own."""
    if werkplaats.is_association:
        return sa.or_(Circle.werkplaats_id.is_(None), Circle.werkplaats_id == werkplaats.id)
    return Circle.werkplaats_id == werkplaats.id


# Werkplaatsen -------------------------------------------------------------------------------


def all_werkplaatsen() -> list[Werkplaats]:
    return list(db.session.scalars(sa.select(Werkplaats).order_by(Werkplaats.name)))


def circle_counts_by_werkplaats(user, association_id: int | None) -> dict[int, int]:
    """Active circles ``user`` can see, per Werkplaats; national ones count for the association."""
    owner = sa.func.coalesce(Circle.werkplaats_id, association_id)
    rows = db.session.execute(
        sa.select(owner, sa.func.count()).where(visible_circles(user)).group_by(owner)
    )
    return dict(rows.all())


def member_counts_by_werkplaats() -> dict[int, int]:
    """People whose home Werkplaats it is."""
    rows = db.session.execute(
        sa.select(User.home_werkplaats_id, sa.func.count())
        .where(User.home_werkplaats_id.is_not(None))
        .group_by(User.home_werkplaats_id)
    )
    return dict(rows.all())


def werkplaats_overview(user) -> tuple[list[tuple], tuple | None]:
    """Rows of (Werkplaats, active circles, members): the regional ones, and the association."""
    werkplaatsen = all_werkplaatsen()
    association = next((w for w in werkplaatsen if w.kind == WerkplaatsKind.ASSOCIATION), None)
    circles = circle_counts_by_werkplaats(user, association.id if association else None)
    members = member_counts_by_werkplaats()

    def row(werkplaats):
        return werkplaats, circles.get(werkplaats.id, 0), members.get(werkplaats.id, 0)

    regional = [row(w) for w in werkplaatsen if w is not association]
    return regional, row(association) if association else None


def werkplaats_circles(werkplaats: Werkplaats, user, page: int):
    """One page of the circles of ``werkplaats`` that ``user`` can see, by name."""
    query = (
        sa.select(Circle)
        .options(joinedload(Circle.theme), joinedload(Circle.werkplaats))
        .where(_belongs_to(werkplaats), visible_circles(user))
        .order_by(Circle.name, Circle.id)
    )
    return paginate(query, page=page)


# Themes -------------------------------------------------------------------------------------


def all_themes() -> list[Theme]:
    return list(db.session.scalars(sa.select(Theme).order_by(Theme.is_programme, Theme.id)))


def circle_counts_by_theme(user) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Circle.theme_id, sa.func.count())
        .where(Circle.theme_id.is_not(None), visible_circles(user))
        .group_by(Circle.theme_id)
    )
    return dict(rows.all())


def theme_circles(theme: Theme, user, page: int):
    """One page of the visible circles on ``theme``: national ones first, then by Werkplaats."""
    query = (
        sa.select(Circle)
        .outerjoin(Circle.werkplaats)
        .options(contains_eager(Circle.werkplaats), joinedload(Circle.theme))
        .where(Circle.theme_id == theme.id, visible_circles(user))
        .order_by(
            Circle.werkplaats_id.is_not(None), Werkplaats.name, Circle.name, Circle.id
        )
    )
    return paginate(query, page=page)


def group_by_werkplaats(circles) -> list[tuple[Werkplaats | None, list[Circle]]]:
    """Consecutive circles of one Werkplaats together; ``None`` for national circles."""
    return [
        (group[0].werkplaats, group)
        for group in (list(g) for _key, g in groupby(circles, key=lambda c: c.werkplaats_id))
    ]

"""Read-only selects for finding visits: the list, its filters, the map's counts and the
suggestions. Each is one query (plus one per eager-loaded collection), whatever the size."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from leerkring.circles.models import Circle, Membership
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.visits.models import Visit, VisitAudience, VisitStatus, visit_themes
from leerkring.werkplaatsen.models import Theme, Werkplaats, WerkplaatsKind


def is_open():
    """Published and not yet begun: a visit one can still go to."""
    return sa.and_(Visit.status == VisitStatus.PUBLISHED, Visit.starts_at > utcnow())


def month_bounds(month: date, zone: str) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the month after, in ``zone``, as UTC."""
    tz = ZoneInfo(zone)
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    following = datetime(
        month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=tz
    )
    return start.astimezone(UTC), following.astimezone(UTC)


def visit_list(
    *, theme="", werkplaats="", month=None, zone="Europe/Amsterdam", has_places=False, audience=""
) -> sa.Select:
    """Open visits, soonest first, filtered; ``theme`` and ``werkplaats`` are slugs, ``month``
    a date in the month wanted (in ``zone``), ``audience`` an Audience value."""
    query = (
        sa.select(Visit)
        .where(is_open())
        .options(
            joinedload(Visit.werkplaats),
            selectinload(Visit.themes),
            selectinload(Visit.audiences),
        )
        .order_by(Visit.starts_at, Visit.id)
    )
    if theme:
        query = query.where(Visit.themes.any(Theme.slug == theme))
    if werkplaats:
        query = query.where(Visit.werkplaats.has(Werkplaats.slug == werkplaats))
    if month is not None:
        start, end = month_bounds(month, zone)
        query = query.where(Visit.starts_at >= start, Visit.starts_at < end)
    if has_places:
        query = query.where(
            sa.or_(Visit.max_places.is_(None), Visit.places_taken < Visit.max_places)
        )
    if audience:
        query = query.where(
            sa.exists().where(
                VisitAudience.visit_id == Visit.id, VisitAudience.audience == audience
            )
        )
    return query


def open_counts() -> list[tuple[Werkplaats, int]]:
    """Every regional Werkplaats with its number of open visits, in one grouped query."""
    rows = db.session.execute(
        sa.select(Werkplaats, sa.func.count(Visit.id))
        .outerjoin(Visit, sa.and_(Visit.werkplaats_id == Werkplaats.id, is_open()))
        .where(Werkplaats.kind == WerkplaatsKind.WERKPLAATS)
        .group_by(Werkplaats.id)
        .order_by(Werkplaats.name)
    )
    return [(werkplaats, count) for werkplaats, count in rows]


def suggested(user, limit: int = 4) -> list[Visit]:
    """Open visits on the themes of ``user``'s circles, hosted outside their own Werkplaats."""
    my_themes = (
        sa.select(Circle.theme_id)
        .join(Membership, Membership.circle_id == Circle.id)
        .where(
            Membership.user_id == user.id,
            Circle.theme_id.is_not(None),
            Circle.archived_at.is_(None),
        )
    )
    on_my_themes = sa.exists().where(
        visit_themes.c.visit_id == Visit.id, visit_themes.c.theme_id.in_(my_themes)
    )
    query = sa.select(Visit).where(is_open(), on_my_themes)
    if user.home_werkplaats_id is not None:
        query = query.where(Visit.werkplaats_id != user.home_werkplaats_id)
    return list(
        db.session.execute(
            query.options(joinedload(Visit.werkplaats))
            .order_by(Visit.starts_at, Visit.id)
            .limit(limit)
        ).scalars()
    )

"""What the theme pages read: the next meetings of the theme's circles, the coming visits and
the newest library items on it, its visible people, and what a follower missed this week. Each
is one query (plus one count for a paginated list), whatever the numbers."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from leerkring.accounts.models import User
from leerkring.circles.models import Circle
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.library.models import (
    ItemStatus,
    LibraryItem,
    ThemePerson,
    ThemeRole,
    library_item_themes,
)
from leerkring.meetings.models import Meeting, MeetingStatus
from leerkring.permissions import visible_circles
from leerkring.visits.models import Visit, VisitStatus, visit_themes
from leerkring.web import paginate
from leerkring.werkplaatsen.models import Theme

#: How many meetings, visits and library items a theme page lists.
SHOWN = 5


def upcoming_meetings(theme: Theme, user, limit: int = SHOWN) -> list[Meeting]:
    """The next scheduled meetings of the theme's circles that ``user`` can see, across the
    Werkplaatsen, with their circle and its Werkplaats."""
    return list(db.session.execute(
        sa.select(Meeting)
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(
            Circle.theme_id == theme.id,
            visible_circles(user),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.ends_at > utcnow(),
        )
        .options(contains_eager(Meeting.circle).joinedload(Circle.werkplaats))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    ).scalars())


def coming_visits(theme: Theme, limit: int = SHOWN) -> list[Visit]:
    """Published visits on the theme that have not begun, soonest first."""
    return list(db.session.execute(
        sa.select(Visit)
        .join(visit_themes, visit_themes.c.visit_id == Visit.id)
        .where(
            visit_themes.c.theme_id == theme.id,
            Visit.status == VisitStatus.PUBLISHED,
            Visit.starts_at > utcnow(),
        )
        .options(joinedload(Visit.werkplaats))
        .order_by(Visit.starts_at, Visit.id)
        .limit(limit)
    ).scalars())


def newest_items(theme: Theme, user, limit: int = SHOWN) -> list[LibraryItem]:
    """Published library items on the theme, newest first; without signing in, the public ones."""
    query = (
        sa.select(LibraryItem)
        .join(library_item_themes, library_item_themes.c.item_id == LibraryItem.id)
        .where(library_item_themes.c.theme_id == theme.id,
               LibraryItem.status == ItemStatus.PUBLISHED)
        .order_by(LibraryItem.published_at.desc(), LibraryItem.id.desc())
        .limit(limit)
    )
    if not user.is_authenticated:
        query = query.where(LibraryItem.is_public.is_(True))
    return list(db.session.execute(query).scalars())


#: Ambassadors first, then content experts, then the other members.
_ROLE_ORDER = sa.case(
    (ThemePerson.role == ThemeRole.AMBASSADOR, 0),
    (ThemePerson.role == ThemeRole.CONTENT_EXPERT, 1),
    else_=2,
)


def visible_people(theme: Theme, page: int | None = None):
    """One page of the people who show themselves on the theme's page, with their Werkplaats."""
    return paginate(
        sa.select(ThemePerson)
        .join(ThemePerson.user)
        .where(ThemePerson.theme_id == theme.id, ThemePerson.is_visible.is_(True))
        .options(contains_eager(ThemePerson.user).joinedload(User.home_werkplaats))
        .order_by(_ROLE_ORDER, User.name, ThemePerson.id),
        page=page,
    )


def theme_person(theme: Theme, user) -> ThemePerson | None:
    """``user``'s place in the theme group, if they have one."""
    if not user.is_authenticated:
        return None
    return db.session.execute(
        sa.select(ThemePerson).where(ThemePerson.theme_id == theme.id,
                                     ThemePerson.user_id == user.id)
    ).scalar()


def followed_themes(user) -> list[Theme]:
    """The themes ``user`` follows, by name."""
    return list(db.session.execute(
        sa.select(Theme)
        .join(ThemePerson, ThemePerson.theme_id == Theme.id)
        .where(ThemePerson.user_id == user.id, ThemePerson.follows.is_(True))
        .order_by(Theme.name)
    ).scalars())


def new_on_followed_themes(user, since: datetime, until: datetime, limit: int) -> list[tuple]:
    """Library items published and visits published (created) between ``since`` and ``until``
    on the themes ``user`` follows (visits only while still to come at ``until``): rows of (kind,
    id, title, moment, theme name), one per item and theme, newest first, in one query. ``kind``
    is "item" or "visit"; a visit's moment is its start."""
    followed = sa.select(ThemePerson.theme_id).where(
        ThemePerson.user_id == user.id, ThemePerson.follows.is_(True)
    )
    items = (
        sa.select(
            sa.literal("item").label("kind"), LibraryItem.id.label("id"),
            LibraryItem.title.label("title"), LibraryItem.published_at.label("moment"),
            LibraryItem.published_at.label("news_at"), Theme.name.label("theme"),
        )
        .join(library_item_themes, library_item_themes.c.item_id == LibraryItem.id)
        .join(Theme, Theme.id == library_item_themes.c.theme_id)
        .where(
            library_item_themes.c.theme_id.in_(followed),
            LibraryItem.status == ItemStatus.PUBLISHED,
            LibraryItem.published_at >= since,
            LibraryItem.published_at < until,
        )
    )
    visits = (
        sa.select(
            sa.literal("visit").label("kind"), Visit.id.label("id"), Visit.title.label("title"),
            Visit.starts_at.label("moment"), Visit.created_at.label("news_at"),
            Theme.name.label("theme"),
        )
        .join(visit_themes, visit_themes.c.visit_id == Visit.id)
        .join(Theme, Theme.id == visit_themes.c.theme_id)
        .where(
            visit_themes.c.theme_id.in_(followed),
            Visit.status == VisitStatus.PUBLISHED,
            Visit.created_at >= since,
            Visit.created_at < until,
            Visit.starts_at > until,
        )
    )
    news = sa.union_all(items, visits).subquery()
    return db.session.execute(
        sa.select(news.c.kind, news.c.id, news.c.title, news.c.moment, news.c.theme)
        .order_by(news.c.news_at.desc(), news.c.kind, news.c.id, news.c.theme)
        .limit(limit)
    ).all()

"""The impact figures as grouped counts: per Werkplaats or per theme, over a period, for
everything or only the circles one coordinates. One or two queries per table, whatever the
number of circles, meetings, people or items.

What counts:
- a meeting held: not cancelled, begun within the period; a circle is active when it held one;
- attendance: the people marked present at those meetings, and the meetings' length added up
  for each of them;
- a case discussed: shared (not a draft), and shared within the period or on the agenda of a
  meeting held in it; a case closed: closed within the period;
- a reflection: written within the period and belonging to a circle;
- a kitchen visit: published and begun within the period, with the people who had a place;
- a library item: published within the period; brought into a circle: put on one of its
  meetings' agendas within the period.

Circles, cases, reflections and placements count by their circle's Werkplaats (None: a national
circle) or theme (None: none). Visits count by the host's Werkplaats or by each of their themes,
library items by each of their Werkplaatsen (None: national) or themes."""

import enum
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from leerkring.circles.models import Circle, CircleRole, Membership
from leerkring.extensions import db
from leerkring.library.models import (
    ItemPlacement,
    ItemStatus,
    LibraryItem,
    library_item_themes,
    library_item_werkplaatsen,
)
from leerkring.meetings.models import Attendance, Meeting, MeetingStatus
from leerkring.notes.models import CaseNote, CaseStatus, Reflection
from leerkring.visits.models import Visit, VisitSignup, VisitStatus, visit_themes
from leerkring.visits.overview_queries import Period


class Per(enum.StrEnum):
    """What the figures are grouped by."""

    WERKPLAATS = "werkplaats"
    THEME = "theme"


@dataclass(frozen=True)
class Scope:
    """Whose figures: everything, or only the circles ``coordinator_id`` coordinates."""

    coordinator_id: int | None = None

    @property
    def is_whole(self) -> bool:
        return self.coordinator_id is None

    def circle_conditions(self) -> list:
        if self.is_whole:
            return []
        return [Circle.id.in_(
            sa.select(Membership.circle_id).where(
                Membership.user_id == self.coordinator_id,
                Membership.role == CircleRole.COORDINATOR,
            )
        )]


@dataclass
class Figures:
    """Measure → number, per group key (a Werkplaats' or theme's id, or None) and in total."""

    by_group: dict[int | None, dict[str, float]]
    total: dict[str, float]

    def merge(self, other: "Figures") -> "Figures":
        by_group = {key: dict(values) for key, values in self.by_group.items()}
        for key, values in other.by_group.items():
            by_group.setdefault(key, {}).update(values)
        return Figures(by_group, {**self.total, **other.total})


class minutes_between(sa.sql.functions.FunctionElement):
    """The minutes from one instant to another, computed by the database."""

    type = sa.Float()
    inherit_cache = True
    name = "minutes_between"


@compiles(minutes_between)
def _minutes_between(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0)"


@compiles(minutes_between, "sqlite")
def _minutes_between_sqlite(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 1440.0)"


def _within(column, period: Period):
    return sa.and_(column >= period.start, column < period.end)


def _count_if(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _circle_key(per: Per):
    return Circle.werkplaats_id if per == Per.WERKPLAATS else Circle.theme_id


def _figures(rows_of: Callable[[bool], sa.Select], key, columns, *,
             total_from_query: bool) -> Figures:
    """``columns`` over ``rows_of(grouped)`` per ``key``, and in total: counted again when a
    row may count in several groups or a count is of distinct people, else added up."""
    names = [column.name for column in columns]
    rows = db.session.execute(rows_of(True).add_columns(key, *columns).group_by(key)).all()
    by_group = {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}
    if total_from_query:
        total = dict(zip(names, db.session.execute(
            rows_of(False).add_columns(*columns)).one(), strict=True))
    else:
        total = {name: sum(values[name] for values in by_group.values()) for name in names}
    return Figures(by_group, total)


def meetings(period: Period, per: Per, scope: Scope) -> Figures:
    """Active circles, meetings held, people present and the minutes they were there."""
    columns = (
        sa.func.count(sa.distinct(Circle.id)).label("active_circles"),
        sa.func.count(sa.distinct(Meeting.id)).label("meetings"),
        sa.func.count(sa.distinct(Attendance.user_id)).label("people"),
        sa.func.coalesce(sa.func.sum(sa.case(
            (Attendance.id.is_not(None), minutes_between(Meeting.starts_at, Meeting.ends_at)),
            else_=0,
        )), 0).label("minutes"),
    )

    def held(grouped):
        return (
            sa.select()
            .select_from(Meeting)
            .join(Circle, Circle.id == Meeting.circle_id)
            .outerjoin(Attendance, sa.and_(
                Attendance.meeting_id == Meeting.id, Attendance.is_present.is_(True)
            ))
            .where(
                Meeting.status != MeetingStatus.CANCELLED,
                _within(Meeting.starts_at, period),
                *scope.circle_conditions(),
            )
        )

    figures = _figures(held, _circle_key(per), columns, total_from_query=True)
    for values in (*figures.by_group.values(), figures.total):
        values["hours"] = round(float(values.pop("minutes")) / 60, 1)
    return figures


def cases(period: Period, per: Per, scope: Scope) -> Figures:
    """Cases discussed and cases closed."""
    held = sa.and_(Meeting.status != MeetingStatus.CANCELLED, _within(Meeting.starts_at, period))
    discussed = sa.or_(_within(CaseNote.shared_at, period), held)
    closed = _within(CaseNote.closed_at, period)
    columns = (
        _count_if(discussed).label("cases_discussed"),
        _count_if(closed).label("cases_closed"),
    )

    def counted(grouped):
        return (
            sa.select()
            .select_from(CaseNote)
            .join(Circle, Circle.id == CaseNote.circle_id)
            .outerjoin(Meeting, Meeting.id == CaseNote.meeting_id)
            .where(
                CaseNote.status != CaseStatus.DRAFT,
                sa.or_(discussed, closed),
                *scope.circle_conditions(),
            )
        )

    return _figures(counted, _circle_key(per), columns, total_from_query=False)


def reflections(period: Period, per: Per, scope: Scope) -> Figures:
    """Reflections written in the circles."""

    def written(grouped):
        return (
            sa.select()
            .select_from(Reflection)
            .join(Circle, Circle.id == Reflection.circle_id)
            .where(_within(Reflection.created_at, period), *scope.circle_conditions())
        )

    columns = (sa.func.count(Reflection.id).label("reflections"),)
    return _figures(written, _circle_key(per), columns, total_from_query=False)


def visits(period: Period, per: Per) -> Figures:
    """Kitchen visits held and the different people who had a place at them."""
    columns = (
        sa.func.count(sa.distinct(Visit.id)).label("visits"),
        sa.func.count(sa.distinct(VisitSignup.user_id)).label("visitors"),
    )

    def held(grouped):
        query = (
            sa.select()
            .select_from(Visit)
            .outerjoin(VisitSignup, sa.and_(
                VisitSignup.visit_id == Visit.id, VisitSignup.has_place.is_(True)
            ))
            .where(Visit.status == VisitStatus.PUBLISHED, _within(Visit.starts_at, period))
        )
        if grouped and per == Per.THEME:
            query = query.outerjoin(visit_themes, visit_themes.c.visit_id == Visit.id)
        return query

    key = Visit.werkplaats_id if per == Per.WERKPLAATS else visit_themes.c.theme_id
    return _figures(held, key, columns, total_from_query=True)


def library(period: Period, per: Per, scope: Scope) -> Figures:
    """Library items published (for the whole picture only) and the times items were brought
    into circles."""
    brought = _placements(period, per, scope)
    if not scope.is_whole:
        return brought
    link = library_item_werkplaatsen if per == Per.WERKPLAATS else library_item_themes
    key = link.c.werkplaats_id if per == Per.WERKPLAATS else link.c.theme_id
    columns = (sa.func.count(sa.distinct(LibraryItem.id)).label("published"),)

    def published(grouped):
        query = sa.select().select_from(LibraryItem).where(
            LibraryItem.status == ItemStatus.PUBLISHED, _within(LibraryItem.published_at, period)
        )
        if grouped:
            query = query.outerjoin(link, link.c.item_id == LibraryItem.id)
        return query

    return _figures(published, key, columns, total_from_query=True).merge(brought)


def _placements(period: Period, per: Per, scope: Scope) -> Figures:
    def placed(grouped):
        return (
            sa.select()
            .select_from(ItemPlacement)
            .join(Circle, Circle.id == ItemPlacement.circle_id)
            .where(_within(ItemPlacement.placed_at, period), *scope.circle_conditions())
        )

    columns = (sa.func.count(ItemPlacement.id).label("brought"),)
    return _figures(placed, _circle_key(per), columns, total_from_query=False)


def coordinated_circles(user_id: int) -> list[Circle]:
    """The circles a coordinator's figures cover, by name."""
    return list(db.session.execute(
        sa.select(Circle)
        .join(Membership, Membership.circle_id == Circle.id)
        .where(Membership.user_id == user_id, Membership.role == CircleRole.COORDINATOR)
        .order_by(Circle.name)
    ).scalars())

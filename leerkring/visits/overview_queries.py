"""The association's overview of visits between Werkplaatsen: who visited whom, how often and on
which themes. Three grouped queries and the Werkplaatsen' names, whatever the number of visits.

What counts: a visitor with a place at a published visit that began within the period. The
visitor's Werkplaats is their home Werkplaats (None: no Werkplaats); the host's is the visit's."""

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from leerkring.accounts.models import User
from leerkring.extensions import db
from leerkring.visits.models import Visit, VisitSignup, VisitStatus, visit_themes
from leerkring.werkplaatsen.models import Theme, Werkplaats, WerkplaatsKind

#: The periods one can choose, in months ending today.
PERIODS = (3, 6, 12, 24)
DEFAULT_PERIOD = 12


@dataclass(frozen=True)
class Period:
    """From the first moment of ``first_day`` (in the user's zone) until ``end`` (now)."""

    months: int
    first_day: date
    last_day: date
    start: datetime
    end: datetime


def period_ending(now: datetime, months: int, zone: str) -> Period:
    """The ``months`` months up to ``now``: from the same day ``months`` months ago, in ``zone``."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    first_day = date(year, month, min(today.day, monthrange(year, month)[1]))
    start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=tz).astimezone(UTC)
    return Period(months=months, first_day=first_day, last_day=today, start=start, end=now)


@dataclass
class Flow:
    """Visitors from one Werkplaats (None: without one) to visits hosted by another."""

    source: Werkplaats | None
    target: Werkplaats
    visitors: int
    visits: int
    #: (theme name, number of these visits on it), most frequent first.
    themes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def is_internal(self) -> bool:
        """Visits within one's own Werkplaats."""
        return self.source is not None and self.source.id == self.target.id


@dataclass
class Overview:
    flows: list[Flow]
    #: The matrix' rows: the Werkplaatsen of visitors, with None (no Werkplaats) last if any.
    sources: list[Werkplaats | None]
    #: The matrix' columns: the host Werkplaatsen.
    targets: list[Werkplaats]
    #: Distinct visits (a visit with visitors from two Werkplaatsen counts once).
    visits: int

    def __post_init__(self):
        self._cells = {(_id(flow.source), flow.target.id): flow for flow in self.flows}

    def cell(self, source: Werkplaats | None, target: Werkplaats) -> Flow | None:
        return self._cells.get((_id(source), target.id))

    def row_total(self, source: Werkplaats | None) -> int:
        return sum(f.visitors for f in self.flows if _id(f.source) == _id(source))

    def column_total(self, target: Werkplaats) -> int:
        return sum(f.visitors for f in self.flows if f.target.id == target.id)

    @property
    def visitors(self) -> int:
        return sum(f.visitors for f in self.flows)

    def top(self, count: int = 10) -> list[Flow]:
        return self.flows[:count]


def _id(werkplaats: Werkplaats | None) -> int | None:
    return None if werkplaats is None else werkplaats.id


def _counted(period: Period, theme: str):
    """The sign-ups that count: a place at a published visit begun within the period."""
    conditions = [
        VisitSignup.has_place.is_(True),
        Visit.status == VisitStatus.PUBLISHED,
        Visit.starts_at >= period.start,
        Visit.starts_at < period.end,
    ]
    if theme:
        conditions.append(Visit.themes.any(Theme.slug == theme))
    return conditions


def _signups():
    return (
        sa.select()
        .select_from(VisitSignup)
        .join(Visit, Visit.id == VisitSignup.visit_id)
        .join(User, User.id == VisitSignup.user_id)
    )


def overview(period: Period, theme: str = "") -> Overview:
    """The flows between Werkplaatsen in ``period``, optionally only visits on ``theme`` (a
    slug), most visitors first."""
    source_id, target_id = User.home_werkplaats_id, Visit.werkplaats_id
    conditions = _counted(period, theme)
    counts = db.session.execute(
        _signups()
        .add_columns(
            source_id,
            target_id,
            sa.func.count(VisitSignup.id),
            sa.func.count(sa.distinct(Visit.id)),
        )
        .where(*conditions)
        .group_by(source_id, target_id)
    ).all()
    theme_counts = db.session.execute(
        _signups()
        .join(visit_themes, visit_themes.c.visit_id == Visit.id)
        .join(Theme, Theme.id == visit_themes.c.theme_id)
        .add_columns(source_id, target_id, Theme.name, sa.func.count(sa.distinct(Visit.id)))
        .where(*conditions)
        .group_by(source_id, target_id, Theme.id, Theme.name)
    ).all()
    total_visits = db.session.execute(
        _signups().add_columns(sa.func.count(sa.distinct(Visit.id))).where(*conditions)
    ).scalar_one()
    werkplaatsen = {
        w.id: w
        for w in db.session.execute(sa.select(Werkplaats).order_by(Werkplaats.name)).scalars()
    }

    themes = defaultdict(list)
    for source, target, name, visits in theme_counts:
        themes[source, target].append((name, visits))
    flows = [
        Flow(
            source=werkplaatsen.get(source) if source is not None else None,
            target=werkplaatsen[target],
            visitors=visitors,
            visits=visits,
            themes=sorted(themes[source, target], key=lambda item: (-item[1], item[0])),
        )
        for source, target, visitors, visits in counts
    ]
    flows.sort(key=lambda f: (-f.visitors, -f.visits, _name(f.source), f.target.name))

    seen = {f.target.id for f in flows} | {f.source.id for f in flows if f.source is not None}
    shown = [
        w for w in werkplaatsen.values()
        if w.kind == WerkplaatsKind.WERKPLAATS or w.id in seen
    ]
    sources = shown + ([None] if any(f.source is None for f in flows) else [])
    return Overview(flows=flows, sources=sources, targets=shown, visits=total_visits)


def _name(werkplaats: Werkplaats | None) -> str:
    return "" if werkplaats is None else werkplaats.name

"""The impact page's tables: the measures each holds, its rows (Werkplaatsen or themes) with a
total, its CSV rows and its charts. Counts of people pass ``small_counts.people`` everywhere."""

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_decimal, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from leerkring.extensions import db
from leerkring.impact import queries
from leerkring.impact.charts import Chart, bar_chart
from leerkring.impact.queries import Figures, Per, Scope
from leerkring.impact.small_counts import is_suppressed, people
from leerkring.visits.overview_queries import Period
from leerkring.werkplaatsen.models import Theme, Werkplaats, WerkplaatsKind


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    #: What is counted, in a sentence.
    explanation: str
    #: A count of people: fewer than five is shown as "<5".
    is_people: bool = False
    is_hours: bool = False
    #: Not about circles, so only in the whole picture (not for a coordinator's circles).
    is_whole_only: bool = False
    has_chart: bool = False

    def value(self, number) -> int | float | str:
        """As it may be shown, e.g. in the CSV: a number, or "<5"."""
        number = number or 0
        if self.is_people:
            return people(int(number))
        if self.is_hours:
            return round(float(number), 1)
        return int(number)

    def text(self, number) -> str:
        value = self.value(number)
        if isinstance(value, str):
            return value
        if self.is_hours:
            return format_decimal(value, format="#,##0.0")
        return format_number(value)

    def drawn(self, number) -> float | None:
        """The bar's length, or None when it may not be drawn."""
        number = number or 0
        return None if self.is_people and is_suppressed(int(number)) else float(number)


ACTIVE_CIRCLES = Measure(
    "active_circles", _l("Active circles"),
    _l("Circles that held at least one meeting in the period."))
MEETINGS = Measure(
    "meetings", _l("Meetings held"),
    _l("Meetings that began in the period and were not cancelled."), has_chart=True)
PEOPLE = Measure(
    "people", _l("People present"),
    _l("Different people marked present at those meetings."), is_people=True, has_chart=True)
HOURS = Measure(
    "hours", _l("Hours present"),
    _l("The length of each of those meetings, added up for every person present."),
    is_hours=True)
CASES_DISCUSSED = Measure(
    "cases_discussed", _l("Cases discussed"),
    _l("Cases shared with the circle in the period, or on the agenda of a meeting held in it."),
    has_chart=True)
CASES_CLOSED = Measure(
    "cases_closed", _l("Cases closed"), _l("Cases their author closed in the period."))
REFLECTIONS = Measure(
    "reflections", _l("Reflections written"),
    _l("Reflections written in the period that belong to a circle."), has_chart=True)
VISITS = Measure(
    "visits", _l("Kitchen visits held"),
    _l("Published kitchen visits that began in the period, by the host's Werkplaats or by "
       "theme (a visit on two themes counts for both)."),
    is_whole_only=True)
VISITORS = Measure(
    "visitors", _l("Visitors"),
    _l("Different people who had a place at those visits."),
    is_people=True, is_whole_only=True, has_chart=True)
PUBLISHED = Measure(
    "published", _l("Library items published"),
    _l("Items published in the library in the period, by their Werkplaats (none: national) "
       "or theme; an item of two counts for both."),
    is_whole_only=True, has_chart=True)
BROUGHT = Measure(
    "brought", _l("Brought into circles"),
    _l("The times a library item was put on the agenda of a circle's meeting in the period, "
       "by that circle's Werkplaats or theme."),
    has_chart=True)


@dataclass(frozen=True)
class TableKind:
    """One table of the page, with its CSV at /impact/<name>.csv."""

    name: str
    title: str
    measures: tuple[Measure, ...]
    count: Callable[[Period, Per, Scope], Figures]

    def measures_for(self, scope: Scope) -> list[Measure]:
        return [m for m in self.measures if scope.is_whole or not m.is_whole_only]

    def is_shown_to(self, scope: Scope) -> bool:
        return bool(self.measures_for(scope))


TABLES = {
    kind.name: kind
    for kind in (
        TableKind("circles", _l("Circles and meetings"),
                  (ACTIVE_CIRCLES, MEETINGS, PEOPLE, HOURS), queries.meetings),
        TableKind("cases", _l("Cases and reflections"),
                  (CASES_DISCUSSED, CASES_CLOSED, REFLECTIONS),
                  lambda period, per, scope: queries.cases(period, per, scope).merge(
                      queries.reflections(period, per, scope))),
        TableKind("visits", _l("Kitchen visits"), (VISITS, VISITORS),
                  lambda period, per, scope: queries.visits(period, per)),
        TableKind("library", _l("Library"), (PUBLISHED, BROUGHT), queries.library),
    )
}


@dataclass(frozen=True)
class Group:
    """A row: a Werkplaats or theme (``key`` its id), or None: national circles and items, or
    no theme."""

    key: int | None
    name: str
    slug: str = ""
    #: Shown even without figures (the Werkplaatsen themselves, every theme); the association
    #: and "national" or "no theme" only when they have some.
    is_always_shown: bool = True


def load_groups(per: Per) -> list[Group]:
    """Every possible row, in order (one query)."""
    if per == Per.WERKPLAATS:
        places = db.session.execute(sa.select(Werkplaats).order_by(Werkplaats.name)).scalars()
        groups = [Group(w.id, w.name, w.slug, w.kind == WerkplaatsKind.WERKPLAATS)
                  for w in places]
        return [*groups, Group(None, _("National"), is_always_shown=False)]
    themes = db.session.execute(sa.select(Theme).order_by(Theme.name)).scalars()
    return [*(Group(t.id, t.name, t.slug) for t in themes),
            Group(None, _("No theme"), is_always_shown=False)]


@dataclass
class Table:
    kind: TableKind
    per: Per
    measures: list[Measure]
    groups: list[Group]
    figures: Figures

    @property
    def id(self) -> str:
        return f"impact-{self.kind.name}"

    @property
    def caption(self) -> str:
        if self.per == Per.WERKPLAATS:
            return _("%(table)s per Werkplaats", table=self.kind.title)
        return _("%(table)s per theme", table=self.kind.title)

    def number(self, group: Group, measure: Measure):
        return self.figures.by_group.get(group.key, {}).get(measure.key, 0)

    def total(self, measure: Measure):
        return self.figures.total.get(measure.key, 0)

    def header(self) -> list[str]:
        first = _("Werkplaats") if self.per == Per.WERKPLAATS else _("Theme")
        return [first, *(str(m.label) for m in self.measures)]

    def csv_rows(self) -> list[list]:
        rows = [[group.name, *(m.value(self.number(group, m)) for m in self.measures)]
                for group in self.groups]
        return [*rows, [_("Total"), *(m.value(self.total(m)) for m in self.measures)]]

    def charts(self) -> list[Chart]:
        """A chart per charted measure that has anything to draw."""
        return [self.chart(measure) for measure in self.measures
                if measure.has_chart and self.total(measure)]

    def chart(self, measure: Measure) -> Chart:
        if self.per == Per.WERKPLAATS:
            title = _("%(measure)s per Werkplaats", measure=measure.label)
            description = _(
                "One bar per Werkplaats with something to count, longer for a larger number, "
                "with the number after it. Counts of fewer than five people have no bar and "
                "say <5. The table “%(table)s” gives the numbers of every Werkplaats.",
                table=self.caption)
        else:
            title = _("%(measure)s per theme", measure=measure.label)
            description = _(
                "One bar per theme with something to count, longer for a larger number, with "
                "the number after it. Counts of fewer than five people have no bar and say <5. "
                "The table “%(table)s” gives the numbers of every theme.", table=self.caption)
        values = [
            (group.name, group.slug, measure.drawn(self.number(group, measure)),
             measure.text(self.number(group, measure)))
            for group in self.groups
            if self.number(group, measure)
        ]
        return bar_chart(f"{self.id}-{measure.key}", title, description, values)


def table(kind: TableKind, period: Period, per: Per, scope: Scope, groups: list[Group],
          circles=()) -> Table:
    """``kind``'s figures; for a coordinator (``circles``: theirs) the rows of their circles."""
    figures = kind.count(period, per, scope)
    if scope.is_whole:
        rows = [g for g in groups if g.is_always_shown or g.key in figures.by_group]
    else:
        keys = {c.werkplaats_id if per == Per.WERKPLAATS else c.theme_id for c in circles}
        rows = [g for g in groups if g.key in keys]
    return Table(kind, per, kind.measures_for(scope), rows, figures)


def tables(period: Period, per: Per, scope: Scope, circles=()) -> list[Table]:
    groups = load_groups(per)
    return [table(kind, period, per, scope, groups, circles)
            for kind in TABLES.values() if kind.is_shown_to(scope)]


# Flows between Werkplaatsen ----------------------------------------------------------------


@dataclass(frozen=True)
class FlowRow:
    source: str
    target: str
    visitors: int | str
    visits: int
    is_internal: bool


def flow_rows(overview) -> list[FlowRow]:
    """The visits overview's flows, largest first; those of fewer than five visitors (shown as
    "<5") by name, so their order gives nothing away."""
    def order(flow):
        shown = 0 if is_suppressed(flow.visitors) else flow.visitors
        return (-shown, flow.source.name if flow.source else "~", flow.target.name)

    return [
        FlowRow(
            source=flow.source.name if flow.source else _("No Werkplaats"),
            target=flow.target.name,
            visitors=people(flow.visitors),
            visits=flow.visits,
            is_internal=flow.is_internal,
        )
        for flow in sorted(overview.flows, key=order)
    ]

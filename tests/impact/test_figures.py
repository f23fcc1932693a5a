"""The impact figures against a world with known counts, the "<5" rule and the charts."""

from datetime import UTC, date, datetime

import pytest

from leerkring.impact import charts, queries
from leerkring.impact.charts import bar_chart
from leerkring.impact.forms import between
from leerkring.impact.queries import Per, Scope
from leerkring.impact.small_counts import is_suppressed, people
from leerkring.visits.overview_queries import period_ending
from tests import factories as f
from tests.impact import known
from tests.impact.known import days_ago

ZONE = "Europe/Amsterdam"


def last(months=12):
    return period_ending(datetime.now(UTC), months, ZONE)


def by_slug(figures, per: Per):
    """Group key → slug (None stays None), so assertions read as names."""
    def slug(key):
        if key is None:
            return None
        model = f.werkplaats if per == Per.WERKPLAATS else f.theme
        return next(s for s in SLUGS[per] if model(s).id == key)

    return {slug(key): values for key, values in figures.by_group.items()}


SLUGS = {Per.WERKPLAATS: ("twente", "zuyd", "friesland", "noord"),
         Per.THEME: ("armoede", "impact")}


@pytest.fixture
def world(app):
    return known.build()


def test_fewer_than_five_people_are_shown_as_less_than_five():
    assert [people(n) for n in range(7)] == [0, "<5", "<5", "<5", "<5", 5, 6]
    assert [is_suppressed(n) for n in (0, 1, 4, 5)] == [False, True, True, False]


def test_meetings_and_attendance_per_werkplaats(world):
    figures = queries.meetings(last(), Per.WERKPLAATS, Scope())
    assert by_slug(figures, Per.WERKPLAATS) == {
        "twente": {"active_circles": 2, "meetings": 3, "people": 9, "hours": 17.0},
        "zuyd": {"active_circles": 1, "meetings": 1, "people": 5, "hours": 5.0},
        None: {"active_circles": 1, "meetings": 1, "people": 0, "hours": 0.0},
    }
    # Someone present in both Werkplaatsen counts once in the total.
    assert figures.total == {"active_circles": 4, "meetings": 5, "people": 13, "hours": 22.0}


def test_meetings_and_attendance_per_theme(world):
    figures = queries.meetings(last(), Per.THEME, Scope())
    assert by_slug(figures, Per.THEME) == {
        "armoede": {"active_circles": 2, "meetings": 3, "people": 11, "hours": 20.0},
        "impact": {"active_circles": 1, "meetings": 1, "people": 2, "hours": 1.0 * 2},
        None: {"active_circles": 1, "meetings": 1, "people": 0, "hours": 0.0},
    }
    assert figures.total["people"] == 13


def test_cases_and_reflections(world):
    cases = by_slug(queries.cases(last(), Per.WERKPLAATS, Scope()), Per.WERKPLAATS)
    assert cases == {"twente": {"cases_discussed": 2, "cases_closed": 0},
                     "zuyd": {"cases_discussed": 0, "cases_closed": 1}}
    cases = queries.cases(last(), Per.THEME, Scope())
    assert by_slug(cases, Per.THEME) == {"armoede": {"cases_discussed": 2, "cases_closed": 1}}
    assert cases.total == {"cases_discussed": 2, "cases_closed": 1}
    reflections = queries.reflections(last(), Per.WERKPLAATS, Scope())
    assert by_slug(reflections, Per.WERKPLAATS) == {
        "twente": {"reflections": 2}, "zuyd": {"reflections": 1}}
    reflections = queries.reflections(last(), Per.THEME, Scope())
    assert by_slug(reflections, Per.THEME) == {
        "armoede": {"reflections": 2}, "impact": {"reflections": 1}}
    assert reflections.total == {"reflections": 3}


def test_kitchen_visits(world):
    visits = queries.visits(last(), Per.WERKPLAATS)
    assert by_slug(visits, Per.WERKPLAATS) == {
        "twente": {"visits": 2, "visitors": 6}, "zuyd": {"visits": 2, "visitors": 2}}
    assert visits.total == {"visits": 4, "visitors": 7}
    visits = queries.visits(last(), Per.THEME)
    assert by_slug(visits, Per.THEME) == {
        "armoede": {"visits": 2, "visitors": 6},
        "impact": {"visits": 2, "visitors": 7},
        None: {"visits": 1, "visitors": 0},
    }
    assert visits.total == {"visits": 4, "visitors": 7}


def test_library_items_published_and_brought_into_circles(world):
    library = queries.library(last(), Per.WERKPLAATS, Scope())
    assert by_slug(library, Per.WERKPLAATS) == {
        "twente": {"published": 1, "brought": 1},
        "zuyd": {"published": 1, "brought": 1},
        None: {"published": 1, "brought": 1},
    }
    assert library.total == {"published": 2, "brought": 3}
    library = queries.library(last(), Per.THEME, Scope())
    assert by_slug(library, Per.THEME) == {
        "armoede": {"published": 1, "brought": 2}, None: {"published": 1, "brought": 1}}


def test_a_coordinator_counts_only_their_circles(world):
    scope = Scope(coordinator_id=world["coordinator"].id)
    assert by_slug(queries.meetings(last(), Per.WERKPLAATS, scope), Per.WERKPLAATS) == {
        "twente": {"active_circles": 1, "meetings": 2, "people": 7, "hours": 15.0}}
    assert queries.cases(last(), Per.THEME, scope).total == {
        "cases_discussed": 2, "cases_closed": 0}
    assert queries.reflections(last(), Per.THEME, scope).total == {"reflections": 1}
    library = queries.library(last(), Per.WERKPLAATS, scope)
    assert library.total == {"brought": 1}


def test_a_shorter_period_and_dates_of_ones_own(world):
    three = queries.meetings(last(3), Per.WERKPLAATS, Scope())
    assert by_slug(three, Per.WERKPLAATS)["twente"]["meetings"] == 3
    assert "zuyd" not in by_slug(three, Per.WERKPLAATS)
    period = between(days_ago(45).date(), days_ago(25).date(), datetime.now(UTC), ZONE)
    figures = queries.meetings(period, Per.WERKPLAATS, Scope())
    assert by_slug(figures, Per.WERKPLAATS) == {
        "twente": {"active_circles": 1, "meetings": 1, "people": 6, "hours": 9.0}}


def test_a_period_of_dates_ends_now_and_begins_at_midnight():
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    period = between(date(2026, 3, 1), date(2026, 12, 31), now, ZONE)
    assert (period.first_day, period.last_day) == (date(2026, 3, 1), date(2026, 3, 10))
    assert period.start == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert period.end == now
    period = between(date(2026, 1, 1), date(2026, 1, 31), now, ZONE)
    assert period.end == datetime(2026, 1, 31, 23, 0, tzinfo=UTC)


def test_a_bar_that_may_not_be_shown_is_not_drawn():
    chart = bar_chart("c", "People", "One bar per Werkplaats.", [
        ("Twente", "twente", 10.0, "10"),
        ("Zuyd", "zuyd", None, "<5"),
        ("Noord", "noord", 5.0, "5"),
        ("Zeeland", "zeeland", 0.0, "0"),
    ])
    twente, zuyd, noord, zeeland = chart.bars
    longest = charts.WIDTH - charts.NUMBER_ROOM
    assert twente.width == longest and noord.width == longest / 2
    assert zuyd.width == 0 and zuyd.text == "<5" and zuyd.text_x == 0
    assert zeeland.width == 0
    assert twente.top < zuyd.top < noord.top and chart.height > noord.top + noord.bar_y - noord.top

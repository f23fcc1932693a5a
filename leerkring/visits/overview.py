"""The association's overview of visits between Werkplaatsen: a matrix, a network on the map,
the largest flows, and the same as CSV. Numbers only, no names of people."""


from flask import request
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.circles import queries as circle_queries
from leerkring.db import utcnow
from leerkring.permissions import can_view_visit_overview, require
from leerkring.visits import bp, network, overview_queries
from leerkring.visits import map as nl_map
from leerkring.visits.overview_forms import OverviewForm
from leerkring.web import csv_download, render


def load_overview():
    """The form as filled in, the period it names and the overview for it."""
    form = OverviewForm(formdata=request.args, themes=circle_queries.themes())
    period = overview_queries.period_ending(utcnow(), form.months(), str(get_timezone()))
    return form, period, overview_queries.overview(period, theme=form.chosen_theme())


@bp.get("/visits/overview")
def overview():
    require(can_view_visit_overview(current_user))
    form, period, data = load_overview()
    chosen = {"period": form.period.data}
    if form.chosen_theme():
        chosen["theme"] = form.chosen_theme()
    return render(
        "visits/overview.html",
        form=form,
        period=period,
        overview=data,
        chosen=chosen,
        lines=network.lines(data.flows),
        map_size=nl_map.SIZE,
        map_outline=nl_map.OUTLINE,
        map_spots=nl_map.spots([(w, 0) for w in data.targets]),
        dot_radius=nl_map.DOT_RADIUS,
    )


@bp.get("/visits/overview.csv")
def overview_csv():
    require(can_view_visit_overview(current_user))
    form, period, data = load_overview()
    header = [_("From Werkplaats"), _("To Werkplaats"), _("Visitors"), _("Visits"),
              _("Themes"), _("Within one Werkplaats")]
    rows = (
        [
            flow.source.name if flow.source else _("No Werkplaats"),
            flow.target.name,
            flow.visitors,
            flow.visits,
            theme_text(flow),
            _("yes") if flow.is_internal else _("no"),
        ]
        for flow in data.flows
    )
    name = f"kitchen-visits-{period.first_day.isoformat()}-{period.last_day.isoformat()}"
    if form.chosen_theme():
        name += f"-{form.chosen_theme()}"
    return csv_download(f"{name}.csv", header, rows)


def theme_text(flow) -> str:
    """Each theme with the number of these visits on it: "Armoede (2); Wonen (1)"."""
    return "; ".join(f"{name} ({visits})" for name, visits in flow.themes)

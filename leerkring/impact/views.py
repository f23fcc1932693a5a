"""/impact/: the figures per Werkplaats or per theme over a period, as charts and tables, and
each table as CSV. The whole picture for admins and policymakers; a coordinator sees their own
circles."""

from flask import abort, g, has_request_context, request
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.db import utcnow
from leerkring.impact import bp, figures, queries
from leerkring.impact.forms import ImpactForm
from leerkring.impact.queries import Scope
from leerkring.permissions import (
    can_open_impact,
    can_view_impact,
    can_view_own_impact,
    require,
)
from leerkring.visits import overview_queries
from leerkring.web import csv_download, render


def viewer_scope() -> Scope:
    """The whole picture, or a coordinator's own circles; 403 for anyone else."""
    if can_view_impact(current_user):
        return Scope()
    require(can_view_own_impact(current_user))
    return Scope(coordinator_id=current_user.id)


def read_choices():
    form = ImpactForm(formdata=request.args)
    period = form.chosen_period(utcnow(), str(get_timezone()))
    return form, period


@bp.get("/impact/")
def index():
    scope = viewer_scope()
    form, period = read_choices()
    circles = [] if scope.is_whole else queries.coordinated_circles(current_user.id)
    per = form.chosen_per()
    tables = figures.tables(period, per, scope, circles)
    flows = (figures.flow_rows(overview_queries.overview(period)) if scope.is_whole else [])
    return render(
        "impact/index.html",
        status=422 if form.errors else 200,
        form=form,
        period=period,
        per=per,
        scope=scope,
        circles=circles,
        tables=tables,
        flows=flows,
        chosen=form.query_args(),
    )


@bp.get("/impact/<name>.csv")
def table_csv(name):
    scope = viewer_scope()
    form, period = read_choices()
    per = form.chosen_per()
    when = f"{period.first_day.isoformat()}-{period.last_day.isoformat()}"
    if name == "flows":
        require(scope.is_whole)
        rows = figures.flow_rows(overview_queries.overview(period))
        header = [_("From Werkplaats"), _("To Werkplaats"), _("Visitors"), _("Visits"),
                  _("Within one Werkplaats")]
        return csv_download(
            f"impact-flows-{when}.csv",
            header,
            ([row.source, row.target, row.visitors, row.visits,
              _("yes") if row.is_internal else _("no")] for row in rows),
        )
    kind = figures.TABLES.get(name) or abort(404)
    require(kind.is_shown_to(scope))
    circles = [] if scope.is_whole else queries.coordinated_circles(current_user.id)
    table = figures.table(kind, period, per, scope, figures.load_groups(per), circles)
    return csv_download(f"impact-{name}-per-{per.value}-{when}.csv", table.header(),
                        table.csv_rows())


# The navigation link --------------------------------------------------------------------------


def shows_impact() -> bool:
    """Whether the navigation links to /impact/: worked out once per request, for fragments as
    for pages, so both run the same queries."""
    if not has_request_context():
        return False
    if "_shows_impact" not in g:
        g._shows_impact = can_open_impact(current_user)
    return g._shows_impact


@bp.app_context_processor
def navigation():
    return {"shows_impact": shows_impact()}

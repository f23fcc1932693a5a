"""Finding visits: the list across the country with its filters, the map and the suggestions."""

from datetime import datetime

from flask import request
from flask_babel import get_timezone
from flask_login import current_user

from leerkring.circles import queries as circle_queries
from leerkring.permissions import can_approve_visits, can_offer_visit, can_view_visit_overview
from leerkring.visits import bp, queries
from leerkring.visits import map as nl_map
from leerkring.visits.listing_forms import AUDIENCE_NAMES, VisitFilterForm
from leerkring.web import paginate, render, wants_partial


@bp.get("/visits/")
def index():
    zone = get_timezone()
    form = VisitFilterForm(
        formdata=request.args,
        werkplaatsen=circle_queries.werkplaatsen(),
        themes=circle_queries.themes(),
        today=datetime.now(zone).date(),
    )
    filters = {
        "theme": form.chosen(form.theme),
        "werkplaats": form.chosen(form.werkplaats),
        "month": form.chosen(form.month),
        "audience": form.chosen(form.audience),
        "places": "1" if form.places.data else "",
    }
    results = paginate(queries.visit_list(
        theme=filters["theme"],
        werkplaats=filters["werkplaats"],
        month=form.chosen_month(),
        zone=str(zone),
        has_places=form.places.data,
        audience=filters["audience"],
    ))
    context = {
        "form": form,
        "results": results,
        "filters": {name: value for name, value in filters.items() if value},
        "audience_names": AUDIENCE_NAMES,
        "can_offer": can_offer_visit(current_user),
        "can_approve": can_approve_visits(current_user),
        "can_view_overview": can_view_visit_overview(current_user),
    }
    if wants_partial():
        return render("visits/list.html", partial="visits/_results.html", **context)
    counts = queries.open_counts()
    return render(
        "visits/list.html",
        map_counts=counts,
        map_spots=nl_map.spots(counts),
        map_size=nl_map.SIZE,
        map_outline=nl_map.OUTLINE,
        dot_radius=nl_map.DOT_RADIUS,
        suggested=queries.suggested(current_user),
        **context,
    )

"""Loading a visit for a request, in one place: 404 when the user may not see it."""

from flask import url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from leerkring.extensions import db
from leerkring.permissions import can_view_visit, require
from leerkring.visits.models import Visit


def load_visit(visit_id: int) -> Visit:
    visit = db.first_or_404(
        db.select(Visit)
        .where(Visit.id == visit_id)
        .options(
            joinedload(Visit.werkplaats),
            joinedload(Visit.host),
            selectinload(Visit.themes),
            selectinload(Visit.audiences),
        )
    )
    require(can_view_visit(current_user, visit), hide=True)
    return visit


def visit_url(visit: Visit) -> str:
    return url_for("visits.show", visit_id=visit.id)

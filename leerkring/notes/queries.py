"""Loading a case or a reflection for a request, in one place: 404 when the user may not see it."""

from flask_login import current_user

from leerkring.circles.queries import membership_of
from leerkring.extensions import db
from leerkring.notes.models import CaseNote, Reflection
from leerkring.permissions import can_view_case, can_view_reflection, require


def load_case(case_id: int):
    """The case and the current user's membership of its circle; 404 when not visible."""
    case = db.get_or_404(CaseNote, case_id)
    membership = membership_of(current_user, case.circle)
    require(can_view_case(current_user, case, membership), hide=True)
    return case, membership


def load_reflection(reflection_id: int):
    """The reflection and the current user's membership of its circle; 404 when not visible."""
    reflection = db.get_or_404(Reflection, reflection_id)
    membership = membership_of(current_user, reflection.circle) if reflection.circle else None
    require(can_view_reflection(current_user, reflection, membership), hide=True)
    return reflection, membership

"""Loading a meeting for a request, in one place: 404 when its circle is hidden from the user."""

from flask import url_for
from flask_login import current_user

from leerkring.circles.queries import membership_of
from leerkring.extensions import db
from leerkring.meetings.models import Meeting
from leerkring.permissions import can_view_meeting, require


def load_meeting(meeting_id: int):
    """The meeting and the current user's membership of its circle; 404 when not visible."""
    meeting = db.get_or_404(Meeting, meeting_id)
    membership = membership_of(current_user, meeting.circle)
    require(can_view_meeting(current_user, meeting, membership), hide=True)
    return meeting, membership


def meeting_url(meeting: Meeting) -> str:
    return url_for("meetings.show", meeting_id=meeting.id)

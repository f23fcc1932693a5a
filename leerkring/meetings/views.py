from flask_login import current_user

from leerkring.circles.queries import membership_of
from leerkring.extensions import db
from leerkring.meetings import answers, attendance, bp, calendar, polls
from leerkring.meetings.models import Meeting
from leerkring.permissions import can_manage_meeting, can_view_meeting, require
from leerkring.web import render


def load_meeting(meeting_id: int):
    """The meeting and the current user's membership of its circle; 404 when not visible."""
    meeting = db.get_or_404(Meeting, meeting_id)
    membership = membership_of(current_user, meeting.circle)
    require(can_view_meeting(current_user, meeting, membership), hide=True)
    return meeting, membership


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    context = {
        "meeting": meeting,
        "membership": membership,
        "can_manage": can_manage_meeting(current_user, meeting, membership),
    }
    for part in (answers, attendance, polls, calendar):
        context.update(part.page_context(meeting, membership))
    return render("meetings/show.html", **context)

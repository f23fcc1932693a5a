"""What the assignment reminders say (the kinds are in ``reminders.py``): the assignment's title,
the cohort's name, the student's own due date and cut-off in the reader's zone, and a link. Never
the work handed in nor the feedback's text: the pages behind the link show those to whom may see
them.

Each render checks again that the reminder still fits (the cohort is running, the reader is one
of its students, the due date is the one the reminder is about, the work is still to hand in, the
feedback is the one it announced); otherwise there is nothing to say."""

from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from leerkring.assignments.models import (
    Assignment,
    CohortMember,
    CohortRole,
    Submission,
    SubmissionKind,
)
from leerkring.assignments.queries import attended_counts, extensions_of, latest_submissions
from leerkring.assignments.status import Deadlines, Status, deadlines, status
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications.moments import instant_key, when
from leerkring.notifications.registry import Rendered

#: Where a student stands who has not handed the work in.
NOT_HANDED_IN = frozenset(
    {Status.NOT_OPEN, Status.NOT_STARTED, Status.DRAFT, Status.OVERDUE, Status.MISSED}
)


def still_to_hand_in(assignment, latest: Submission | None, now: datetime, extension=None,
                     attended: int = 0) -> bool:
    """The student has not handed in a first attempt (or, for an attendance assignment, not
    attended enough meetings). A later attempt is not held to the dates."""
    if latest is not None and latest.attempt > 1:
        return False
    return status(assignment, latest, now, extension, attended) in NOT_HANDED_IN


def _assignment(delivery) -> Assignment | None:
    """The delivery's assignment while its cohort runs and the reader is one of its students."""
    assignment = db.session.get(Assignment, delivery.subject_id)
    if assignment is None or assignment.cohort.archived_at is not None:
        return None
    is_student = db.session.execute(
        sa.select(CohortMember.id).where(
            CohortMember.cohort_id == assignment.cohort_id,
            CohortMember.user_id == delivery.user_id,
            CohortMember.role == CohortRole.STUDENT,
        )
    ).scalar()
    return assignment if is_student is not None else None


def _open_work(delivery) -> tuple[Assignment, Deadlines, int] | None:
    """The assignment, the reader's deadlines and the meetings they attended, while the due date
    is the one the reminder is about and the work is still to hand in."""
    if (assignment := _assignment(delivery)) is None:
        return None
    key = (delivery.user_id, assignment.id)
    extension = extensions_of([delivery.user_id], [assignment.id]).get(key)
    due = deadlines(assignment, extension)
    if instant_key(due.due_at) != delivery.occurrence_key:
        return None
    moment = max(utcnow(), delivery.due_at)
    attended = attended_counts([delivery.user_id], [assignment], moment).get(key, 0)
    latest = latest_submissions([delivery.user_id], [assignment.id]).get(key)
    if not still_to_hand_in(assignment, latest, moment, extension, attended):
        return None
    return assignment, due, attended


def _rendered(delivery, assignment: Assignment, subject: str, due: Deadlines | None = None,
              url: str | None = None, **context) -> Rendered:
    """The words every assignment reminder shares: title, cohort, due date, the page."""
    due_when = when(due.due_at) if due is not None else ""
    return Rendered(
        subject=subject,
        template=f"assignments/mail/reminder_{delivery.kind}",
        url=url or url_for("assignments.show", assignment_id=assignment.id),
        params={"title": assignment.title, "cohort": assignment.cohort.name, "when": due_when},
        context={
            "assignment": assignment,
            "cohort_name": assignment.cohort.name,
            "due": due_when,
            "cutoff": when(due.cutoff_at) if due is not None and due.cutoff_at else "",
            **context,
        },
    )


def _attendance(assignment: Assignment, attended: int) -> dict:
    if assignment.kind != SubmissionKind.ATTENDANCE:
        return {}
    return {"attended": attended, "required": assignment.meetings_required or 1}


def due_soon_render(delivery) -> Rendered | None:
    if (work := _open_work(delivery)) is None:
        return None
    assignment, due, attended = work
    subject = _("Due soon: %(title)s, %(when)s", title=assignment.title, when=when(due.due_at))
    if assignment.kind == SubmissionKind.ATTENDANCE:
        intro = _("A reminder: your fieldwork assignment is due soon, and you have not attended "
                  "enough meetings for it yet.")
    else:
        intro = _("A reminder: your fieldwork assignment is due soon, and you have not handed it "
                  "in yet.")
    return _rendered(delivery, assignment, subject, due, intro=intro,
                     **_attendance(assignment, attended))


def overdue_render(delivery) -> Rendered | None:
    if (work := _open_work(delivery)) is None:
        return None
    assignment, due, attended = work
    subject = _("Past its due date: %(title)s", title=assignment.title)
    if assignment.kind == SubmissionKind.ATTENDANCE:
        intro = _("The due date of your fieldwork assignment has passed, and you have not "
                  "attended enough meetings for it yet.")
    elif due.cutoff_at is not None:
        intro = _("The due date of your fieldwork assignment has passed, and you have not handed "
                  "it in yet. You can still hand it in until the cut-off; it will be marked late.")
    else:
        intro = _("The due date of your fieldwork assignment has passed, and you have not handed "
                  "it in yet. You can still hand it in; it will be marked late.")
    return _rendered(delivery, assignment, subject, due, intro=intro,
                     **_attendance(assignment, attended))


def feedback_render(delivery) -> Rendered | None:
    """The submission whose feedback the reminder announced, while it still has that feedback."""
    if (assignment := _assignment(delivery)) is None:
        return None
    given = db.session.execute(
        sa.select(Submission).where(
            Submission.assignment_id == assignment.id,
            Submission.student_id == delivery.user_id,
            Submission.feedback_at.is_not(None),
        )
    ).scalars()
    submission = next(
        (s for s in given if instant_key(s.feedback_at) == delivery.occurrence_key), None
    )
    if submission is None:
        return None
    subject = _("Feedback on your work for %(title)s", title=assignment.title)
    return _rendered(delivery, assignment, subject,
                     url=url_for("assignments.submission", submission_id=submission.id))

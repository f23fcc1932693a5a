"""Where a student stands with an assignment, from its dates, their extension, their latest
attempt and the clock. Pure functions: the pages, the grid and the reminders all ask here.

- Before the open date nothing can be handed in.
- Up to the due date work is on time; after it, it is late; after the cut-off (when there is one)
  it is refused. An extension replaces the due date and the cut-off for one student.
- A second attempt, asked for with the outcome "resubmit", is accepted whatever the dates: the
  lecturer asked for it.
- An attendance assignment is complete once the student attended enough of the circle's meetings;
  there is nothing to hand in.
"""

import enum
from dataclasses import dataclass
from datetime import datetime

from leerkring.assignments.models import Outcome, SubmissionKind


class Status(enum.StrEnum):
    NOT_OPEN = "not_open"
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    #: Not handed in, past the due date, before the cut-off: still accepted, as late.
    OVERDUE = "overdue"
    #: Not handed in by the cut-off.
    MISSED = "missed"
    SUBMITTED = "submitted"
    #: Handed in after the due date.
    LATE = "late"
    FEEDBACK = "feedback"
    #: The feedback asks for a new attempt.
    RESUBMIT = "resubmit"


@dataclass(frozen=True)
class Deadlines:
    due_at: datetime
    cutoff_at: datetime | None


def deadlines(assignment, extension=None) -> Deadlines:
    """The due date and cut-off that hold for one student."""
    source = extension or assignment
    return Deadlines(source.due_at, source.cutoff_at)


def refusal(assignment, now: datetime, extension=None, attempt: int = 1) -> str | None:
    """Why work cannot be handed in now ("not_open", "closed"), or None when it can."""
    if now < assignment.opens_at:
        return "not_open"
    cutoff = deadlines(assignment, extension).cutoff_at
    if attempt == 1 and cutoff is not None and now >= cutoff:
        return "closed"
    return None


def is_late(assignment, submitted_at: datetime, extension=None, attempt: int = 1) -> bool:
    return attempt == 1 and submitted_at > deadlines(assignment, extension).due_at


def status(assignment, submission, now: datetime, extension=None, attended: int = 0) -> Status:
    """``submission`` is the student's latest attempt or None; ``attended`` counts the meetings
    they were at, for attendance assignments."""
    if assignment.kind == SubmissionKind.ATTENDANCE:
        if attended >= (assignment.meetings_required or 1):
            return Status.SUBMITTED
        return _open_status(assignment, now, extension, started=False)
    if submission is None or submission.is_draft:
        if submission is not None and submission.attempt > 1:
            return Status.DRAFT
        return _open_status(assignment, now, extension, started=submission is not None)
    if submission.feedback_at is not None:
        return Status.RESUBMIT if submission.outcome == Outcome.RESUBMIT else Status.FEEDBACK
    return Status.LATE if submission.is_late else Status.SUBMITTED


def _open_status(assignment, now, extension, started: bool) -> Status:
    match refusal(assignment, now, extension):
        case "not_open":
            return Status.NOT_OPEN
        case "closed":
            return Status.MISSED
    if now >= deadlines(assignment, extension).due_at:
        return Status.OVERDUE
    return Status.DRAFT if started else Status.NOT_STARTED

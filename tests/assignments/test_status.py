"""Where a student stands with an assignment, across the open date, the due date, the cut-off and
an extension, with a fixed clock."""

from datetime import UTC, datetime, timedelta

import pytest

from leerkring.assignments.models import Assignment, Extension, Outcome, Submission, SubmissionKind
from leerkring.assignments.status import Status, deadlines, is_late, refusal, status

OPENS = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
DUE = datetime(2027, 2, 15, 22, 59, tzinfo=UTC)
CUTOFF = datetime(2027, 2, 22, 22, 59, tzinfo=UTC)
HOUR = timedelta(hours=1)


def assignment(kind=SubmissionKind.TEXT, cutoff=CUTOFF, **kw) -> Assignment:
    return Assignment(kind=kind, opens_at=OPENS, due_at=DUE, cutoff_at=cutoff, **kw)


def attempt(submitted_at=None, attempt=1, is_late=False, feedback_at=None, outcome=None):
    return Submission(submitted_at=submitted_at, attempt=attempt, is_late=is_late,
                      feedback_at=feedback_at, outcome=outcome)


@pytest.mark.parametrize(("now", "expected"), [
    (OPENS - HOUR, Status.NOT_OPEN),
    (OPENS, Status.NOT_STARTED),
    (DUE - HOUR, Status.NOT_STARTED),
    (DUE, Status.OVERDUE),
    (CUTOFF - HOUR, Status.OVERDUE),
    (CUTOFF, Status.MISSED),
])
def test_nothing_handed_in(now, expected):
    assert status(assignment(), None, now) == expected


def test_without_a_cut_off_late_work_is_always_accepted():
    later = CUTOFF + timedelta(days=300)
    assert status(assignment(cutoff=None), None, later) == Status.OVERDUE
    assert refusal(assignment(cutoff=None), later) is None


@pytest.mark.parametrize(("now", "expected"), [
    (DUE - HOUR, Status.DRAFT),
    (DUE + HOUR, Status.OVERDUE),
    (CUTOFF + HOUR, Status.MISSED),
])
def test_a_draft_counts_as_not_handed_in(now, expected):
    assert status(assignment(), attempt(), now) == expected


def test_handed_in_on_time_late_and_with_feedback():
    on_time = attempt(submitted_at=DUE - HOUR)
    late = attempt(submitted_at=DUE + HOUR, is_late=True)
    assert status(assignment(), on_time, CUTOFF + HOUR) == Status.SUBMITTED
    assert status(assignment(), late, CUTOFF + HOUR) == Status.LATE
    done = attempt(submitted_at=DUE, feedback_at=DUE + HOUR, outcome=Outcome.SUFFICIENT)
    again = attempt(submitted_at=DUE, feedback_at=DUE + HOUR, outcome=Outcome.RESUBMIT)
    assert status(assignment(), done, DUE + 2 * HOUR) == Status.FEEDBACK
    assert status(assignment(), again, DUE + 2 * HOUR) == Status.RESUBMIT


def test_is_late_is_after_the_due_date_of_the_student():
    extension = Extension(due_at=DUE + timedelta(days=3), cutoff_at=None)
    assert not is_late(assignment(), DUE)
    assert is_late(assignment(), DUE + timedelta(seconds=1))
    assert not is_late(assignment(), DUE + timedelta(days=2), extension)
    assert is_late(assignment(), DUE + timedelta(days=4), extension)


def test_an_extension_moves_the_due_date_and_the_cut_off():
    extension = Extension(due_at=CUTOFF + timedelta(days=7), cutoff_at=CUTOFF + timedelta(days=14))
    assert deadlines(assignment(), extension).due_at == CUTOFF + timedelta(days=7)
    assert status(assignment(), None, CUTOFF + HOUR, extension) == Status.NOT_STARTED
    assert refusal(assignment(), CUTOFF + HOUR, extension) is None
    assert status(assignment(), None, CUTOFF + timedelta(days=8), extension) == Status.OVERDUE
    assert refusal(assignment(), CUTOFF + timedelta(days=14), extension) == "closed"
    assert status(assignment(), None, CUTOFF + timedelta(days=14), extension) == Status.MISSED


def test_an_extension_without_a_cut_off_accepts_late_work_for_that_student():
    extension = Extension(due_at=DUE + timedelta(days=1), cutoff_at=None)
    assert refusal(assignment(), CUTOFF + timedelta(days=30), extension) is None


def test_a_second_attempt_is_accepted_after_the_cut_off_and_is_never_late():
    after = CUTOFF + timedelta(days=10)
    assert refusal(assignment(), after, attempt=2) is None
    assert not is_late(assignment(), after, attempt=2)
    assert status(assignment(), attempt(attempt=2), after) == Status.DRAFT
    assert status(assignment(), attempt(submitted_at=after, attempt=2), after) == Status.SUBMITTED


def test_nothing_is_accepted_before_the_open_date_even_a_second_attempt():
    assert refusal(assignment(), OPENS - HOUR) == "not_open"
    assert refusal(assignment(), OPENS - HOUR, attempt=2) == "not_open"


@pytest.mark.parametrize(("attended", "now", "expected"), [
    (0, DUE - HOUR, Status.NOT_STARTED),
    (2, DUE - HOUR, Status.NOT_STARTED),
    (3, DUE - HOUR, Status.SUBMITTED),
    (2, DUE + HOUR, Status.OVERDUE),
    (3, CUTOFF + HOUR, Status.SUBMITTED),
    (1, CUTOFF + HOUR, Status.MISSED),
])
def test_attendance_completes_itself(attended, now, expected):
    meetings = assignment(kind=SubmissionKind.ATTENDANCE, meetings_required=3)
    assert status(meetings, None, now, attended=attended) == expected

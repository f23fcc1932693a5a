"""Handing in work and giving feedback. Services never commit; the dates are judged by
``assignments.status``."""

from datetime import UTC, datetime

import sqlalchemy as sa

from leerkring.assignments import reminders
from leerkring.assignments.models import Extension, Outcome, Submission
from leerkring.assignments.status import is_late, refusal
from leerkring.extensions import db


def now() -> datetime:
    return datetime.now(UTC)


def extension_of(assignment, student_id: int) -> Extension | None:
    return db.session.execute(
        sa.select(Extension).where(
            Extension.assignment_id == assignment.id, Extension.student_id == student_id
        )
    ).scalar()


def attempts_of(assignment, student_id: int) -> list[Submission]:
    """The student's attempts at the assignment, the first first."""
    return list(db.session.execute(
        sa.select(Submission)
        .where(Submission.assignment_id == assignment.id, Submission.student_id == student_id)
        .order_by(Submission.attempt)
    ).scalars())


def latest_attempt(assignment, student_id: int) -> Submission | None:
    attempts = attempts_of(assignment, student_id)
    return attempts[-1] if attempts else None


def working_attempt(assignment, student_id: int) -> Submission | None:
    """The attempt the student works on now: their draft, or a new attempt (not yet added to the
    session) when there is none or the feedback asked for a new one; None once their work is
    handed in and no new attempt is asked for."""
    latest = latest_attempt(assignment, student_id)
    if latest is None:
        return Submission(assignment_id=assignment.id, student_id=student_id, attempt=1)
    if latest.is_draft:
        return latest
    if latest.outcome == Outcome.RESUBMIT:
        return Submission(assignment_id=assignment.id, student_id=student_id,
                          attempt=latest.attempt + 1)
    return None


def fill(submission: Submission, work: dict) -> None:
    """``work`` holds the kind's field: ``body``, ``reflection_id`` or ``case_id``."""
    for name, value in work.items():
        setattr(submission, name, value)
    if submission.id is None:
        db.session.add(submission)
    db.session.flush()


def save_draft(submission: Submission, work: dict) -> None:
    fill(submission, work)


def hand_in(assignment, submission: Submission, work: dict,
            at: datetime | None = None) -> str | None:
    """Hand the attempt in, marked late after the student's due date. Returns why it cannot be
    handed in now ("not_open", "closed"), and then stores nothing."""
    at = at or now()
    extension = extension_of(assignment, submission.student_id)
    reason = refusal(assignment, at, extension, attempt=submission.attempt)
    if reason is not None:
        return reason
    submission.submitted_at = at
    submission.is_late = is_late(assignment, at, extension, attempt=submission.attempt)
    fill(submission, work)
    reminders.replan([assignment.id])
    return None


def give_feedback(submission: Submission, lecturer, text: str, outcome: Outcome,
                  at: datetime | None = None) -> None:
    submission.feedback = text
    submission.outcome = outcome
    submission.feedback_at = at or now()
    submission.feedback_by_id = lecturer.id
    db.session.flush()
    reminders.replan([submission.assignment_id])

"""Fieldwork assignments' part of a user's data rights (see ``leerkring.accounts.data_rights``):
the cohorts they are in, what they handed in with the feedback on it and their extensions, the
assignments they set and the feedback they gave as a lecturer, and the cohort invitations sent to
their address.

Deleting an account:

- the student's submissions (every attempt, with the feedback on them), extensions and places in
  cohorts go with the user row (their foreign keys cascade);
- a cohort whose only lecturer the user is gets archived: its students keep reading their work
  and feedback, nothing more is handed in and no reminders go out; an association admin still
  sees it;
- assignments they set and feedback they gave stay with the students, without their name;
- cohort invitations to their address are deleted; those they sent stay valid, without their
  name.
"""

import sqlalchemy as sa
from flask_babel import ngettext
from sqlalchemy.orm import aliased

from leerkring.accounts.data_rights import caution, register_part
from leerkring.accounts.models import User
from leerkring.assignments import cohort_services
from leerkring.assignments.models import (
    Assignment,
    Cohort,
    CohortInvitation,
    CohortMember,
    CohortRole,
    Extension,
    Submission,
)
from leerkring.extensions import db

SUBMISSION_FIELDS = ("attempt", "body", "reflection_id", "case_id", "submitted_at", "is_late",
                     "feedback", "outcome", "feedback_at", "created_at", "updated_at")
ASSIGNMENT_FIELDS = ("id", "title", "instructions", "kind", "reflection_template",
                     "meetings_required", "opens_at", "due_at", "cutoff_at", "timezone",
                     "peers_can_read", "created_at")


# Export -------------------------------------------------------------------------------------------


def export_assignments(user) -> dict:
    return {
        "cohorts": _cohorts(user),
        "submissions": _submissions(user),
        "extensions": _extensions(user),
        "assignments_set": _assignments_set(user),
        "feedback_given": _feedback_given(user),
        "invitations": _invitations(user),
    }


def _cohorts(user) -> list[dict]:
    rows = db.session.execute(
        sa.select(CohortMember.role, CohortMember.created_at, Cohort.name, Cohort.course)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.user_id == user.id)
        .order_by(CohortMember.created_at, CohortMember.id)
    )
    return [{"cohort": name, "course": course, "role": role, "joined_at": joined_at}
            for role, joined_at, name, course in rows]


def _submissions(user) -> list[dict]:
    rows = db.session.execute(
        sa.select(Submission, Assignment.title, Cohort.name)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(Cohort, Cohort.id == Assignment.cohort_id)
        .where(Submission.student_id == user.id)
        .order_by(Submission.created_at, Submission.id)
    )
    return [{"assignment": title, "cohort": cohort,
             **{field: getattr(submission, field) for field in SUBMISSION_FIELDS}}
            for submission, title, cohort in rows]


def _extensions(user) -> list[dict]:
    rows = db.session.execute(
        sa.select(Extension, Assignment.title)
        .join(Assignment, Assignment.id == Extension.assignment_id)
        .where(Extension.student_id == user.id)
        .order_by(Extension.created_at, Extension.id)
    )
    return [{"assignment": title, "due_at": extension.due_at, "cutoff_at": extension.cutoff_at,
             "granted_at": extension.created_at} for extension, title in rows]


def _assignments_set(user) -> list[dict]:
    rows = db.session.execute(
        sa.select(Assignment, Cohort.name)
        .join(Cohort, Cohort.id == Assignment.cohort_id)
        .where(Assignment.created_by_id == user.id)
        .order_by(Assignment.created_at, Assignment.id)
    )
    return [{"cohort": cohort, **{field: getattr(assignment, field)
                                  for field in ASSIGNMENT_FIELDS}}
            for assignment, cohort in rows]


def _feedback_given(user) -> list[dict]:
    """The feedback the user wrote; the work it is about is the student's, not theirs."""
    rows = db.session.execute(
        sa.select(Assignment.title, Submission.attempt, Submission.feedback, Submission.outcome,
                  Submission.feedback_at)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .where(Submission.feedback_by_id == user.id)
        .order_by(Submission.feedback_at, Submission.id)
    )
    return [{"assignment": title, "attempt": attempt, "feedback": feedback, "outcome": outcome,
             "given_at": given_at} for title, attempt, feedback, outcome, given_at in rows]


def _addressed_to(user):
    return CohortInvitation.email == user.email.lower()


def _invitations(user) -> list[dict]:
    rows = db.session.execute(
        sa.select(CohortInvitation, Cohort.name, User.name)
        .join(Cohort, Cohort.id == CohortInvitation.cohort_id)
        .outerjoin(User, User.id == CohortInvitation.invited_by_id)
        .where(_addressed_to(user))
        .order_by(CohortInvitation.created_at, CohortInvitation.id)
    )
    return [{"cohort": cohort, "role": invitation.role, "invited_by": invited_by,
             "created_at": invitation.created_at, "expires_at": invitation.expires_at,
             "accepted_at": invitation.accepted_at}
            for invitation, cohort, invited_by in rows]


# Deleting the account -----------------------------------------------------------------------------


def _only_lecturer_of(user) -> list[Cohort]:
    """The cohorts, not yet archived, whose one lecturer the user is."""
    other = aliased(CohortMember)
    other_lecturer = sa.exists().where(
        other.cohort_id == CohortMember.cohort_id, other.role == CohortRole.LECTURER,
        other.user_id != user.id,
    )
    return list(db.session.execute(
        sa.select(Cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id, CohortMember.role == CohortRole.LECTURER,
               Cohort.archived_at.is_(None), ~other_lecturer)
        .order_by(Cohort.name, Cohort.id)
    ).scalars())


def describe_assignments(user) -> list[str]:
    submissions = db.session.execute(
        sa.select(sa.func.count()).where(Submission.student_id == user.id)
    ).scalar_one()
    lines = []
    if submissions:
        lines.append(ngettext(
            "The work you handed in for a fieldwork assignment is deleted, with its feedback.",
            "The %(num)d pieces of work you handed in for fieldwork assignments are deleted, "
            "with their feedback.",
            submissions,
        ))
    alone = _only_lecturer_of(user)
    if alone:
        lines.append(caution(ngettext(
            "You are the only lecturer of a cohort (%(names)s): it is archived, so its students "
            "keep their work but can hand in nothing more. Invite another lecturer first if it "
            "should go on.",
            "You are the only lecturer of %(num)d cohorts (%(names)s): they are archived, so "
            "their students keep their work but can hand in nothing more. Invite another "
            "lecturer first if they should go on.",
            len(alone), names=", ".join(cohort.name for cohort in alone),
        )))
    return lines


def erase_assignments(user) -> None:
    for cohort in _only_lecturer_of(user):
        cohort_services.archive(cohort)
    db.session.execute(
        sa.delete(CohortInvitation).where(_addressed_to(user))
        .execution_options(synchronize_session=False)
    )


register_part("assignments", export_assignments, describe_assignments, erase_assignments)

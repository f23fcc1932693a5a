"""Loading cohorts and assignments with what the access rules need."""

import sqlalchemy as sa

from leerkring.assignments.models import (
    Assignment,
    Cohort,
    CohortMember,
    Extension,
    Submission,
    SubmissionKind,
    cohort_circles,
)
from leerkring.circles.models import CircleRole, Membership
from leerkring.extensions import db


def load_cohort(cohort_id: int) -> Cohort:
    return db.get_or_404(Cohort, cohort_id)


def load_assignment(assignment_id: int) -> Assignment:
    return db.get_or_404(Assignment, assignment_id)


def member_of(user, cohort_id: int) -> CohortMember | None:
    """The user's place in the cohort (lecturer or student), or None."""
    if not user.is_authenticated:
        return None
    return db.session.execute(
        sa.select(CohortMember).where(
            CohortMember.cohort_id == cohort_id, CohortMember.user_id == user.id
        )
    ).scalar()


def coordinated_circle_ids(user, cohort_id: int, student_id: int) -> frozenset[int]:
    """The cohort's circles that ``user`` coordinates and ``student_id`` is a member of: where
    ``user`` is the student's praktijkbegeleider."""
    if not user.is_authenticated:
        return frozenset()
    coordinator = sa.orm.aliased(Membership)
    student = sa.orm.aliased(Membership)
    rows = db.session.execute(
        sa.select(cohort_circles.c.circle_id)
        .join(coordinator, coordinator.circle_id == cohort_circles.c.circle_id)
        .join(student, student.circle_id == cohort_circles.c.circle_id)
        .where(
            cohort_circles.c.cohort_id == cohort_id,
            coordinator.user_id == user.id,
            coordinator.role == CircleRole.COORDINATOR,
            student.user_id == student_id,
        )
    ).scalars()
    return frozenset(rows)


# Where students stand, for many assignments at once (a fixed number of queries) ---------------


def attended_counts(student_ids, assignments, now) -> dict[tuple[int, int], int]:
    """``{(student_id, assignment_id): n}``: for attendance assignments, how many meetings of the
    assignment's circle (or only its meeting, when it names one) that started between its open
    date and ``now`` each student attended (marked present). One grouped query; pairs without
    attendance are left out."""
    from leerkring.meetings.models import Attendance, Meeting, MeetingStatus

    ids = [a.id for a in assignments if a.kind == SubmissionKind.ATTENDANCE and a.circle_id]
    student_ids = list(student_ids)
    if not ids or not student_ids:
        return {}
    rows = db.session.execute(
        sa.select(Attendance.user_id, Assignment.id, sa.func.count(Attendance.id))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Assignment, Assignment.circle_id == Meeting.circle_id)
        .where(
            Assignment.id.in_(ids),
            Attendance.user_id.in_(student_ids),
            Attendance.is_present.is_(True),
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.starts_at >= Assignment.opens_at,
            Meeting.starts_at <= now,
            sa.or_(Assignment.meeting_id.is_(None), Assignment.meeting_id == Meeting.id),
        )
        .group_by(Attendance.user_id, Assignment.id)
    )
    return {(user_id, assignment_id): n for user_id, assignment_id, n in rows}


def latest_submissions(student_ids, assignment_ids) -> dict[tuple[int, int], Submission]:
    """``{(student_id, assignment_id): latest attempt}`` in one query."""
    student_ids, assignment_ids = list(student_ids), list(assignment_ids)
    if not student_ids or not assignment_ids:
        return {}
    latest = (
        sa.select(Submission.assignment_id, Submission.student_id,
                  sa.func.max(Submission.attempt).label("attempt"))
        .where(Submission.assignment_id.in_(assignment_ids),
               Submission.student_id.in_(student_ids))
        .group_by(Submission.assignment_id, Submission.student_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Submission).join(latest, sa.and_(
            Submission.assignment_id == latest.c.assignment_id,
            Submission.student_id == latest.c.student_id,
            Submission.attempt == latest.c.attempt,
        ))
    ).scalars()
    return {(s.student_id, s.assignment_id): s for s in rows}


def extensions_of(student_ids, assignment_ids) -> dict[tuple[int, int], Extension]:
    """``{(student_id, assignment_id): extension}`` in one query."""
    student_ids, assignment_ids = list(student_ids), list(assignment_ids)
    if not student_ids or not assignment_ids:
        return {}
    rows = db.session.execute(
        sa.select(Extension).where(Extension.assignment_id.in_(assignment_ids),
                                   Extension.student_id.in_(student_ids))
    ).scalars()
    return {(e.student_id, e.assignment_id): e for e in rows}

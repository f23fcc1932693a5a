"""Loading cohorts and assignments with what the access rules need."""

import sqlalchemy as sa

from leerkring.assignments.models import Assignment, Cohort, CohortMember, cohort_circles
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

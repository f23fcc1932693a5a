"""The lecturer's grid: the cohort's students × its assignments, where each student stands, with
late marks and one click into a submission; and the same grid as CSV. A fixed number of queries
whatever the cohort's size (``assignments.queries`` loads the latest attempts, the extensions and
the attendance counts grouped)."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.accounts.models import User
from leerkring.assignments import bp
from leerkring.assignments.models import Assignment, CohortMember, CohortRole, Submission
from leerkring.assignments.queries import (
    attended_counts,
    extensions_of,
    latest_submissions,
    load_cohort,
    member_of,
)
from leerkring.assignments.status import Status, status
from leerkring.assignments.submission_services import now
from leerkring.assignments.submissions import assignment_status_label
from leerkring.extensions import db
from leerkring.permissions import can_teach_cohort, require
from leerkring.web import csv_download, paginate, render


@dataclass(frozen=True)
class Cell:
    status: Status
    #: The student's latest attempt, or None.
    submission: Submission | None

    @property
    def late(self) -> bool:
        """Handed in late, shown beside a status that does not say so itself."""
        return (self.submission is not None and self.submission.is_late
                and self.status != Status.LATE)

    def text(self) -> str:
        label = assignment_status_label(self.status)
        return f"{label} ({_('late')})" if self.late else label


def students_select(cohort_id: int):
    return (
        sa.select(User)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort_id, CohortMember.role == CohortRole.STUDENT)
        .order_by(User.name, User.id)
    )


def assignments_of(cohort_id: int) -> list[Assignment]:
    return list(db.session.execute(
        sa.select(Assignment).where(Assignment.cohort_id == cohort_id)
        .order_by(Assignment.due_at, Assignment.id)
    ).scalars())


def rows_of(assignments, students) -> list[tuple[User, list[Cell]]]:
    assignment_ids = [a.id for a in assignments]
    student_ids = [s.id for s in students]
    moment = now()
    attempts = latest_submissions(student_ids, assignment_ids)
    extensions = extensions_of(student_ids, assignment_ids)
    attended = attended_counts(student_ids, assignments, moment)
    rows = []
    for student in students:
        cells = []
        for assignment in assignments:
            key = (student.id, assignment.id)
            submission = attempts.get(key)
            cells.append(Cell(
                status(assignment, submission, moment, extensions.get(key),
                       attended.get(key, 0)),
                submission,
            ))
        rows.append((student, cells))
    return rows


def load_managed(cohort_id: int):
    cohort = load_cohort(cohort_id)
    require(can_teach_cohort(current_user, cohort, member_of(current_user, cohort.id)),
            hide=True)
    return cohort


@bp.get("/cohorts/<int:cohort_id>/grid")
def grid(cohort_id: int):
    cohort = load_managed(cohort_id)
    assignments = assignments_of(cohort.id)
    page = paginate(students_select(cohort.id))
    return render("assignments/grid.html", cohort=cohort, assignments=assignments,
                  rows=rows_of(assignments, page.items), pagination=page)


@bp.get("/cohorts/<int:cohort_id>/grid.csv")
def grid_csv(cohort_id: int):
    cohort = load_managed(cohort_id)
    assignments = assignments_of(cohort.id)
    students = list(db.session.execute(students_select(cohort.id)).scalars())
    header = [_("Student"), _("E-mail address"), *(assignment.title for assignment in assignments)]
    rows = (
        [student.name, student.email, *(cell.text() for cell in cells)]
        for student, cells in rows_of(assignments, students)
    )
    return csv_download(f"cohort-{cohort.id}.csv", header, rows)

"""Setting assignments and granting extensions. Services never commit."""

import sqlalchemy as sa

from leerkring.assignments import reminders
from leerkring.assignments.models import Assignment, Extension
from leerkring.extensions import db


def create_assignment(cohort, author, values: dict) -> Assignment:
    assignment = Assignment(cohort_id=cohort.id, created_by_id=author.id, **values)
    db.session.add(assignment)
    db.session.flush()
    reminders.replan([assignment.id])
    return assignment


def update_assignment(assignment: Assignment, values: dict) -> None:
    for name, value in values.items():
        setattr(assignment, name, value)
    db.session.flush()
    reminders.replan([assignment.id])


def grant_extension(assignment: Assignment, student, due_at, cutoff_at, granted_by) -> Extension:
    """The student's own due date and cut-off; replaces an earlier extension."""
    extension = db.session.execute(
        sa.select(Extension).where(
            Extension.assignment_id == assignment.id, Extension.student_id == student.id
        )
    ).scalar()
    if extension is None:
        extension = Extension(assignment_id=assignment.id, student_id=student.id)
        db.session.add(extension)
    extension.due_at = due_at
    extension.cutoff_at = cutoff_at
    extension.granted_by_id = granted_by.id
    db.session.flush()
    reminders.replan([assignment.id])
    return extension


def remove_extension(extension: Extension) -> None:
    db.session.delete(extension)
    db.session.flush()
    reminders.replan([extension.assignment_id])

"""Reminders about fieldwork assignments (DESIGN.md section 7): who hears what about an
assignment, and when.

Every kind is about one assignment (subject type "assignment") and goes to students of its cohort;
none belongs to a circle, so a circle's coordinators cannot turn them off (``Kind.per_circle``).
An archived cohort gets no reminders at all. Each student's own due date and cut-off come from
``status.deadlines`` (an extension replaces both), and whether they still have work to hand in
from ``status.status``:

- ``assignment_due_soon``: 48 hours before the student's due date, to students who have not
  handed it in (for an attendance assignment: who have not attended enough meetings yet). An
  assignment that opens less than 48 hours before its due date is reminded of when it opens, not
  before: nothing can be handed in before the open date. A student who joins the cohort, or an
  assignment set, within those 48 hours hears at once. It makes sense until the due date.
- ``assignment_overdue``: an hour after the student's due date, once, to whom has still not
  handed it in. It makes sense until the cut-off; without a cut-off (late work is always
  accepted) for seven days. A cut-off within the hour after the due date leaves no time for it.
- ``assignment_feedback``: at once, to the student, when a lecturer gave feedback on their work
  (a new feedback, a new notice); it makes sense for fourteen days and links to the submission.

"Has not handed it in" concerns the first attempt: a student whose work was handed in once is
not reminded of the dates again (a second attempt, asked for with "resubmit", is accepted
whatever the dates). The occurrence key of the first two kinds is the student's due instant, so
a changed due date or a new extension plans anew, and a pass that changes nothing repeats
nothing. Each ``due`` runs a fixed number of queries (the students with their extensions, then
``queries.latest_submissions`` and, for attendance assignments, ``queries.attended_counts``)
whatever the number of students. The services replan an assignment when it is set or edited, an
extension is granted or removed, work is handed in or feedback given, a student joins or leaves
its cohort, and the cohort is archived or opened again.

The lecturer's weekly digest says per cohort how many submissions wait for feedback.

A mail carries the assignment's title, the cohort's name, the student's due date (and cut-off)
and a link; never the work handed in nor the feedback's text.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from leerkring.assignments import reminder_mail
from leerkring.assignments.models import (
    Assignment,
    Cohort,
    CohortMember,
    CohortRole,
    Extension,
    Submission,
)
from leerkring.assignments.queries import attended_counts, latest_submissions
from leerkring.assignments.reminder_mail import still_to_hand_in
from leerkring.assignments.status import Deadlines, deadlines
from leerkring.extensions import db
from leerkring.notifications import outbox
from leerkring.notifications.moments import instant_key
from leerkring.notifications.registry import (
    DigestItem,
    DigestSection,
    Due,
    Kind,
    Scope,
    register_digest_section,
    register_kind,
)

SUBJECT = "assignment"
#: "Due soon" comes this long before the student's due date …
DUE_SOON_BEFORE = timedelta(hours=48)
#: … "overdue" this long after it, and makes sense until the cut-off, or this long without one.
OVERDUE_AFTER = timedelta(hours=1)
OVERDUE_WITHOUT_CUTOFF = timedelta(days=7)
#: "You have feedback" makes sense this long after it was given.
FEEDBACK_VALID_FOR = timedelta(days=14)


def replan(assignment_ids) -> None:
    """Bring the reminders about these assignments up to date, in the caller's transaction."""
    db.session.flush()
    outbox.replan(SUBJECT, assignment_ids)


def replan_cohort(cohort_id: int) -> None:
    """A student joined or left the cohort: replan every assignment of it."""
    db.session.flush()
    replan(db.session.execute(
        sa.select(Assignment.id).where(Assignment.cohort_id == cohort_id)
    ).scalars().all())


def due_soon_moment(assignment: Assignment, due: Deadlines) -> datetime:
    return max(due.due_at - DUE_SOON_BEFORE, assignment.opens_at)


def overdue_window(due: Deadlines) -> tuple[datetime, datetime]:
    """When "overdue" is due, and until when it makes sense."""
    return due.due_at + OVERDUE_AFTER, due.cutoff_at or due.due_at + OVERDUE_WITHOUT_CUTOFF


# Who still has work to hand in --------------------------------------------------------------------

#: The student's due date and cut-off in SQL, only to narrow what is loaded; ``deadlines`` decides.
_has_extension = Extension.id.is_not(None)
_student_due = sa.case((_has_extension, Extension.due_at), else_=Assignment.due_at)
_student_cutoff = sa.case((_has_extension, Extension.cutoff_at), else_=Assignment.cutoff_at)


def _open_work(scope: Scope, *conditions) -> list[tuple[Assignment, int, Deadlines]]:
    """``(assignment, student_id, their deadlines)`` for each student of a running cohort who has
    not handed the assignment in, among the assignments asked for and the rows ``conditions``
    (on ``_student_due`` and ``_student_cutoff``) leave."""
    statement = (
        sa.select(Assignment, CohortMember.user_id, Extension)
        .join(Cohort, Cohort.id == Assignment.cohort_id)
        .join(CohortMember, CohortMember.cohort_id == Assignment.cohort_id)
        .outerjoin(Extension, sa.and_(Extension.assignment_id == Assignment.id,
                                      Extension.student_id == CohortMember.user_id))
        .where(Cohort.archived_at.is_(None), CohortMember.role == CohortRole.STUDENT, *conditions)
    )
    if scope.subject_ids is not None:
        statement = statement.where(Assignment.id.in_(list(scope.subject_ids)))
    rows = db.session.execute(statement).all()
    if not rows:
        return []
    assignments = list({assignment.id: assignment for assignment, _s, _e in rows}.values())
    student_ids = {student_id for _a, student_id, _e in rows}
    latest = latest_submissions(student_ids, [a.id for a in assignments])
    attended = attended_counts(student_ids, assignments, scope.now)
    return [
        (assignment, student_id, deadlines(assignment, extension))
        for assignment, student_id, extension in rows
        if still_to_hand_in(assignment, latest.get((student_id, assignment.id)), scope.now,
                            extension, attended.get((student_id, assignment.id), 0))
    ]


# When: each kind's due ------------------------------------------------------------------------


def due_soon_due(scope: Scope) -> list[Due]:
    conditions = [_student_due > scope.now]
    if scope.until is not None:
        conditions.append(_student_due <= scope.until + DUE_SOON_BEFORE)
    dues = []
    for assignment, student_id, due in _open_work(scope, *conditions):
        due_at = due_soon_moment(assignment, due)
        if due_at < due.due_at:
            dues.append(Due(student_id, assignment.id, due_at, due.due_at, instant_key(due.due_at)))
    return dues


def overdue_due(scope: Scope) -> list[Due]:
    without_cutoff_since = scope.now - OVERDUE_WITHOUT_CUTOFF
    conditions = [sa.or_(_student_cutoff > scope.now,
                         sa.and_(_student_cutoff.is_(None), _student_due > without_cutoff_since))]
    if scope.until is not None:
        conditions.append(_student_due <= scope.until - OVERDUE_AFTER)
    dues = []
    for assignment, student_id, due in _open_work(scope, *conditions):
        due_at, expires_at = overdue_window(due)
        if due_at < expires_at:
            dues.append(Due(student_id, assignment.id, due_at, expires_at,
                            instant_key(due.due_at)))
    return dues


def feedback_due(scope: Scope) -> list[Due]:
    """At once, to the student, for each feedback given to a student still in a running cohort."""
    statement = (
        sa.select(Submission.assignment_id, Submission.student_id, Submission.feedback_at)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(Cohort, Cohort.id == Assignment.cohort_id)
        .join(CohortMember, sa.and_(CohortMember.cohort_id == Assignment.cohort_id,
                                    CohortMember.user_id == Submission.student_id))
        .where(
            Cohort.archived_at.is_(None),
            CohortMember.role == CohortRole.STUDENT,
            Submission.feedback_at.is_not(None),
            Submission.feedback_at > scope.now - FEEDBACK_VALID_FOR,
        )
    )
    if scope.subject_ids is not None:
        statement = statement.where(Submission.assignment_id.in_(list(scope.subject_ids)))
    else:
        statement = statement.where(Submission.feedback_at <= scope.until)
    return [
        Due(student_id, assignment_id, given_at, given_at + FEEDBACK_VALID_FOR,
            instant_key(given_at))
        for assignment_id, student_id, given_at in db.session.execute(statement)
    ]


# The kinds -------------------------------------------------------------------------------------
# Each label names the assignment, so they read as one group on the settings page.


def _kind(name, label, notice, due, render) -> Kind:
    return register_kind(Kind(name, SUBJECT, label, notice, due, render, per_circle=False))


ASSIGNMENT_DUE_SOON = _kind(
    "assignment_due_soon",
    _l("A fieldwork assignment you have not handed in is due soon"),
    _l("The assignment “%(title)s” (%(cohort)s) is due on %(when)s."),
    due_soon_due, reminder_mail.due_soon_render,
)
ASSIGNMENT_OVERDUE = _kind(
    "assignment_overdue",
    _l("A fieldwork assignment you have not handed in is past its due date"),
    _l("The assignment “%(title)s” (%(cohort)s) was due on %(when)s and is not handed in yet."),
    overdue_due, reminder_mail.overdue_render,
)
ASSIGNMENT_FEEDBACK = _kind(
    "assignment_feedback",
    _l("A lecturer gave feedback on your fieldwork assignment"),
    _l("A lecturer gave feedback on your work for “%(title)s” (%(cohort)s)."),
    feedback_due, reminder_mail.feedback_render,
)


# The weekly digest ----------------------------------------------------------------------------


def waiting_for_feedback(user, since, until) -> DigestSection | None:
    """Per running cohort the reader teaches: how many handed-in submissions of its students wait
    for feedback (one grouped query)."""
    lecturer = sa.orm.aliased(CohortMember)
    student = sa.orm.aliased(CohortMember)
    rows = db.session.execute(
        sa.select(Cohort.id, Cohort.name, sa.func.count(Submission.id))
        .join(lecturer, lecturer.cohort_id == Cohort.id)
        .join(Assignment, Assignment.cohort_id == Cohort.id)
        .join(Submission, Submission.assignment_id == Assignment.id)
        .join(student, sa.and_(student.cohort_id == Cohort.id,
                               student.user_id == Submission.student_id))
        .where(
            lecturer.user_id == user.id,
            lecturer.role == CohortRole.LECTURER,
            student.role == CohortRole.STUDENT,
            Cohort.archived_at.is_(None),
            Submission.submitted_at.is_not(None),
            Submission.feedback_at.is_(None),
        )
        .group_by(Cohort.id, Cohort.name)
        .order_by(Cohort.name, Cohort.id)
    ).all()
    if not rows:
        return None
    return DigestSection(
        _("Submissions waiting for your feedback"),
        [
            DigestItem(
                ngettext("%(cohort)s: %(num)d submission waits for your feedback",
                         "%(cohort)s: %(num)d submissions wait for your feedback",
                         count, cohort=name),
                url_for("assignments.grid", cohort_id=cohort_id),
            )
            for cohort_id, name, count in rows
        ],
    )


register_digest_section("assignments.waiting", waiting_for_feedback)

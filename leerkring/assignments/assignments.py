"""Setting assignments, an assignment's page, extensions, and the student's page of their
assignments."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from leerkring import places
from leerkring.assignments import assignment_services as services
from leerkring.assignments import bp
from leerkring.assignments.assignment_forms import (
    AssignmentForm,
    ConfirmForm,
    ExtensionForm,
    assignment_data,
)
from leerkring.assignments.models import (
    Assignment,
    CohortMember,
    CohortRole,
    Extension,
    SubmissionKind,
)
from leerkring.assignments.queries import (
    attended_counts,
    extensions_of,
    latest_submissions,
    load_assignment,
    load_cohort,
    member_of,
)
from leerkring.assignments.status import Status, deadlines, status
from leerkring.extensions import db
from leerkring.meetings.models import Meeting, MeetingStatus
from leerkring.permissions import (
    can_create_cohort,
    can_manage_cohort,
    can_view_assignment,
    require,
)
from leerkring.web import paginate, redirect_to, render

NEXT_STEPS = {
    Status.NOT_OPEN: _l("Wait until it opens."),
    Status.NOT_STARTED: _l("Start your work and hand it in before the due date."),
    Status.DRAFT: _l("Finish your draft and hand it in."),
    Status.SUBMITTED: _l("Wait for your lecturer's feedback."),
    Status.LATE: _l("Wait for your lecturer's feedback."),
    Status.FEEDBACK: _l("Read the feedback."),
    Status.RESUBMIT: _l("Read the feedback and hand in a new attempt."),
    Status.OVERDUE: _l("Hand it in now: it is past the due date and will be marked late."),
    Status.MISSED: _l("The cut-off has passed. Ask your lecturer for an extension."),
}

ATTENDANCE_STEPS = {
    Status.NOT_STARTED: _l("Attend the circle's meetings and check in."),
    Status.OVERDUE: _l("Attend the circle's meetings and check in; you are past the due date."),
    Status.SUBMITTED: _l("Done: you attended enough meetings."),
}

KIND_NAMES = {
    SubmissionKind.TEXT: _l("Text"),
    SubmissionKind.REFLECTION: _l("Reflection"),
    SubmissionKind.CASE: _l("Case brought to a meeting"),
    SubmissionKind.ATTENDANCE: _l("Attendance"),
}


def clock() -> datetime:
    return places.now()


def _status(form) -> int:
    return 422 if form.is_submitted() else 200


@dataclass(frozen=True)
class Standing:
    """Where one student stands with one assignment."""

    status: Status
    due_at: datetime
    cutoff_at: datetime | None
    extended: bool
    attended: int
    submission: object = None


def next_step(assignment, standing: Standing):
    if assignment.kind == SubmissionKind.ATTENDANCE and standing.status in ATTENDANCE_STEPS:
        return ATTENDANCE_STEPS[standing.status]
    return NEXT_STEPS[standing.status]


def standing_of(assignment, student_id, now, submissions, extensions, attended) -> Standing:
    key = (student_id, assignment.id)
    extension = extensions.get(key)
    submission = submissions.get(key)
    count = attended.get(key, 0)
    limits = deadlines(assignment, extension)
    return Standing(status(assignment, submission, now, extension, count), limits.due_at,
                    limits.cutoff_at, extension is not None, count, submission)


def standings(student_id, assignments, now) -> dict[int, Standing]:
    """Each assignment's standing for one student: three queries whatever their number."""
    ids = [a.id for a in assignments]
    submissions = latest_submissions([student_id], ids)
    extensions = extensions_of([student_id], ids)
    attended = attended_counts([student_id], assignments, now)
    return {a.id: standing_of(a, student_id, now, submissions, extensions, attended)
            for a in assignments}


# Setting an assignment ------------------------------------------------------------------------


def cohort_meetings(cohort) -> list[Meeting]:
    """The meetings of the cohort's circles an assignment may name: from a month before the
    cohort starts on, not cancelled."""
    circle_ids = [circle.id for circle in cohort.circles]
    if not circle_ids:
        return []
    since = datetime.combine(cohort.starts_on, time.min, tzinfo=UTC) - timedelta(days=31)
    return db.session.execute(
        sa.select(Meeting)
        .where(Meeting.circle_id.in_(circle_ids), Meeting.status != MeetingStatus.CANCELLED,
               Meeting.starts_at >= since)
        .order_by(Meeting.starts_at)
        .limit(200)
    ).scalars().all()


def assignment_form(cohort, data=None) -> AssignmentForm:
    return AssignmentForm(circles=cohort.circles, meetings=cohort_meetings(cohort), data=data)


def show_url(assignment) -> str:
    return url_for("assignments.show", assignment_id=assignment.id)


@bp.route("/cohorts/<int:cohort_id>/assignments/new", methods=["GET", "POST"])
def new(cohort_id: int):
    cohort = load_cohort(cohort_id)
    require(can_manage_cohort(current_user, cohort, member_of(current_user, cohort.id)))
    form = assignment_form(cohort)
    if form.validate_on_submit():
        assignment = services.create_assignment(cohort, current_user, form.values())
        db.session.commit()
        flash(_("The assignment is set."))
        return redirect_to(show_url(assignment))
    return render("assignments/assignment_form.html", status=_status(form), form=form,
                  cohort=cohort, assignment=None)


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def edit(assignment_id: int):
    assignment = load_assignment(assignment_id)
    cohort = assignment.cohort
    require(can_manage_cohort(current_user, cohort, member_of(current_user, cohort.id)))
    form = assignment_form(cohort, data=assignment_data(assignment))
    if form.validate_on_submit():
        services.update_assignment(assignment, form.values())
        db.session.commit()
        flash(_("The changes are saved."))
        return redirect_to(show_url(assignment))
    return render("assignments/assignment_form.html", status=_status(form), form=form,
                  cohort=cohort, assignment=assignment)


# An assignment's page -------------------------------------------------------------------------


@bp.get("/assignments/<int:assignment_id>")
def show(assignment_id: int):
    assignment = load_assignment(assignment_id)
    member = member_of(current_user, assignment.cohort_id)
    require(can_view_assignment(current_user, assignment, member), hide=True)
    standing = None
    if not member.is_lecturer:
        standing = standings(current_user.id, [assignment], clock())[assignment.id]
    return render(
        "assignments/show.html", assignment=assignment, member=member, standing=standing,
        next_step=next_step(assignment, standing) if standing else None,
        kind_name=KIND_NAMES[assignment.kind],
        manages=can_manage_cohort(current_user, assignment.cohort, member),
    )


# Extensions -----------------------------------------------------------------------------------


def cohort_students(cohort_id: int) -> list:
    rows = db.session.execute(
        sa.select(CohortMember)
        .where(CohortMember.cohort_id == cohort_id, CohortMember.role == CohortRole.STUDENT)
        .options(db.joinedload(CohortMember.user))
    ).scalars()
    return sorted((row.user for row in rows), key=lambda user: user.name.casefold())


def managed_assignment(assignment_id: int) -> Assignment:
    assignment = load_assignment(assignment_id)
    member = member_of(current_user, assignment.cohort_id)
    require(can_manage_cohort(current_user, assignment.cohort, member))
    return assignment


@bp.route("/assignments/<int:assignment_id>/extensions", methods=["GET", "POST"])
def extensions(assignment_id: int):
    assignment = managed_assignment(assignment_id)
    form = ExtensionForm(students=cohort_students(assignment.cohort_id))
    if form.validate_on_submit():
        values = form.values()
        services.grant_extension(assignment, values["student"], values["due_at"],
                                 values["cutoff_at"], current_user)
        db.session.commit()
        flash(_("%(name)s has an extension.", name=values["student"].name))
        return redirect_to(url_for("assignments.extensions", assignment_id=assignment.id))
    pagination = paginate(
        sa.select(Extension)
        .where(Extension.assignment_id == assignment.id)
        .options(db.joinedload(Extension.student))
        .order_by(Extension.due_at, Extension.id)
    )
    return render("assignments/extensions.html", status=_status(form), form=form,
                  assignment=assignment, pagination=pagination,
                  remove_form=ConfirmForm(formdata=None))


@bp.post("/assignments/<int:assignment_id>/extensions/<int:extension_id>/remove")
def remove_extension(assignment_id: int, extension_id: int):
    assignment = managed_assignment(assignment_id)
    extension = db.first_or_404(
        sa.select(Extension).where(Extension.id == extension_id,
                                   Extension.assignment_id == assignment.id)
    )
    if ConfirmForm().validate_on_submit():
        services.remove_extension(extension)
        db.session.commit()
        flash(_("The extension is removed."))
    return redirect_to(url_for("assignments.extensions", assignment_id=assignment.id))


# The student's page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    assignment: Assignment
    teaches: bool
    standing: Standing | None
    next_step: object


@bp.get("/assignments/")
def mine():
    """My assignments across my cohorts, by (extended) due date; lecturers see the assignments of
    the cohorts they teach."""
    me = current_user.id
    extension = sa.orm.aliased(Extension)
    select = (
        sa.select(Assignment)
        .join(CohortMember, sa.and_(CohortMember.cohort_id == Assignment.cohort_id,
                                    CohortMember.user_id == me))
        .outerjoin(extension, sa.and_(extension.assignment_id == Assignment.id,
                                      extension.student_id == me))
        .options(db.joinedload(Assignment.cohort), db.joinedload(Assignment.circle))
        .order_by(sa.func.coalesce(extension.due_at, Assignment.due_at), Assignment.id)
    )
    pagination = paginate(select)
    assignments = list(pagination.items)
    roles = dict(db.session.execute(
        sa.select(CohortMember.cohort_id, CohortMember.role).where(CohortMember.user_id == me)
    ).all()) if assignments else {}
    studied = [a for a in assignments if roles.get(a.cohort_id) == CohortRole.STUDENT]
    found = standings(me, studied, clock()) if studied else {}
    rows = []
    for assignment in assignments:
        standing = found.get(assignment.id)
        rows.append(Row(assignment, standing is None, standing,
                        next_step(assignment, standing) if standing else None))
    return render("assignments/mine.html", pagination=pagination, rows=rows)


# The navigation link --------------------------------------------------------------------------


def shows_assignments() -> bool:
    """Whether the main navigation links to the assignments: for those who may create a cohort
    and for students (by their field role), without a query, so that a page and its fragments
    run the same queries. Others in a cohort reach the page from their assignments' links."""
    from leerkring.accounts.models import FieldRole

    if not current_user.is_authenticated:
        return False
    return can_create_cohort(current_user) or current_user.field_role == FieldRole.STUDENT


@bp.app_context_processor
def navigation():
    return {"shows_assignments": shows_assignments}

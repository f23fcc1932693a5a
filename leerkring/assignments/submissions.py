"""Handing in work (``/assignments/<id>/submission``), the submission page with its feedback,
and the words for where a student stands."""

import sqlalchemy as sa
from flask import flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from leerkring.assignments import bp
from leerkring.assignments import submission_services as services
from leerkring.assignments.models import Assignment, Outcome, Submission, SubmissionKind
from leerkring.assignments.queries import coordinated_circle_ids, load_assignment, member_of
from leerkring.assignments.status import Status, status
from leerkring.assignments.submission_forms import FORMS, OUTCOME_LABELS, FeedbackForm
from leerkring.extensions import db
from leerkring.notes.guard import record_confirmation
from leerkring.notes.models import CaseNote, Reflection
from leerkring.notes.reflection_templates import TEMPLATES
from leerkring.permissions import can_give_feedback, can_submit, can_view_submission, require
from leerkring.web import redirect_to, render

STATUS_LABELS = {
    Status.NOT_OPEN: _l("Not open yet"),
    Status.NOT_STARTED: _l("Not started"),
    Status.DRAFT: _l("Draft"),
    Status.OVERDUE: _l("Overdue"),
    Status.MISSED: _l("Missed"),
    Status.SUBMITTED: _l("Handed in"),
    Status.LATE: _l("Handed in late"),
    Status.FEEDBACK: _l("Feedback received"),
    Status.RESUBMIT: _l("Hand in again"),
}


@bp.app_template_global()
def assignment_status_label(value) -> str:
    return str(STATUS_LABELS[Status(value)])


@bp.app_template_global()
def outcome_label(value) -> str:
    return str(OUTCOME_LABELS[Outcome(value)])


def refusal_message(reason: str) -> str:
    if reason == "not_open":
        return _("This assignment is not open yet: you can hand in from its open date.")
    return _("The cut-off date has passed: your work can no longer be handed in. Nothing has "
             "been handed in. Ask your lecturer for an extension if you need more time.")


# Handing in -------------------------------------------------------------------------------------


def options_for(assignment: Assignment) -> list:
    """What the student may choose for a reflection or case assignment: their own reflections
    with the assignment's template, or their own cases in its circle (or the cohort's circles)."""
    if assignment.kind == SubmissionKind.REFLECTION:
        select = sa.select(Reflection).where(Reflection.author_id == current_user.id)
        if assignment.reflection_template:
            select = select.where(Reflection.template == assignment.reflection_template)
        return list(db.session.execute(select.order_by(Reflection.created_at.desc())).scalars())
    if assignment.circle_id is not None:
        circle_ids = [assignment.circle_id]
    else:
        circle_ids = [circle.id for circle in assignment.cohort.circles]
    return list(db.session.execute(
        sa.select(CaseNote)
        .where(CaseNote.author_id == current_user.id, CaseNote.circle_id.in_(circle_ids))
        .order_by(CaseNote.created_at.desc())
    ).scalars())


def make_form(assignment: Assignment, submission: Submission):
    form_class = FORMS[assignment.kind]
    if assignment.kind == SubmissionKind.TEXT:
        return form_class(body=submission.body)
    chosen = submission.reflection_id or submission.case_id
    return form_class(options=options_for(assignment), choice=str(chosen) if chosen else "")


def new_reflection_url(assignment: Assignment) -> str:
    args = {"template": assignment.reflection_template} if assignment.reflection_template else {}
    return url_for("notes.new_reflection", **args)


def form_page(assignment, submission, form, status_code=200, refused=None):
    template = TEMPLATES.get(assignment.reflection_template) if assignment.reflection_template \
        else None
    return render(
        "assignments/submission_form.html", status=status_code, assignment=assignment,
        submission=submission, form=form, refused=refused, reflection_template=template,
        new_reflection_url=new_reflection_url(assignment),
        not_open=services.now() < assignment.opens_at,
    )


@bp.route("/assignments/<int:assignment_id>/submission", methods=["GET", "POST"])
def submission_form(assignment_id: int):
    assignment = load_assignment(assignment_id)
    member = member_of(current_user, assignment.cohort_id)
    require(can_submit(current_user, assignment, member), hide=True)
    if assignment.kind == SubmissionKind.ATTENDANCE:
        return form_page(assignment, None, None)
    submission = services.working_attempt(assignment, current_user.id)
    if submission is None:
        flash(_("You have handed this in. Your lecturer gives feedback here."))
        latest = services.latest_attempt(assignment, current_user.id)
        return redirect_to(url_for("assignments.submission", submission_id=latest.id))
    form = make_form(assignment, submission)
    if not form.validate_on_submit():
        return form_page(assignment, submission, form, 422 if form.is_submitted() else 200)
    if form.handing_in:
        refused = services.hand_in(assignment, submission, form.work())
        if refused is not None:
            db.session.rollback()
            return form_page(assignment, submission, form, 422, refused=refusal_message(refused))
        message = _("Your work is handed in.")
    else:
        services.save_draft(submission, form.work())
        message = _("Your draft is saved.")
    if assignment.kind == SubmissionKind.TEXT:
        record_confirmation(form, current_user, "submission", submission.id)
    db.session.commit()
    flash(message)
    if submission.is_draft:
        return redirect_to(url_for("assignments.submission_form", assignment_id=assignment.id))
    return redirect_to(url_for("assignments.submission", submission_id=submission.id))


# The submission page ----------------------------------------------------------------------------


def load_submission(submission_id: int) -> Submission:
    return db.first_or_404(
        sa.select(Submission)
        .where(Submission.id == submission_id)
        .options(joinedload(Submission.assignment).joinedload(Assignment.cohort),
                 joinedload(Submission.student))
    )


def viewer_of(submission: Submission):
    """Load the submission's viewer's place and 404 unless they may see it."""
    cohort_id = submission.assignment.cohort_id
    member = member_of(current_user, cohort_id)
    coordinated = frozenset()
    if member is None and submission.student_id != current_user.id:
        coordinated = coordinated_circle_ids(current_user, cohort_id, submission.student_id)
    require(can_view_submission(current_user, submission, member, coordinated), hide=True)
    return member


def submission_page(submission: Submission, member, form=None, status_code=200):
    assignment = submission.assignment
    may_give_feedback = can_give_feedback(current_user, submission, member)
    if may_give_feedback and form is None:
        form = FeedbackForm(formdata=None, feedback=submission.feedback,
                            outcome=submission.outcome.value if submission.outcome else None)
    own = submission.student_id == current_user.id
    attempts = services.attempts_of(assignment, submission.student_id) if (
        own or (member is not None and member.is_lecturer)) else [submission]
    latest = attempts[-1] if attempts else submission
    reflection_parts = []
    if submission.reflection is not None:
        template = TEMPLATES[submission.reflection.template]
        reflection_parts = [(part.label, submission.reflection.parts.get(part.key, ""))
                            for part in template.parts
                            if submission.reflection.parts.get(part.key)]
    return render(
        "assignments/submission.html", status=status_code, submission=submission,
        assignment=assignment, form=form if may_give_feedback else None, attempts=attempts,
        own=own, reflection_parts=reflection_parts,
        can_start_again=own and latest.id == submission.id and not submission.is_draft
        and submission.outcome == Outcome.RESUBMIT,
    )


@bp.get("/submissions/<int:submission_id>")
def submission(submission_id: int):
    found = load_submission(submission_id)
    return submission_page(found, viewer_of(found))


@bp.post("/submissions/<int:submission_id>/feedback")
def feedback(submission_id: int):
    found = load_submission(submission_id)
    member = viewer_of(found)
    require(can_give_feedback(current_user, found, member))
    form = FeedbackForm()
    if not form.validate_on_submit():
        return submission_page(found, member, form, 422)
    services.give_feedback(found, current_user, form.feedback.data.strip(),
                           Outcome(form.outcome.data))
    record_confirmation(form, current_user, "feedback", found.id)
    db.session.commit()
    flash(_("Your feedback is saved; %(name)s sees it now.", name=found.student.name))
    return redirect_to(url_for("assignments.submission", submission_id=found.id))


def box_context(assignment: Assignment, student_id: int) -> dict:
    """The context of ``assignments/_submission_box.html`` for one student."""
    latest = services.latest_attempt(assignment, student_id)
    extension = services.extension_of(assignment, student_id)
    return {"assignment": assignment, "submission": latest,
            "status": status(assignment, latest, services.now(), extension)}

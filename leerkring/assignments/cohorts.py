"""Cohorts: my cohorts, creating and editing one, its page, inviting students by e-mail and
removing them."""

from flask import abort, current_app, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.assignments import bp
from leerkring.assignments import cohort_services as services
from leerkring.assignments.cohort_forms import CohortForm, InviteForm
from leerkring.assignments.models import CohortMember, CohortRole
from leerkring.assignments.queries import member_of
from leerkring.extensions import db
from leerkring.permissions import (
    can_create_cohort,
    can_manage_cohort,
    can_view_cohort,
    require,
)
from leerkring.web import paginate, redirect_to, render


def cohort_url(cohort) -> str:
    return url_for("assignments.cohort", cohort_id=cohort.id)


def load_visible(cohort_id: int):
    """The cohort and the user's place in it; 404 for those who may not see it."""
    cohort = services.load_cohort_page(cohort_id)
    member = member_of(current_user, cohort.id)
    require(can_view_cohort(current_user, cohort, member), hide=True)
    return cohort, member


def load_managed(cohort_id: int):
    cohort, member = load_visible(cohort_id)
    require(can_manage_cohort(current_user, cohort, member))
    return cohort, member


def refused(error: services.CohortRefusal, url: str):
    db.session.rollback()
    flash(str(error.message), "error")
    return redirect_to(url)


@bp.get("/cohorts/")
def cohorts():
    places = paginate(services.my_cohorts(current_user))
    counts = services.student_counts([place.cohort_id for place in places.items])
    return render(
        "assignments/cohorts.html",
        places=places,
        student_counts=counts,
        may_create=can_create_cohort(current_user),
    )


@bp.route("/cohorts/new", methods=["GET", "POST"])
def new_cohort():
    require(can_create_cohort(current_user))
    form = CohortForm(circles=services.circle_choices(current_user))
    if form.validate_on_submit():
        cohort = services.create_cohort(current_user, form.cohort_fields(), form.chosen_circles())
        db.session.commit()
        flash(_("The cohort %(name)s is ready. Invite its students.", name=cohort.name))
        return redirect_to(cohort_url(cohort))
    return render(
        "assignments/cohort_form.html",
        status=422 if form.is_submitted() else 200,
        form=form,
        cohort=None,
    )


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
def edit_cohort(cohort_id: int):
    cohort, _member = load_managed(cohort_id)
    form = CohortForm(obj=cohort, circles=services.circle_choices(current_user, cohort))
    if not form.is_submitted():
        form.circles.data = [circle.id for circle in cohort.circles]
    if form.validate_on_submit():
        services.update_cohort(cohort, form.cohort_fields(), form.chosen_circles())
        db.session.commit()
        flash(_("The cohort is saved."))
        return redirect_to(cohort_url(cohort))
    return render(
        "assignments/cohort_form.html",
        status=422 if form.is_submitted() else 200,
        form=form,
        cohort=cohort,
    )


@bp.get("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    cohort, member = load_visible(cohort_id)
    return render(
        "assignments/cohort.html",
        cohort=cohort,
        member=member,
        may_manage=can_manage_cohort(current_user, cohort, member),
        lecturers=services.lecturers(cohort),
        students=paginate(services.students(cohort)),
        assignments=services.assignments(cohort),
    )


@bp.route("/cohorts/<int:cohort_id>/invite", methods=["GET", "POST"])
def invite_students(cohort_id: int):
    cohort, _member = load_managed(cohort_id)
    form = InviteForm()
    if form.validate_on_submit():
        invited = services.invite(cohort, current_user, form.addresses())
        db.session.commit()
        if invited:
            flash(_("Invitations sent: %(count)s.", count=len(invited)))
        else:
            flash(_("Everyone you entered is already in the cohort."))
        return redirect_to(url_for("assignments.invite_students", cohort_id=cohort.id))
    return render(
        "assignments/cohort_invite.html",
        status=422 if form.is_submitted() else 200,
        cohort=cohort,
        form=form,
        invitations=paginate(services.open_invitations(cohort)),
        max_age_days=current_app.config["INVITATION_MAX_AGE_DAYS"],
    )


@bp.get("/cohorts/invitations/<token>")
def cohort_invitation(token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        abort(404)
    return render(
        "assignments/cohort_invitation.html",
        invitation=invitation,
        cohort=invitation.cohort,
        member=member_of(current_user, invitation.cohort_id),
        usable=services.is_usable(invitation),
        token=token,
    )


@bp.post("/cohorts/invitations/<token>/accept")
def accept_cohort_invitation(token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        abort(404)
    cohort = invitation.cohort
    try:
        services.accept_invitation(invitation, current_user)
    except services.AlreadyInCohort as error:
        return refused(error, cohort_url(cohort))
    except services.CohortRefusal as error:
        return refused(error, url_for("assignments.cohort_invitation", token=token))
    db.session.commit()
    flash(_("Welcome! You are now a student of %(cohort)s.", cohort=cohort.name))
    return redirect_to(cohort_url(cohort))


@bp.post("/cohorts/<int:cohort_id>/students/<int:member_id>/remove")
def remove_student(cohort_id: int, member_id: int):
    cohort, _member = load_managed(cohort_id)
    student = db.first_or_404(
        db.select(CohortMember).where(
            CohortMember.id == member_id,
            CohortMember.cohort_id == cohort.id,
            CohortMember.role == CohortRole.STUDENT,
        )
    )
    name = student.user.name
    services.remove_student(student)
    db.session.commit()
    flash(_("%(name)s is no longer in the cohort.", name=name))
    return redirect_to(cohort_url(cohort))

"""Cohorts: my cohorts, creating and editing one, its page, inviting students and lecturers by
e-mail (sending an invitation again, withdrawing it), removing people, archiving and reopening."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring import invitations
from leerkring.assignments import bp
from leerkring.assignments import cohort_services as services
from leerkring.assignments.cohort_forms import CohortForm, CohortInviteForm
from leerkring.assignments.models import CohortInvitation, CohortMember, CohortRole
from leerkring.assignments.queries import member_of
from leerkring.extensions import db
from leerkring.permissions import (
    can_create_cohort,
    can_manage_cohort,
    can_teach_cohort,
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
        may_teach=can_teach_cohort(current_user, cohort, member),
        lecturers=services.lecturers(cohort),
        students=paginate(services.students(cohort)),
        assignments=services.assignments(cohort),
    )


@bp.route("/cohorts/<int:cohort_id>/invite", methods=["GET", "POST"])
def invite_students(cohort_id: int):
    cohort, _member = load_managed(cohort_id)
    form = CohortInviteForm(role=request.args.get("role", CohortRole.STUDENT.value))
    if form.validate_on_submit():
        role = CohortRole(form.role.data)
        invited = services.invite(cohort, current_user, form.addresses(), role)
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
        invitations=paginate(services.pending_invitations(cohort)),
        max_age_days=invitations.max_age(),
        now=services.utcnow(),
    )


def managed_invitation(cohort_id: int, invitation_id: int):
    cohort, _member = load_managed(cohort_id)
    invitation = db.first_or_404(db.select(CohortInvitation).where(
        CohortInvitation.id == invitation_id, CohortInvitation.cohort_id == cohort.id))
    return cohort, invitation


@bp.post("/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/send-again")
def send_invitation_again(cohort_id: int, invitation_id: int):
    cohort, invitation = managed_invitation(cohort_id, invitation_id)
    back = url_for("assignments.invite_students", cohort_id=cohort.id)
    try:
        services.send_again(invitation, current_user)
    except services.CohortRefusal as error:
        return refused(error, back)
    db.session.commit()
    flash(_("The invitation to %(email)s is sent again; the earlier link no longer works.",
            email=invitation.email))
    return redirect_to(back)


@bp.post("/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/withdraw")
def withdraw_invitation(cohort_id: int, invitation_id: int):
    cohort, invitation = managed_invitation(cohort_id, invitation_id)
    back = url_for("assignments.invite_students", cohort_id=cohort.id)
    email = invitation.email
    try:
        services.withdraw_invitation(invitation)
    except services.CohortRefusal as error:
        return refused(error, back)
    db.session.commit()
    flash(_("The invitation to %(email)s is withdrawn.", email=email))
    return redirect_to(back)


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
        member = services.accept_invitation(invitation, current_user)
    except services.AlreadyInCohort as error:
        return refused(error, cohort_url(cohort))
    except services.CohortRefusal as error:
        return refused(error, url_for("assignments.cohort_invitation", token=token))
    db.session.commit()
    if member.is_lecturer:
        flash(_("Welcome! You are now a lecturer of %(cohort)s.", cohort=cohort.name))
    else:
        flash(_("Welcome! You are now a student of %(cohort)s.", cohort=cohort.name))
    return redirect_to(cohort_url(cohort))


@bp.post("/cohorts/<int:cohort_id>/members/<int:member_id>/remove")
def remove_member(cohort_id: int, member_id: int):
    cohort, _member = load_managed(cohort_id)
    member = db.first_or_404(
        db.select(CohortMember).where(
            CohortMember.id == member_id, CohortMember.cohort_id == cohort.id
        )
    )
    name = member.user.name
    try:
        services.remove_member(member)
    except services.CohortRefusal as error:
        return refused(error, cohort_url(cohort))
    db.session.commit()
    if member.user_id == current_user.id:
        flash(_("You are no longer a lecturer of %(cohort)s.", cohort=cohort.name))
        return redirect_to(url_for("assignments.cohorts"))
    flash(_("%(name)s is no longer in the cohort.", name=name))
    return redirect_to(cohort_url(cohort))


@bp.post("/cohorts/<int:cohort_id>/archive")
def archive_cohort(cohort_id: int):
    cohort, member = load_visible(cohort_id)
    require(can_teach_cohort(current_user, cohort, member))
    services.archive(cohort, archived=request.form.get("archived") != "0")
    db.session.commit()
    if cohort.archived_at is None:
        flash(_("The cohort is open again."))
    else:
        flash(_("This cohort is archived: nothing can be handed in, and no reminders go out."))
    return redirect_to(cohort_url(cohort))

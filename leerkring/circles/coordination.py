"""Join requests, invitations and coordinating: how people come into a circle, and who runs it."""

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.circles import bp, invitations, queries, services
from leerkring.circles.forms import InviteForm
from leerkring.circles.models import JoinRequest, Membership
from leerkring.circles.views import circle_url, load_visible, paginate, refused
from leerkring.extensions import db
from leerkring.permissions import (
    can_change_circle,
    can_manage_circle,
    can_remove_member,
    can_step_down,
    public,
    require,
)
from leerkring.web import redirect_to, render, safe_next, wants_partial

# Join requests --------------------------------------------------------------------------------


@bp.get("/<int:circle_id>/requests")
def requests(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(can_change_circle(current_user, circle, membership))
    return render(
        "circles/requests.html",
        partial="circles/_requests.html",
        circle=circle,
        requests=paginate(queries.pending_requests(circle)),
    )


def load_request(circle_id: int, request_id: int):
    circle, membership = load_visible(circle_id)
    require(can_change_circle(current_user, circle, membership))
    join_request = db.first_or_404(
        db.select(JoinRequest).where(
            JoinRequest.id == request_id, JoinRequest.circle_id == circle.id
        )
    )
    return circle, join_request


def decided(join_request, default_url: str):
    """The request's item in place for htmx (with the flashes); otherwise back to the page."""
    if wants_partial():
        return render(
            "circles/_request_item.html",
            join_request=join_request,
            show_circle=request.form.get("show_circle") == "1",
            oob=True,
        )
    return redirect_to(safe_next(default_url))


@bp.post("/<int:circle_id>/requests/<int:request_id>/approve")
def approve_request(circle_id: int, request_id: int):
    circle, join_request = load_request(circle_id, request_id)
    try:
        services.approve_request(join_request, current_user)
    except services.CircleRefusal as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is now a member.", name=join_request.user.name))
    return decided(join_request, circle_url(circle))


@bp.post("/<int:circle_id>/requests/<int:request_id>/decline")
def decline_request(circle_id: int, request_id: int):
    circle, join_request = load_request(circle_id, request_id)
    try:
        services.decline_request(join_request, current_user)
    except services.CircleRefusal as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The request of %(name)s is declined.", name=join_request.user.name))
    return decided(join_request, circle_url(circle))


# Invitations ----------------------------------------------------------------------------------


@bp.route("/<int:circle_id>/invite", methods=["GET", "POST"])
def invite(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(can_change_circle(current_user, circle, membership))
    form = InviteForm()
    if form.validate_on_submit():
        invited = invitations.invite(circle, current_user, form.addresses())
        db.session.commit()
        if invited:
            flash(_("Invitations sent: %(count)s.", count=len(invited)))
        else:
            flash(_("Everyone you entered is already a member."))
        return redirect_to(url_for("circles.invite", circle_id=circle.id))
    return render(
        "circles/invite.html",
        status=422 if form.is_submitted() else 200,
        circle=circle,
        form=form,
        invitations=paginate(queries.open_invitations(circle)),
        max_age_days=current_app.config["INVITATION_MAX_AGE_DAYS"],
    )


@bp.get("/invitations/<token>")
@public
def invitation(token: str):
    invitation = invitations.find_invitation(token)
    if invitation is None:
        abort(404)
    membership = queries.membership_of(current_user, invitation.circle)
    return render(
        "circles/invitation.html",
        invitation=invitation,
        circle=invitation.circle,
        membership=membership,
        usable=invitations.is_usable(invitation),
        login_url=url_for("accounts.login", next=request.path),
        register_url=url_for("accounts.register", email=invitation.email, next=request.path),
    )


@bp.post("/invitations/<token>/accept")
def accept_invitation(token: str):
    invitation = invitations.find_invitation(token)
    if invitation is None:
        abort(404)
    return accepted(invitation, url_for("circles.invitation", token=token))


@bp.post("/<int:circle_id>/invitation/accept")
def accept_own_invitation(circle_id: int):
    """Accept an invitation sent to your own address, from the dashboard or the circle page."""
    circle = queries.load_circle(circle_id)
    invitation = invitations.open_invitation_for(circle, current_user)
    if invitation is None:
        abort(404)
    return accepted(invitation, url_for("home.index"))


def accepted(invitation, url_when_refused: str):
    circle = invitation.circle
    try:
        invitations.accept_invitation(invitation, current_user)
    except services.AlreadyMember as error:
        return refused(error, circle_url(circle))
    except services.CircleRefusal as error:
        return refused(error, url_when_refused)
    db.session.commit()
    flash(_("Welcome! You are now a member of %(circle)s.", circle=circle.name))
    return redirect_to(circle_url(circle))


# Coordinating ---------------------------------------------------------------------------------


def load_membership(circle_id: int, membership_id: int):
    circle, membership = load_visible(circle_id)
    require(can_change_circle(current_user, circle, membership))
    other = db.first_or_404(
        db.select(Membership).where(
            Membership.id == membership_id, Membership.circle_id == circle.id
        )
    )
    return circle, membership, other


@bp.post("/<int:circle_id>/members/<int:membership_id>/coordinator")
def make_coordinator(circle_id: int, membership_id: int):
    circle, _membership, other = load_membership(circle_id, membership_id)
    services.make_coordinator(other)
    db.session.commit()
    flash(_("%(name)s is now a coordinator too.", name=other.user.name))
    return redirect_to(safe_next(circle_url(circle)))


@bp.post("/<int:circle_id>/members/<int:membership_id>/remove")
def remove_member(circle_id: int, membership_id: int):
    circle, membership, other = load_membership(circle_id, membership_id)
    require(can_remove_member(current_user, circle, membership, other))
    name = other.user.name
    try:
        services.remove_member(other)
    except services.CircleRefusal as error:
        return refused(error, safe_next(circle_url(circle)))
    db.session.commit()
    flash(_("%(name)s is no longer a member.", name=name))
    return redirect_to(safe_next(circle_url(circle)))


@bp.post("/<int:circle_id>/step-down")
def step_down(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(can_step_down(current_user, circle, membership))
    try:
        services.step_down(membership)
    except services.CircleRefusal as error:
        return refused(error, circle_url(circle))
    db.session.commit()
    flash(_("You are a member again; the other coordinators carry on."))
    return redirect_to(circle_url(circle))


@bp.post("/<int:circle_id>/archive")
def archive(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(can_change_circle(current_user, circle, membership))
    services.archive(circle)
    db.session.commit()
    flash(_("The circle is archived: it is read-only and no longer listed. You can reopen it."))
    return redirect_to(circle_url(circle))


@bp.post("/<int:circle_id>/reopen")
def reopen(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(circle.is_archived and can_manage_circle(current_user, circle, membership))
    services.reopen(circle)
    db.session.commit()
    flash(_("The circle is open again."))
    return redirect_to(circle_url(circle))

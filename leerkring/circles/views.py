from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.circles import bp, invitations, queries, services
from leerkring.circles.forms import (
    JOIN_MODE_NAMES,
    CircleForm,
    FilterForm,
    JoinRequestForm,
)
from leerkring.circles.models import JoinMode
from leerkring.circles.sections import circle_sections
from leerkring.extensions import db
from leerkring.permissions import (
    can_change_circle,
    can_create_circle,
    can_join_circle,
    can_leave_circle,
    can_manage_circle,
    can_request_to_join,
    can_see_members,
    can_view_circle,
    require,
)
from leerkring.web import paginate, redirect_to, render


def load_visible(circle_id: int):
    """The circle and the user's membership, or 404 when the user may not know it exists."""
    circle = queries.load_circle(circle_id)
    membership = queries.membership_of(current_user, circle)
    require(can_view_circle(current_user, circle, membership), hide=True)
    return circle, membership


def refused(error: services.CircleRefusal, url: str):
    db.session.rollback()
    flash(str(error.message), "error")
    return redirect_to(url)


def circle_url(circle) -> str:
    return url_for("circles.show", circle_id=circle.id)


# Finding circles ------------------------------------------------------------------------------


@bp.get("/")
def index():
    form = FilterForm(
        formdata=request.args, werkplaatsen=queries.werkplaatsen(), themes=queries.themes()
    )
    filters = {
        "q": form.text(),
        "theme": form.chosen(form.theme),
        "werkplaats": form.chosen(form.werkplaats),
        "room": "1" if form.room.data else "",
        "mine": "1" if form.mine.data else "",
    }
    page = paginate(
        queries.circle_list(
            current_user,
            text=filters["q"],
            theme=filters["theme"],
            werkplaats=filters["werkplaats"],
            has_room=form.room.data,
            mine=form.mine.data,
        )
    )
    roles = queries.roles_in(current_user, [circle.id for circle in page.items])
    return render(
        "circles/index.html",
        partial="circles/_results.html",
        form=form,
        results=page,
        roles=roles,
        filters={name: value for name, value in filters.items() if value},
        can_create=can_create_circle(current_user),
    )


# Starting and editing -------------------------------------------------------------------------


def circle_form(**kwargs) -> CircleForm:
    return CircleForm(werkplaatsen=queries.werkplaatsen(), themes=queries.themes(), **kwargs)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(can_create_circle(current_user))
    form = circle_form(data={"werkplaats_id": current_user.home_werkplaats_id})
    if form.validate_on_submit():
        circle = services.create_circle(current_user, **form.circle_fields())
        db.session.commit()
        flash(_("Your circle is ready. You are its coordinator: invite people to join."))
        return redirect_to(circle_url(circle))
    status = 422 if form.is_submitted() else 200
    return render("circles/form.html", status=status, form=form, circle=None)


@bp.route("/<int:circle_id>/edit", methods=["GET", "POST"])
def edit(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(can_change_circle(current_user, circle, membership))
    form = circle_form(obj=circle, member_count=circle.member_count)
    if form.validate_on_submit():
        services.update_circle(circle, **form.circle_fields())
        db.session.commit()
        flash(_("The changes are saved."))
        return redirect_to(circle_url(circle))
    status = 422 if form.is_submitted() else 200
    return render("circles/form.html", status=status, form=form, circle=circle)


# The circle page ------------------------------------------------------------------------------


def circle_page(circle, membership, request_form=None, status=200):
    from leerkring.meetings.answers import circle_context

    user = current_user
    may_see_members = can_see_members(user, circle, membership)
    may_change = can_change_circle(user, circle, membership)
    coordinators = queries.coordinators(circle)
    own_request = invitation = None
    if membership is None:
        if circle.join_mode == JoinMode.ON_REQUEST:
            own_request = services.pending_request(circle, user)
        invitation = invitations.open_invitation_for(circle, user)
    return render(
        "circles/show.html",
        status=status,
        circle=circle,
        membership=membership,
        coordinators=coordinators,
        members=paginate(queries.members(circle)) if may_see_members else None,
        requests=paginate(queries.pending_requests(circle)) if may_change else None,
        own_request=own_request,
        invitation=invitation,
        request_form=request_form or JoinRequestForm(),
        can_manage=can_manage_circle(user, circle, membership),
        can_change=may_change,
        can_join=can_join_circle(user, circle, membership),
        can_request=can_request_to_join(user, circle, membership),
        can_leave=can_leave_circle(user, circle, membership),
        is_last_coordinator=(
            membership is not None
            and membership.is_coordinator
            and len(coordinators) == 1
            and circle.member_count > 1
        ),
        sections=circle_sections.render(circle, membership),
        **circle_context(circle, membership),
    )


@bp.get("/<int:circle_id>")
def show(circle_id: int):
    circle, membership = load_visible(circle_id)
    return circle_page(circle, membership)


@bp.get("/<int:circle_id>/members")
def members(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(can_see_members(current_user, circle, membership))
    return render(
        "circles/members.html",
        partial="circles/_members.html",
        circle=circle,
        membership=membership,
        members=paginate(queries.members(circle)),
        can_change=can_change_circle(current_user, circle, membership),
    )


# Joining and leaving --------------------------------------------------------------------------


@bp.post("/<int:circle_id>/join")
def join(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(can_join_circle(current_user, circle, membership))
    try:
        services.join(circle, current_user)
    except services.CircleRefusal as error:
        return refused(error, circle_url(circle))
    db.session.commit()
    flash(_("Welcome! You are now a member of this circle."))
    return redirect_to(circle_url(circle))


@bp.post("/<int:circle_id>/request")
def request_to_join(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(can_request_to_join(current_user, circle, membership))
    form = JoinRequestForm()
    if not form.validate():
        return circle_page(circle, membership, request_form=form, status=422)
    try:
        services.request_to_join(circle, current_user, (form.message.data or "").strip())
    except services.CircleRefusal as error:
        return refused(error, circle_url(circle))
    db.session.commit()
    flash(_("Your request is sent. A coordinator will decide; you will find the answer under "
            "Notifications."))
    return redirect_to(circle_url(circle))


@bp.post("/<int:circle_id>/request/withdraw")
def withdraw_request(circle_id: int):
    circle, _membership = load_visible(circle_id)
    join_request = services.pending_request(circle, current_user)
    if join_request is None:
        abort(404)
    services.withdraw_request(join_request)
    db.session.commit()
    flash(_("Your request is withdrawn."))
    return redirect_to(circle_url(circle))


@bp.post("/<int:circle_id>/leave")
def leave(circle_id: int):
    circle, membership = load_visible(circle_id)
    require(can_leave_circle(current_user, circle, membership))
    try:
        services.leave(membership)
    except services.CircleRefusal as error:
        return refused(error, circle_url(circle))
    db.session.commit()
    flash(_("You have left the circle."))
    return redirect_to(circle_url(circle))


@bp.app_template_filter("join_mode")
def join_mode_name(mode) -> str:
    return str(JOIN_MODE_NAMES[mode])

"""Offering a visit, approving it, editing and cancelling it."""

from flask import flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring import mail
from leerkring.circles.queries import themes
from leerkring.extensions import db
from leerkring.meetings import recurrence
from leerkring.permissions import (
    admin_werkplaats_ids,
    can_approve_visit,
    can_approve_visits,
    can_manage_visit,
    can_manage_werkplaats,
    can_offer_visit,
    require,
)
from leerkring.visits import bp, services
from leerkring.visits.loading import load_visit, visit_url
from leerkring.visits.models import Visit, VisitStatus
from leerkring.visits.offer_forms import (
    ApprovalSettingForm,
    ConfirmForm,
    DeclineForm,
    NewVisitForm,
    VisitForm,
)
from leerkring.web import paginate, redirect_to, render
from leerkring.werkplaatsen.models import Werkplaats


def _status(form) -> int:
    return 422 if form.is_submitted() else 200


@bp.route("/visits/new", methods=["GET", "POST"])
def new():
    require(can_offer_visit(current_user))
    form = NewVisitForm(themes=themes())
    if form.validate_on_submit():
        werkplaats = db.session.get(Werkplaats, current_user.home_werkplaats_id)
        visits = services.offer_visits(
            current_user, werkplaats, form.slots(), themes=form.chosen_themes(),
            audiences=form.audiences.data or (), **form.detail_fields(),
        )
        db.session.commit()
        if visits[0].status == VisitStatus.PENDING:
            flash(_("Your visit is offered. An admin of your Werkplaats approves it before it is "
                    "published."))
        else:
            flash(_("Your visit is published."))
        return redirect_to(visit_url(visits[0]))
    return render("visits/form.html", status=_status(form), form=form, visit=None)


def edit_form(visit: Visit) -> VisitForm:
    start = recurrence.to_local(visit.starts_at, visit.timezone)
    end = recurrence.to_local(visit.ends_at, visit.timezone)
    data = {
        name: getattr(visit, name)
        for name in ("title", "description", "host_organisation", "place_address",
                     "online_url", "max_places", "language", "accessibility")
    }
    data.update(
        day=start.date(), start_time=start.time(), end_time=end.time(),
        themes=[theme.id for theme in visit.themes],
        audiences=[a.audience.value for a in visit.audiences],
    )
    return VisitForm(themes=themes(), data=data)


@bp.route("/visits/<int:visit_id>/edit", methods=["GET", "POST"])
def edit(visit_id: int):
    visit = load_visit(visit_id)
    require(can_manage_visit(current_user, visit) and not visit.is_cancelled)
    form = edit_form(visit)
    if form.validate_on_submit():
        slot = form.slots()[0]
        changed = services.update_visit(
            visit, starts_at=slot.starts_at, ends_at=slot.ends_at, themes=form.chosen_themes(),
            audiences=form.audiences.data or (), **form.detail_fields(),
        )
        db.session.commit()
        flash(_("The changes are saved. Visitors see the new time or place.") if changed
              else _("The changes are saved."))
        return redirect_to(visit_url(visit))
    return render("visits/form.html", status=_status(form), form=form, visit=visit)


@bp.route("/visits/<int:visit_id>/cancel", methods=["GET", "POST"])
def cancel(visit_id: int):
    visit = load_visit(visit_id)
    require(can_manage_visit(current_user, visit))
    if visit.is_cancelled:
        flash(_("This visit is already cancelled."))
        return redirect_to(visit_url(visit))
    form = ConfirmForm()
    if form.validate_on_submit():
        services.cancel_visit(visit)
        db.session.commit()
        flash(_("The visit is cancelled."))
        return redirect_to(visit_url(visit))
    return render("visits/cancel.html", status=_status(form), form=form, visit=visit)


# Approval -------------------------------------------------------------------------------------


def approvable_werkplaatsen() -> list[Werkplaats]:
    select = db.select(Werkplaats).order_by(Werkplaats.name)
    if not current_user.is_admin:
        select = select.where(Werkplaats.id.in_(admin_werkplaats_ids(current_user)))
    return db.session.execute(select).scalars().all()


@bp.get("/visits/pending")
def pending():
    require(can_approve_visits(current_user))
    werkplaatsen = approvable_werkplaatsen()
    select = (
        db.select(Visit)
        .where(Visit.status == VisitStatus.PENDING,
               Visit.werkplaats_id.in_([w.id for w in werkplaatsen]))
        .options(db.joinedload(Visit.host), db.joinedload(Visit.werkplaats))
        .order_by(Visit.starts_at, Visit.id)
    )
    pagination = paginate(select)
    settings = {
        w.id: ApprovalSettingForm(prefix=f"w{w.id}", visits_need_approval=w.visits_need_approval,
                                  formdata=None)
        for w in werkplaatsen
    }
    return render("visits/pending.html", pagination=pagination, werkplaatsen=werkplaatsen,
                  settings=settings, decline_form=DeclineForm(formdata=None))


@bp.post("/visits/<int:visit_id>/approve")
def approve(visit_id: int):
    visit = load_visit(visit_id)
    require(can_approve_visit(current_user, visit))
    form = ConfirmForm()
    if form.validate_on_submit() and visit.status == VisitStatus.PENDING:
        services.approve(visit, current_user)
        db.session.commit()
        flash(_("The visit is approved and published."))
    return redirect_to(url_for("visits.pending"))


def tell_host_declined(visit: Visit, reason: str) -> None:
    if visit.host is None:
        return
    text = render_template("visits/mail/declined.txt", visit=visit, reason=reason,
                           url=url_for("visits.show", visit_id=visit.id, _external=True))
    mail.send_mail(visit.host.email, _("Your visit was not approved: %(title)s",
                                       title=visit.title), text)


@bp.post("/visits/<int:visit_id>/decline")
def decline(visit_id: int):
    visit = load_visit(visit_id)
    require(can_approve_visit(current_user, visit))
    form = DeclineForm()
    if form.validate_on_submit() and visit.status == VisitStatus.PENDING:
        services.decline(visit, current_user)
        db.session.commit()
        tell_host_declined(visit, (form.reason.data or "").strip())
        flash(_("The visit is declined; the host is told."))
    return redirect_to(url_for("visits.pending"))


@bp.post("/werkplaatsen/<int:werkplaats_id>/visit-approval")
def approval_setting(werkplaats_id: int):
    werkplaats = db.get_or_404(Werkplaats, werkplaats_id)
    require(can_manage_werkplaats(current_user, werkplaats))
    form = ApprovalSettingForm(prefix=f"w{werkplaats.id}")
    if form.validate_on_submit():
        services.set_needs_approval(werkplaats, form.visits_need_approval.data)
        db.session.commit()
        flash(_("Visits offered in %(name)s now need approval first.", name=werkplaats.name)
              if werkplaats.visits_need_approval
              else _("Visits offered in %(name)s are now published at once.",
                     name=werkplaats.name))
    return redirect_to(url_for("visits.pending"))

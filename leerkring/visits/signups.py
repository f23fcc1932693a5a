"""The visit page, signing up (a place or the waitlist), the host's list of visitors with its
CSV export, and writing to the host."""


import sqlalchemy as sa
from flask import current_app, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from leerkring import mail
from leerkring.accounts.forms import FIELD_ROLE_LABELS
from leerkring.accounts.models import User
from leerkring.extensions import db, limiter
from leerkring.permissions import (
    can_approve_visit,
    can_manage_visit,
    can_sign_up_for_visit,
    require,
)
from leerkring.places import now
from leerkring.visits import bp, services
from leerkring.visits.loading import load_visit, visit_url
from leerkring.visits.models import Visit, VisitSignup, VisitStatus
from leerkring.visits.offer_forms import AUDIENCE_LABELS, LANGUAGE_LABELS
from leerkring.visits.reports import visit_page_reports
from leerkring.visits.signup_forms import ContactForm, SignupForm
from leerkring.web import csv_download, redirect_to, render, wants_partial


def other_dates(visit: Visit) -> list[Visit]:
    """The offer's other dates the user may see."""
    statuses = [VisitStatus.PUBLISHED]
    if can_manage_visit(current_user, visit):
        statuses.append(VisitStatus.PENDING)
    return db.session.execute(
        sa.select(Visit)
        .where(Visit.offer_key == visit.offer_key, Visit.id != visit.id,
               Visit.status.in_(statuses), Visit.starts_at > now())
        .order_by(Visit.starts_at)
    ).scalars().all()


def signup_context(visit: Visit, form: SignupForm | None = None) -> dict:
    signup = services.signup_of(visit, current_user)
    waiting = db.session.execute(
        sa.select(sa.func.count()).select_from(VisitSignup)
        .where(VisitSignup.visit_id == visit.id, VisitSignup.waitlisted_at.is_not(None))
    ).scalar_one()
    return {
        "visit": visit,
        "signup": signup,
        "position": services.waitlist_position(signup) if signup else None,
        "waiting": waiting,
        "can_sign_up": can_sign_up_for_visit(current_user, visit),
        "is_open": visit.is_published and visit.starts_at > now(),
        "signup_form": form or SignupForm(formdata=None,
                                          learning_goal=signup.learning_goal if signup else ""),
    }


@bp.get("/visits/<int:visit_id>")
def show(visit_id: int):
    visit = load_visit(visit_id)
    return render(
        "visits/show.html",
        can_manage=can_manage_visit(current_user, visit),
        can_approve=can_approve_visit(current_user, visit),
        other_dates=other_dates(visit),
        audience_labels=AUDIENCE_LABELS,
        language_labels=LANGUAGE_LABELS,
        contact_form=ContactForm(formdata=None),
        **signup_context(visit),
        **visit_page_reports(visit),
    )


def signup_box(visit: Visit, status: int = 200, form: SignupForm | None = None):
    """After a sign-up change: the page for browsers, the box (with flashes) for htmx."""
    if not wants_partial() and status == 200:
        return redirect_to(visit_url(visit))
    return render(
        "visits/show.html", "visits/_signup.html", status=status,
        can_manage=can_manage_visit(current_user, visit), other_dates=other_dates(visit),
        audience_labels=AUDIENCE_LABELS, language_labels=LANGUAGE_LABELS,
        contact_form=ContactForm(formdata=None), oob=True, with_flashes=True,
        **signup_context(visit, form), **visit_page_reports(visit),
    )


@bp.post("/visits/<int:visit_id>/signup")
def signup(visit_id: int):
    visit = load_visit(visit_id)
    require(can_sign_up_for_visit(current_user, visit) or visit.is_cancelled)
    form = SignupForm()
    if not form.validate_on_submit():
        return signup_box(visit, 422, form)
    try:
        entry = services.sign_up(visit, current_user, (form.learning_goal.data or "").strip())
    except services.SignupRefused as refusal:
        db.session.rollback()
        flash(str(refusal.message), "error")
        return signup_box(visit, 409)
    db.session.commit()
    flash(_("You have a place.") if entry.has_place
          else _("The visit is full: you are on the waitlist."))
    return signup_box(visit)


@bp.post("/visits/<int:visit_id>/signup/cancel")
def cancel_signup(visit_id: int):
    visit = load_visit(visit_id)
    try:
        services.cancel_signup(visit, current_user)
    except services.SignupRefused as refusal:
        db.session.rollback()
        flash(str(refusal.message), "error")
        return signup_box(visit, 409)
    db.session.commit()
    flash(_("Your sign-up is cancelled."))
    return signup_box(visit)


# The host's list ------------------------------------------------------------------------------


def visitors(visit: Visit) -> list[dict]:
    """Everyone signed up: those with a place first, then the waitlist in order."""
    rows = db.session.execute(
        sa.select(VisitSignup)
        .where(VisitSignup.visit_id == visit.id)
        .options(joinedload(VisitSignup.user).joinedload(User.home_werkplaats))
        .order_by(VisitSignup.has_place.desc(), VisitSignup.waitlisted_at, VisitSignup.id)
    ).scalars().all()
    result, position = [], 0
    for entry in rows:
        if not entry.has_place and entry.waitlisted_at is None:
            continue
        position = position if entry.has_place else position + 1
        user = entry.user
        result.append({
            "name": user.name,
            "werkplaats": user.home_werkplaats.name if user.home_werkplaats else "",
            "role": str(FIELD_ROLE_LABELS.get(user.field_role, "")) if user.field_role else "",
            "learning_goal": entry.learning_goal,
            "has_place": entry.has_place,
            "position": None if entry.has_place else position,
        })
    return result


def place_text(row: dict) -> str:
    if row["has_place"]:
        return _("Place")
    return _("Waitlist %(position)s", position=row["position"])


@bp.get("/visits/<int:visit_id>/visitors")
def visitor_list(visit_id: int):
    visit = load_visit(visit_id)
    require(can_manage_visit(current_user, visit))
    return render("visits/visitors.html", visit=visit, rows=visitors(visit),
                  place_text=place_text)


@bp.get("/visits/<int:visit_id>/visitors.csv")
def visitor_csv(visit_id: int):
    visit = load_visit(visit_id)
    require(can_manage_visit(current_user, visit))
    header = [_("Name"), _("Werkplaats"), _("Role"), _("What I want to learn"),
              _("Place or waitlist")]
    rows = (
        [row["name"], row["werkplaats"], row["role"], row["learning_goal"], place_text(row)]
        for row in visitors(visit)
    )
    return csv_download(f"visit-{visit.id}.csv", header, rows)


# Writing to the host --------------------------------------------------------------------------


@bp.route("/visits/<int:visit_id>/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("RATELIMIT_VISIT_CONTACT", "5/hour"),
               key_func=lambda: f"visit-contact-{current_user.get_id()}", methods=["POST"])
def contact(visit_id: int):
    visit = load_visit(visit_id)
    require(visit.is_published and visit.host is not None
            and visit.host_id != current_user.id)
    form = ContactForm()
    if form.validate_on_submit():
        text = render_template(
            "visits/mail/contact.txt", visit=visit, sender=current_user, body=form.body.data,
            url=url_for("visits.show", visit_id=visit.id, _external=True),
        )
        mail.send_mail(
            visit.host.email, _("A question about your visit: %(title)s", title=visit.title),
            text, headers={"Reply-To": current_user.email},
        )
        flash(_("Your message is sent. The host answers you by e-mail."))
        return redirect_to(visit_url(visit))
    status = 422 if form.is_submitted() else 200
    return render("visits/contact.html", status=status, visit=visit, form=form)

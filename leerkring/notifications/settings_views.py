"""Choosing which reminders come how: a user's own preferences, a circle's muted kinds and the
one-click unsubscribe link in every reminder mail."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.accounts.models import User
from leerkring.circles import queries as circles
from leerkring.extensions import csrf, db
from leerkring.notifications import bp, choices, forms, preferences
from leerkring.notifications.registry import KINDS
from leerkring.permissions import can_mute_circle_kinds, can_view_circle, public, require
from leerkring.web import redirect_to, render


def _status(form) -> int:
    return 422 if form.errors else 200


@bp.route("/preferences", methods=["GET", "POST"], endpoint="preferences")
def preferences_page():
    user = current_user._get_current_object()
    kinds, current = choices.current(user)
    form = forms.preferences_form(kinds, current)
    if form.validate_on_submit():
        choices.save(user, form.chosen([kind.name for kind in kinds]))
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect_to(url_for("notifications.preferences"))
    return render(
        "notifications/preferences.html",
        status=_status(form),
        form=form,
        kinds=kinds,
        channel_field=forms.channel_field,
    )


# One-click unsubscribe ------------------------------------------------------------------------


def _unsubscribing(token: str):
    """The user and kind the signed token names, or (None, None)."""
    found = preferences.read_unsubscribe_token(token)
    if found is None:
        return None, None
    user_id, kind_name = found
    user, kind = db.session.get(User, user_id), KINDS.get(kind_name)
    return (user, kind) if user is not None and kind is not None else (None, None)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
def unsubscribe(token: str):
    """The link in every reminder mail; the signed token says whose and which kind.

    GET only asks (mail scanners open links); POST acts. Exempt from CSRF because mail clients
    send RFC 8058's one-click POST (body ``List-Unsubscribe=One-Click``) without a form token;
    the token in the URL, secret to the recipient, is what a CSRF token would prove.
    """
    user, kind = _unsubscribing(token)
    if user is None:
        return render("notifications/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        choices.unsubscribe(user, kind)
        db.session.commit()
        if request.form.get("List-Unsubscribe") != "One-Click":
            return redirect_to(url_for("notifications.unsubscribe", token=token))
    return render(
        "notifications/unsubscribe.html",
        kind=kind,
        token=token,
        gets_mail=choices.gets_mail(user, kind),
    )


# A circle's muted kinds -----------------------------------------------------------------------


@bp.route("/circles/<int:circle_id>", methods=["GET", "POST"])
def circle_kinds(circle_id: int):
    """Coordinators turn kinds off (and on again) for everyone in their circle."""
    circle = circles.load_circle(circle_id)
    membership = circles.membership_of(current_user, circle)
    require(can_view_circle(current_user, circle, membership), hide=True)
    require(can_mute_circle_kinds(current_user, circle, membership))
    kinds = [kind for kind in KINDS.values() if kind.is_optional and kind.per_circle]
    form = forms.circle_kinds_form(kinds, choices.muted_kinds(circle))
    if form.validate_on_submit():
        muted = {kind.name for kind in kinds if not form[forms.kind_field(kind.name)].data}
        choices.set_muted_kinds(circle, muted, kinds)
        db.session.commit()
        flash(_("The reminders for this circle are saved."), "success")
        return redirect_to(url_for("notifications.circle_kinds", circle_id=circle.id))
    return render(
        "notifications/circle.html",
        status=_status(form),
        form=form,
        kinds=kinds,
        circle=circle,
        kind_field=forms.kind_field,
    )

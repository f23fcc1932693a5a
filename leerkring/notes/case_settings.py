"""A circle's case settings, chosen by its coordinators: how long its cases are kept (the
platform's period or a shorter one) and what a member's account deletion does to their cases and
comments."""

from flask import current_app, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.circles.queries import load_circle, membership_of
from leerkring.extensions import db
from leerkring.notes import bp, retention
from leerkring.notes.settings_forms import CaseSettingsForm
from leerkring.permissions import can_change_circle, can_view_circle, require
from leerkring.web import redirect_to, render


@bp.route("/circles/<int:circle_id>/case-settings", methods=["GET", "POST"])
def case_settings(circle_id: int):
    circle = load_circle(circle_id)
    membership = membership_of(current_user, circle)
    require(can_view_circle(current_user, circle, membership), hide=True)
    require(can_change_circle(current_user, circle, membership))
    platform_months = retention.platform_months()
    form = CaseSettingsForm.of(circle, platform_months)
    if form.validate_on_submit():
        retention.save_circle_settings(
            circle, months=form.chosen_months(), erasure=form.chosen_erasure()
        )
        db.session.commit()
        flash(_("The case settings are saved."), "success")
        return redirect_to(url_for("notes.case_settings", circle_id=circle.id))
    return render(
        "notes/case_settings.html",
        status=422 if form.errors else 200,
        form=form,
        circle=circle,
        platform_months=platform_months,
        notice_days=current_app.config["CASE_EXPIRY_NOTICE_DAYS"],
    )

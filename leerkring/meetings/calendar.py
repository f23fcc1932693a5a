"""Calendars: one meeting as .ics, a circle's feed, and each member's personal feed."""

from flask import abort, flash, make_response, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField

from leerkring.circles.queries import load_circle, membership_of
from leerkring.extensions import db
from leerkring.meetings import bp, feeds, ics
from leerkring.meetings.loading import load_meeting
from leerkring.permissions import can_see_members, can_view_circle, public, require
from leerkring.web import redirect_to, render, safe_next


class AlarmForm(FlaskForm):
    alarm_minutes = SelectField(_l("Reminder in your calendar"), coerce=int, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.alarm_minutes.choices = [(m, alarm_label(m)) for m in feeds.ALARM_CHOICES]


def alarm_label(minutes: int) -> str:
    if minutes == 0:
        return _("No reminder")
    if minutes % 1440 == 0:
        return ngettext("%(num)s day before", "%(num)s days before", minutes // 1440)
    if minutes % 60 == 0:
        return ngettext("%(num)s hour before", "%(num)s hours before", minutes // 60)
    return ngettext("%(num)s minute before", "%(num)s minutes before", minutes)


def page_context(meeting, membership) -> dict:
    """What this part adds to the meeting page's template context."""
    return {"ics_url": url_for("meetings.meeting_ics", meeting_id=meeting.id)}


def feed_settings(user) -> dict:
    """The personal feed's address and reminder form, for the profile page (makes the feed on
    first view; the caller commits)."""
    feed = feeds.ensure_feed(user)
    return {
        "feed_url": feed_url(feed),
        "alarm_form": AlarmForm(formdata=None, alarm_minutes=feed.alarm_minutes),
    }


def feed_url(feed) -> str:
    return url_for("meetings.personal_feed", token=feeds.token_for(feed), _external=True)


def ics_response(body: bytes, filename: str):
    response = make_response(body)
    response.headers["Content-Type"] = ics.CONTENT_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/meetings/<int:meeting_id>.ics")
def meeting_ics(meeting_id: int):
    meeting, _membership = load_meeting(meeting_id)
    body = ics.calendar([meeting], name=meeting.title)
    return ics_response(body, f"meeting-{meeting.id}.ics")


@bp.get("/circles/<int:circle_id>/calendar.ics")
def circle_feed(circle_id: int):
    circle = load_circle(circle_id)
    membership = membership_of(current_user, circle)
    require(can_view_circle(current_user, circle, membership), hide=True)
    require(can_see_members(current_user, circle, membership))
    body = ics.calendar(feeds.circle_meetings(circle), name=f"Leerkring – {circle.name}")
    return ics_response(body, f"circle-{circle.id}.ics")


@bp.get("/calendar/<token>.ics")
@public
def personal_feed(token: str):
    feed = feeds.find_feed(token)
    if feed is None:
        abort(404)
    body = ics.calendar(
        feeds.personal_meetings(feed.user_id), name="Leerkring", alarm_minutes=feed.alarm_minutes
    )
    return ics_response(body, "leerkring.ics")


@bp.get("/calendar")
def feed_page():
    context = feed_settings(current_user)
    db.session.commit()
    return render("meetings/calendar_feed.html", **context)


@bp.post("/calendar/renew")
def renew_feed():
    feeds.renew(feeds.ensure_feed(current_user))
    db.session.commit()
    flash(_("Your calendar has a new address. The old address no longer works."), "success")
    return redirect_to(safe_next(url_for("meetings.feed_page")))


@bp.post("/calendar/alarm")
def set_alarm():
    feed = feeds.ensure_feed(current_user)
    form = AlarmForm()
    if not form.validate_on_submit():
        return render(
            "meetings/calendar_feed.html", partial="meetings/_calendar_feed.html", status=422,
            feed_url=feed_url(feed), alarm_form=form,
        )
    feeds.set_alarm(feed, form.alarm_minutes.data)
    db.session.commit()
    flash(_("Your calendar reminder is saved."), "success")
    return redirect_to(safe_next(url_for("meetings.feed_page")))

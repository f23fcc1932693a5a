from datetime import timedelta

from flask import flash, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.circles.queries import load_circle, membership_of
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.meetings import (
    answers,
    attendance,
    bp,
    calendar,
    polls,
    queries,
    recurrence,
    sections,
    services,
)
from leerkring.meetings.forms import CancelMeetingForm, EditMeetingForm, NewMeetingForm
from leerkring.meetings.loading import load_meeting, meeting_url
from leerkring.meetings.models import Meeting
from leerkring.meetings.services import Scope
from leerkring.permissions import (
    can_answer_meeting,
    can_change_circle,
    can_manage_meeting,
    can_see_attendees,
    can_view_circle,
    require,
)
from leerkring.web import redirect_to, render

#: The "join online" button shows this long before the start.
JOIN_EARLY = timedelta(minutes=15)


def join_is_open(meeting: Meeting) -> bool:
    """From a quarter of an hour before the start until the end, for a meeting with a link."""
    now = utcnow()
    return (
        bool(meeting.online_url)
        and not meeting.is_cancelled
        and meeting.starts_at - JOIN_EARLY <= now <= meeting.ends_at
    )


def details_context(meeting, membership) -> dict:
    return {
        "can_manage": can_manage_meeting(current_user, meeting, membership),
        # Who brings a case is the circle's business, like who comes.
        "case_presenter": meeting.case_presenter
        if can_see_attendees(current_user, meeting, membership) else None,
        "join_open": join_is_open(meeting) and can_answer_meeting(current_user, meeting,
                                                                  membership),
    }


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    context = {"meeting": meeting, "membership": membership}
    context.update(details_context(meeting, membership))
    for part in (answers, attendance, polls, calendar):
        context.update(part.page_context(meeting, membership))
    context["sections"] = sections.render_sections(meeting, membership)
    return render("meetings/show.html", **context)


# Scheduling -----------------------------------------------------------------------------------


def local_days(starts: list) -> str:
    return ", ".join(
        f"{format_date(local.date(), 'long')} {format_time(local.time(), 'short')}"
        for local in starts
    )


@bp.route("/circles/<int:circle_id>/meetings/new", methods=["GET", "POST"])
def new(circle_id: int):
    circle = load_circle(circle_id)
    membership = membership_of(current_user, circle)
    require(can_view_circle(current_user, circle, membership), hide=True)
    require(can_change_circle(current_user, circle, membership))
    form = NewMeetingForm(timezone=circle.timezone, members=queries.circle_members(circle.id))
    if form.validate_on_submit():
        if form.repeats:
            series, created, skipped = services.create_series(
                circle, current_user, form.pattern(), form.day.data, form.start_time.data,
                form.end_time.data, circle.timezone, **form.detail_fields(),
            )
            db.session.commit()
            flash(_("The series is planned: %(count)s meetings.", count=len(created)))
            if skipped:
                flash(_("These times do not exist because the clocks go forward, so there is no "
                        "meeting then: %(days)s.", days=local_days(skipped)), "warning")
            target = created[0] if created else None
        else:
            target = services.create_meeting(
                circle, current_user, starts_at=form.starts_at(), ends_at=form.ends_at(),
                timezone=circle.timezone, **form.detail_fields(),
            )
            db.session.commit()
            flash(_("The meeting is planned."))
        if target is None:
            return redirect_to(url_for("circles.show", circle_id=circle.id))
        return redirect_to(meeting_url(target))
    status = 422 if form.is_submitted() else 200
    return render("meetings/form.html", status=status, form=form, circle=circle, meeting=None)


def edit_form(meeting: Meeting) -> EditMeetingForm:
    local_start = recurrence.to_local(meeting.starts_at, meeting.timezone)
    local_end = recurrence.to_local(meeting.ends_at, meeting.timezone)
    return EditMeetingForm(
        obj=meeting,
        timezone=meeting.timezone,
        members=queries.circle_members(meeting.circle_id),
        day=local_start.date(),
        start_time=local_start.time(),
        end_time=local_end.time(),
    )


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    require(can_manage_meeting(current_user, meeting, membership) and not meeting.is_cancelled)
    form = edit_form(meeting)
    in_series = meeting.series_id is not None
    if form.validate_on_submit():
        scope = Scope(form.scope.data) if in_series else Scope.THIS
        old_day = recurrence.to_local(meeting.starts_at, meeting.timezone).date()
        if scope != Scope.THIS and form.day.data != old_day:
            form.day.errors.append(_("A series keeps its days. To move only this meeting, "
                                     "choose “This meeting only”."))
        else:
            kept = []
            if scope == Scope.THIS:
                services.update_meeting(
                    meeting, starts_at=form.starts_at(), ends_at=form.ends_at(),
                    **form.detail_fields(),
                )
            else:
                kept = services.update_series(
                    meeting, scope, start_time=form.start_time.data,
                    end_time=form.end_time.data, **form.detail_fields(),
                ).kept_time
            db.session.commit()
            flash(_("The changes are saved."))
            if kept:
                flash(_("These meetings keep their old time, because the new time does not "
                        "exist that day: %(days)s.", days=local_days(kept)), "warning")
            return redirect_to(meeting_url(meeting))
    status = 422 if form.is_submitted() else 200
    return render("meetings/form.html", status=status, form=form, circle=meeting.circle,
                  meeting=meeting, in_series=in_series)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    require(can_manage_meeting(current_user, meeting, membership))
    form = CancelMeetingForm()
    in_series = meeting.series_id is not None
    if meeting.is_cancelled:
        flash(_("This meeting is already cancelled."))
        return redirect_to(meeting_url(meeting))
    if form.validate_on_submit():
        scope = Scope(form.scope.data) if in_series else Scope.THIS
        if scope == Scope.THIS:
            services.cancel_meeting(meeting)
            count = 1
        else:
            count = len(services.cancel_series(meeting, scope))
        db.session.commit()
        flash(_("Cancelled: %(count)s meetings. Everyone who said they would come is told.",
                count=count))
        return redirect_to(meeting_url(meeting))
    status = 422 if form.is_submitted() else 200
    return render("meetings/cancel.html", status=status, form=form, meeting=meeting,
                  in_series=in_series)


@bp.post("/meetings/<int:meeting_id>/join-online")
def join_online(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    require(can_answer_meeting(current_user, meeting, membership))
    if not join_is_open(meeting):
        flash(_("You can join online from 15 minutes before the start until the end."), "error")
        return redirect_to(meeting_url(meeting))
    services.record_joined_online(meeting, current_user)
    db.session.commit()
    return redirect_to(meeting.online_url)

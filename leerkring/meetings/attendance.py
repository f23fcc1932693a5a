"""Attendance (checking in, ticking presence, overviews and CSV) and minutes."""


import segno
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.circles.queries import load_circle, membership_of
from leerkring.extensions import db
from leerkring.meetings import bp, presence, queries
from leerkring.meetings.attendance_forms import CheckInCodeForm, MinutesForm
from leerkring.meetings.loading import load_meeting, meeting_url
from leerkring.meetings.models import MinutesStatus
from leerkring.meetings.recurrence import to_local
from leerkring.models import User
from leerkring.permissions import (
    can_check_in,
    can_manage_meeting,
    can_see_attendees,
    can_view_circle,
    can_view_circle_attendance,
    require,
)
from leerkring.web import csv_download, paginate, redirect_to, render, wants_partial


def page_context(meeting, membership) -> dict:
    """What this part adds to the meeting page's template context."""
    context = {
        "checkin_open": presence.window_open(meeting),
        "can_check_in": can_check_in(current_user, meeting, membership),
        "my_attendance": None,
        "present_count": None,
        "minutes": None,
        "agreements": None,
    }
    if context["can_check_in"]:
        context["my_attendance"] = queries.my_attendance(meeting, current_user)
    manages = can_manage_meeting(current_user, meeting, membership)
    if manages:
        context["present_count"] = queries.present_count(meeting)
    if can_see_attendees(current_user, meeting, membership):
        minutes = queries.minutes_of(meeting)
        if minutes is not None and (manages or minutes.status == MinutesStatus.FINAL):
            context["minutes"] = minutes
        context["agreements"] = queries.previous_agreements(meeting)
    return context


def _load_managed(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    require(can_manage_meeting(current_user, meeting, membership))
    return meeting, membership


def _checkin_url(meeting) -> str:
    return url_for("meetings.checkin", meeting_id=meeting.id, code=meeting.checkin_code,
                   _external=True)


# Checking in -------------------------------------------------------------------------------


@bp.get("/meetings/<int:meeting_id>/checkin")
def checkin(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    require(can_check_in(current_user, meeting, membership))
    form = CheckInCodeForm(formdata=None, code=request.args.get("code", ""))
    return render("meetings/checkin.html", meeting=meeting, form=form,
                  checkin_open=presence.window_open(meeting),
                  my_attendance=queries.my_attendance(meeting, current_user))


@bp.post("/meetings/<int:meeting_id>/checkin")
def check_in(meeting_id: int):
    meeting, membership = load_meeting(meeting_id)
    require(can_check_in(current_user, meeting, membership))
    code = None
    if "code" in request.form:
        form = CheckInCodeForm()
        if not form.validate():
            return render("meetings/checkin.html", meeting=meeting, form=form, status=422,
                          checkin_open=presence.window_open(meeting), my_attendance=None)
        code = form.code.data
    try:
        presence.check_in(meeting, current_user, code)
    except presence.CheckInRefused as refused:
        db.session.rollback()
        if code is not None:
            form.code.errors.append(str(refused.message))
            return render("meetings/checkin.html", meeting=meeting, form=form, status=422,
                          checkin_open=presence.window_open(meeting), my_attendance=None)
        flash(str(refused.message), "error")
        return redirect_to(meeting_url(meeting))
    db.session.commit()
    flash(_("You are checked in. Welcome!"), "success")
    if wants_partial() and code is None:
        context = {"meeting": meeting, "membership": membership, "oob": True,
                   "can_manage": can_manage_meeting(current_user, meeting, membership)}
        context.update(page_context(meeting, membership))
        return render("meetings/show.html", "meetings/_attendance_fragment.html", **context)
    return redirect_to(meeting_url(meeting))


@bp.get("/meetings/<int:meeting_id>/checkin-code")
def checkin_code(meeting_id: int):
    meeting, _membership = _load_managed(meeting_id)
    presence.ensure_code(meeting)
    db.session.commit()
    link = _checkin_url(meeting)
    qr = segno.make(link, error="m").svg_inline(
        scale=8, border=2, svgclass="qr-code", lineclass=None,
        title=_("QR code of the check-in link"),
    ).replace("<svg ", '<svg role="img" ', 1)
    return render("meetings/checkin_code.html", meeting=meeting, link=link, qr_svg=qr,
                  checkin_open=presence.window_open(meeting))


# Coordinators: attendance list ---------------------------------------------------------------


def _attendance_rows(meeting):
    """(user, attendance or None) for every member, and for former members who attended."""
    marks = queries.attendance_of(meeting)
    rows = [(m.user, marks.pop(m.user_id, None)) for m in queries.circle_members(meeting.circle_id)]
    rows += [(a.user, a) for a in sorted(marks.values(), key=lambda a: a.user.name)]
    return rows


@bp.get("/meetings/<int:meeting_id>/attendance")
def meeting_attendance(meeting_id: int):
    meeting, _membership = _load_managed(meeting_id)
    return render("meetings/attendance.html", meeting=meeting, rows=_attendance_rows(meeting))


@bp.post("/meetings/<int:meeting_id>/attendance/<int:user_id>")
def mark_attendance(meeting_id: int, user_id: int):
    meeting, _membership = _load_managed(meeting_id)
    person = db.get_or_404(User, user_id)
    is_member = membership_of(person, meeting.circle) is not None
    if not is_member and person.id not in queries.attendance_of(meeting):
        abort(404)
    present = request.form.get("present") == "1"
    attendance = presence.mark(meeting, person, present, current_user)
    db.session.commit()
    if present:
        flash(_("%(name)s is marked present.", name=person.name), "success")
    else:
        flash(_("%(name)s is marked absent.", name=person.name), "success")
    if wants_partial():
        return render("meetings/attendance.html", "meetings/_attendance_row.html",
                      meeting=meeting, person=person, attendance=attendance, oob=True)
    return redirect_to(url_for("meetings.meeting_attendance", meeting_id=meeting.id))


@bp.get("/meetings/<int:meeting_id>/attendance.csv")
def meeting_attendance_csv(meeting_id: int):
    meeting, _membership = _load_managed(meeting_id)
    rows = [
        (person.name, _("present") if a is not None and a.is_present else _("absent"))
        for person, a in _attendance_rows(meeting)
    ]
    return csv_download(f"attendance-meeting-{meeting.id}.csv", [_("Name"), _("Attendance")],
                         rows)


# Coordinators: member × meeting overview ------------------------------------------------------


def _load_circle(circle_id: int):
    circle = load_circle(circle_id)
    membership = membership_of(current_user, circle)
    require(can_view_circle(current_user, circle, membership), hide=True)
    require(can_view_circle_attendance(current_user, circle, membership))
    return circle


@bp.get("/circles/<int:circle_id>/attendance")
def circle_attendance(circle_id: int):
    circle = _load_circle(circle_id)
    page = paginate(queries.circle_meetings(circle.id))
    meetings = list(page.items)
    grid = queries.attendance_grid([m.id for m in meetings])
    return render("meetings/circle_attendance.html", circle=circle, pagination=page,
                  meetings=meetings, members=queries.circle_members(circle.id), grid=grid)


@bp.get("/circles/<int:circle_id>/attendance.csv")
def circle_attendance_csv(circle_id: int):
    circle = _load_circle(circle_id)
    meetings = list(db.session.execute(queries.circle_meetings(circle.id)).scalars())
    grid = queries.attendance_grid([m.id for m in meetings])
    members = queries.circle_members(circle.id)
    header = [_("Meeting"), _("Date")] + [m.user.name for m in members]
    rows = [
        [meeting.title, to_local(meeting.starts_at, meeting.timezone).date().isoformat()]
        + [_("present") if grid.get((meeting.id, m.user_id)) else _("absent") for m in members]
        for meeting in meetings
    ]
    return csv_download(f"attendance-circle-{circle.id}.csv", header, rows)


# Minutes --------------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
def minutes(meeting_id: int):
    meeting, _membership = _load_managed(meeting_id)
    current = queries.minutes_of(meeting)
    form = MinutesForm(obj=current)
    if form.validate_on_submit():
        final = bool(form.publish.data)
        presence.save_minutes(meeting, current_user, summary=form.summary.data.strip(),
                             decisions=form.decisions.data.strip(),
                             actions=form.actions.data.strip(), final=final)
        db.session.commit()
        if final:
            flash(_("The minutes are published for the members."), "success")
        else:
            flash(_("The minutes are saved as a draft: only coordinators see them."), "success")
        return redirect_to(meeting_url(meeting))
    status = 422 if form.is_submitted() else 200
    return render("meetings/minutes_form.html", meeting=meeting, form=form, minutes=current,
                  status=status)

"""Visit reports, the lemniscate: after the visit each visitor writes what they saw, what
surprised them and what they take home, and brings it to their circles, where it can go on a
meeting's agenda; the host responds; the author may offer it to the national library. The visit
page lists the reports, and so do the circle page and the meeting page (through their sections)."""

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from leerkring import places
from leerkring.circles.queries import load_circle, membership_of, open_circles_of
from leerkring.circles.sections import circle_sections
from leerkring.extensions import db
from leerkring.meetings.sections import register_section
from leerkring.notes.guard import record_confirmation
from leerkring.permissions import (
    can_edit_report,
    can_list_circle_reports,
    can_manage_visit,
    can_respond_to_report,
    can_schedule_report,
    can_write_report,
    member_circle_roles,
    require,
)
from leerkring.visits import bp
from leerkring.visits import report_queries as queries
from leerkring.visits import report_services as services
from leerkring.visits.loading import load_visit, visit_url
from leerkring.visits.models import ReportCircle
from leerkring.visits.report_forms import AgendaForm, DeleteReportForm, ReportForm, ResponseForm
from leerkring.visits.report_queries import load_report, report_url
from leerkring.visits.services import signup_of
from leerkring.web import paginate, redirect_to, render

#: How many reports the circle page shows before "all reports".
CIRCLE_PAGE_REPORTS = 3


# Writing ----------------------------------------------------------------------------------------


def form_circles(report) -> list:
    """The author's circles, and those the report is already brought to (so it can be taken
    back from a circle they left)."""
    circles = open_circles_of(current_user)
    if report is not None:
        mine = {circle.id for circle in circles}
        circles += [link.circle for link in report.circles if link.circle_id not in mine]
    return circles


def report_data(report) -> dict:
    if report is None:
        return {}
    return {
        "saw": report.saw,
        "surprised": report.surprised,
        "take_home": report.take_home,
        "circles": [link.circle_id for link in report.circles],
        "offer_to_library": report.is_offered_to_library,
        "library_consent": report.library_consent_at is not None,
    }


@bp.route("/visits/<int:visit_id>/report", methods=["GET", "POST"])
def write_report(visit_id: int):
    """Write my report on a visit, or edit the one I wrote."""
    visit = load_visit(visit_id)
    report = queries.report_of(visit, current_user)
    if report is None:
        require(can_write_report(current_user, visit, signup_of(visit, current_user)))
    else:
        require(can_edit_report(current_user, report))
    form = ReportForm(circles=form_circles(report), data=report_data(report))
    if form.validate_on_submit():
        is_new = report is None
        try:
            report = services.save_report(
                visit, current_user, report, circles=form.chosen_circles(),
                **form.report_fields()
            )
        except IntegrityError:
            # The same report sent twice at once: the first one is kept, to edit.
            db.session.rollback()
            flash(_("You have already written a report on this visit: here it is."), "warning")
            return redirect_to(url_for("visits.write_report", visit_id=visit_id))
        record_confirmation(form, current_user, services.REPORT, report.id)
        db.session.commit()
        flash(_("Your report is saved.") if is_new else _("The changes are saved."))
        return redirect_to(report_url(report))
    return render(
        "visits/report_form.html", "visits/_report_form.html",
        status=422 if form.is_submitted() else 200,
        form=form, visit=visit, report=report,
    )


# Reading, responding, the agenda ----------------------------------------------------------------


def agenda_form(link: ReportCircle, meetings: list, **kwargs) -> AgendaForm:
    """The choice for one circle: its coming meetings, and the one already chosen if it passed."""
    if link.meeting is not None and link.meeting not in meetings:
        meetings = [link.meeting, *meetings]
    return AgendaForm(circle=link.circle, meetings=meetings,
                      data={"meeting": str(link.meeting_id or "")}, **kwargs)


def agenda_forms(report, posted: AgendaForm | None = None) -> dict[int, AgendaForm]:
    """For each circle the report is brought to whose agenda the user may choose: its form."""
    links = [link for link in report.circles
             if can_schedule_report(current_user, report, link.circle)]
    coming = queries.coming_meetings({link.circle_id for link in links})
    forms = {}
    for link in links:
        if posted is not None and posted.circle.id == link.circle_id:
            forms[link.circle_id] = posted
        else:
            forms[link.circle_id] = agenda_form(link, coming[link.circle_id], formdata=None)
    return forms


def report_page(report, *, partial=None, status=200, response_form=None, posted_agenda=None):
    can_respond = can_respond_to_report(current_user, report)
    if can_respond and response_form is None:
        response_form = ResponseForm(formdata=None, response=report.response)
    return render(
        "visits/report.html", partial, status=status,
        report=report, visit=report.visit,
        circles=sorted(report.circles, key=lambda link: (link.circle.name, link.circle_id)),
        my_circle_ids=set(member_circle_roles(current_user)),
        agenda_forms=agenda_forms(report, posted_agenda),
        response_form=response_form if can_respond else None,
        can_edit=can_edit_report(current_user, report),
    )


@bp.get("/visits/reports/<int:report_id>")
def report(report_id: int):
    return report_page(load_report(report_id))


@bp.post("/visits/reports/<int:report_id>/response")
def respond(report_id: int):
    """The host writes or changes their response."""
    report = load_report(report_id)
    require(can_respond_to_report(current_user, report))
    form = ResponseForm()
    if form.validate_on_submit():
        is_new = not report.response
        services.respond(report, form.response.data.strip())
        record_confirmation(form, current_user, services.RESPONSE, report.id)
        db.session.commit()
        flash(_("Your response is saved.") if is_new else _("The changes are saved."))
        return redirect_to(report_url(report))
    return report_page(report, partial="visits/_report_response.html", status=422,
                       response_form=form)


@bp.post("/visits/reports/<int:report_id>/agenda")
def schedule_report(report_id: int):
    """Put the report on one of a circle's coming meetings' agendas, or take it off."""
    report = load_report(report_id)
    circle_id = request.form.get("circle", type=int)
    link = next((link for link in report.circles if link.circle_id == circle_id), None)
    if link is None:
        abort(404)
    require(can_schedule_report(current_user, report, link.circle))
    coming = queries.coming_meetings({link.circle_id})[link.circle_id]
    form = agenda_form(link, coming)
    if form.validate_on_submit():
        meeting = form.chosen_meeting()
        services.put_on_agenda(link, meeting)
        db.session.commit()
        if meeting is None:
            flash(_("The report is no longer on a meeting's agenda in %(circle)s.",
                    circle=link.circle.name))
        else:
            flash(_("The report is on the agenda of “%(meeting)s”.", meeting=meeting.title))
        return redirect_to(report_url(report))
    return report_page(report, partial="visits/_report_circles.html", status=422,
                       posted_agenda=form)


@bp.route("/visits/reports/<int:report_id>/delete", methods=["GET", "POST"])
def delete_report(report_id: int):
    """GET asks for the confirmation (so it works without JavaScript); POST deletes."""
    report = load_report(report_id)
    require(can_edit_report(current_user, report))
    form = DeleteReportForm()
    if form.validate_on_submit():
        visit = report.visit
        services.delete_report(report)
        db.session.commit()
        flash(_("Your report is deleted."))
        return redirect_to(visit_url(visit))
    return render("visits/report_delete.html", form=form, report=report, visit=report.visit)


# On the visit page ------------------------------------------------------------------------------


def visit_page_reports(visit) -> dict:
    """The visit page's reports: mine (to write or edit) and those the user may see."""
    mine = queries.report_of(visit, current_user)
    started = visit.starts_at <= places.now()
    signup = signup_of(visit, current_user) if mine is None else None
    can_write = mine is not None or can_write_report(current_user, visit, signup)
    results = paginate(queries.visit_reports(visit, current_user))
    return {
        "my_report": mine,
        "can_write_report": can_write,
        # A visitor with a place learns before the visit that a report follows it.
        "report_later": not started and signup is not None and signup.has_place
        and visit.is_published,
        "reports": results,
        "show_reports": bool(results.total) or can_write
        or (started and visit.is_published and can_manage_visit(current_user, visit)),
    }


# A circle's reports -----------------------------------------------------------------------------


def circle_links(circle, reports) -> dict[int, ReportCircle]:
    """For each report, its link to ``circle`` (when brought, and the meeting), in one query."""
    if not reports:
        return {}
    links = db.session.execute(
        db.select(ReportCircle)
        .where(ReportCircle.circle_id == circle.id,
               ReportCircle.report_id.in_([report.id for report in reports]))
        .options(joinedload(ReportCircle.meeting))
    ).scalars()
    return {link.report_id: link for link in links}


@bp.get("/circles/<int:circle_id>/visit-reports")
def circle_reports(circle_id: int):
    circle = load_circle(circle_id)
    membership = membership_of(current_user, circle)
    require(can_list_circle_reports(current_user, circle, membership), hide=True)
    results = paginate(queries.circle_reports(circle))
    return render(
        "visits/circle_reports.html", "visits/_circle_reports.html",
        circle=circle, results=results, links=circle_links(circle, results.items),
    )


@circle_sections.register
def circle_section(circle, membership) -> Markup | None:
    """For members: the reports brought to the circle last, and the way to all of them."""
    if not can_list_circle_reports(current_user, circle, membership):
        return None
    reports = list(db.session.execute(
        queries.circle_reports(circle).limit(CIRCLE_PAGE_REPORTS)
    ).scalars())
    return Markup(render_template(
        "visits/_circle_section.html", circle=circle, reports=reports,
        links=circle_links(circle, reports),
    ))


# On the meeting page ----------------------------------------------------------------------------


@register_section
def meeting_section(meeting, membership) -> Markup | None:
    """The visit reports on the meeting's agenda that the user may see."""
    reports = queries.meeting_reports(meeting, current_user)
    if not reports:
        return None
    return Markup(render_template("visits/_meeting_section.html", meeting=meeting,
                                  reports=reports))


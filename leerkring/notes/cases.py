"""Case notes (casussen): a member brings a case to the circle, optionally to a meeting's agenda;
it stays a draft only its author sees until shared; the author closes it with what they take
from it, and the circle may add what it learned. Cases on a meeting's agenda show on the meeting
page with their method's steps as a guide."""

from flask import flash, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from leerkring.circles.queries import load_circle, membership_of
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.meetings.sections import register_section
from leerkring.notes import bp, comments
from leerkring.notes import case_services as services
from leerkring.notes.case_forms import CaseForm, DeleteCaseForm, LessonForm, TakeawayForm
from leerkring.notes.guard import record_confirmation
from leerkring.notes.methods import METHODS, method_of
from leerkring.notes.models import CaseStatus
from leerkring.notes.queries import load_case
from leerkring.permissions import (
    can_add_case,
    can_close_case,
    can_delete_case,
    can_edit_case,
    can_extend_case,
    can_list_cases,
    can_share_case,
    can_view_circle,
    can_write_lesson,
    require,
)
from leerkring.web import paginate, redirect_to, render


def case_url(case) -> str:
    return url_for("notes.case", case_id=case.id)


def saved(case, shared: bool) -> None:
    if shared:
        flash(_("The case is shared with the circle."))
    elif case.is_draft:
        flash(_("Draft saved: only you can see it."))
    else:
        flash(_("The changes are saved."))


def form_page(form, circle, case=None):
    """The case form again, with its errors next to the fields (422 after a submit)."""
    status = 422 if form.is_submitted() else 200
    return render(
        "notes/case_form.html", "notes/_case_form.html", status=status,
        form=form, circle=circle, case=case, methods=METHODS,
    )


# Adding and editing ----------------------------------------------------------------------------


@bp.route("/circles/<int:circle_id>/cases/new", methods=["GET", "POST"])
def new_case(circle_id: int):
    circle = load_circle(circle_id)
    membership = membership_of(current_user, circle)
    require(can_view_circle(current_user, circle, membership), hide=True)
    require(can_add_case(current_user, circle, membership))
    form = CaseForm(meetings=services.agenda_meetings(circle),
                    meeting=request.args.get("meeting", ""))
    if not form.is_submitted() and form.meeting.data not in form.meetings:
        form.meeting.data = ""
    if form.validate_on_submit():
        share = bool(form.share.data)
        case = services.create_case(circle, current_user, share=share, **form.case_fields())
        record_confirmation(form, current_user, "case", case.id)
        db.session.commit()
        saved(case, share)
        return redirect_to(case_url(case))
    return form_page(form, circle)


@bp.route("/notes/<int:case_id>/edit", methods=["GET", "POST"])
def edit_case(case_id: int):
    case, membership = load_case(case_id)
    require(can_edit_case(current_user, case, membership))
    form = CaseForm(
        obj=case,
        meetings=services.agenda_meetings(case.circle, case.meeting),
        meeting=str(case.meeting_id or ""),
        method=case.method.value,
    )
    if form.validate_on_submit():
        share = bool(form.share.data) and can_share_case(current_user, case, membership)
        services.update_case(case, share=share, **form.case_fields())
        record_confirmation(form, current_user, "case", case.id)
        db.session.commit()
        saved(case, share)
        return redirect_to(case_url(case))
    return form_page(form, case.circle, case)


# The case page ---------------------------------------------------------------------------------


@bp.get("/notes/<int:case_id>")
def case(case_id: int):
    case, membership = load_case(case_id)
    user = current_user
    return render(
        "notes/case_show.html",
        case=case,
        membership=membership,
        method=method_of(case.method),
        can_edit=can_edit_case(user, case, membership),
        can_share=can_share_case(user, case, membership),
        can_close=can_close_case(user, case, membership),
        can_write_lesson=can_write_lesson(user, case, membership),
        can_extend=can_extend_case(user, case, membership),
        can_delete=can_delete_case(user, case, membership),
        **comments.page_context(case, membership),
    )


@bp.post("/notes/<int:case_id>/share")
def share_case(case_id: int):
    case, membership = load_case(case_id)
    require(can_share_case(current_user, case, membership))
    services.share_case(case)
    db.session.commit()
    flash(_("The case is shared with the circle."))
    return redirect_to(case_url(case))


@bp.route("/notes/<int:case_id>/close", methods=["GET", "POST"])
def close_case(case_id: int):
    case, membership = load_case(case_id)
    require(can_close_case(current_user, case, membership))
    form = TakeawayForm()
    if form.validate_on_submit():
        services.close_case(case, form.takeaway.data.strip())
        record_confirmation(form, current_user, "case", case.id)
        db.session.commit()
        flash(_("The case is closed. The circle can still add what it learned."))
        return redirect_to(case_url(case))
    status = 422 if form.is_submitted() else 200
    return render("notes/case_close.html", status=status, form=form, case=case)


@bp.route("/notes/<int:case_id>/lesson", methods=["GET", "POST"])
def case_lesson(case_id: int):
    case, membership = load_case(case_id)
    require(can_write_lesson(current_user, case, membership))
    form = LessonForm(obj=case)
    if form.validate_on_submit():
        services.write_lesson(case, form.lesson.data.strip())
        record_confirmation(form, current_user, "case", case.id)
        db.session.commit()
        flash(_("What the circle learned is saved."))
        return redirect_to(case_url(case))
    status = 422 if form.is_submitted() else 200
    return render("notes/case_lesson.html", status=status, form=form, case=case)


@bp.post("/notes/<int:case_id>/extend")
def extend_case(case_id: int):
    case, membership = load_case(case_id)
    require(can_extend_case(current_user, case, membership))
    services.extend_case(case)
    db.session.commit()
    flash(_("The case is kept longer: it will be deleted on %(date)s.",
            date=format_date(case.expires_at, "long")))
    return redirect_to(case_url(case))


@bp.route("/notes/<int:case_id>/delete", methods=["GET", "POST"])
def delete_case(case_id: int):
    """GET asks for the confirmation (so it works without JavaScript); POST deletes."""
    case, membership = load_case(case_id)
    require(can_delete_case(current_user, case, membership))
    form = DeleteCaseForm()
    if form.validate_on_submit():
        circle_id = case.circle_id
        services.delete_case(case)
        db.session.commit()
        flash(_("The case and its comments are deleted."))
        return redirect_to(url_for("notes.circle_cases", circle_id=circle_id))
    return render("notes/case_delete.html", form=form, case=case)


# The circle's cases ---------------------------------------------------------------------------


@bp.get("/circles/<int:circle_id>/cases")
def circle_cases(circle_id: int):
    circle = load_circle(circle_id)
    membership = membership_of(current_user, circle)
    require(can_list_cases(current_user, circle, membership), hide=True)
    status = request.args.get("status", "")
    if status not in set(CaseStatus):
        status = ""
    results = paginate(services.circle_cases(circle, current_user, membership, status))
    return render(
        "notes/case_list.html", "notes/_case_list.html",
        circle=circle,
        results=results,
        comment_counts=services.comment_counts([case.id for case in results.items]),
        chosen_status=status,
        filters={"status": status} if status else {},
        can_add=can_add_case(current_user, circle, membership),
    )


# On the meeting page ---------------------------------------------------------------------------


def agenda_section(meeting, membership) -> Markup | None:
    """The cases on the meeting's agenda the user may see, each with its method as a guide,
    and a way for members to bring one."""
    cases = services.agenda_cases(meeting, current_user, membership)
    can_bring = (
        can_add_case(current_user, meeting.circle, membership)
        and not meeting.is_cancelled
        and meeting.ends_at > utcnow()
    )
    if not cases and not can_bring:
        return None
    return Markup(render_template(
        "notes/_case_agenda.html", meeting=meeting, cases=cases, can_bring=can_bring,
        methods=METHODS,
    ))


register_section(agenda_section)

"""The lemniscate both ways. "Share what we learned": the author of a closed case turns the
circle's lesson, and the author of a visit report turns the report, into a draft library item,
with their consent and the privacy guard run again; the item then follows the library's own
flow (edit, submit, publish). "Bring into a circle": a coordinator puts a published item on a
coming meeting of their circle, and the meeting page shows it under "From the library"."""

from dataclasses import dataclass

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from leerkring.circles.queries import membership_of
from leerkring.extensions import db
from leerkring.library import bp, search
from leerkring.library import sharing_services as services
from leerkring.library.items import item_url
from leerkring.library.models import ItemKind, ItemPlacement, LibraryItem
from leerkring.library.sharing_forms import BringForm, ShareForm
from leerkring.meetings.loading import load_meeting, meeting_url
from leerkring.meetings.sections import register_section
from leerkring.notes.guard import record_confirmation
from leerkring.notes.queries import load_case
from leerkring.permissions import (
    can_bring_into_circle,
    can_bring_into_some_circle,
    can_share_case_lesson,
    can_share_visit_report,
    can_take_off_agenda,
    can_view_library_item,
    require,
)
from leerkring.visits.report_queries import load_report
from leerkring.web import redirect_to, render, safe_next

#: ``PrivacyConfirmation.subject_type`` of a share.
SUBJECT = "library_item"

#: The kinds an item shared from a circle or a visit has.
SHARED_KINDS = {
    ItemKind.LESSON: _l("Lesson from a circle"),
    ItemKind.VISIT_REPORT: _l("Visit report"),
}


def load_item(item_id: int) -> LibraryItem:
    """The item, or 404 when the user may not see it."""
    item = db.get_or_404(LibraryItem, item_id)
    require(can_view_library_item(current_user, item), hide=True)
    return item


# Sharing ----------------------------------------------------------------------------------------


def share_form(draft: dict) -> ShareForm:
    """The form, started from ``draft`` until it is posted, with the themes and Werkplaatsen."""
    themes, werkplaatsen = services.share_choices()
    data = None if request.method == "POST" else draft
    return ShareForm(data=data, themes=themes, werkplaatsen=werkplaatsen)


def already_shared(item):
    flash(_("This is already shared in the library."))
    return redirect_to(item_url(item))


def saved(form: ShareForm, item):
    """The draft is made: on to its edit page, to add what a library item needs besides."""
    record_confirmation(form, current_user, SUBJECT, item.id)
    search.reindex(item)
    db.session.commit()
    flash(_("The draft is in the library. Check it and add what is missing, then submit it "
            "for publication."))
    return redirect_to(url_for("library.edit_item", item_id=item.id))


def share_page(form: ShareForm, *, kind: ItemKind, source_title: str, source_url: str):
    return render(
        "library/share.html", status=422 if form.is_submitted() else 200,
        form=form, kind_label=SHARED_KINDS[kind], source_title=source_title,
        source_url=source_url,
    )


@bp.route("/library/share/case/<int:case_id>", methods=["GET", "POST"])
def share_case(case_id: int):
    case, _membership = load_case(case_id)
    require(can_share_case_lesson(current_user, case))
    if (existing := services.shared_item(case_id=case.id)) is not None:
        return already_shared(existing)
    form = share_form(services.case_draft(case))
    if form.validate_on_submit():
        return saved(form, services.share_case(case, current_user, **form.item_fields()))
    return share_page(form, kind=ItemKind.LESSON, source_title=case.title,
                      source_url=url_for("notes.case", case_id=case.id))


@bp.route("/library/share/visit-report/<int:report_id>", methods=["GET", "POST"])
def share_report(report_id: int):
    report = load_report(report_id)
    require(can_share_visit_report(current_user, report))
    if (existing := services.shared_item(report_id=report.id)) is not None:
        return already_shared(existing)
    form = share_form(services.report_draft(report, current_user))
    if form.validate_on_submit():
        return saved(form, services.share_report(report, current_user, **form.item_fields()))
    return share_page(form, kind=ItemKind.VISIT_REPORT,
                      source_title=_("Report on %(title)s", title=report.visit.title),
                      source_url=url_for("visits.report", report_id=report.id))


def share_link(item, can_share: bool, share_url: str) -> Markup:
    """On the case page or the report page: "Shared in the library" (linked for whoever may open
    the item), else the button for whoever may share."""
    if item is None and not can_share:
        return Markup("")
    return Markup(render_template(
        "library/_share_link.html", item=item, share_url=share_url,
        item_link=item_url(item) if item and can_view_library_item(current_user, item) else None,
    ))


@bp.app_template_global()
def library_share_case(case) -> Markup:
    """For a closed case's page (one query)."""
    if not case.is_closed:
        return Markup("")
    return share_link(
        services.shared_item(case_id=case.id), can_share_case_lesson(current_user, case),
        url_for("library.share_case", case_id=case.id),
    )


@bp.app_template_global()
def library_share_report(report) -> Markup:
    """For a visit report's page (one query)."""
    return share_link(
        services.shared_item(report_id=report.id), can_share_visit_report(current_user, report),
        url_for("library.share_report", report_id=report.id),
    )


# Bringing into a circle -------------------------------------------------------------------------


@dataclass(frozen=True)
class Brought:
    """For the item's page: how many circles it was brought into, and whether the user may
    bring it into one of theirs."""

    circles: int
    can_bring: bool


@bp.app_template_global()
def library_brought(item) -> Brought:
    """One query, for a published item (drafts are not brought anywhere)."""
    if not item.is_published:
        return Brought(0, False)
    return Brought(services.placements_count([item.id])[item.id],
                   can_bring_into_some_circle(current_user, item))


@bp.route("/library/<int:item_id>/bring", methods=["GET", "POST"])
def bring(item_id: int):
    item = load_item(item_id)
    require(can_bring_into_some_circle(current_user, item))
    coming = services.coming_meetings_to_bring(current_user)
    form = BringForm(coming=coming)
    if form.validate_on_submit():
        meeting = form.chosen_meeting()
        require(can_bring_into_circle(current_user, item, membership_of(current_user,
                                                                        meeting.circle)))
        if services.placement_on(item, meeting) is not None:
            return already_on_agenda(item, meeting)
        try:
            services.bring(item, meeting, current_user)
            db.session.commit()
        except IntegrityError:
            # Brought twice at the same moment: the first one counts.
            db.session.rollback()
            return already_on_agenda(item, meeting)
        flash(_("“%(title)s” is on the agenda of “%(meeting)s”.", title=item.title,
                meeting=meeting.title))
        return redirect_to(item_url(item))
    return render("library/bring.html", status=422 if form.is_submitted() else 200,
                  form=form, item=item, coming=coming, back_url=item_url(item))


def already_on_agenda(item, meeting):
    flash(_("“%(title)s” is already on the agenda of “%(meeting)s”.", title=item.title,
            meeting=meeting.title), "warning")
    return redirect_to(item_url(item))


@bp.post("/library/placements/<int:placement_id>/delete")
def take_off(placement_id: int):
    """Take an item off a meeting's agenda; back to the meeting page."""
    placement = db.get_or_404(ItemPlacement, placement_id)
    if placement.meeting_id is None:
        abort(404)
    meeting, membership = load_meeting(placement.meeting_id)
    require(can_take_off_agenda(current_user, placement, membership))
    title = placement.item.title
    services.take_off(placement)
    db.session.commit()
    flash(_("“%(title)s” is no longer on the agenda.", title=title))
    return redirect_to(safe_next(meeting_url(meeting)))


# On the meeting page ----------------------------------------------------------------------------


@register_section
def meeting_section(meeting, membership) -> Markup | None:
    """The library items on the meeting's agenda that the user may open, and for the circle's
    coordinators a way to take each off."""
    placements = services.meeting_placements(meeting, current_user)
    if not placements:
        return None
    return Markup(render_template(
        "library/_meeting_items.html", meeting=meeting, placements=placements, item_url=item_url,
        can_take_off=can_take_off_agenda(current_user, None, membership),
    ))

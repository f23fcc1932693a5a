"""What the visit reminders say (the kinds are in ``reminders.py``): title, local time, place or
link and the visit's address, with the calendar file where it helps. Never a sign-up's learning
goal nor anything of a report: the pages behind the link show those to whom may see them."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _

from leerkring.extensions import db
from leerkring.mail import Attachment
from leerkring.notifications.models import Channel
from leerkring.notifications.moments import when
from leerkring.notifications.registry import Rendered
from leerkring.visits import ics
from leerkring.visits.models import Visit, VisitReport, VisitSignup


def starts(visit: Visit) -> str:
    return when(visit.starts_at)


def attachment(visit: Visit) -> Attachment:
    """The visit's calendar file (cancelled once the visit is), attached to a mail."""
    return Attachment(
        filename=f"visit-{visit.id}.ics",
        content=ics.calendar(visit),
        maintype="text",
        subtype="calendar",
        params={"method": "PUBLISH", "charset": "utf-8"},
    )


def reports_url(visit: Visit) -> str:
    return url_for("visits.show", visit_id=visit.id, _anchor="reports")


def report_url(report: VisitReport) -> str:
    """The report's own page, where the host reads it and the author the response."""
    return url_for("visits.report", report_id=report.id)


def _visit(delivery, *, cancelled: bool = False) -> Visit | None:
    """The delivery's visit while the reminder still fits it (None: nothing to say)."""
    visit = db.session.get(Visit, delivery.subject_id)
    if visit is None or visit.is_cancelled != cancelled:
        return None
    if not cancelled and not visit.is_published:
        return None
    return visit


def _signup(delivery) -> VisitSignup | None:
    return db.session.execute(
        sa.select(VisitSignup).where(
            VisitSignup.visit_id == delivery.subject_id, VisitSignup.user_id == delivery.user_id
        )
    ).scalar()


def _report(visit_id: int, author_id: int) -> VisitReport | None:
    return db.session.execute(
        sa.select(VisitReport).where(
            VisitReport.visit_id == visit_id, VisitReport.author_id == author_id
        )
    ).scalar()


def _rendered(delivery, visit: Visit, subject: str, *, calendar=False, url=None,
              params=None) -> Rendered:
    """The words every visit reminder shares: title, time, place or link, the page."""
    by_mail = delivery.channel == Channel.EMAIL
    starting = starts(visit)
    return Rendered(
        subject=subject,
        template=f"visits/mail/reminder_{delivery.kind}",
        url=url or url_for("visits.show", visit_id=visit.id),
        params={"title": visit.title, "when": starting, **(params or {})},
        context={
            "visit": visit,
            "host_name": visit.host_organisation or visit.werkplaats.name,
            "when": f"{starting}–{format_time(visit.ends_at, 'short')}",
            "place": visit.place_address,
            "online_url": visit.online_url,
        },
        attachments=[attachment(visit)] if by_mail and calendar else [],
    )


def _visit_with_place(delivery):
    """The delivery's visit while its recipient still has a place at it, else None."""
    visit = _visit(delivery)
    signup = _signup(delivery) if visit is not None else None
    return visit if signup is not None and signup.has_place else None


def soon_render(delivery) -> Rendered | None:
    if (visit := _visit_with_place(delivery)) is None:
        return None
    subject = _("Reminder: kitchen visit %(title)s, %(when)s", title=visit.title,
                when=starts(visit))
    return _rendered(delivery, visit, subject, calendar=True)


def waitlist_render(delivery) -> Rendered | None:
    if (visit := _visit_with_place(delivery)) is None:
        return None
    subject = _("You have a place: kitchen visit %(title)s, %(when)s", title=visit.title,
                when=starts(visit))
    return _rendered(delivery, visit, subject, calendar=True)


def changed_render(delivery) -> Rendered | None:
    if (visit := _visit(delivery)) is None:
        return None
    subject = _("Changed: kitchen visit %(title)s, now %(when)s", title=visit.title,
                when=starts(visit))
    return _rendered(delivery, visit, subject, calendar=True)


def cancelled_render(delivery) -> Rendered | None:
    if (visit := _visit(delivery, cancelled=True)) is None:
        return None
    subject = _("Cancelled: kitchen visit %(title)s, %(when)s", title=visit.title,
                when=starts(visit))
    # The calendar file says CANCELLED, so a calendar that imported the visit drops it.
    return _rendered(delivery, visit, subject, calendar=True,
                     params={"day": format_date(visit.starts_at, "full")})


def write_report_render(delivery) -> Rendered | None:
    if (visit := _visit(delivery)) is None:
        return None
    if _report(visit.id, delivery.user_id) is not None:
        return None
    subject = _("Write your report on the kitchen visit %(title)s", title=visit.title)
    return _rendered(delivery, visit, subject, url=reports_url(visit))


def report_written_render(delivery) -> Rendered | None:
    report = db.session.get(VisitReport, int(delivery.occurrence_key))
    if report is None or report.visit_id != delivery.subject_id:
        return None
    visit = report.visit
    subject = _("A report on your kitchen visit %(title)s", title=visit.title)
    return _rendered(delivery, visit, subject, url=report_url(report))


def report_answered_render(delivery) -> Rendered | None:
    report = _report(delivery.subject_id, delivery.user_id)
    if report is None or report.responded_at is None:
        return None
    visit = report.visit
    subject = _("The host responded to your report on %(title)s", title=visit.title)
    return _rendered(delivery, visit, subject, url=report_url(report))

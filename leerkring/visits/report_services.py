"""Changes to visit reports: writing one, bringing it to circles and meetings, offering it to the
library, the host's response, deleting it. Each replans the visit's reminders and notices (a new
report tells the host, a response tells the author) in the caller's transaction; none commits."""

import sqlalchemy as sa
from flask import url_for

from leerkring import places
from leerkring.extensions import db
from leerkring.notes.erasure import forget_confirmations
from leerkring.notifications import outbox
from leerkring.notifications.models import Notification
from leerkring.visits.models import ReportCircle, Visit, VisitReport

#: The subject types of the privacy confirmations of a report and of the host's response.
REPORT = "visit_report"
RESPONSE = "report_response"


def save_report(visit: Visit, author, report: VisitReport | None, *, saw: str, surprised: str,
                take_home: str, offered: bool, circles) -> VisitReport:
    """Write ``author``'s report on ``visit`` (``report`` None) or change it."""
    if report is None:
        report = VisitReport(visit_id=visit.id, author_id=author.id)
        db.session.add(report)
    report.saw, report.surprised, report.take_home = saw, surprised, take_home
    offer_to_library(report, offered)
    bring_to_circles(report, circles)
    db.session.flush()
    outbox.replan("visit", [visit.id])
    return report


def offer_to_library(report: VisitReport, offered: bool) -> None:
    """The consent is the moment the author first offered it; taking the offer back clears it."""
    if offered and not report.is_offered_to_library:
        report.library_consent_at = places.now()
    elif not offered:
        report.library_consent_at = None
    report.is_offered_to_library = offered


def bring_to_circles(report: VisitReport, circles) -> None:
    """Bring the report to exactly these circles; a circle it stays with keeps its meeting."""
    wanted = {circle.id for circle in circles}
    for link in list(report.circles):
        if link.circle_id not in wanted:
            report.circles.remove(link)
    present = {link.circle_id for link in report.circles}
    for circle_id in sorted(wanted - present):
        report.circles.append(ReportCircle(circle_id=circle_id, attached_at=places.now()))


def put_on_agenda(link: ReportCircle, meeting) -> None:
    """On ``meeting``'s agenda (one of the circle's), or on none."""
    link.meeting_id = meeting.id if meeting is not None else None


def respond(report: VisitReport, text: str) -> None:
    report.response = text
    report.responded_at = places.now()
    db.session.flush()
    outbox.replan("visit", [report.visit_id])


def delete_report(report: VisitReport) -> None:
    """Delete the report with its circles, the privacy confirmations of it and of its response,
    and the notices that lead to it; its reminders are replanned."""
    visit_id = report.visit_id
    forget_confirmations(REPORT, [report.id])
    forget_confirmations(RESPONSE, [report.id])
    db.session.execute(
        sa.delete(Notification)
        .where(Notification.url == url_for("visits.report", report_id=report.id))
        .execution_options(synchronize_session=False)
    )
    db.session.delete(report)
    db.session.flush()
    outbox.replan("visit", [visit_id])

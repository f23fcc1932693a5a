"""Loading and listing visit reports. Lists ask ``visible_reports`` for access in the query
itself and load what they show eagerly, so each runs a fixed number of queries."""

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from leerkring import places
from leerkring.extensions import db
from leerkring.meetings import queries as meeting_queries
from leerkring.meetings.models import Meeting
from leerkring.permissions import can_view_report, require, visible_reports
from leerkring.visits.models import ReportCircle, Visit, VisitReport

#: How many coming meetings of each circle the agenda choice offers.
COMING_MEETINGS = 8


def with_visit_and_author(query: sa.Select) -> sa.Select:
    return query.options(
        joinedload(VisitReport.visit).joinedload(Visit.werkplaats),
        joinedload(VisitReport.author),
    )


def load_report(report_id: int) -> VisitReport:
    """The report with its visit, author, circles and meetings; 404 when the user may not see
    it."""
    report = db.first_or_404(
        with_visit_and_author(sa.select(VisitReport).where(VisitReport.id == report_id))
        .options(
            joinedload(VisitReport.visit).joinedload(Visit.host),
            selectinload(VisitReport.circles).joinedload(ReportCircle.circle),
            selectinload(VisitReport.circles).joinedload(ReportCircle.meeting),
        )
    )
    require(can_view_report(current_user, report), hide=True)
    return report


def report_url(report: VisitReport) -> str:
    return url_for("visits.report", report_id=report.id)


def report_of(visit: Visit, user) -> VisitReport | None:
    if not user.is_authenticated:
        return None
    return db.session.execute(
        sa.select(VisitReport)
        .where(VisitReport.visit_id == visit.id, VisitReport.author_id == user.id)
        .options(selectinload(VisitReport.circles).joinedload(ReportCircle.circle))
    ).scalar()


def newest_first(query: sa.Select) -> sa.Select:
    return query.order_by(VisitReport.created_at.desc(), VisitReport.id.desc())


def visit_reports(visit: Visit, user) -> sa.Select:
    """The reports of one visit that ``user`` may see."""
    return newest_first(with_visit_and_author(
        sa.select(VisitReport).where(VisitReport.visit_id == visit.id, visible_reports(user))
    ))


def circle_reports(circle) -> sa.Select:
    """The reports brought to ``circle`` (its members see them all), last brought first."""
    return with_visit_and_author(
        sa.select(VisitReport)
        .join(ReportCircle, ReportCircle.report_id == VisitReport.id)
        .where(ReportCircle.circle_id == circle.id)
    ).order_by(ReportCircle.attached_at.desc(), VisitReport.id.desc())


def meeting_reports(meeting, user) -> list[VisitReport]:
    """The reports on ``meeting``'s agenda that ``user`` may see."""
    return list(db.session.execute(
        with_visit_and_author(
            sa.select(VisitReport)
            .join(ReportCircle, ReportCircle.report_id == VisitReport.id)
            .where(ReportCircle.meeting_id == meeting.id, visible_reports(user))
        ).order_by(VisitReport.created_at, VisitReport.id)
    ).scalars())


def coming_meetings(circle_ids) -> dict[int, list[Meeting]]:
    """The next few meetings of each circle that are not cancelled, soonest first, in one query."""
    return meeting_queries.coming_meetings(circle_ids, COMING_MEETINGS, places.now())

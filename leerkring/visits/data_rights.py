"""The kitchen visits' part of a user's data rights (see ``leerkring.accounts.data_rights``): the
visits they host, their sign-ups with their learning goals, their reports with the hosts'
responses and the circles they brought them to, and the responses they wrote as a host.

Deleting an account:

- sign-ups for published visits that have not begun are withdrawn through the shared places
  code, so the first who waits gets the place (and is told); other sign-ups (past or cancelled
  visits) go with the user row;
- reports are deleted as their author deletes them (``report_services.delete_report``): also
  where they were brought to a circle, with the host's response, its privacy confirmations and
  the notices that lead to it;
- visits still to come that the user hosts are cancelled, and those signed up are told; visits
  that have begun stay for their visitors and their reports, without a host (the foreign key
  sets ``host_id`` NULL when the user row goes).
"""

import sqlalchemy as sa
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from leerkring.accounts.data_rights import caution, register_part
from leerkring.circles.models import Circle
from leerkring.extensions import db
from leerkring.meetings.models import Meeting
from leerkring.notifications import outbox
from leerkring.places import now
from leerkring.visits import report_services, services
from leerkring.visits.models import (
    ReportCircle,
    Visit,
    VisitReport,
    VisitSignup,
    VisitStatus,
)
from leerkring.werkplaatsen.models import Werkplaats

VISIT_FIELDS = ("id", "status", "title", "description", "host_organisation", "starts_at",
                "ends_at", "timezone", "place_address", "online_url", "language",
                "accessibility", "max_places", "created_at", "updated_at")
REPORT_FIELDS = ("id", "saw", "surprised", "take_home", "response", "responded_at",
                 "is_offered_to_library", "library_consent_at", "created_at", "updated_at")

#: Hosted visits that deleting the account cancels: still to come, and not yet called off.
LIVE = (VisitStatus.PENDING, VisitStatus.PUBLISHED)


# Export -------------------------------------------------------------------------------------------


def export_visits(user) -> dict:
    return {
        "hosted": _hosted(user),
        "sign_ups": _sign_ups(user),
        "reports": _reports(user),
        "responses": _responses(user),
    }


def _hosted(user) -> list[dict]:
    visits = db.session.execute(
        sa.select(Visit, Werkplaats.name)
        .join(Werkplaats, Werkplaats.id == Visit.werkplaats_id)
        .where(Visit.host_id == user.id)
        .options(selectinload(Visit.themes), selectinload(Visit.audiences))
        .order_by(Visit.starts_at, Visit.id)
    )
    return [
        {
            **{field: getattr(visit, field) for field in VISIT_FIELDS},
            "werkplaats": werkplaats,
            "themes": [theme.name for theme in visit.themes],
            "audiences": sorted(a.audience.value for a in visit.audiences),
        }
        for visit, werkplaats in visits
    ]


def _sign_ups(user) -> list[dict]:
    rows = db.session.execute(
        sa.select(VisitSignup, Visit.title, Visit.starts_at)
        .join(Visit, Visit.id == VisitSignup.visit_id)
        .where(VisitSignup.user_id == user.id)
        .order_by(Visit.starts_at, VisitSignup.id)
    )
    return [
        {
            "visit": title,
            "visit_id": signup.visit_id,
            "starts_at": starts_at,
            "learning_goal": signup.learning_goal,
            "has_place": signup.has_place,
            "waitlisted_at": signup.waitlisted_at,
            "promoted_at": signup.promoted_at,
            "created_at": signup.created_at,
        }
        for signup, title, starts_at in rows
    ]


def _reports(user) -> list[dict]:
    reports = db.session.execute(
        sa.select(VisitReport, Visit.title)
        .join(Visit, Visit.id == VisitReport.visit_id)
        .where(VisitReport.author_id == user.id)
        .order_by(VisitReport.created_at, VisitReport.id)
    ).all()
    brought = _brought_to([report.id for report, _title in reports])
    return [
        {
            **{field: getattr(report, field) for field in REPORT_FIELDS},
            "visit": title,
            "visit_id": report.visit_id,
            "circles": brought.get(report.id, []),
        }
        for report, title in reports
    ]


def _brought_to(report_ids: list[int]) -> dict[int, list[dict]]:
    """The circles each report was brought to, with the meeting whose agenda it is on."""
    if not report_ids:
        return {}
    rows = db.session.execute(
        sa.select(ReportCircle.report_id, Circle.name, Meeting.title, ReportCircle.attached_at)
        .join(Circle, Circle.id == ReportCircle.circle_id)
        .outerjoin(Meeting, Meeting.id == ReportCircle.meeting_id)
        .where(ReportCircle.report_id.in_(report_ids))
        .order_by(ReportCircle.attached_at, Circle.name)
    )
    brought: dict[int, list[dict]] = {}
    for report_id, circle, meeting, attached_at in rows:
        brought.setdefault(report_id, []).append(
            {"circle": circle, "meeting": meeting, "attached_at": attached_at}
        )
    return brought


def _responses(user) -> list[dict]:
    """What the user answered, as host, to the reports on their visits (not the reports: those
    are their authors' data)."""
    rows = db.session.execute(
        sa.select(Visit.title, VisitReport.response, VisitReport.responded_at)
        .join(Visit, Visit.id == VisitReport.visit_id)
        .where(Visit.host_id == user.id, VisitReport.response != "")
        .order_by(VisitReport.responded_at, VisitReport.id)
    )
    return [{"visit": title, "response": response, "responded_at": at}
            for title, response, at in rows]


# Deleting the account -----------------------------------------------------------------------------


def _coming_hosted(user) -> sa.Select:
    return sa.select(Visit).where(
        Visit.host_id == user.id, Visit.status.in_(LIVE), Visit.starts_at > now()
    )


def _coming_sign_ups(user) -> sa.Select:
    return (
        sa.select(VisitSignup)
        .join(Visit, Visit.id == VisitSignup.visit_id)
        .where(VisitSignup.user_id == user.id, Visit.status == VisitStatus.PUBLISHED,
               Visit.starts_at > now())
    )


def _count(select: sa.Select) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(select.subquery())
    ).scalar_one()


def describe_visits(user) -> list[str]:
    hosted = db.session.execute(
        sa.select(
            sa.func.count().filter(Visit.status.in_(LIVE), Visit.starts_at > now()),
            sa.func.count().filter(Visit.starts_at <= now()),
        ).where(Visit.host_id == user.id)
    ).one()
    coming, past = hosted
    sign_ups = _count(_coming_sign_ups(user))
    reports = _count(sa.select(VisitReport.id).where(VisitReport.author_id == user.id))
    lines = []
    if coming:
        lines.append(caution(ngettext(
            "Your coming kitchen visit is cancelled; those signed up are told.",
            "Your %(num)d coming kitchen visits are cancelled; those signed up are told.",
            coming,
        )))
    if past:
        lines.append(ngettext(
            "Your past kitchen visit stays for its visitors and their reports, without your "
            "name.",
            "Your %(num)d past kitchen visits stay for their visitors and their reports, "
            "without your name.",
            past,
        ))
    if sign_ups:
        lines.append(ngettext(
            "Your sign-up for a coming kitchen visit is withdrawn: your place goes to the "
            "first who waits.",
            "Your %(num)d sign-ups for coming kitchen visits are withdrawn: your places go to "
            "the first who wait.",
            sign_ups,
        ))
    if reports:
        lines.append(ngettext(
            "Your kitchen visit report is deleted, also from the circles you brought it to.",
            "Your %(num)d kitchen visit reports are deleted, also from the circles you "
            "brought them to.",
            reports,
        ))
    return lines


def erase_visits(user) -> None:
    touched = set()
    for signup in db.session.execute(_coming_sign_ups(user)).scalars().all():
        touched.add(signup.visit_id)
        services.PLACES.withdraw(signup)
        db.session.delete(signup)
    for report in db.session.execute(
        sa.select(VisitReport).where(VisitReport.author_id == user.id)
    ).scalars().all():
        report_services.delete_report(report)
    for visit in db.session.execute(_coming_hosted(user)).scalars().all():
        touched.add(visit.id)
        services.cancel_visit(visit)
    db.session.flush()
    outbox.replan("visit", sorted(touched))


register_part("visits", export_visits, describe_visits, erase_visits)

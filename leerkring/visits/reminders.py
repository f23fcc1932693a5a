"""Reminders about kitchen visits (DESIGN.md section 7): who hears what about a visit, and when.

Every kind is about one visit (subject type "visit"); none belongs to a circle, so a circle's
coordinators cannot turn them off for their circle (``Kind.per_circle``):

- ``visit_soon``: to those with a place, two days before at 09:00 local and on the morning of the
  visit at 07:30 local (an hour before the start when it starts before 08:30); the first makes
  sense until the second is due, the second until the start;
- ``visit_waitlist_place``: at once, to whom a free place from the waitlist went;
- ``visit_changed`` and ``visit_cancelled``: at once, to everyone signed up (place or waitlist);
- ``write_visit_report``: the day after at 09:00 local, to those with a place who have not
  written their report; it makes sense for two weeks;
- ``visit_report_written``: at once, to the host, when a visitor wrote a report;
- ``visit_report_answered``: at once, to a report's author, when the host responded.

Local moments are counted on the visit's local date in its own zone and only then made a UTC
instant, so they stay 09:00 when the clocks change in between. A coming-up reminder whose moment
lies before the person last heard of the visit (signed up, got a place, was told of a change) is
not planned: the notice they got then said it all. Each ``due`` runs one query whatever the
number of visits and sign-ups. ``services`` replans a visit in every transaction that changes it
or its sign-ups; the reports replan it when a report or a response is written.

A mail carries a title, a time, a place or link and the visit's address; never the learning goal
of a sign-up nor anything of a report.
"""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from leerkring.extensions import db
from leerkring.meetings.recurrence import local_day_at, to_local
from leerkring.notifications.moments import instant_key
from leerkring.notifications.registry import Due, Kind, Scope, register_kind
from leerkring.visits import reminder_mail, services
from leerkring.visits.models import Visit, VisitReport, VisitSignup, VisitStatus

SUBJECT = services.REMINDER_SUBJECT
#: "Coming up" comes this many local days before, at the reminder hour …
SOON_DAYS_BEFORE = 2
#: … and on the morning itself at this local time, or this long before a start before EARLY_START.
MORNING = time(7, 30)
EARLY_START = time(8, 30)
EARLY_BEFORE = timedelta(hours=1)
#: "Write your report" comes this many local days after the visit, and makes sense this long.
REPORT_DAYS_AFTER = 1
REPORT_VALID_FOR = timedelta(days=14)
#: A notice about a report (written, answered) makes sense this long after the event.
REPORT_NOTICE_VALID_FOR = timedelta(days=14)
#: "N local days before or after at the hour" lies at most N days and this much from the visit.
LOCAL_DAY_SLACK = timedelta(days=1, hours=2)
#: "Write your report" lies at most this long after the end.
REPORT_AT_MOST_AFTER = timedelta(days=REPORT_DAYS_AFTER) + LOCAL_DAY_SLACK


def reminder_hour() -> time:
    return time(current_app.config["REMINDER_MEETING_HOUR"])


def soon_moments(visit: Visit) -> list[tuple[str, datetime]]:
    """The two "coming up" moments of a visit, each with its occurrence key. The keys carry the
    visit's sequence, so a visit that moved plans both anew."""
    two_days = local_day_at(visit.starts_at, visit.timezone, -SOON_DAYS_BEFORE, reminder_hour())
    if to_local(visit.starts_at, visit.timezone).time() < EARLY_START:
        morning = visit.starts_at - EARLY_BEFORE
    else:
        morning = local_day_at(visit.starts_at, visit.timezone, 0, MORNING)
    return [(f"two_days:{visit.sequence}", two_days), (f"morning:{visit.sequence}", morning)]


def report_moment(visit: Visit) -> datetime:
    return local_day_at(visit.ends_at, visit.timezone, REPORT_DAYS_AFTER, reminder_hour())


def _in_scope(statement, scope: Scope, moment, reach: timedelta = timedelta(0)):
    """The visits asked for, or in the scheduler's pass those whose ``moment`` column (less
    ``reach``) comes before ``until``."""
    if scope.subject_ids is not None:
        return statement.where(Visit.id.in_(list(scope.subject_ids)))
    return statement.where(moment <= scope.until + reach)


def _rows(statement) -> list[tuple]:
    return db.session.execute(statement).all()


def _due(visit_id: int, user_id: int, due_at: datetime, expires_at: datetime, key: str) -> Due:
    return Due(user_id=user_id, subject_id=visit_id, due_at=due_at, expires_at=expires_at,
               occurrence_key=key)


# When: each kind's due ---------------------------------------------------------------------------


def soon_due(scope: Scope) -> list[Due]:
    """Two days before at 09:00 and on the morning, to those with a place of a published visit
    that has not begun."""
    statement = (
        sa.select(Visit, VisitSignup.user_id, VisitSignup.created_at, VisitSignup.promoted_at)
        .join(VisitSignup, VisitSignup.visit_id == Visit.id)
        .where(
            Visit.status == VisitStatus.PUBLISHED,
            Visit.starts_at > scope.now,
            VisitSignup.has_place,
        )
    )
    reach = timedelta(days=SOON_DAYS_BEFORE) + LOCAL_DAY_SLACK
    dues = []
    for visit, user_id, signed_up_at, promoted_at in _rows(
        _in_scope(statement, scope, Visit.starts_at, reach)
    ):
        heard = max(m for m in (signed_up_at, promoted_at, visit.changed_at) if m is not None)
        planned = soon_moments(visit)
        # Each makes sense until the next one: a scheduler that was down sends one, not both.
        ends = [due_at for _key, due_at in planned[1:]] + [visit.starts_at]
        for (key, due_at), expires_at in zip(planned, ends, strict=True):
            if heard < due_at < visit.starts_at:
                dues.append(_due(visit.id, user_id, due_at, expires_at, key))
    return dues


def waitlist_due(scope: Scope) -> list[Due]:
    """At once, to whom a free place went from the waitlist (while they still have it)."""
    statement = (
        sa.select(Visit.id, Visit.starts_at, VisitSignup.user_id, VisitSignup.promoted_at)
        .join(VisitSignup, VisitSignup.visit_id == Visit.id)
        .where(
            Visit.status == VisitStatus.PUBLISHED,
            Visit.starts_at > scope.now,
            VisitSignup.has_place,
            VisitSignup.promoted_at.is_not(None),
        )
    )
    return [
        _due(visit_id, user_id, promoted_at, starts_at, instant_key(promoted_at))
        for visit_id, starts_at, user_id, promoted_at in _rows(
            _in_scope(statement, scope, VisitSignup.promoted_at)
        )
    ]


def _changes(scope: Scope, status: VisitStatus) -> list[Due]:
    """At the moment of the change, to everyone signed up by then (place or waitlist); the
    visit's sequence names the change, so a later change is a new notice."""
    statement = (
        sa.select(Visit.id, Visit.starts_at, Visit.changed_at, Visit.sequence,
                  VisitSignup.user_id)
        .join(VisitSignup, VisitSignup.visit_id == Visit.id)
        .where(
            Visit.status == status,
            Visit.changed_at.is_not(None),
            Visit.starts_at > scope.now,
            VisitSignup.created_at <= Visit.changed_at,
        )
    )
    return [
        _due(visit_id, user_id, changed_at, starts_at, str(sequence))
        for visit_id, starts_at, changed_at, sequence, user_id in _rows(
            _in_scope(statement, scope, Visit.changed_at)
        )
    ]


def changed_due(scope: Scope) -> list[Due]:
    return _changes(scope, VisitStatus.PUBLISHED)


def cancelled_due(scope: Scope) -> list[Due]:
    # Expires at the start, like the other visit notices: after it the page says it all.
    return _changes(scope, VisitStatus.CANCELLED)


def write_report_due(scope: Scope) -> list[Due]:
    """The day after at 09:00 local, to those who had a place and have not written a report."""
    statement = (
        sa.select(Visit, VisitSignup.user_id)
        .join(VisitSignup, VisitSignup.visit_id == Visit.id)
        .outerjoin(
            VisitReport,
            sa.and_(VisitReport.visit_id == Visit.id, VisitReport.author_id == VisitSignup.user_id),
        )
        .where(
            Visit.status == VisitStatus.PUBLISHED,
            VisitSignup.has_place,
            VisitReport.id.is_(None),
            Visit.ends_at > scope.now - REPORT_AT_MOST_AFTER - REPORT_VALID_FOR,
        )
    )
    dues = []
    for visit, user_id in _rows(_in_scope(statement, scope, Visit.ends_at)):
        due_at = report_moment(visit)
        dues.append(_due(visit.id, user_id, due_at, due_at + REPORT_VALID_FOR, ""))
    return dues


def report_written_due(scope: Scope) -> list[Due]:
    """At once, to the host: a visitor wrote a report (one notice per report)."""
    statement = (
        sa.select(Visit.id, Visit.host_id, VisitReport.id, VisitReport.created_at)
        .join(VisitReport, VisitReport.visit_id == Visit.id)
        .where(
            Visit.host_id.is_not(None),
            VisitReport.author_id != Visit.host_id,
            VisitReport.created_at > scope.now - REPORT_NOTICE_VALID_FOR,
        )
    )
    return [
        _due(visit_id, host_id, written_at, written_at + REPORT_NOTICE_VALID_FOR, str(report_id))
        for visit_id, host_id, report_id, written_at in _rows(
            _in_scope(statement, scope, VisitReport.created_at)
        )
    ]


def report_answered_due(scope: Scope) -> list[Due]:
    """At once, to the report's author: the host responded (a new response, a new notice)."""
    statement = (
        sa.select(Visit.id, VisitReport.author_id, VisitReport.responded_at)
        .join(VisitReport, VisitReport.visit_id == Visit.id)
        .where(
            VisitReport.responded_at.is_not(None),
            VisitReport.responded_at > scope.now - REPORT_NOTICE_VALID_FOR,
        )
    )
    return [
        _due(visit_id, author_id, responded_at, responded_at + REPORT_NOTICE_VALID_FOR,
             instant_key(responded_at))
        for visit_id, author_id, responded_at in _rows(
            _in_scope(statement, scope, VisitReport.responded_at)
        )
    ]


# The kinds -------------------------------------------------------------------------------------
# Each label names the kitchen visit, so the visits' kinds read as one group on the settings page;
# they belong to no circle, so a circle's coordinators are not offered to turn them off.


def _kind(name, label, notice, due, render) -> Kind:
    return register_kind(Kind(name, SUBJECT, label, notice, due, render, per_circle=False))


VISIT_SOON = _kind(
    "visit_soon",
    _l("A kitchen visit you signed up for is coming up"),
    _l("The kitchen visit “%(title)s” is coming up: %(when)s."),
    soon_due, reminder_mail.soon_render,
)
VISIT_WAITLIST_PLACE = _kind(
    "visit_waitlist_place",
    _l("You got a place at a kitchen visit from the waitlist"),
    _l("A place came free: you can come to the kitchen visit “%(title)s” on %(when)s."),
    waitlist_due, reminder_mail.waitlist_render,
)
VISIT_CHANGED = _kind(
    "visit_changed",
    _l("A kitchen visit you signed up for has a new time or place"),
    _l("The kitchen visit “%(title)s” has a new time or place: %(when)s."),
    changed_due, reminder_mail.changed_render,
)
VISIT_CANCELLED = _kind(
    "visit_cancelled",
    _l("A kitchen visit you signed up for is cancelled"),
    _l("The kitchen visit “%(title)s” on %(day)s is cancelled."),
    cancelled_due, reminder_mail.cancelled_render,
)
WRITE_VISIT_REPORT = _kind(
    "write_visit_report",
    _l("Write your report after a kitchen visit"),
    _l("How was the kitchen visit “%(title)s”? Write your report and bring it home."),
    write_report_due, reminder_mail.write_report_render,
)
VISIT_REPORT_WRITTEN = _kind(
    "visit_report_written",
    _l("A visitor wrote a report on a kitchen visit you host"),
    _l("A visitor wrote a report on your kitchen visit “%(title)s”."),
    report_written_due, reminder_mail.report_written_render,
)
VISIT_REPORT_ANSWERED = _kind(
    "visit_report_answered",
    _l("The host responded to your report on a kitchen visit"),
    _l("The host of “%(title)s” responded to your report."),
    report_answered_due, reminder_mail.report_answered_render,
)

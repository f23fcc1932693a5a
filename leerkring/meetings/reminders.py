"""Reminders about meetings (DESIGN.md section 7): who hears what about a meeting, and when.

Every kind is about one meeting (subject type "meeting") and names the meeting's circle, so its
coordinators can turn a kind off for the circle:

- ``meeting_soon``: the day before at 09:00 local (or the member's own lead time), to members
  who said yes or maybe or have not answered;
- ``meeting_starting``: one hour before an online meeting, to the same members;
- ``answer_open``: three days before at 09:00 local, to members who have not answered;
- ``meeting_changed`` and ``meeting_cancelled``: at once, to those who said yes or maybe;
- ``waitlist_place``: at once, to whom a free place went;
- ``prepare_case``: three days before at 09:00 local, to the member who brings a case to a
  meeting that asks for preparation;
- ``write_reflection``: two hours after the end, to those who were there.

"N days before at 09:00" is counted on the meeting's local date in its own zone and only then
made a UTC instant, so it stays 09:00 when the clocks change in between. Each ``due`` runs one
query (``meeting_soon`` one more, for the lead times) whatever the number of meetings and
members. The services of this area call ``outbox.replan("meeting", ids)`` in the transaction
that changes a meeting, an answer or a circle's members; a housekeeping job makes a series'
later occurrences before their reminders are due.

A mail carries a title, a time, a place or link and the meeting's address; never the agenda,
the preparation asked for, or anything about a case.
"""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from leerkring.circles.models import Circle, Membership
from leerkring.circles.services import members_changed
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.meetings import recurrence, reminder_mail, services
from leerkring.meetings.models import (
    Answer,
    Attendance,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Rsvp,
)
from leerkring.notifications import outbox, preferences
from leerkring.notifications.moments import instant_key
from leerkring.notifications.registry import (
    Due,
    Kind,
    Scope,
    register_housekeeping,
    register_kind,
    register_preference_listener,
)

SUBJECT = services.REMINDER_SUBJECT
#: "Starting soon" comes this long before an online meeting.
STARTING_BEFORE = timedelta(hours=1)
#: "Will you come?" and "prepare your case" come this many local days before, at the hour.
ANSWER_DAYS_BEFORE = 3
PREPARE_DAYS_BEFORE = 3
#: "Write your reflection" comes this long after the end, and makes sense this long after that.
REFLECTION_AFTER = timedelta(hours=2)
REFLECTION_VALID_FOR = timedelta(days=14)
#: "N local days before at the hour" lies at most N days and this much before the start (a
#: start just before midnight, an hour of clock change): how far the scheduler's pass looks.
LOCAL_DAY_SLACK = timedelta(days=1, hours=2)
#: A series is made a horizon ahead again once what exists reaches less far than this.
SERIES_SLACK = timedelta(days=7)


def reminder_hour() -> int:
    return current_app.config["REMINDER_MEETING_HOUR"]


def days_before_at(meeting: Meeting, days: int, hour: int) -> datetime:
    """``days`` days before the meeting's local date, at ``hour`` o'clock there, in UTC (an hour
    the clocks skip that day comes out an hour later)."""
    return recurrence.local_day_at(meeting.starts_at, meeting.timezone, -days, time(hour))


def occurrence_key(meeting: Meeting) -> str:
    """A series' occurrence by its original local start; "" for a single meeting."""
    return meeting.occurrence_key or ""


# Whom: selects of (meeting, user id) -----------------------------------------------------------


def _upcoming(scope: Scope, *columns, reach: timedelta):
    """Scheduled meetings that have not begun, with ``columns``: the meetings asked for, or in
    the scheduler's pass those whose reminders (at most ``reach`` before the start) are due
    before ``until``."""
    statement = sa.select(Meeting, *columns).where(
        Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at > scope.now
    )
    if scope.subject_ids is not None:
        return statement.where(Meeting.id.in_(list(scope.subject_ids)))
    return statement.where(Meeting.starts_at <= scope.until + reach)


def _with_members(statement):
    """One row per current member of the meeting's circle, with their answer if they gave one."""
    return statement.join(Membership, Membership.circle_id == Meeting.circle_id).outerjoin(
        Rsvp, sa.and_(Rsvp.meeting_id == Meeting.id, Rsvp.user_id == Membership.user_id)
    )


def _coming_or_unanswered(statement):
    """Members who said yes or maybe (with a place, not waiting for one) or have not answered."""
    return _with_members(statement).where(
        sa.or_(
            Rsvp.id.is_(None),
            sa.and_(Rsvp.answer != Answer.NO, Rsvp.waitlisted_at.is_(None)),
        )
    )


def _answered_members(statement):
    """Members with an answer (``Rsvp`` joined; guests have no membership)."""
    return statement.join(Rsvp, Rsvp.meeting_id == Meeting.id).join(
        Membership,
        sa.and_(Membership.circle_id == Meeting.circle_id, Membership.user_id == Rsvp.user_id),
    )


def _rows(statement) -> list[tuple]:
    return db.session.execute(statement).all()


# When: each kind's due ---------------------------------------------------------------------------


def soon_due(scope: Scope) -> list[Due]:
    """The day before at 09:00 local, or as many days before as the member chose."""
    default = preferences.meeting_lead_days_default()
    chosen = preferences.lead_days()
    longest = max([default, *chosen.values()])
    statement = _coming_or_unanswered(
        _upcoming(scope, Membership.user_id, reach=timedelta(days=longest) + LOCAL_DAY_SLACK)
    )
    hour = reminder_hour()
    dues = []
    for meeting, user_id in _rows(statement):
        due_at = days_before_at(meeting, chosen.get(user_id, default), hour)
        if due_at < meeting.starts_at:
            dues.append(_due(meeting, user_id, due_at))
    return dues


def starting_due(scope: Scope) -> list[Due]:
    """An hour before a meeting with an online link."""
    statement = _coming_or_unanswered(
        _upcoming(scope, Membership.user_id, reach=STARTING_BEFORE).where(Meeting.online_url != "")
    )
    return [
        _due(meeting, user_id, meeting.starts_at - STARTING_BEFORE)
        for meeting, user_id in _rows(statement)
    ]


def answer_open_due(scope: Scope) -> list[Due]:
    """Three days before at 09:00 local, to members who have not answered."""
    reach = timedelta(days=ANSWER_DAYS_BEFORE) + LOCAL_DAY_SLACK
    statement = _with_members(_upcoming(scope, Membership.user_id, reach=reach)).where(
        Rsvp.id.is_(None)
    )
    hour = reminder_hour()
    return [
        _due(meeting, user_id, days_before_at(meeting, ANSWER_DAYS_BEFORE, hour))
        for meeting, user_id in _rows(statement)
    ]


def prepare_case_due(scope: Scope) -> list[Due]:
    """Three days before at 09:00 local, to the case presenter of a meeting that asks for
    preparation, while they are a member and have not said no."""
    reach = timedelta(days=PREPARE_DAYS_BEFORE) + LOCAL_DAY_SLACK
    statement = (
        _with_members(_upcoming(scope, reach=reach))
        .where(
            Meeting.case_presenter_id.is_not(None),
            Meeting.preparation != "",
            Membership.user_id == Meeting.case_presenter_id,
        )
        .where(sa.or_(Rsvp.id.is_(None), Rsvp.answer != Answer.NO))
    )
    hour = reminder_hour()
    return [
        _due(meeting, meeting.case_presenter_id, days_before_at(meeting, PREPARE_DAYS_BEFORE, hour))
        for (meeting,) in _rows(statement)
        if meeting.preparation.strip()
    ]


def _changes(scope: Scope, status: MeetingStatus) -> list[Due]:
    """At the moment of the change, to members who had said yes or maybe by then; the change's
    instant names it, so a later change is a new notice and a sent one is never sent again."""
    statement = _answered_members(
        sa.select(Meeting, Rsvp.user_id).where(
            Meeting.status == status,
            Meeting.changed_at.is_not(None),
            Meeting.starts_at > scope.now,
            Rsvp.answer.in_([Answer.YES, Answer.MAYBE]),
            Rsvp.answered_at <= Meeting.changed_at,
        )
    )
    if scope.subject_ids is not None:
        statement = statement.where(Meeting.id.in_(list(scope.subject_ids)))
    else:
        statement = statement.where(Meeting.changed_at <= scope.until)
    return [
        _due(meeting, user_id, meeting.changed_at, key=instant_key(meeting.changed_at))
        for meeting, user_id in _rows(statement)
    ]


def changed_due(scope: Scope) -> list[Due]:
    return _changes(scope, MeetingStatus.SCHEDULED)


def cancelled_due(scope: Scope) -> list[Due]:
    # Expires at the start, like every meeting reminder: after it the notice can no longer keep
    # anyone from setting out, and the meeting page says it is cancelled. A scheduler that was
    # down past the start does not send it late (DESIGN.md section 7).
    return _changes(scope, MeetingStatus.CANCELLED)


def waitlist_due(scope: Scope) -> list[Due]:
    """At once, to a member whose "yes" got a free place from the waitlist (and still has it)."""
    statement = _answered_members(
        sa.select(Meeting, Rsvp.user_id, Rsvp.promoted_at).where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > scope.now,
            Rsvp.promoted_at.is_not(None),
            Rsvp.has_place,
            Rsvp.answer == Answer.YES,
        )
    )
    if scope.subject_ids is not None:
        statement = statement.where(Meeting.id.in_(list(scope.subject_ids)))
    else:
        statement = statement.where(Rsvp.promoted_at <= scope.until)
    return [
        _due(meeting, user_id, promoted_at, key=instant_key(promoted_at))
        for meeting, user_id, promoted_at in _rows(statement)
    ]


def reflection_due(scope: Scope) -> list[Due]:
    """Two hours after the end, to members who were there; it makes sense for two weeks."""
    statement = (
        sa.select(Meeting, Attendance.user_id)
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .join(
            Membership,
            sa.and_(
                Membership.circle_id == Meeting.circle_id,
                Membership.user_id == Attendance.user_id,
            ),
        )
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Attendance.is_present,
            Meeting.ends_at > scope.now - REFLECTION_AFTER - REFLECTION_VALID_FOR,
        )
    )
    if scope.subject_ids is not None:
        statement = statement.where(Meeting.id.in_(list(scope.subject_ids)))
    else:
        statement = statement.where(Meeting.ends_at <= scope.until - REFLECTION_AFTER)
    dues = []
    for meeting, user_id in _rows(statement):
        due_at = meeting.ends_at + REFLECTION_AFTER
        dues.append(_due(meeting, user_id, due_at, expires_at=due_at + REFLECTION_VALID_FOR))
    return dues


def _due(meeting: Meeting, user_id: int, due_at: datetime, *, key=None, expires_at=None) -> Due:
    return Due(
        user_id=user_id,
        subject_id=meeting.id,
        due_at=due_at,
        expires_at=expires_at or meeting.starts_at,
        occurrence_key=occurrence_key(meeting) if key is None else key,
        circle_id=meeting.circle_id,
    )


# The kinds -------------------------------------------------------------------------------------


def _kind(name, label, notice, due, render) -> Kind:
    return register_kind(Kind(name, SUBJECT, label, notice, due, render))


MEETING_SOON = _kind(
    "meeting_soon",
    _l("A meeting is coming up"),
    _l("“%(title)s” is coming up: %(when)s."),
    soon_due, reminder_mail.soon_render,
)
MEETING_STARTING = _kind(
    "meeting_starting",
    _l("An online meeting starts in an hour"),
    _l("“%(title)s” starts in an hour. Join online from the meeting page."),
    starting_due, reminder_mail.starting_render,
)
ANSWER_OPEN = _kind(
    "answer_open",
    _l("You have not yet said whether you will come"),
    _l("Will you come to “%(title)s” on %(when)s? Give your answer."),
    answer_open_due, reminder_mail.answer_open_render,
)
MEETING_CHANGED = _kind(
    "meeting_changed",
    _l("A meeting you are coming to has a new time or place"),
    _l("The meeting “%(title)s” has a new time or place."),
    changed_due, reminder_mail.changed_render,
)
MEETING_CANCELLED = _kind(
    "meeting_cancelled",
    _l("A meeting you are coming to is cancelled"),
    _l("The meeting “%(title)s” on %(day)s is cancelled."),
    cancelled_due, reminder_mail.cancelled_render,
)
WAITLIST_PLACE = _kind(
    "waitlist_place",
    _l("You got a place from the waitlist"),
    _l("A place came free: you now have a place at “%(meeting)s”."),
    waitlist_due, reminder_mail.waitlist_render,
)
PREPARE_CASE = _kind(
    "prepare_case",
    _l("Prepare the case you bring to a meeting"),
    _l("You bring a case to “%(title)s” on %(when)s: time to prepare it."),
    prepare_case_due, reminder_mail.prepare_case_render,
)
WRITE_REFLECTION = _kind(
    "write_reflection",
    _l("Write your reflection after a meeting"),
    _l("How did “%(title)s” go? Write your reflection."),
    reflection_due, reminder_mail.reflection_render,
)


# Keeping them planned --------------------------------------------------------------------------


def _still_remindable():
    """Meetings whose reminders may still come: not ended, or ended recently (reflection)."""
    since = utcnow() - REFLECTION_AFTER - REFLECTION_VALID_FOR
    return sa.select(Meeting.id).where(Meeting.ends_at > since)


@members_changed.connect
def replan_circle(circle, **extra) -> None:
    """Someone joined or left: the reminders of the circle's meetings follow."""
    ids = db.session.execute(_still_remindable().where(Meeting.circle_id == circle.id))
    outbox.replan(SUBJECT, ids.scalars().all())


@register_preference_listener
def replan_for(user) -> None:
    """A member's choices changed (a kind on again, another lead time): the reminders of their
    circles' meetings follow at once, not only when the scheduler's pass gets to them."""
    circles = sa.select(Membership.circle_id).where(Membership.user_id == user.id)
    ids = db.session.execute(_still_remindable().where(Meeting.circle_id.in_(circles)))
    outbox.replan(SUBJECT, ids.scalars().all())


@register_housekeeping
def extend_all_series(now: datetime) -> None:
    """Make each series of an active circle a horizon ahead, so its occurrences exist before
    their reminders are due (runs before every planning pass; works about once a week each)."""
    reaching = (now + recurrence.HORIZON - SERIES_SLACK).replace(tzinfo=None)
    series = db.session.execute(
        sa.select(MeetingSeries)
        .join(Circle, Circle.id == MeetingSeries.circle_id)
        .where(
            Circle.archived_at.is_(None),
            sa.or_(
                MeetingSeries.materialised_until.is_(None),
                MeetingSeries.materialised_until < reaching,
            ),
        )
    ).scalars().all()
    for one in series:
        services.extend_series(one, recurrence.to_local(now, one.timezone) + recurrence.HORIZON)

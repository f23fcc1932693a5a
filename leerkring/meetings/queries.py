"""Read-only queries of the meetings area."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from leerkring.circles.models import Membership
from leerkring.extensions import db
from leerkring.meetings.models import (
    Attendance,
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from leerkring.models import User

# Attendance, minutes and date polls ---------------------------------------------------------

#: Members check in from this long before the start …
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
#: … until this long after the end.
CHECKIN_CLOSES_AFTER = timedelta(hours=2)


def circle_members(circle_id: int) -> list[Membership]:
    """Everyone in the circle with their user, by name."""
    return list(
        db.session.execute(
            sa.select(Membership)
            .join(Membership.user)
            .where(Membership.circle_id == circle_id)
            .options(joinedload(Membership.user))
            .order_by(User.name, Membership.id)
        ).scalars()
    )


def attendance_of(meeting: Meeting) -> dict[int, Attendance]:
    """The meeting's attendance rows by user id."""
    rows = db.session.execute(
        sa.select(Attendance)
        .where(Attendance.meeting_id == meeting.id)
        .options(joinedload(Attendance.user))
    ).scalars()
    return {row.user_id: row for row in rows}


def my_attendance(meeting: Meeting, user) -> Attendance | None:
    return db.session.execute(
        sa.select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.user_id == user.id
        )
    ).scalar()


def present_count(meeting: Meeting) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).where(
            Attendance.meeting_id == meeting.id, Attendance.is_present.is_(True)
        )
    ).scalar_one()


def circle_meetings(circle_id: int) -> sa.Select:
    """The circle's meetings that were not cancelled, newest first (for the attendance grid)."""
    return (
        sa.select(Meeting)
        .where(Meeting.circle_id == circle_id, Meeting.status == MeetingStatus.SCHEDULED)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    )


def attendance_grid(meeting_ids) -> dict[tuple[int, int], bool]:
    """(meeting id, user id) → present, for the given meetings."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        sa.select(Attendance.meeting_id, Attendance.user_id, Attendance.is_present).where(
            Attendance.meeting_id.in_(list(meeting_ids))
        )
    )
    return {(meeting_id, user_id): present for meeting_id, user_id, present in rows}


def minutes_of(meeting: Meeting) -> Minutes | None:
    return db.session.execute(sa.select(Minutes).where(Minutes.meeting_id == meeting.id)).scalar()


def previous_agreements(meeting: Meeting) -> Minutes | None:
    """The final minutes of the circle's latest earlier meeting that has them."""
    return db.session.execute(
        sa.select(Minutes)
        .join(Minutes.meeting)
        .where(
            Meeting.circle_id == meeting.circle_id,
            Meeting.starts_at < meeting.starts_at,
            Minutes.status == MinutesStatus.FINAL,
        )
        .options(joinedload(Minutes.meeting))
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    ).scalar()


def load_poll(poll_id: int) -> DatePoll:
    """The poll with its circle and options, or 404."""
    return db.first_or_404(
        sa.select(DatePoll)
        .where(DatePoll.id == poll_id)
        .options(joinedload(DatePoll.circle), selectinload(DatePoll.options))
    )


def poll_answers(poll: DatePoll) -> list[DatePollAnswer]:
    """Every answer to the poll's options."""
    return list(
        db.session.execute(
            sa.select(DatePollAnswer)
            .join(DatePollOption, DatePollOption.id == DatePollAnswer.option_id)
            .where(DatePollOption.poll_id == poll.id)
        ).scalars()
    )


def open_polls(circle_id: int) -> sa.Select:
    """The circle's polls that are not closed, newest first."""
    return (
        sa.select(DatePoll)
        .where(DatePoll.circle_id == circle_id, DatePoll.closed_at.is_(None))
        .order_by(DatePoll.created_at.desc(), DatePoll.id.desc())
    )

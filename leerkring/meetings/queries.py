"""Read-only queries of the meetings area."""

from datetime import UTC, datetime, timedelta

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
    MeetingGuest,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Rsvp,
)
from leerkring.models import User

# Coming meetings ----------------------------------------------------------------------------


def coming_meetings(circle_ids, per_circle: int, now: datetime | None = None,
                    ) -> dict[int, list[Meeting]]:
    """The next ``per_circle`` meetings of each circle that are not cancelled, soonest first,
    in one query; every circle asked for has a list, maybe empty."""
    if not circle_ids:
        return {}
    rank = sa.func.row_number().over(
        partition_by=Meeting.circle_id, order_by=(Meeting.starts_at, Meeting.id)
    ).label("rank")
    ranked = (
        sa.select(Meeting.id, rank)
        .where(
            Meeting.circle_id.in_(sorted(circle_ids)),
            Meeting.starts_at > (now or datetime.now(UTC)),
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .subquery()
    )
    meetings = db.session.execute(
        sa.select(Meeting)
        .join(ranked, ranked.c.id == Meeting.id)
        .where(ranked.c.rank <= per_circle)
        .order_by(Meeting.starts_at, Meeting.id)
    ).scalars()
    found: dict[int, list[Meeting]] = {circle_id: [] for circle_id in circle_ids}
    for meeting in meetings:
        found[meeting.circle_id].append(meeting)
    return found


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

# Answers ---------------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def upcoming_in_circle(circle, limit: int) -> list[Meeting]:
    """The circle's next meetings (cancelled ones too, so members see they are off)."""
    return list(
        db.session.execute(
            sa.select(Meeting)
            .where(Meeting.circle_id == circle.id, Meeting.ends_at > _now())
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        ).scalars()
    )


def upcoming_for(user, limit: int) -> list[Meeting]:
    """My next scheduled meetings across my circles, soonest first."""
    mine = sa.select(Membership.circle_id).where(Membership.user_id == user.id)
    return list(
        db.session.execute(
            sa.select(Meeting)
            .where(
                Meeting.circle_id.in_(mine),
                Meeting.ends_at > _now(),
                Meeting.status == MeetingStatus.SCHEDULED,
            )
            .options(joinedload(Meeting.circle))
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        ).scalars()
    )


def waitlisted_for(user, limit: int) -> list[Meeting]:
    """Meetings still to come where I wait for a place."""
    return list(
        db.session.execute(
            sa.select(Meeting)
            .join(Rsvp, Rsvp.meeting_id == Meeting.id)
            .where(
                Rsvp.user_id == user.id,
                Rsvp.waitlisted_at.is_not(None),
                Meeting.starts_at > _now(),
                Meeting.status == MeetingStatus.SCHEDULED,
            )
            .options(joinedload(Meeting.circle))
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        ).scalars()
    )


def answer_counts(meeting_ids) -> dict[int, dict[str, int]]:
    """Per meeting: how many said yes (with a place), maybe, no, and how many wait."""
    counts = {mid: {"yes": 0, "maybe": 0, "no": 0, "waiting": 0} for mid in meeting_ids}
    if not counts:
        return counts
    waiting = Rsvp.waitlisted_at.is_not(None)
    rows = db.session.execute(
        sa.select(
            Rsvp.meeting_id,
            sa.func.count().filter(Rsvp.answer == "yes", sa.not_(waiting)),
            sa.func.count().filter(Rsvp.answer == "maybe"),
            sa.func.count().filter(Rsvp.answer == "no"),
            sa.func.count().filter(waiting),
        )
        .where(Rsvp.meeting_id.in_(list(counts)))
        .group_by(Rsvp.meeting_id)
    )
    for meeting_id, yes, maybe, no, waits in rows:
        counts[meeting_id] = {"yes": yes, "maybe": maybe, "no": no, "waiting": waits}
    return counts


def my_rsvps(user, meeting_ids) -> dict[int, Rsvp]:
    """My answer per meeting, with my place on the waitlist as ``position`` (else None)."""
    ids = list(meeting_ids)
    if not ids:
        return {}
    other = sa.orm.aliased(Rsvp)
    ahead = (
        sa.select(sa.func.count(other.id))
        .where(
            other.meeting_id == Rsvp.meeting_id,
            other.waitlisted_at.is_not(None),
            sa.or_(
                other.waitlisted_at < Rsvp.waitlisted_at,
                sa.and_(other.waitlisted_at == Rsvp.waitlisted_at, other.id < Rsvp.id),
            ),
        )
        .correlate(Rsvp)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Rsvp, ahead).where(Rsvp.user_id == user.id, Rsvp.meeting_id.in_(ids))
    )
    mine = {}
    for rsvp, people_ahead in rows:
        rsvp.position = people_ahead + 1 if rsvp.waitlisted_at is not None else None
        mine[rsvp.meeting_id] = rsvp
    return mine


def answers_of(meeting) -> list[Rsvp]:
    """Everyone's answer to ``meeting``, members and guests; waitlist in order."""
    return list(
        db.session.execute(
            sa.select(Rsvp)
            .where(Rsvp.meeting_id == meeting.id)
            .options(joinedload(Rsvp.user), joinedload(Rsvp.guest))
            .order_by(Rsvp.waitlisted_at.is_not(None), Rsvp.waitlisted_at, Rsvp.answered_at,
                      Rsvp.id)
        ).scalars()
    )


def guests_of(meeting) -> list[MeetingGuest]:
    return list(
        db.session.execute(
            sa.select(MeetingGuest)
            .where(MeetingGuest.meeting_id == meeting.id)
            .order_by(MeetingGuest.name, MeetingGuest.id)
        ).scalars()
    )


def polls_waiting_for(user, limit: int) -> list[DatePoll]:
    """Open date polls in my circles that I have not answered yet."""
    mine = sa.select(Membership.circle_id).where(Membership.user_id == user.id)
    answered = (
        sa.select(DatePollOption.id)
        .join(DatePollAnswer, DatePollAnswer.option_id == DatePollOption.id)
        .where(DatePollOption.poll_id == DatePoll.id, DatePollAnswer.user_id == user.id)
        .exists()
    )
    return list(
        db.session.execute(
            sa.select(DatePoll)
            .where(
                DatePoll.circle_id.in_(mine),
                DatePoll.closed_at.is_(None),
                sa.or_(DatePoll.closes_at.is_(None), DatePoll.closes_at > _now()),
                ~answered,
            )
            .options(joinedload(DatePoll.circle))
            .order_by(DatePoll.closes_at.is_(None), DatePoll.closes_at, DatePoll.id)
            .limit(limit)
        ).scalars()
    )


# Scheduling ------------------------------------------------------------------------------------


def upcoming_in_werkplaats(werkplaats, user, limit: int) -> list[Meeting]:
    """The next scheduled meetings of the Werkplaats' circles that ``user`` can see, with their
    circle, in one query."""
    from leerkring.circles.models import Circle
    from leerkring.permissions import visible_circles
    from leerkring.werkplaatsen.queries import _belongs_to

    return list(
        db.session.execute(
            sa.select(Meeting)
            .join(Circle, Circle.id == Meeting.circle_id)
            .where(
                _belongs_to(werkplaats),
                visible_circles(user),
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.ends_at > _now(),
            )
            .options(sa.orm.contains_eager(Meeting.circle))
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        ).scalars()
    )


# Date polls: who has not answered (for the coordinator, and the reminders) ------------------


def poll_non_responders(poll: DatePoll) -> sa.Select:
    """Members of the poll's circle who have not answered any of its options, by name."""
    answered = (
        sa.select(DatePollAnswer.user_id)
        .join(DatePollOption, DatePollOption.id == DatePollAnswer.option_id)
        .where(DatePollOption.poll_id == poll.id)
    )
    return (
        sa.select(Membership)
        .join(Membership.user)
        .where(Membership.circle_id == poll.circle_id, Membership.user_id.not_in(answered))
        .options(joinedload(Membership.user))
        .order_by(User.name, Membership.id)
    )

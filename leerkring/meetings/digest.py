"""The meetings area's sections of the weekly digest: meetings coming up in my circles, and
date polls waiting for my answers."""

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from leerkring.circles.models import Membership
from leerkring.extensions import db
from leerkring.meetings.models import (
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    Meeting,
    MeetingStatus,
)
from leerkring.meetings.reminder_mail import when
from leerkring.notifications.registry import DigestItem, DigestSection, register_digest_section

AHEAD = timedelta(days=7)
#: A digest lists at most this many items per section.
LIMIT = 20


def _my_circles(user):
    return sa.select(Membership.circle_id).where(Membership.user_id == user.id)


def upcoming_meetings(user, since, until) -> DigestSection | None:
    """Scheduled meetings in my circles in the seven days from the digest's moment."""
    meetings = db.session.execute(
        sa.select(Meeting)
        .where(
            Meeting.circle_id.in_(_my_circles(user)),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at >= until,
            Meeting.starts_at < until + AHEAD,
        )
        .options(joinedload(Meeting.circle))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(LIMIT)
    ).scalars().all()
    if not meetings:
        return None
    return DigestSection(
        _("Meetings in your circles this week"),
        [
            DigestItem(
                _("%(title)s, %(when)s (%(circle)s)", title=meeting.title,
                  when=when(meeting.starts_at), circle=meeting.circle.name),
                url_for("meetings.show", meeting_id=meeting.id),
            )
            for meeting in meetings
        ],
    )


def open_polls(user, since, until) -> DigestSection | None:
    """Date polls in my circles that still take answers and that I have not answered."""
    answered = (
        sa.select(DatePollAnswer.id)
        .join(DatePollOption, DatePollOption.id == DatePollAnswer.option_id)
        .where(DatePollOption.poll_id == DatePoll.id, DatePollAnswer.user_id == user.id)
        .exists()
    )
    polls = db.session.execute(
        sa.select(DatePoll)
        .where(
            DatePoll.circle_id.in_(_my_circles(user)),
            DatePoll.closed_at.is_(None),
            sa.or_(DatePoll.closes_at.is_(None), DatePoll.closes_at > until),
            ~answered,
        )
        .options(joinedload(DatePoll.circle))
        .order_by(DatePoll.closes_at.is_(None), DatePoll.closes_at, DatePoll.id)
        .limit(LIMIT)
    ).scalars().all()
    if not polls:
        return None
    return DigestSection(
        _("Date polls waiting for your answers"),
        [DigestItem(_poll_text(poll), url_for("meetings.poll", poll_id=poll.id)) for poll in polls],
    )


def _poll_text(poll: DatePoll) -> str:
    if poll.closes_at is None:
        return _("%(title)s (%(circle)s)", title=poll.title, circle=poll.circle.name)
    return _("%(title)s (%(circle)s), closes on %(when)s", title=poll.title,
             circle=poll.circle.name, when=when(poll.closes_at))


register_digest_section("meetings.upcoming", upcoming_meetings)
register_digest_section("meetings.open_polls", open_polls)

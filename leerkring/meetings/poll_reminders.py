"""Reminders about date polls: "the poll closes tomorrow" (to members who have not answered)
and "a date has been chosen" (to the circle, at once).

``datepolls`` replans them whenever a poll opens, is answered or closes.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from leerkring.circles.models import Membership
from leerkring.extensions import db
from leerkring.meetings import ics
from leerkring.meetings.models import (
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    Meeting,
    MeetingStatus,
)
from leerkring.meetings.reminder_mail import when
from leerkring.notifications.registry import Due, Kind, Rendered, Scope, register_kind

#: "Closes tomorrow": this long before the poll's closing moment.
CLOSING_LEAD = timedelta(hours=24)
#: "A date has been chosen" is still news this long after (and never after the meeting began).
CHOSEN_VALID_FOR = timedelta(days=7)


def _has_answered(poll_id, user_id):
    """Whether the user answered any of the poll's options (columns or values)."""
    return (
        sa.select(DatePollAnswer.id)
        .join(DatePollOption, DatePollOption.id == DatePollAnswer.option_id)
        .where(DatePollOption.poll_id == poll_id, DatePollAnswer.user_id == user_id)
        .exists()
    )


# Poll closing ---------------------------------------------------------------------------------


def closing_due(scope: Scope):
    """Members of open polls' circles who have not answered any option (one query)."""
    statement = (
        sa.select(DatePoll.id, DatePoll.circle_id, DatePoll.closes_at, Membership.user_id)
        .join(Membership, Membership.circle_id == DatePoll.circle_id)
        .where(
            DatePoll.closed_at.is_(None),
            DatePoll.closes_at > scope.now,
            ~_has_answered(DatePoll.id, Membership.user_id),
        )
    )
    if scope.subject_ids is not None:
        statement = statement.where(DatePoll.id.in_(list(scope.subject_ids)))
    else:
        statement = statement.where(DatePoll.closes_at <= scope.until + CLOSING_LEAD)
    for poll_id, circle_id, closes_at, user_id in db.session.execute(statement):
        yield Due(user_id, poll_id, closes_at - CLOSING_LEAD, closes_at, circle_id=circle_id)


def _still_waiting_for(poll: DatePoll, user_id: int) -> bool:
    """Whether ``user_id`` is in the poll's circle and has not answered."""
    is_member = (
        sa.select(Membership.id)
        .where(Membership.circle_id == poll.circle_id, Membership.user_id == user_id)
        .exists()
    )
    return db.session.execute(sa.select(is_member & ~_has_answered(poll.id, user_id))).scalar()


def closing_render(delivery) -> Rendered | None:
    poll = db.session.get(DatePoll, delivery.subject_id)
    if poll is None or not poll.is_open or poll.closes_at is None:
        return None
    if not _still_waiting_for(poll, delivery.user_id):
        return None
    closes = when(poll.closes_at)
    return Rendered(
        subject=_("Which dates suit you? The poll “%(title)s” closes soon", title=poll.title),
        template="meetings/reminders/poll_closing",
        url=url_for("meetings.poll", poll_id=poll.id),
        params={"title": poll.title, "when": closes},
        context={"poll": poll, "circle": poll.circle, "closes": closes},
    )


POLL_CLOSING = register_kind(
    Kind(
        name="poll_closing",
        subject_type="poll",
        label=_l("A date poll closes soon and you have not answered"),
        notice=_l("The date poll “%(title)s” closes on %(when)s: give your answers."),
        due=closing_due,
        render=closing_render,
    )
)


# Date chosen ----------------------------------------------------------------------------------


def chosen_due(scope: Scope):
    """Everyone who was in the circle when the poll closed, once (one query)."""
    statement = (
        sa.select(
            DatePoll.id, DatePoll.circle_id, DatePoll.closed_at, Meeting.starts_at,
            Membership.user_id,
        )
        .join(Meeting, Meeting.id == DatePoll.meeting_id)
        .join(Membership, Membership.circle_id == DatePoll.circle_id)
        .where(
            DatePoll.closed_at.is_not(None),
            Meeting.status == MeetingStatus.SCHEDULED,
            Membership.joined_at <= DatePoll.closed_at,
        )
    )
    if scope.subject_ids is not None:
        statement = statement.where(DatePoll.id.in_(list(scope.subject_ids)))
    else:
        statement = statement.where(
            DatePoll.closed_at > scope.now - CHOSEN_VALID_FOR, DatePoll.closed_at <= scope.until
        )
    for poll_id, circle_id, closed_at, starts_at, user_id in db.session.execute(statement):
        expires_at = min(closed_at + CHOSEN_VALID_FOR, starts_at)
        yield Due(user_id, poll_id, closed_at, expires_at, circle_id=circle_id)


def chosen_render(delivery) -> Rendered | None:
    poll = db.session.get(DatePoll, delivery.subject_id)
    meeting = db.session.get(Meeting, poll.meeting_id) if poll and poll.meeting_id else None
    if meeting is None or meeting.is_cancelled:
        return None
    starts = when(meeting.starts_at)
    return Rendered(
        subject=_("A date for “%(title)s”: %(when)s", title=meeting.title, when=starts),
        template="meetings/reminders/date_chosen",
        url=url_for("meetings.show", meeting_id=meeting.id),
        params={"title": poll.title},
        context={"poll": poll, "meeting": meeting, "circle": meeting.circle, "starts": starts},
        attachments=[ics.attachment(meeting)],
    )


DATE_CHOSEN = register_kind(
    Kind(
        name="date_chosen",
        subject_type="poll",
        label=_l("A date poll of your circle has chosen its date"),
        notice=_l("A date has been chosen for “%(title)s”: see the new meeting."),
        due=chosen_due,
        render=chosen_render,
    )
)

"""The meetings' part of a user's data rights (see ``leerkring.accounts.data_rights``): answers
to meetings and date polls, attendance, and the personal calendar feed.

Deleting an account drops the user's answers to meetings still to come the way leaving a circle
does, so a place they held goes to the first on the waitlist; every other row of theirs goes
with the user row (foreign keys). What they made for a circle (series, date polls, minutes, guests
they added) stays with the circle without their name; a meeting they would bring a case to no
longer names a case presenter.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from leerkring.accounts.data_rights import register_part
from leerkring.circles.models import Circle
from leerkring.extensions import db
from leerkring.meetings import rsvp
from leerkring.meetings.models import (
    Attendance,
    CalendarFeed,
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    Meeting,
    MeetingGuest,
    MeetingSeries,
    Minutes,
    Rsvp,
)


def _count(select) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(select.subquery())).scalar()


# Answers, date polls and attendance --------------------------------------------------------------


def _meeting_fields(meeting: Meeting, circle: str) -> dict:
    return {"meeting": meeting.title, "circle": circle, "starts_at": meeting.starts_at}


def export_answers(user) -> dict:
    rsvps = db.session.execute(
        sa.select(Rsvp, Meeting, Circle.name)
        .join(Meeting, Meeting.id == Rsvp.meeting_id)
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(Rsvp.user_id == user.id)
        .order_by(Meeting.starts_at, Rsvp.id)
    )
    polls = db.session.execute(
        sa.select(DatePollAnswer, DatePollOption, DatePoll.title, Circle.name)
        .join(DatePollOption, DatePollOption.id == DatePollAnswer.option_id)
        .join(DatePoll, DatePoll.id == DatePollOption.poll_id)
        .join(Circle, Circle.id == DatePoll.circle_id)
        .where(DatePollAnswer.user_id == user.id)
        .order_by(DatePoll.id, DatePollOption.starts_at)
    )
    attendance = db.session.execute(
        sa.select(Attendance, Meeting, Circle.name)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(Attendance.user_id == user.id)
        .order_by(Meeting.starts_at, Attendance.id)
    )
    presenting = db.session.execute(
        sa.select(Meeting, Circle.name)
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(Meeting.case_presenter_id == user.id)
        .order_by(Meeting.starts_at)
    )
    return {
        "meetings": [
            {
                **_meeting_fields(meeting, circle),
                "answer": answer.answer,
                "has_place": answer.has_place,
                "waitlisted_at": answer.waitlisted_at,
                "answered_at": answer.answered_at,
                "promoted_at": answer.promoted_at,
                "joined_online_at": answer.joined_online_at,
            }
            for answer, meeting, circle in rsvps
        ],
        "date_polls": [
            {
                "poll": poll,
                "circle": circle,
                "option_starts_at": option.starts_at,
                "option_ends_at": option.ends_at,
                "answer": answer.answer,
                "answered_at": answer.answered_at,
            }
            for answer, option, poll, circle in polls
        ],
        "attendance": [
            {
                **_meeting_fields(meeting, circle),
                "is_present": present.is_present,
                "method": present.method,
                "checked_in_at": present.checked_in_at,
            }
            for present, meeting, circle in attendance
        ],
        "bringing_a_case_to": [
            _meeting_fields(meeting, circle) for meeting, circle in presenting
        ],
    }


def _made_for_a_circle(user) -> int:
    """Series, date polls, minutes and guests the user made: they stay with the circle."""
    return sum(
        _count(sa.select(column).where(column == user.id))
        for column in (MeetingSeries.created_by_id, DatePoll.created_by_id, Minutes.author_id,
                       MeetingGuest.added_by_id)
    )


def describe_answers(user) -> list[str]:
    lines = []
    answers = _count(sa.select(Rsvp.id).where(Rsvp.user_id == user.id))
    if answers:
        lines.append(ngettext("Your answer to %(num)d meeting is deleted.",
                              "Your answers to %(num)d meetings are deleted.", answers))
    places = _count(
        sa.select(Rsvp.id)
        .join(Meeting, Meeting.id == Rsvp.meeting_id)
        .where(Rsvp.user_id == user.id, Rsvp.has_place, Meeting.starts_at > rsvp.now())
    )
    if places:
        lines.append(ngettext(
            "Your place at %(num)d coming meeting goes to the first on its waitlist, if any.",
            "Your places at %(num)d coming meetings go to the first on their waitlists, if any.",
            places,
        ))
    polls = _count(
        sa.select(DatePollOption.poll_id)
        .join(DatePollAnswer, DatePollAnswer.option_id == DatePollOption.id)
        .where(DatePollAnswer.user_id == user.id)
        .distinct()
    )
    if polls:
        lines.append(ngettext("Your answers to %(num)d date poll are deleted.",
                              "Your answers to %(num)d date polls are deleted.", polls))
    present = _count(sa.select(Attendance.id).where(Attendance.user_id == user.id))
    if present:
        lines.append(ngettext("Your attendance at %(num)d meeting is no longer recorded.",
                              "Your attendance at %(num)d meetings is no longer recorded.",
                              present))
    presenting = _count(
        sa.select(Meeting.id).where(
            Meeting.case_presenter_id == user.id, Meeting.starts_at > rsvp.now()
        )
    )
    if presenting:
        lines.append(ngettext(
            "%(num)d coming meeting no longer has you as the member who brings a case.",
            "%(num)d coming meetings no longer have you as the member who brings a case.",
            presenting,
        ))
    if _made_for_a_circle(user):
        lines.append(_("Meeting series, date polls and minutes you made stay with their circle, "
                       "without your name."))
    return lines


def erase_answers(user) -> None:
    """Drop the answers to meetings still to come (places go to the waitlist); leaving the
    circles does this too, so it only matters for answers outside them."""
    circles = db.session.execute(
        sa.select(Meeting.circle_id)
        .join(Rsvp, Rsvp.meeting_id == Meeting.id)
        .where(Rsvp.user_id == user.id, Meeting.starts_at > rsvp.now())
        .distinct()
    ).scalars().all()
    for circle_id in circles:
        rsvp.drop_future_answers(circle_id, user.id)


# The personal calendar feed ----------------------------------------------------------------------


def _feed(user) -> CalendarFeed | None:
    return db.session.execute(
        sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id)
    ).scalar()


def export_calendar_feed(user) -> dict | None:
    """Whether the feed exists and its alarm; never its address (that is a secret)."""
    feed = _feed(user)
    if feed is None:
        return None
    return {"created_at": feed.created_at, "alarm_minutes": feed.alarm_minutes}


def describe_calendar_feed(user) -> list[str]:
    if _feed(user) is None:
        return []
    return [_("Your personal calendar feed stops working.")]


register_part("answers", export_answers, describe_answers, erase_answers)
register_part("calendar_feed", export_calendar_feed, describe_calendar_feed)

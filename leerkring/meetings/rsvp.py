"""Answers to meetings: yes / maybe / no. Services never commit.

A "yes" asks for one of the meeting's places, with the waitlist that ``leerkring.places`` keeps
for everything people sign up to. A member's answer, and a place given from the waitlist, replan
the meeting's reminders.
"""

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from leerkring.extensions import db
from leerkring.meetings.models import Answer, Meeting, MeetingGuest, Rsvp
from leerkring.notifications import outbox
from leerkring.places import Places, now

PLACES = Places(Meeting, Rsvp, "meeting_id")


class AnswerRefused(Exception):
    message = _l("You can no longer answer this meeting.")


class MeetingStarted(AnswerRefused):
    message = _l("This meeting has already started, so answers are closed.")


class MeetingCancelled(AnswerRefused):
    message = _l("This meeting is cancelled.")


def is_open_for_answers(meeting: Meeting) -> bool:
    return not meeting.is_cancelled and meeting.starts_at > now()


def answer(meeting: Meeting, user, answer: Answer) -> Rsvp:
    """Record ``user``'s answer; a "yes" gets a place or a spot on the waitlist."""
    return _answer(meeting, Answer(answer), user=user)


def answer_as_guest(meeting: Meeting, guest: MeetingGuest, answer: Answer) -> Rsvp:
    return _answer(meeting, Answer(answer), guest=guest)


def _answer(meeting: Meeting, answer: Answer, *, user=None, guest=None) -> Rsvp:
    if meeting.is_cancelled:
        raise MeetingCancelled
    if meeting.starts_at <= now():
        raise MeetingStarted
    rsvp = _find(meeting, user=user, guest=guest)
    if rsvp is None:
        rsvp = Rsvp(
            meeting_id=meeting.id,
            user_id=user.id if user is not None else None,
            guest_id=guest.id if guest is not None else None,
            answer=answer,
        )
        db.session.add(rsvp)
    elif rsvp.answer == answer:
        return rsvp
    rsvp.answer = answer
    rsvp.answered_at = now()
    promoted = PLACES.ask(meeting, rsvp) if answer == Answer.YES else PLACES.withdraw(rsvp)
    db.session.flush()
    if user is not None or _has_members(promoted):
        outbox.replan("meeting", meeting.id)
    return rsvp


def _find(meeting: Meeting, *, user=None, guest=None) -> Rsvp | None:
    select = sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id)
    if user is not None:
        select = select.where(Rsvp.user_id == user.id)
    else:
        select = select.where(Rsvp.guest_id == guest.id)
    return db.session.execute(select).scalar()


def _has_members(rsvps) -> bool:
    return any(rsvp.user_id is not None for rsvp in rsvps)


def promote(meeting: Meeting) -> list[Rsvp]:
    """Give free places to those waiting; members get a notice (the "waitlist_place" reminder,
    named by ``promoted_at``)."""
    promoted = PLACES.promote(meeting)
    if _has_members(promoted):
        outbox.replan("meeting", meeting.id)
    return promoted


def drop_future_answers(circle_id: int, user_id: int) -> None:
    """A member leaves: their answers to meetings still to come go, and their places with them."""
    rsvps = db.session.execute(
        sa.select(Rsvp)
        .join(Meeting, Meeting.id == Rsvp.meeting_id)
        .where(
            Meeting.circle_id == circle_id,
            Meeting.starts_at > now(),
            Rsvp.user_id == user_id,
        )
    ).scalars().all()
    for rsvp in rsvps:
        had_place = rsvp.has_place
        meeting_id = rsvp.meeting_id
        db.session.delete(rsvp)
        db.session.flush()
        if had_place and _has_members(PLACES.release(meeting_id)):
            outbox.replan("meeting", meeting_id)


# The one-click link -----------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="meeting-answer")


def answer_token(meeting: Meeting, person, answer: Answer) -> str:
    """``person`` is a User or a MeetingGuest."""
    kind = "g" if isinstance(person, MeetingGuest) else "u"
    return _serializer().dumps([meeting.id, kind, person.id, Answer(answer).value])


def answer_url(meeting: Meeting, person, answer: Answer) -> str:
    """The absolute one-click link that records ``person``'s ``answer`` (until the start)."""
    return url_for(
        "meetings.answer_link",
        meeting_id=meeting.id,
        token=answer_token(meeting, person, answer),
        _external=True,
    )


def read_token(meeting_id: int, token: str) -> tuple[str, int, Answer] | None:
    """(kind, person id, answer) when ``token`` is genuine and made for this meeting."""
    try:
        signed_meeting, kind, person_id, value = _serializer().loads(token)
        if signed_meeting != meeting_id or kind not in ("u", "g"):
            return None
        return kind, int(person_id), Answer(value)
    except (BadSignature, ValueError, TypeError):
        return None

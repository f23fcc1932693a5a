"""Changes for attendance and minutes: checking in, ticking presence, writing minutes."""

import secrets

from flask_babel import lazy_gettext as _l

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.meetings.models import Attendance, CheckInMethod, Minutes, MinutesStatus
from leerkring.meetings.queries import CHECKIN_CLOSES_AFTER, CHECKIN_OPENS_BEFORE

#: No 0/O, 1/I/L, 5/S, 2/Z, 8/B: easy to read from a screen at the back of the room.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


class CheckInRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def window_open(meeting, now=None) -> bool:
    """From 30 minutes before the start until two hours after the end."""
    now = now or utcnow()
    return meeting.starts_at - CHECKIN_OPENS_BEFORE <= now <= meeting.ends_at + CHECKIN_CLOSES_AFTER


def ensure_code(meeting) -> str:
    if not meeting.checkin_code:
        meeting.checkin_code = "".join(
            secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)
        )
    return meeting.checkin_code


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def check_in(meeting, user, code: str | None = None) -> Attendance:
    """The member checks in with the button (``code`` None) or with the code on screen."""
    if not window_open(meeting):
        raise CheckInRefused(_l("Checking in is possible from 30 minutes before the start "
                                "until 2 hours after the end."))
    method = CheckInMethod.BUTTON
    if code is not None:
        if not meeting.checkin_code or not secrets.compare_digest(
            normalise_code(code), meeting.checkin_code
        ):
            raise CheckInRefused(_l("That code is not right. Check the code on the screen."))
        method = CheckInMethod.CODE
    attendance = _row(meeting, user)
    if attendance.id is None or not attendance.is_present:
        attendance.method = method
        attendance.checked_in_at = utcnow()
        attendance.marked_by_id = None
    attendance.is_present = True
    return attendance


def mark(meeting, user, present: bool, coordinator) -> Attendance:
    """A coordinator ticks presence by hand, during or after the meeting."""
    attendance = _row(meeting, user)
    attendance.is_present = present
    attendance.method = CheckInMethod.COORDINATOR
    attendance.checked_in_at = utcnow()
    attendance.marked_by_id = coordinator.id
    return attendance


def _row(meeting, user) -> Attendance:
    attendance = db.session.execute(
        db.select(Attendance).filter_by(meeting_id=meeting.id, user_id=user.id)
    ).scalar()
    if attendance is None:
        attendance = Attendance(meeting_id=meeting.id, user_id=user.id, is_present=True,
                                method=CheckInMethod.BUTTON)
        db.session.add(attendance)
    return attendance


def save_minutes(meeting, author, *, summary, decisions, actions, final: bool) -> Minutes:
    minutes = db.session.execute(db.select(Minutes).filter_by(meeting_id=meeting.id)).scalar()
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id)
        db.session.add(minutes)
    minutes.summary = summary
    minutes.decisions = decisions
    minutes.actions = actions
    minutes.author_id = author.id
    minutes.status = MinutesStatus.FINAL if final else MinutesStatus.DRAFT
    return minutes

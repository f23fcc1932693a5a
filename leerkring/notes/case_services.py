"""Changes to case notes, and the selects their pages need (each one query, whatever the size).
Every change moves the case's retention (``retention.touch``); nothing here commits."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.meetings.models import Meeting, MeetingStatus
from leerkring.notes import erasure, retention
from leerkring.notes.models import CaseComment, CaseNote, CaseStatus
from leerkring.permissions import visible_cases

#: The agenda select offers this many coming meetings.
MEETING_CHOICES = 12


def _share(case: CaseNote, now: datetime) -> None:
    case.status = CaseStatus.SHARED
    case.shared_at = now


def create_case(circle, author, *, share: bool = False, now: datetime | None = None,
                **fields) -> CaseNote:
    """A new case in ``circle``: a draft only its author sees, unless ``share``."""
    now = now or utcnow()
    case = CaseNote(circle=circle, author=author, status=CaseStatus.DRAFT, **fields)
    if share:
        _share(case, now)
    retention.touch(case, now)
    db.session.add(case)
    db.session.flush()
    return case


def update_case(case: CaseNote, *, share: bool = False, now: datetime | None = None,
                **fields) -> None:
    now = now or utcnow()
    for name, value in fields.items():
        setattr(case, name, value)
    if share and case.is_draft:
        _share(case, now)
    retention.touch(case, now)


def share_case(case: CaseNote, now: datetime | None = None) -> None:
    now = now or utcnow()
    _share(case, now)
    retention.touch(case, now)


def close_case(case: CaseNote, takeaway: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    case.takeaway = takeaway
    case.status = CaseStatus.CLOSED
    case.closed_at = now
    retention.touch(case, now)


def write_lesson(case: CaseNote, lesson: str, now: datetime | None = None) -> None:
    case.lesson = lesson
    retention.touch(case, now)


def extend_case(case: CaseNote, now: datetime | None = None) -> None:
    retention.extend(case, now)


def delete_case(case: CaseNote) -> None:
    """The case with its comments, and what would otherwise outlive it (``erasure``)."""
    erasure.delete_cases([case.id])


# Selects ---------------------------------------------------------------------------------------


def agenda_meetings(circle, current: Meeting | None = None) -> list[Meeting]:
    """The circle's coming meetings that are not cancelled, soonest first, for the agenda
    select; plus ``current``, the one the case is on already, whatever its date."""
    meetings = list(
        db.session.execute(
            sa.select(Meeting)
            .where(
                Meeting.circle_id == circle.id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.ends_at > utcnow(),
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(MEETING_CHOICES)
        ).scalars()
    )
    if current is not None and current.circle_id == circle.id and current not in meetings:
        meetings.insert(0, current)
    return meetings


def circle_cases(circle, user, membership, status: str = "") -> sa.Select:
    """The circle's cases ``user`` may see (``can_view_case``), newest activity first."""
    query = (
        sa.select(CaseNote)
        .where(CaseNote.circle_id == circle.id, visible_cases(user, membership))
        .options(joinedload(CaseNote.author), joinedload(CaseNote.meeting))
        .order_by(CaseNote.last_activity_at.desc(), CaseNote.id.desc())
    )
    if status:
        query = query.where(CaseNote.status == CaseStatus(status))
    return query


def comment_counts(case_ids) -> dict[int, int]:
    if not case_ids:
        return {}
    rows = db.session.execute(
        sa.select(CaseComment.case_id, sa.func.count())
        .where(CaseComment.case_id.in_(case_ids))
        .group_by(CaseComment.case_id)
    )
    return {key: value for key, value in rows}


def agenda_cases(meeting, user, membership) -> list[CaseNote]:
    """The cases on ``meeting``'s agenda that ``user`` may see, oldest first."""
    return list(
        db.session.execute(
            sa.select(CaseNote)
            .where(
                CaseNote.meeting_id == meeting.id,
                CaseNote.circle_id == meeting.circle_id,
                visible_cases(user, membership),
            )
            .options(joinedload(CaseNote.author))
            .order_by(CaseNote.created_at, CaseNote.id)
        ).scalars()
    )

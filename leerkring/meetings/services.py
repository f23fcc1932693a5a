"""Scheduling: create, edit and cancel meetings, single and recurring (DESIGN.md section 6).

A series (reeks) materialises its occurrences as Meeting rows up to the horizon; ``extend_series``
makes later ones. New occurrences copy the latest occurrence's title, place, link, agenda and
preparation. Every change replans the meetings' reminders (``reminders.py``) in the same
transaction. Services never commit.
"""

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.meetings import recurrence, rsvp
from leerkring.meetings.models import (
    Answer,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Rsvp,
)
from leerkring.notifications import outbox

#: The fields a coordinator writes that are not date and time.
DETAIL_FIELDS = (
    "title", "place_address", "place_room", "online_url", "agenda", "preparation", "max_places",
)
#: Changes that reach those who answered yes or maybe; other changes only raise the sequence.
NOTIFYING_CHANGES = {"time", "place", "cancelled"}
#: The subject type of meeting reminders in the outbox.
REMINDER_SUBJECT = "meeting"


class Scope(enum.StrEnum):
    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"


@dataclass
class SeriesChange:
    """What an edit or cancellation of a series did, for the coordinator's message."""

    meetings: list[Meeting] = field(default_factory=list)
    #: Local starts whose new time does not exist that day; they kept their old time.
    kept_time: list[datetime] = field(default_factory=list)


# Creating -------------------------------------------------------------------------------------


def replan(meetings) -> None:
    """Bring the reminders about ``meetings`` in line with them, in the caller's transaction."""
    outbox.replan(REMINDER_SUBJECT, [meeting.id for meeting in meetings])


def create_meeting(
    circle, creator, *, title, starts_at, ends_at, timezone, place_address="", place_room="",
    online_url="", agenda="", preparation="", max_places=None, case_presenter_id=None,
) -> Meeting:
    """One meeting of ``circle``; ``starts_at`` and ``ends_at`` are aware UTC instants."""
    meeting = Meeting(
        circle_id=circle.id,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone,
        place_address=place_address or "",
        place_room=place_room or "",
        online_url=online_url or "",
        agenda=agenda or "",
        preparation=preparation or "",
        max_places=max_places,
        case_presenter_id=case_presenter_id,
    )
    meeting.circle = circle
    db.session.add(meeting)
    db.session.flush()
    replan([meeting])
    return meeting


def _minutes_between(start_time: time, end_time: time) -> int:
    day = date(2000, 1, 1)
    return int((datetime.combine(day, end_time) - datetime.combine(day, start_time)).seconds // 60)


def create_series(
    circle, creator, pattern: recurrence.Pattern, first_day: date, start_time: time,
    end_time: time, timezone: str, case_presenter_id=None, **fields,
) -> tuple[MeetingSeries, list[Meeting], list[datetime]]:
    """A series and its occurrences up to the horizon; also the local starts that were skipped
    because that time does not exist that day. A case presenter is the first meeting's."""
    series = MeetingSeries(
        circle_id=circle.id,
        rrule=pattern.to_rrule(),
        timezone=timezone,
        first_day=first_day,
        start_time=start_time,
        duration_minutes=_minutes_between(start_time, end_time),
        created_by_id=creator.id if creator is not None else None,
    )
    series.circle = circle
    db.session.add(series)
    db.session.flush()
    until = datetime.combine(first_day, start_time) + recurrence.HORIZON
    created, skipped = _materialise(series, fields, until)
    if created:
        created[0].case_presenter_id = case_presenter_id
    replan(created)
    return series, created, skipped


def _materialise(series: MeetingSeries, fields: dict, until: datetime):
    """Make the occurrences after ``materialised_until`` up to ``until`` (local)."""
    done_day = series.materialised_until.date() if series.materialised_until else None
    created, skipped = [], []
    for occurrence in recurrence.occurrences(
        series.rrule, series.first_day, series.start_time, series.timezone, until=until
    ):
        if done_day is not None and occurrence.local_start.date() <= done_day:
            continue
        if not occurrence.exists:
            skipped.append(occurrence.local_start)
            continue
        meeting = Meeting(
            circle_id=series.circle_id,
            series_id=series.id,
            occurrence_key=occurrence.key,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.starts_at + timedelta(minutes=series.duration_minutes),
            timezone=series.timezone,
            **{name: fields.get(name, _default(name)) for name in DETAIL_FIELDS},
        )
        db.session.add(meeting)
        created.append(meeting)
    series.materialised_until = until
    db.session.flush()
    return created, skipped


def _default(name: str):
    return None if name == "max_places" else ""


def extend_series(series: MeetingSeries, until: datetime) -> tuple[list[Meeting], list[datetime]]:
    """Make the series' occurrences beyond ``materialised_until`` up to ``until`` (a local
    datetime), copying the latest occurrence's details. Returns the new meetings and the skipped
    local starts. Does nothing when ``until`` is not later than what exists."""
    if series.materialised_until is not None and until <= series.materialised_until:
        return [], []
    latest = db.session.execute(
        sa.select(Meeting)
        .where(Meeting.series_id == series.id)
        .order_by(Meeting.is_moved, Meeting.starts_at.desc())
        .limit(1)
    ).scalar()
    fields = {name: getattr(latest, name) for name in DETAIL_FIELDS} if latest else {}
    if latest is None:
        fields["title"] = series.circle.name
    created, skipped = _materialise(series, fields, until)
    replan(created)
    return created, skipped


# Changing -------------------------------------------------------------------------------------


def meeting_changed(meeting: Meeting, what: str) -> None:
    """Raise the calendar SEQUENCE; a new time or place, or a cancellation, is also noted as the
    moment to tell everyone who answered yes or maybe (the "meeting_changed" and
    "meeting_cancelled" reminders, planned when the caller replans). ``what`` is "time",
    "place", "details" or "cancelled"."""
    meeting.sequence = (meeting.sequence or 0) + 1
    if what in NOTIFYING_CHANGES:
        meeting.changed_at = utcnow()


def local_start(meeting: Meeting) -> datetime:
    return recurrence.to_local(meeting.starts_at, meeting.timezone)


def _kind_of_change(meeting: Meeting, changes: dict) -> str | None:
    """The most important kind of change ``changes`` makes to ``meeting``, or None."""
    differs = {name for name, value in changes.items() if getattr(meeting, name) != value}
    if differs & {"starts_at", "ends_at"}:
        return "time"
    if differs & {"place_address", "place_room", "online_url"}:
        return "place"
    if differs:
        return "details"
    return None


def _apply(meeting: Meeting, changes: dict) -> None:
    what = _kind_of_change(meeting, changes)
    if what is None:
        return
    more_places = (changes.get("max_places") or 0) > (meeting.max_places or 0) or (
        "max_places" in changes and changes["max_places"] is None and meeting.max_places
    )
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting_changed(meeting, what)
    if more_places:
        db.session.flush()
        rsvp.promote(meeting)


def update_meeting(meeting: Meeting, *, starts_at, ends_at, **fields) -> None:
    """Change one meeting; an occurrence whose time changes is moved and keeps that time."""
    if meeting.series_id is not None and (starts_at, ends_at) != (meeting.starts_at,
                                                                  meeting.ends_at):
        meeting.is_moved = True
    _apply(meeting, {"starts_at": starts_at, "ends_at": ends_at, **fields})
    replan([meeting])


def _occurrences_from(series_id: int, day: date | None) -> list[Meeting]:
    """The series' scheduled occurrences whose original day is ``day`` or later (all when None),
    in order."""
    query = sa.select(Meeting).where(
        Meeting.series_id == series_id, Meeting.status == MeetingStatus.SCHEDULED
    )
    if day is not None:
        query = query.where(Meeting.occurrence_key >= day.isoformat())
    return list(db.session.execute(query.order_by(Meeting.occurrence_key)).scalars())


def _key_day(meeting: Meeting) -> date:
    return date.fromisoformat(meeting.occurrence_key[:10])


def update_series(
    meeting: Meeting, scope: Scope, *, start_time: time, end_time: time, **fields
) -> SeriesChange:
    """Change ``meeting`` and the later ("following") or all upcoming ("all") occurrences of its
    series. Details apply to every one of them; the new time applies to those not moved on their
    own. "Following" with a new time splits the series at ``meeting``. A case presenter is
    ``meeting``'s alone."""
    series = meeting.series
    case_presenter_id = fields.pop("case_presenter_id", meeting.case_presenter_id)
    time_changes = (start_time, _minutes_between(start_time, end_time)) != (
        series.start_time, series.duration_minutes
    )
    if scope == Scope.ALL:
        today = recurrence.to_local(utcnow(), series.timezone).date()
        start_day = min(today, _key_day(meeting))
    else:
        start_day = _key_day(meeting)
    meetings = _occurrences_from(series.id, start_day)
    if scope == Scope.FOLLOWING and time_changes and start_day > series.first_day:
        series = split_series(series, start_day, meetings)
    if time_changes:
        series.start_time = start_time
        series.duration_minutes = _minutes_between(start_time, end_time)
    result = SeriesChange(meetings=meetings)
    for occurrence in meetings:
        changes = dict(fields)
        if time_changes and not occurrence.is_moved:
            day = local_start(occurrence).date()
            starts_at = recurrence.to_utc(datetime.combine(day, start_time), series.timezone)
            if starts_at is None:
                result.kept_time.append(datetime.combine(day, start_time))
            else:
                changes["starts_at"] = starts_at
                changes["ends_at"] = starts_at + timedelta(minutes=series.duration_minutes)
        _apply(occurrence, changes)
    meeting.case_presenter_id = case_presenter_id
    db.session.flush()
    replan(meetings)
    return result


def _rule_parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";"))


def _rule_text(parts: dict[str, str]) -> str:
    return ";".join(f"{name}={value}" for name, value in parts.items())


def _end_rule_before(series: MeetingSeries, day: date) -> None:
    """Let ``series`` stop before ``day``: no occurrence on or after it is ever made again."""
    parts = _rule_parts(series.rrule)
    parts.pop("COUNT", None)
    parts["UNTIL"] = f"{day - timedelta(days=1):%Y%m%d}T235959"
    series.rrule = _rule_text(parts)


def split_series(series: MeetingSeries, day: date, meetings: list[Meeting]) -> MeetingSeries:
    """A new series from ``day`` on with the same rule, taking over ``meetings``; the old one ends
    the day before."""
    parts = _rule_parts(series.rrule)
    if "COUNT" in parts:
        # The new series ends where the old one would have: on its last occurrence.
        last = recurrence.occurrences(
            series.rrule, series.first_day, series.start_time, series.timezone,
            until=datetime.max,
        )[-1]
        parts.pop("COUNT")
        parts["UNTIL"] = f"{last.local_start:%Y%m%d}T235959"
    new = MeetingSeries(
        circle_id=series.circle_id,
        rrule=_rule_text(parts),
        timezone=series.timezone,
        first_day=day,
        start_time=series.start_time,
        duration_minutes=series.duration_minutes,
        materialised_until=series.materialised_until,
        created_by_id=series.created_by_id,
    )
    db.session.add(new)
    db.session.flush()
    _end_rule_before(series, day)
    for occurrence in meetings:
        occurrence.series_id = new.id
        occurrence.series = new
    return new


def cancel_meeting(meeting: Meeting) -> bool:
    """Cancel one meeting (the row stays, for calendars); False when it already was. Its
    reminders give way to the notice that it is cancelled."""
    if not _cancel(meeting):
        return False
    replan([meeting])
    return True


def _cancel(meeting: Meeting) -> bool:
    if meeting.is_cancelled:
        return False
    meeting.status = MeetingStatus.CANCELLED
    meeting_changed(meeting, "cancelled")
    return True


def cancel_series(meeting: Meeting, scope: Scope) -> list[Meeting]:
    """Cancel ``meeting`` and the following, or all upcoming, occurrences of its series; the
    series then makes no new ones from that day."""
    series = meeting.series
    if scope == Scope.ALL:
        today = recurrence.to_local(utcnow(), series.timezone).date()
        start_day = min(today, _key_day(meeting))
    else:
        start_day = _key_day(meeting)
    meetings = _occurrences_from(series.id, start_day)
    for occurrence in meetings:
        _cancel(occurrence)
    _end_rule_before(series, start_day)
    db.session.flush()
    replan(meetings)
    return meetings


def record_joined_online(meeting: Meeting, user) -> Rsvp:
    """Note that ``user`` pressed "join online"; joining without an answer counts as a "yes"
    (online, so it takes none of the room's places)."""
    rsvp = db.session.execute(
        sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)
    ).scalar()
    if rsvp is None:
        rsvp = Rsvp(meeting_id=meeting.id, user_id=user.id, answer=Answer.YES)
        db.session.add(rsvp)
    rsvp.joined_online_at = utcnow()
    db.session.flush()
    return rsvp

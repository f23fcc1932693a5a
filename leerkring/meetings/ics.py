"""iCalendar (RFC 5545) for meetings: one VEVENT per meeting, in the meeting's own zone.

Each event keeps its UID for ever and carries the meeting's SEQUENCE, so a calendar client that
imported it before replaces it after a change, and removes it when STATUS says CANCELLED.
"""

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from flask import current_app, url_for
from flask_babel import gettext as _

from leerkring.db import utcnow
from leerkring.mail import Attachment
from leerkring.meetings.models import Meeting

#: The calendar's own reminder, minutes before a meeting, unless the member chose otherwise.
DEFAULT_ALARM_MINUTES = 60
PRODID = "-//Leerkring//Meetings//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(meeting: Meeting) -> str:
    """Stable for the meeting's whole life, whatever changes and whichever host serves it."""
    host = current_app.config.get("SERVER_NAME") or "leerkring"
    return f"meeting-{meeting.id}@{host}"


def calendar(
    meetings: Iterable[Meeting], *, name: str, alarm_minutes: int = DEFAULT_ALARM_MINUTES
) -> bytes:
    """The whole calendar, with a VTIMEZONE for every zone its events use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = utcnow()
    meetings = list(meetings)
    for meeting in meetings:
        cal.add_component(event(meeting, stamp, alarm_minutes))
    if meetings:
        # Zone rules for the years the events span, not the whole of 1970–2038.
        first = min(m.starts_at for m in meetings).date() - timedelta(days=366)
        last = max(m.ends_at for m in meetings).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def event(meeting: Meeting, stamp, alarm_minutes: int) -> icalendar.Event:
    zone = ZoneInfo(meeting.timezone)
    page = url_for("meetings.show", meeting_id=meeting.id, _external=True)
    vevent = icalendar.Event()
    vevent.add("uid", uid(meeting))
    vevent.add("sequence", meeting.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", meeting.updated_at)
    vevent.add("dtstart", meeting.starts_at.astimezone(zone))
    vevent.add("dtend", meeting.ends_at.astimezone(zone))
    vevent.add("summary", meeting.title)
    vevent.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    location = ", ".join(part for part in (meeting.place_room, meeting.place_address) if part)
    if location:
        vevent.add("location", location)
    vevent.add("url", meeting.online_url or page)
    vevent.add("description", description(meeting, page))
    if not meeting.is_cancelled and alarm_minutes > 0:
        vevent.add_component(alarm(meeting, alarm_minutes))
    return vevent


def description(meeting: Meeting, page: str) -> str:
    lines = [meeting.title, meeting.circle.name]
    if meeting.online_url:
        lines.append(_("Join online: %(url)s", url=meeting.online_url))
    lines.append(_("Meeting page: %(url)s", url=page))
    return "\n".join(lines)


def alarm(meeting: Meeting, minutes: int) -> icalendar.Alarm:
    valarm = icalendar.Alarm()
    valarm.add("action", "DISPLAY")
    valarm.add("description", meeting.title)
    valarm.add("trigger", -timedelta(minutes=minutes))
    return valarm


def attachment(meeting: Meeting) -> Attachment:
    """The meeting's calendar file, attached to a mail."""
    return Attachment(
        filename=f"meeting-{meeting.id}.ics",
        content=calendar([meeting], name=meeting.title),
        maintype="text",
        subtype="calendar",
        params={"method": "PUBLISH", "charset": "utf-8"},
    )

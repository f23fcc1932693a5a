"""A visit as iCalendar (RFC 5545), built like a meeting's: a stable UID, the visit's SEQUENCE,
and STATUS:CANCELLED once it is cancelled."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from flask import current_app, make_response, url_for
from flask_babel import gettext as _

from leerkring.db import utcnow
from leerkring.visits import bp
from leerkring.visits.loading import load_visit
from leerkring.visits.models import Visit

PRODID = "-//Leerkring//Visits//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(visit: Visit) -> str:
    host = current_app.config.get("SERVER_NAME") or "leerkring"
    return f"visit-{visit.id}@{host}"


def calendar(visit: Visit) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add_component(event(visit))
    cal.add_missing_timezones(
        first_date=visit.starts_at.date() - timedelta(days=366),
        last_date=visit.ends_at.date() + timedelta(days=366),
    )
    return cal.to_ical()


def event(visit: Visit) -> icalendar.Event:
    zone = ZoneInfo(visit.timezone)
    page = url_for("visits.show", visit_id=visit.id, _external=True)
    vevent = icalendar.Event()
    vevent.add("uid", uid(visit))
    vevent.add("sequence", visit.sequence)
    vevent.add("dtstamp", utcnow())
    vevent.add("last-modified", visit.updated_at)
    vevent.add("dtstart", visit.starts_at.astimezone(zone))
    vevent.add("dtend", visit.ends_at.astimezone(zone))
    vevent.add("summary", visit.title)
    vevent.add("status", "CANCELLED" if visit.is_cancelled else "CONFIRMED")
    if visit.place_address:
        vevent.add("location", visit.place_address)
    vevent.add("url", visit.online_url or page)
    lines = [visit.title, visit.host_organisation or visit.werkplaats.name]
    if visit.online_url:
        lines.append(_("Join online: %(url)s", url=visit.online_url))
    lines.append(_("Visit page: %(url)s", url=page))
    vevent.add("description", "\n".join(lines))
    return vevent


@bp.get("/visits/<int:visit_id>.ics")
def visit_ics(visit_id: int):
    visit = load_visit(visit_id)
    response = make_response(calendar(visit))
    response.headers["Content-Type"] = CONTENT_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="visit-{visit.id}.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response

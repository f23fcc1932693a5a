"""What the meeting reminders say (the kinds are in ``reminders.py``): title, local time, place
or link and the meeting's address, with the calendar file and the one-click answers where they
help. Never the agenda, the preparation asked for, or anything about a case."""


from flask import url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _

from leerkring.extensions import db
from leerkring.meetings import ics
from leerkring.meetings.answers import ANSWER_LABELS
from leerkring.meetings.models import Answer, Meeting
from leerkring.meetings.rsvp import answer_url
from leerkring.notifications.models import Channel
from leerkring.notifications.moments import when
from leerkring.notifications.registry import Rendered


def starts(meeting: Meeting) -> str:
    return when(meeting.starts_at)


def _meeting(delivery, *, cancelled: bool = False) -> Meeting | None:
    """The delivery's meeting while the reminder still fits it (None: nothing to say)."""
    meeting = db.session.get(Meeting, delivery.subject_id)
    if meeting is None or meeting.is_cancelled != cancelled:
        return None
    return meeting


def _rendered(delivery, meeting: Meeting, subject: str, *, calendar=False, answer_links=False,
              before=True, params=None) -> Rendered:
    """The words every meeting reminder shares: title, time, place or link, the page.
    ``before``: a reminder to come to the meeting (so it says whether to prepare)."""
    by_mail = delivery.channel == Channel.EMAIL
    when = starts(meeting)
    links = []
    if by_mail and answer_links:
        links = [(ANSWER_LABELS[a], answer_url(meeting, delivery.user, a)) for a in Answer]
    return Rendered(
        subject=subject,
        template=f"meetings/reminders/{delivery.kind}",
        url=url_for("meetings.show", meeting_id=meeting.id),
        params={"title": meeting.title, "when": when, **(params or {})},
        context={
            "meeting": meeting,
            "circle_name": meeting.circle.name,
            "when": f"{when}–{format_time(meeting.ends_at, 'short')}",
            "place": ", ".join(p for p in (meeting.place_room, meeting.place_address) if p),
            "online_url": meeting.online_url,
            # Whether, never what: the preparation asked for stays on the meeting page.
            "asks_preparation": before and bool(meeting.preparation.strip()),
            "answer_links": links,
        },
        attachments=[ics.attachment(meeting)] if by_mail and calendar else [],
    )


def soon_render(delivery) -> Rendered | None:
    if (meeting := _meeting(delivery)) is None:
        return None
    subject = _("Reminder: %(title)s, %(when)s", title=meeting.title, when=starts(meeting))
    return _rendered(delivery, meeting, subject, calendar=True, answer_links=True)


def starting_render(delivery) -> Rendered | None:
    if (meeting := _meeting(delivery)) is None or not meeting.online_url:
        return None
    subject = _("Starting in an hour: %(title)s", title=meeting.title)
    return _rendered(delivery, meeting, subject, calendar=True)


def answer_open_render(delivery) -> Rendered | None:
    if (meeting := _meeting(delivery)) is None:
        return None
    subject = _("Will you come? %(title)s, %(when)s", title=meeting.title, when=starts(meeting))
    return _rendered(delivery, meeting, subject, calendar=True, answer_links=True)


def changed_render(delivery) -> Rendered | None:
    if (meeting := _meeting(delivery)) is None:
        return None
    subject = _("Changed: %(title)s, now %(when)s", title=meeting.title, when=starts(meeting))
    return _rendered(delivery, meeting, subject, calendar=True)


def cancelled_render(delivery) -> Rendered | None:
    if (meeting := _meeting(delivery, cancelled=True)) is None:
        return None
    subject = _("Cancelled: %(title)s, %(when)s", title=meeting.title, when=starts(meeting))
    # The calendar file says CANCELLED, so a calendar that imported the meeting drops it.
    return _rendered(delivery, meeting, subject, calendar=True, before=False,
                     params={"day": format_date(meeting.starts_at, "full")})


def waitlist_render(delivery) -> Rendered | None:
    if (meeting := _meeting(delivery)) is None:
        return None
    subject = _("You have a place: %(title)s, %(when)s", title=meeting.title, when=starts(meeting))
    return _rendered(delivery, meeting, subject, calendar=True, params={"meeting": meeting.title})


def prepare_case_render(delivery) -> Rendered | None:
    meeting = _meeting(delivery)
    if meeting is None or meeting.case_presenter_id != delivery.user_id:
        return None
    subject = _("Prepare your case for %(title)s, %(when)s", title=meeting.title,
                when=starts(meeting))
    return _rendered(delivery, meeting, subject, before=False)


def reflection_render(delivery) -> Rendered | None:
    if (meeting := _meeting(delivery)) is None:
        return None
    subject = _("Write your reflection on %(title)s", title=meeting.title)
    rendered = _rendered(delivery, meeting, subject, before=False)
    # The link opens the reflection form for this meeting (the notes area's endpoint).
    rendered.url = url_for("notes.new_reflection", meeting=meeting.id)
    return rendered

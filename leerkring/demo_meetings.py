"""Demo meetings for the demo circles. Everything is placed relative to the day the demo is
loaded, in the circles' own zone; a circle that has meetings (or a date poll) already is left
alone."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from leerkring.accounts.models import User
from leerkring.circles.models import Circle
from leerkring.extensions import db
from leerkring.meetings import datepolls, feeds, presence, rsvp
from leerkring.meetings import services as meeting_services
from leerkring.meetings.models import (
    Answer,
    DatePoll,
    Meeting,
    MeetingStatus,
    PollAnswer,
    Rsvp,
)
from leerkring.meetings.recurrence import Frequency, Pattern, to_local, to_utc

ZONE = "Europe/Amsterdam"
ENSCHEDE = "Stationsplein 12, Enschede"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """The instant of a local wall-clock time (an hour that does not exist moves one later)."""
    local = datetime.combine(day, time(hour, minute))
    return to_utc(local, ZONE) or to_utc(local + timedelta(hours=1), ZONE)


def _circle_named(name: str) -> Circle | None:
    return db.session.scalar(sa.select(Circle).where(Circle.name == name))


def _has_meetings(circle: Circle) -> bool:
    first = sa.select(Meeting.id).where(Meeting.circle_id == circle.id).limit(1)
    return db.session.scalar(first) is not None


def _meeting(circle, coordinator, day: date, start: tuple, end: tuple, title: str, **fields):
    return meeting_services.create_meeting(
        circle, coordinator, title=title, starts_at=_at(day, *start), ends_at=_at(day, *end),
        timezone=ZONE, **fields,
    )


def _past_answers(meeting: Meeting, users, answer: Answer = Answer.YES) -> None:
    """Answers given before the meeting (the service takes answers only until it starts)."""
    for user in users:
        db.session.add(Rsvp(
            meeting_id=meeting.id, user_id=user.id, answer=answer,
            has_place=answer == Answer.YES, answered_at=meeting.starts_at - timedelta(days=3),
        ))
    if answer == Answer.YES:
        meeting.places_taken += len(users)


def add_meetings(people: dict[str, User], added) -> None:
    """Add the demo meetings; ``added`` (demo.Added) counts what was made."""
    today = to_local(datetime.now(UTC), ZONE).date()
    who = people.__getitem__
    armoede = _circle_named("Armoede in de wijk")
    if armoede is not None and not _has_meetings(armoede):
        _armoede(armoede, today, who, added)
    ouderen = _circle_named("Casuïstiek ouderen thuis")
    if ouderen is not None and not _has_meetings(ouderen):
        _ouderen(ouderen, today, who, added)
    tafel = _circle_named("Ervaringsdeskundigen aan tafel")
    if tafel is not None and not _has_meetings(tafel):
        _tafel(tafel, today, who, added)
    if armoede is not None and db.session.scalar(
        sa.select(DatePoll.id).where(DatePoll.circle_id == armoede.id).limit(1)
    ) is None:
        _poll(armoede, today, who, added)
    feeds.ensure_feed(who("professional@example.org"))


def _armoede(circle: Circle, today: date, who, added) -> None:
    coordinator, professional = who("coordinator@example.org"), who("professional@example.org")
    student, marieke = who("student@example.org"), who("marieke.smit@example.org")
    past = _meeting(
        circle, coordinator, today - timedelta(days=14), (19, 30), (21, 0),
        "Casusbespreking: schulden en schaamte", place_address=ENSCHEDE, place_room="Zaal De Es",
        agenda="1. Casus van Mehmet\n2. Vragenronde\n3. Wat nemen we mee?",
    )
    _past_answers(past, [coordinator, professional, student, marieke])
    presence.ensure_code(past)
    for user, present in ((coordinator, True), (professional, True), (marieke, True),
                          (student, False)):
        presence.mark(past, user, present, coordinator)
    presence.save_minutes(
        past, coordinator,
        summary="We bespraken hoe schaamte mensen met geldzorgen stil houdt.",
        decisions="- We vragen bij elk eerste gesprek naar vaste lasten.",
        actions="- Mehmet deelt de gesprekskaart met het wijkteam.\n"
                "- Sanne nodigt de schuldhulp uit voor de volgende keer.",
        final=True,
    )
    soon = _meeting(
        circle, coordinator, today + timedelta(days=1), (15, 0), (16, 30),
        "Vroegsignalering in de wijk", place_address=ENSCHEDE, place_room="Zaal De Es",
        agenda="Wat zien we eerder, en wie kan er wat mee?",
        preparation="Neem één voorbeeld mee van een signaal dat je te laat zag.",
        max_places=3,
    )
    for user in (coordinator, professional, marieke, student):  # the student waits for a place
        rsvp.answer(soon, user, Answer.YES)
    online = _meeting(
        circle, coordinator, today + timedelta(days=9), (12, 0), (13, 0),
        "Online lunchsessie: wat werkt bij bereik", online_url="https://meet.jit.si/leerkring-demo",
    )
    rsvp.answer(online, professional, Answer.MAYBE)
    rsvp.answer(online, marieke, Answer.NO)
    off = _meeting(
        circle, coordinator, today + timedelta(days=16), (19, 30), (21, 0),
        "Bezoek aan de voedselbank", place_address="Havenstraat 3, Enschede",
    )
    off.status = MeetingStatus.CANCELLED
    off.sequence = 1
    added.meetings += 4


def _ouderen(circle: Circle, today: date, who, added) -> None:
    coordinator, professional = who("coordinator@example.org"), who("professional@example.org")
    first = today + timedelta(days=2)
    pattern = Pattern(Frequency.WEEKLY, interval=2, weekday=first.weekday(), count=6)
    _series, created, _skipped = meeting_services.create_series(
        circle, coordinator, pattern, first, time(13, 0), time(14, 30), ZONE,
        title="Casuïstiek ouderen thuis", place_address="Gezondheidscentrum Oost, Enschede",
        place_room="Kamer 4",
    )
    rsvp.answer(created[0], professional, Answer.YES)
    rsvp.answer(created[0], coordinator, Answer.YES)
    added.meetings += len(created)


def _tafel(circle: Circle, today: date, who, added) -> None:
    bart, lecturer, daan = (who(e) for e in (
        "bart.hendriks@example.org", "lecturer@example.org", "daan.groen@example.org"))
    past = _meeting(circle, bart, today - timedelta(days=7), (14, 0), (16, 0),
                    "Ervaring als bron van kennis", place_address="Grote Markt 1, Zwolle")
    _past_answers(past, [bart, lecturer])
    upcoming = _meeting(circle, bart, today + timedelta(days=5), (14, 0), (16, 0),
                        "Samen een les ontwerpen", place_address="Grote Markt 1, Zwolle")
    rsvp.answer(upcoming, lecturer, Answer.YES)
    rsvp.answer(upcoming, daan, Answer.MAYBE)
    added.meetings += 2


def _poll(circle: Circle, today: date, who, added) -> None:
    coordinator, marieke = who("coordinator@example.org"), who("marieke.smit@example.org")
    days = [today + timedelta(days=n) for n in (22, 24, 29)]
    poll = datepolls.create_poll(
        circle, coordinator, title="Terugkomavond met de schuldhulp",
        description="Welke avond past jou? Kies alles wat kan.", timezone=ZONE,
        times=[(_at(day, 19, 30), _at(day, 21, 0)) for day in days],
        closes_at=_at(today + timedelta(days=14), 23, 0), hide_answers=False,
    )
    db.session.flush()
    for option, (mine, hers) in zip(poll.options, (
        (PollAnswer.YES, PollAnswer.IF_NEED_BE), (PollAnswer.NO, PollAnswer.YES),
        (PollAnswer.YES, PollAnswer.YES),
    ), strict=True):
        datepolls.answer(option, coordinator, mine)
        datepolls.answer(option, marieke, hers)
    added.polls += 1

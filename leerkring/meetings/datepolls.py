"""Changes for date polls (datumprikker): propose dates, answer, close into a meeting.

Each change replans the poll's reminders (``poll_reminders``) in the same transaction."""

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.meetings.models import DatePoll, DatePollAnswer, DatePollOption, PollAnswer
from leerkring.meetings.recurrence import to_local
from leerkring.notifications import outbox
from leerkring.notifications.services import notify, register

#: A direct in-app notice, not a reminder kind: it is the circle's invitation to answer, sent
#: once when the poll opens; the mail comes later, as "poll closing", to those still silent.
register("poll_opened", _l("Which dates suit you for “%(title)s”? Give your answers."))


def replan(poll) -> None:
    """Bring the poll's reminders up to date after a change (call it whenever ``closes_at``,
    ``closed_at`` or the answers change)."""
    outbox.replan("poll", poll.id)


def create_poll(circle, creator, *, title, description, timezone, times, closes_at,
                hide_answers, members=()) -> DatePoll:
    """A poll with one option per (starts_at, ends_at) in ``times`` (UTC); ``members`` of the
    circle are asked in-app to answer."""
    poll = DatePoll(
        circle_id=circle.id, title=title, description=description, timezone=timezone,
        closes_at=closes_at, hide_answers=hide_answers, created_by_id=creator.id,
        options=[DatePollOption(starts_at=s, ends_at=e) for s, e in sorted(times)],
    )
    db.session.add(poll)
    db.session.flush()
    url = url_for("meetings.poll", poll_id=poll.id)
    for membership in members:
        if membership.user_id != creator.id:
            notify(membership.user, "poll_opened", url, title=poll.title)
    replan(poll)
    return poll


def answer(option, user, value: PollAnswer) -> DatePollAnswer:
    """Save ``user``'s answer to one option; a first answer cancels their "poll closing"
    reminder."""
    row = db.session.execute(
        db.select(DatePollAnswer).filter_by(option_id=option.id, user_id=user.id)
    ).scalar()
    is_new = row is None
    if is_new:
        row = DatePollAnswer(option_id=option.id, user_id=user.id, answer=value)
        db.session.add(row)
    row.answer = value
    row.answered_at = utcnow()
    if is_new:
        db.session.flush()
        outbox.replan("poll", option.poll_id, kinds=["poll_closing"])
    return row


@dataclass
class OptionTally:
    option: DatePollOption
    #: answer → user ids, in answering order
    voters: dict = field(default_factory=lambda: {a: [] for a in PollAnswer})

    @property
    def yes(self) -> int:
        return len(self.voters[PollAnswer.YES])

    @property
    def if_need_be(self) -> int:
        return len(self.voters[PollAnswer.IF_NEED_BE])

    @property
    def no(self) -> int:
        return len(self.voters[PollAnswer.NO])


def tally(poll, answers) -> dict[int, OptionTally]:
    """Per option id: who answered what."""
    result = {option.id: OptionTally(option) for option in poll.options}
    for row in sorted(answers, key=lambda a: (a.answered_at, a.id)):
        if row.option_id in result:
            result[row.option_id].voters[row.answer].append(row.user_id)
    return result


def best_option(tallies: dict[int, OptionTally]) -> DatePollOption | None:
    """Most yes, then most if-need-be, then the earliest; None while nobody said yes or maybe."""
    candidates = [t for t in tallies.values() if t.yes or t.if_need_be]
    if not candidates:
        return None
    best = min(candidates, key=lambda t: (-t.yes, -t.if_need_be, t.option.starts_at))
    return best.option


def close(poll, option, coordinator, pattern=None):
    """Make the chosen option a meeting (the first of a series when ``pattern`` is given) and
    close the poll; the circle hears of it through the "date chosen" reminder."""
    from leerkring.meetings import services

    if pattern is None:
        meeting = services.create_meeting(
            poll.circle, coordinator, title=poll.title, starts_at=option.starts_at,
            ends_at=option.ends_at, timezone=poll.timezone,
        )
    else:
        start = to_local(option.starts_at, poll.timezone)
        end = to_local(option.ends_at, poll.timezone)
        _series, created, _skipped = services.create_series(
            poll.circle, coordinator, pattern, start.date(), start.time(), end.time(),
            poll.timezone, title=poll.title,
        )
        meeting = created[0]
    db.session.flush()
    option.is_chosen = True
    poll.closed_at = utcnow()
    poll.meeting_id = meeting.id
    db.session.flush()
    replan(poll)
    return meeting

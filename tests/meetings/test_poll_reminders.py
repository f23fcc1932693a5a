"""Date poll reminders: "closes soon" to members who have not answered; "date chosen" to all."""

from datetime import UTC, datetime, timedelta

import pytest

from leerkring import scheduler
from leerkring.extensions import db
from leerkring.meetings import datepolls, poll_reminders
from leerkring.meetings.models import DatePoll, MeetingStatus, PollAnswer
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from leerkring.notifications.registry import Scope
from tests import factories as f

#: Closes on Sunday 28 March 2027 at 20:00 in Amsterdam, the day summer time starts (18:00 UTC);
#: the day before, 24 hours earlier, it was still winter time (19:00 local, 18:00 UTC).
CLOSES_AT = datetime(2027, 3, 28, 18, 0, tzinfo=UTC)
REMINDER_AT = datetime(2027, 3, 27, 18, 0, tzinfo=UTC)
OPTION = datetime(2027, 4, 6, 17, 30, tzinfo=UTC)


@pytest.fixture
def people(app):
    coordinator = f.make_user(name="Carla", locale="en")
    anna = f.make_user(name="Anna", locale="en")
    bram = f.make_user(name="Bram", locale="en")
    circle = f.make_circle(coordinator, members=[anna, bram], name="Armoede Twente")
    outsider = f.make_user(locale="en")
    f.make_circle(f.make_user(), members=[outsider])
    return dict(coordinator=coordinator, anna=anna, bram=bram, circle=circle, outsider=outsider)


def open_poll(people, closes_at=CLOSES_AT) -> DatePoll:
    poll = datepolls.create_poll(
        people["circle"], people["coordinator"], title="Casusoverleg april", description="",
        timezone="Europe/Amsterdam", closes_at=closes_at, hide_answers=False,
        times=[(OPTION + timedelta(days=n), OPTION + timedelta(days=n, hours=2)) for n in (0, 1)],
    )
    db.session.commit()
    return poll


def tick(app, now):
    with scheduler.job_context(app):
        return scheduler.tick(now)


def answer(poll, user, value=PollAnswer.YES):
    datepolls.answer(poll.options[0], user, value)
    db.session.commit()


def mails(mailbox, user, fragment):
    return [m for m in mailbox.to(user.email) if fragment in m["Subject"]]


def deliveries(kind, **filters):
    return db.session.execute(
        db.select(Delivery).filter_by(kind=kind, **filters).order_by(Delivery.user_id)
    ).scalars().all()


def notices(kind):
    return db.session.execute(db.select(Notification).filter_by(kind=kind)).scalars().all()


class TestPollClosing:
    def test_planned_when_the_poll_opens_24_hours_before_it_closes(self, people):
        poll = open_poll(people)
        rows = deliveries("poll_closing", channel=Channel.EMAIL)
        circle = {people[n].id for n in ("coordinator", "anna", "bram")}
        assert {row.user_id for row in rows} == circle
        assert {(row.subject_type, row.subject_id) for row in rows} == {("poll", poll.id)}
        assert {(row.due_at, row.expires_at) for row in rows} == {(REMINDER_AT, CLOSES_AT)}

    def test_sent_the_day_before_only_to_members_who_have_not_answered(
        self, app, people, mailbox
    ):
        poll = open_poll(people)
        answer(poll, people["anna"], PollAnswer.NO)
        tick(app, REMINDER_AT - timedelta(minutes=1))
        assert mailbox.messages == []
        tick(app, REMINDER_AT)
        subject = "Which dates suit you? The poll “Casusoverleg april” closes soon"
        assert len(mails(mailbox, people["bram"], subject)) == 1
        assert len(mails(mailbox, people["coordinator"], subject)) == 1
        assert mails(mailbox, people["anna"], "Casusoverleg") == []
        assert mails(mailbox, people["outsider"], "Casusoverleg") == []
        text = mailbox.text(mails(mailbox, people["bram"], subject)[0])
        assert "Hello Bram," in text
        # In the reader's zone: summer time has begun by the closing moment.
        assert "closes on Sunday, March 28, 2027, 8:00\u202fPM" in text
        assert f"http://leerkring.test/polls/{poll.id}" in text
        notice = [n for n in notices("poll_closing") if n.user_id == people["bram"].id]
        assert len(notice) == 1 and notice[0].url == f"/polls/{poll.id}"

    def test_answering_cancels_the_reminder(self, app, people, mailbox):
        poll = open_poll(people)
        answer(poll, people["bram"], PollAnswer.IF_NEED_BE)
        mine = deliveries("poll_closing", user_id=people["bram"].id)
        assert {row.status for row in mine} == {DeliveryStatus.CANCELLED}
        tick(app, REMINDER_AT)
        assert mails(mailbox, people["bram"], "Casusoverleg") == []
        assert len(mails(mailbox, people["anna"], "Casusoverleg")) == 1

    def test_an_answer_given_after_planning_still_stops_it(self, app, people, mailbox):
        poll = open_poll(people)
        tick(app, REMINDER_AT - timedelta(hours=2))  # the scheduler's pass has seen it
        answer(poll, people["bram"])
        tick(app, REMINDER_AT)
        assert mails(mailbox, people["bram"], "Casusoverleg") == []

    def test_a_member_who_joins_later_is_reminded_too(self, app, people, mailbox):
        open_poll(people)
        late = f.make_user(locale="en")
        f.add_member(people["circle"], late)
        tick(app, REMINDER_AT)
        assert len(mails(mailbox, late, "Casusoverleg")) == 1

    def test_not_sent_after_the_poll_closed(self, app, people, mailbox):
        open_poll(people)
        tick(app, CLOSES_AT + timedelta(minutes=1))
        assert mailbox.messages == []

    def test_a_poll_without_closing_moment_has_no_reminder(self, app, people, mailbox):
        open_poll(people, closes_at=None)
        assert deliveries("poll_closing") == []

    def test_closing_early_cancels_it(self, app, people, mailbox):
        poll = open_poll(people)
        datepolls.close(poll, poll.options[0], people["coordinator"])
        db.session.commit()
        assert {row.status for row in deliveries("poll_closing")} == {DeliveryStatus.CANCELLED}
        tick(app, REMINDER_AT)
        assert [m for m in mailbox.messages if "closes soon" in m["Subject"]] == []

    def test_a_new_closing_moment_moves_it(self, app, people):
        poll = open_poll(people)
        poll.closes_at = CLOSES_AT + timedelta(days=2)
        datepolls.replan(poll)
        db.session.commit()
        assert {row.due_at for row in deliveries("poll_closing")} == {
            REMINDER_AT + timedelta(days=2)
        }

    def test_due_runs_a_fixed_number_of_queries(self, app, people, count_queries):
        def count():
            with count_queries() as counter:
                found = list(poll_reminders.closing_due(Scope(REMINDER_AT, CLOSES_AT)))
            return counter.count, len(found)

        open_poll(people)
        small = count()
        for _n in range(4):
            extra = f.make_circle(f.make_user(), members=[f.make_user() for _m in range(3)])
            open_poll(dict(people, circle=extra))
        large = count()
        assert small[0] == large[0] == 1
        assert (small[1], large[1]) == (3, 3 + 4 * 4)


class TestDateChosen:
    def close(self, people, poll=None):
        poll = poll or open_poll(people)
        meeting = datepolls.close(poll, poll.options[1], people["coordinator"])
        db.session.commit()
        return poll, meeting

    def test_the_whole_circle_hears_once_with_the_meeting_in_its_calendar(
        self, app, people, mailbox
    ):
        poll = open_poll(people)
        answer(poll, people["anna"])  # answered or not: everyone hears
        poll, meeting = self.close(people, poll)
        now = poll.closed_at + timedelta(seconds=30)
        tick(app, now)
        tick(app, now)
        tick(app, now + timedelta(hours=1))
        subject = "A date for “Casusoverleg april”: Wednesday, April 7, 2027, 7:30\u202fPM"
        for name in ("coordinator", "anna", "bram"):
            received = mails(mailbox, people[name], "A date for")
            assert [m["Subject"] for m in received] == [subject]
        assert mails(mailbox, people["outsider"], "A date for") == []
        message = mails(mailbox, people["bram"], "A date for")[0]
        text = mailbox.text(message)
        assert "The meeting will be on Wednesday, April 7, 2027, 7:30\u202fPM" in text
        assert f"http://leerkring.test/meetings/{meeting.id}" in text
        calendar = next(part for part in message.iter_attachments())
        assert calendar.get_content_type() == "text/calendar"
        assert "SUMMARY:Casusoverleg april" in calendar.get_content()
        chosen = notices("date_chosen")
        assert sorted(n.user_id for n in chosen) == sorted(
            people[n].id for n in ("coordinator", "anna", "bram")
        )
        assert {n.url for n in chosen} == {f"/meetings/{meeting.id}"}

    def test_due_at_the_moment_the_poll_closed(self, app, people):
        poll, meeting = self.close(people)
        rows = deliveries("date_chosen", channel=Channel.EMAIL)
        assert len(rows) == 3
        assert {(row.due_at, row.expires_at) for row in rows} == {
            (poll.closed_at, min(poll.closed_at + timedelta(days=7), meeting.starts_at))
        }

    def test_not_to_members_who_join_after_the_choice(self, app, people, mailbox):
        poll, _meeting = self.close(people)
        late = f.make_user(locale="en")
        f.add_member(people["circle"], late)
        tick(app, poll.closed_at + timedelta(minutes=5))
        assert mails(mailbox, late, "A date for") == []
        assert len(mails(mailbox, people["bram"], "A date for")) == 1

    def test_nothing_when_the_meeting_was_cancelled_before_sending(self, app, people, mailbox):
        poll, meeting = self.close(people)
        meeting.status = MeetingStatus.CANCELLED
        db.session.commit()
        tick(app, poll.closed_at + timedelta(minutes=1))
        assert mails(mailbox, people["bram"], "A date for") == []

    def test_due_runs_a_fixed_number_of_queries(self, app, people, count_queries):
        def count():
            now = datetime.now(UTC) + timedelta(minutes=1)
            with count_queries() as counter:
                found = list(poll_reminders.chosen_due(Scope(now, now + timedelta(hours=24))))
            return counter.count, len(found)

        self.close(people)
        small = count()
        for _n in range(3):
            extra = f.make_circle(f.make_user(), members=[f.make_user() for _m in range(3)])
            self.close(dict(people, circle=extra))
        large = count()
        assert small[0] == large[0] == 1
        assert (small[1], large[1]) == (3, 3 + 3 * 4)

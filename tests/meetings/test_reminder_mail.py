"""Meeting reminders as they arrive: mails received by a real SMTP server (with the meeting's
calendar file and one-click answer links that work), in-app notices, each exactly once and
never late. The scheduler runs at fixed moments."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from leerkring.extensions import db
from leerkring.meetings import rsvp, services
from leerkring.meetings.models import Answer, Attendance, CheckInMethod
from leerkring.notifications.models import DeliveryStatus
from tests.factories import add_member, make_user
from tests.meetings.reminder_helpers import (
    EN,
    amsterdam,
    make_people,
    notices,
    pending,
    plan,
    rows,
    tick,
    utc,
)

#: What must never leave Leerkring by mail: the agenda and the preparation asked for.
CASE_CONTENT = ("mevrouw De Vries", "dossier van meneer Jansen")


@pytest.fixture
def people(app):
    circle, coordinator, members = make_people()
    for user in (coordinator, *members):
        user.locale = "en"
    db.session.commit()
    return circle, coordinator, members


def meeting_with_case_content(circle, coordinator, **fields):
    """Tuesday 2 November 2027, 19:30–21:00 in Amsterdam (winter time: 18:30 UTC)."""
    return plan(
        circle, coordinator, amsterdam(2027, 11, 2, 19, 30), place_room="Zaal 3",
        agenda="De casus van mevrouw De Vries", preparation="Lees het dossier van meneer Jansen",
        **fields,
    )


def mails(mailbox, user, subject_start):
    return [m for m in mailbox.to(user.email) if m["Subject"].startswith(subject_start)]


def meeting_mails(mailbox) -> list[str]:
    """Who got which mail about meetings (the weekly digest aside)."""
    return [f"{m['To']} {m['Subject']}" for m in mailbox.messages
            if m["Subject"].startswith(("Reminder:", "Will you come?"))]


def calendar_file(message) -> str:
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    return attachment.get_content()


def html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def assert_no_case_content(mailbox):
    for message in mailbox.messages:
        for part in message.walk():
            if part.get_content_maintype() == "text":
                content = part.get_content()
                assert not any(secret in content for secret in CASE_CONTENT), message["Subject"]


def test_coming_up_arrives_the_day_before_at_nine_with_calendar_and_links(
    client, mailbox, people
):
    circle, coordinator, (anna, *_) = people
    meeting = meeting_with_case_content(circle, coordinator)

    tick(utc(2027, 11, 1, 7, 59))
    assert mails(mailbox, anna, "Reminder:") == []
    tick(utc(2027, 11, 1, 8, 0))
    [message] = mails(mailbox, anna, "Reminder:")
    assert message["Subject"] == "Reminder: Intervisie, Tuesday, November 2, 2027, 7:30\u202fPM"
    text = mailbox.text(message)
    assert "A reminder: this meeting of " + circle.name + " is coming up." in text
    assert "When: Tuesday, November 2, 2027, 7:30\u202fPM–9:00\u202fPM" in text
    assert "Where: Zaal 3, Markt 1, Hengelo" in text
    assert "This meeting asks for preparation: see the meeting page." in text
    assert f"http://leerkring.test/meetings/{meeting.id}" in text
    assert message["List-Unsubscribe"].startswith("<http://leerkring.test/notifications/")
    assert f'href="http://leerkring.test/meetings/{meeting.id}"' in html(message)

    ics = calendar_file(message)
    assert f"UID:meeting-{meeting.id}@leerkring.test" in ics
    assert "DTSTART;TZID=Europe/Amsterdam:20271102T193000" in ics
    assert "SUMMARY:Intervisie" in ics
    assert_no_case_content(mailbox)

    links = dict(re.findall(r"^(Yes|Maybe|No): (\S+)", text, re.MULTILINE))
    assert set(links) == {"Yes", "Maybe", "No"}
    path = urlsplit(links["No"]).path
    assert "Confirm my answer: No" in client.get(path, headers=EN).text
    done = client.post(path, headers=EN, follow_redirects=True)
    assert "Thank you, Anna. Your answer is saved: No." in done.text
    assert rsvp._find(meeting, user=anna).answer == Answer.NO
    # Said no: the reminders still to come for Anna are off.
    assert pending("meeting_starting", anna, meeting) == []


def test_the_answer_link_in_the_mail_records_the_answer(client, mailbox, people):
    circle, coordinator, (anna, *_) = people
    meeting = meeting_with_case_content(circle, coordinator,
                                        online_url="https://meet.example.org/kring")
    tick(utc(2027, 10, 30, 7, 0))  # three days before: "will you come?"
    [message] = mails(mailbox, anna, "Will you come?")
    text = mailbox.text(message)
    assert "You have not yet said whether you will come" in text
    assert "Online: https://meet.example.org/kring" in text
    assert 'href="https://meet.example.org/kring"' in html(message)
    assert "BEGIN:VEVENT" in calendar_file(message)
    yes = urlsplit(re.search(r"^Yes: (\S+)", text, re.MULTILINE).group(1)).path
    assert "Confirm my answer: Yes" in client.get(yes, headers=EN).text
    assert client.post(yes).status_code == 303
    assert rsvp._find(meeting, user=anna).answer == Answer.YES
    # Answered: no more "will you come?", and "coming up" still on its way.
    assert [r.status for r in rows("answer_open", anna, meeting)] == [DeliveryStatus.SENT]
    assert len(pending("meeting_soon", anna, meeting)) == 1


def test_dutch_by_default(mailbox, people):
    circle, coordinator, (anna, *_) = people
    anna.locale = None
    db.session.commit()
    meeting_with_case_content(circle, coordinator)
    tick(utc(2027, 11, 1, 8, 0))
    messages = [m for m in mailbox.to(anna.email) if "2 november 2027, 19:30" in m["Subject"]]
    assert len(messages) == 2  # "will you come?" and "coming up"
    for message in messages:
        text = mailbox.text(message)
        assert "Wanneer: dinsdag 2 november 2027, 19:30–21:00" in text
        assert "Ja: http://leerkring.test/meetings/" in text
        assert "Nee: http://leerkring.test/meetings/" in text


def test_in_app_once_and_ticking_twice_sends_nothing_twice(mailbox, people):
    circle, coordinator, (anna, *_) = people
    meeting = meeting_with_case_content(circle, coordinator)
    now = utc(2027, 11, 1, 8, 0)
    tick(now)
    first = meeting_mails(mailbox)
    assert len(first) == 2 * 4  # "will you come?" (three days before) and "coming up", to four
    tick(now)
    tick(now + timedelta(minutes=30))
    assert meeting_mails(mailbox) == first
    [soon] = notices(anna, "meeting_soon")
    assert soon.url == f"/meetings/{meeting.id}"
    assert soon.params["title"] == "Intervisie"
    assert len(notices(anna, "answer_open")) == 1


def test_a_scheduler_that_was_down_does_not_send_late(mailbox, people):
    circle, coordinator, (anna, *_) = people
    meeting = meeting_with_case_content(circle, coordinator)
    tick(meeting.starts_at + timedelta(minutes=1))
    assert mailbox.to(anna.email) == []
    assert notices(anna) == []
    assert {r.status for r in rows("meeting_soon", anna, meeting)} == {DeliveryStatus.EXPIRED}


def test_starting_in_an_hour_for_an_online_meeting(mailbox, people):
    circle, coordinator, (anna, *_) = people
    meeting = meeting_with_case_content(circle, coordinator,
                                        online_url="https://meet.example.org/kring")
    tick(utc(2027, 11, 2, 17, 29))
    assert mails(mailbox, anna, "Starting in an hour") == []
    tick(utc(2027, 11, 2, 17, 30))
    [message] = mails(mailbox, anna, "Starting in an hour")
    assert message["Subject"] == "Starting in an hour: Intervisie"
    assert "Online: https://meet.example.org/kring" in mailbox.text(message)
    assert f"UID:meeting-{meeting.id}@" in calendar_file(message)
    assert notices(anna, "meeting_starting")[0].params["title"] == "Intervisie"


def test_a_change_and_a_cancellation_reach_yes_and_maybe_only(mailbox, people):
    circle, coordinator, (anna, bram, cor) = people
    meeting = meeting_with_case_content(circle, coordinator)
    rsvp.answer(meeting, anna, Answer.YES)
    rsvp.answer(meeting, bram, Answer.MAYBE)
    rsvp.answer(meeting, cor, Answer.NO)
    db.session.commit()
    later = meeting.starts_at + timedelta(minutes=30)
    services.update_meeting(meeting, starts_at=later, ends_at=later + timedelta(hours=1))
    db.session.commit()
    tick(meeting.starts_at - timedelta(days=5))
    [changed] = mails(mailbox, anna, "Changed:")
    assert changed["Subject"] == "Changed: Intervisie, now Tuesday, November 2, 2027, 8:00\u202fPM"
    assert "has a new time or place" in mailbox.text(changed)
    ics = calendar_file(changed)
    assert "SEQUENCE:1" in ics and "DTSTART;TZID=Europe/Amsterdam:20271102T200000" in ics
    assert len(mails(mailbox, bram, "Changed:")) == 1
    assert mails(mailbox, cor, "Changed:") == mails(mailbox, coordinator, "Changed:") == []
    assert [n.kind for n in notices(anna)] == ["meeting_changed"]

    services.cancel_meeting(meeting)
    db.session.commit()
    tick(meeting.starts_at - timedelta(days=5))
    [cancelled] = mails(mailbox, anna, "Cancelled:")
    assert "is cancelled: it will not take place" in mailbox.text(cancelled)
    assert "STATUS:CANCELLED" in calendar_file(cancelled)
    assert len(mails(mailbox, bram, "Cancelled:")) == 1
    assert mails(mailbox, cor, "Cancelled:") == []
    [notice] = notices(anna, "meeting_cancelled")
    assert notice.params["day"] == "Tuesday, November 2, 2027"
    # Nothing else about a cancelled meeting ever comes.
    tick(utc(2027, 11, 2, 17, 0))
    assert [m["Subject"].split(":")[0] for m in mailbox.to(anna.email)] == [
        "Changed", "Cancelled"]
    assert_no_case_content(mailbox)


def test_a_place_from_the_waitlist(mailbox, people):
    circle, coordinator, (anna, bram, _cor) = people
    meeting = meeting_with_case_content(circle, coordinator, max_places=1)
    rsvp.answer(meeting, anna, Answer.YES)
    rsvp.answer(meeting, bram, Answer.YES)
    rsvp.answer(meeting, anna, Answer.NO)
    db.session.commit()
    tick(meeting.starts_at - timedelta(days=5))
    [message] = mails(mailbox, bram, "You have a place:")
    assert "A place came free and it is yours" in mailbox.text(message)
    assert "BEGIN:VEVENT" in calendar_file(message)
    [notice] = notices(bram, "waitlist_place")
    assert notice.params["meeting"] == "Intervisie"
    assert mails(mailbox, anna, "You have a place:") == []


def test_the_presenter_is_asked_to_prepare_without_the_case(mailbox, people):
    circle, coordinator, (anna, bram, _cor) = people
    meeting_with_case_content(circle, coordinator, case_presenter_id=anna.id)
    tick(utc(2027, 10, 30, 7, 0))
    [message] = mails(mailbox, anna, "Prepare your case")
    text = mailbox.text(message)
    assert "You bring a case to this meeting" in text
    assert "Keep it anonymous" in text
    assert "asks for preparation" not in text  # the mail's own words say so already
    assert list(message.iter_attachments()) == []
    assert mails(mailbox, bram, "Prepare your case") == []
    assert_no_case_content(mailbox)


def test_those_present_are_asked_for_their_reflection(mailbox, people):
    circle, coordinator, (anna, bram, _cor) = people
    meeting = meeting_with_case_content(circle, coordinator)
    db.session.add(Attendance(meeting_id=meeting.id, user_id=anna.id,
                              method=CheckInMethod.CODE))
    db.session.add(Attendance(meeting_id=meeting.id, user_id=bram.id, is_present=False,
                              method=CheckInMethod.COORDINATOR))
    db.session.commit()
    mailbox.clear()
    tick(utc(2027, 11, 2, 21, 59))  # the meeting ended at 20:00 UTC
    assert mails(mailbox, anna, "Write your reflection") == []
    tick(utc(2027, 11, 2, 22, 0))
    [message] = mails(mailbox, anna, "Write your reflection")
    assert message["Subject"] == "Write your reflection on Intervisie"
    assert (f"http://leerkring.test/reflections/new?meeting={meeting.id}"
            in mailbox.text(message))
    assert mails(mailbox, bram, "Write your reflection") == []
    assert len(notices(anna, "write_reflection")) == 1


def test_a_newcomer_hears_of_the_coming_meeting(mailbox, people):
    circle, coordinator, _members = people
    meeting_with_case_content(circle, coordinator)
    newcomer = make_user(name="Nieuw Lid", locale="en")
    add_member(circle, newcomer)
    tick(utc(2027, 11, 1, 8, 0))
    assert len(mails(mailbox, newcomer, "Reminder:")) == 1

"""The dashboard's "Next for me": my next meetings with one-tap answers, waitlist, polls."""

from datetime import UTC, datetime, timedelta

from leerkring.extensions import db
from leerkring.meetings import rsvp
from leerkring.meetings.models import (
    Answer,
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    Meeting,
    MeetingStatus,
    PollAnswer,
)
from tests.factories import make_circle, make_meeting, make_user

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true", "Accept-Language": "en"}


def in_days(days):
    return datetime.now(UTC) + timedelta(days=days)


def make_poll(circle, title, answered_by=()):
    poll = DatePoll(circle=circle, title=title)
    start = datetime.now(UTC) + timedelta(days=10)
    option = DatePollOption(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    db.session.add_all([poll, option])
    db.session.flush()
    for user in answered_by:
        db.session.add(DatePollAnswer(option_id=option.id, user_id=user.id, answer=PollAnswer.YES))
    db.session.commit()
    return poll


def test_next_meetings_across_circles_with_my_answer(client, login):
    me = make_user(name="Sanne")
    first = make_circle(make_user(), [me], name="Armoede Twente")
    second = make_circle(me, name="Schulden Oost")
    other = make_circle(make_user(), name="Niet de mijne")
    soon = make_meeting(first, title="Casusoverleg", starts_at=in_days(1))
    later = make_meeting(second, title="Intervisie", starts_at=in_days(5))
    make_meeting(other, title="Andermans bijeenkomst")
    make_meeting(first, title="Afgelast", status=MeetingStatus.CANCELLED)
    make_meeting(first, title="Voorbij", starts_at=datetime.now(UTC) - timedelta(days=2))
    rsvp.answer(later, me, Answer.MAYBE)
    db.session.commit()
    login(me)
    page = client.get("/", headers=EN).text
    assert "Next for me" in page
    assert page.index("Casusoverleg") < page.index("Intervisie")
    assert "Armoede Twente" in page and "Schulden Oost" in page
    for absent in ("Andermans bijeenkomst", "Afgelast", "Voorbij"):
        assert absent not in page
    assert f'id="answer-{soon.id}"' in page
    later_buttons = page.split(f'id="answer-{later.id}"')[1].split("</form>")[0]
    assert 'value="maybe" aria-pressed="true"' in later_buttons


def test_answer_from_the_dashboard_in_one_tap(client, login):
    me = make_user()
    circle = make_circle(make_user(), [me])
    meeting = make_meeting(circle)
    login(me)
    response = client.post(
        f"/meetings/{meeting.id}/answer", data={"answer": "yes", "next": "/"}, headers=HX
    )
    assert "<html" not in response.text
    assert 'value="yes" aria-pressed="true"' in response.text
    response = client.post(f"/meetings/{meeting.id}/answer", data={"answer": "no", "next": "/"})
    assert response.headers["Location"].endswith("/")
    assert 'value="no" aria-pressed="true"' in client.get("/", headers=EN).text


def test_waitlist_and_open_polls(client, login):
    me = make_user()
    circle = make_circle(make_user(), [me])
    full = make_meeting(circle, title="Volle bijeenkomst", max_places=1)
    rsvp.answer(full, make_user_in(circle), Answer.YES)
    rsvp.answer(full, me, Answer.YES)
    db.session.commit()
    make_poll(circle, "Wanneer in maart?")
    make_poll(circle, "Al beantwoord", answered_by=[me])
    closed = make_poll(circle, "Gesloten")
    closed.closed_at = datetime.now(UTC)
    make_poll(make_circle(make_user()), "Andere kring")
    db.session.commit()
    login(me)
    page = client.get("/", headers=EN).text
    waitlist = page.split("On the waitlist")[1]
    assert "Volle bijeenkomst" in waitlist and "number 1 on the waitlist" in waitlist
    assert "Wanneer in maart?" in page
    for absent in ("Al beantwoord", "Gesloten", "Andere kring"):
        assert absent not in page


def make_user_in(circle):
    from tests.factories import add_member

    user = make_user()
    add_member(circle, user)
    return user


def test_next_for_me_in_dutch(client, login):
    me = make_user()
    make_meeting(make_circle(make_user(), [me]))
    login(me)
    # needs the nl catalog
    assert "Wat komt er voor mij" in client.get("/").text


def test_dashboard_queries_fixed_with_10_and_300_meetings(client, login, count_queries):
    me = make_user()
    circles = [make_circle(make_user(), [me]) for _ in range(3)]
    add_meetings(circles, 10, me)
    make_poll(circles[0], "Peiling")
    login(me)
    with count_queries() as small:
        client.get("/")
    add_meetings(circles, 290, me)
    for n in range(5):
        make_poll(circles[n % 3], f"Peiling {n}")
    with count_queries() as large:
        page = client.get("/", headers=EN).text
    assert "On the waitlist" in page
    assert small.count == large.count


def add_meetings(circles, count, me):
    start = datetime.now(UTC) + timedelta(days=1)
    for n in range(count):
        meeting = Meeting(
            circle=circles[n % len(circles)],
            title=f"B{n}",
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n, minutes=60),
            max_places=0 if n % 7 == 0 else None,
        )
        db.session.add(meeting)
        db.session.flush()
        rsvp.answer(meeting, me, [Answer.YES, Answer.MAYBE, Answer.NO][n % 3])
    db.session.commit()

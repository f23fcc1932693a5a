"""The circle page's upcoming meetings, with answer buttons for members."""

from datetime import UTC, datetime, timedelta

from leerkring.extensions import db
from leerkring.meetings import rsvp
from leerkring.meetings.models import Answer, Meeting
from tests.factories import make_admin, make_circle, make_meeting, make_user

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true", "Accept-Language": "en"}


def in_days(days):
    return datetime.now(UTC) + timedelta(days=days)


def test_members_see_the_next_meetings_and_answer_in_place(client, login):
    member = make_user()
    circle = make_circle(make_user(), [member])
    soon = make_meeting(circle, title="Casusoverleg", starts_at=in_days(0.1))
    make_meeting(circle, title="Voorbij", starts_at=datetime.now(UTC) - timedelta(days=1))
    login(member)
    page = client.get(f"/circles/{circle.id}", headers=EN).text
    assert "Upcoming meetings" in page and "Casusoverleg" in page and "Voorbij" not in page
    assert f'id="answer-{soon.id}"' in page
    assert "Plan a meeting" not in page
    response = client.post(
        f"/meetings/{soon.id}/answer",
        data={"answer": "yes", "next": f"/circles/{circle.id}"},
        headers=HX,
    )
    assert 'value="yes" aria-pressed="true"' in response.text
    assert f'name="next" value="/circles/{circle.id}"' in response.text


def test_coordinator_gets_the_plan_link(client, login):
    coordinator = make_user()
    circle = make_circle(coordinator)
    login(coordinator)
    page = client.get(f"/circles/{circle.id}", headers=EN).text
    assert "No meetings planned yet." in page
    assert f'href="/circles/{circle.id}/meetings/new"' in page


def test_visitors_see_meetings_without_buttons(client, login):
    circle = make_circle(make_user())
    meeting = make_meeting(circle, title="Open avond")
    for visitor in (make_user(), make_admin()):
        login(visitor)
        page = client.get(f"/circles/{circle.id}", headers=EN).text
        assert "Open avond" in page
        assert f'id="answer-{meeting.id}"' not in page


def test_upcoming_meetings_in_dutch(client, login):
    member = make_user()
    circle = make_circle(make_user(), [member])
    make_meeting(circle)
    login(member)
    # needs the nl catalog
    assert "Komende bijeenkomsten" in client.get(f"/circles/{circle.id}").text


def test_circle_page_queries_fixed_with_10_and_300_meetings(client, login, count_queries):
    member = make_user()
    circle = make_circle(make_user(), [member])
    add_meetings(circle, 10, member)
    login(member)
    with count_queries() as small:
        client.get(f"/circles/{circle.id}")
    add_meetings(circle, 290, member)
    with count_queries() as large:
        client.get(f"/circles/{circle.id}")
    assert small.count == large.count


def add_meetings(circle, count, member):
    start = datetime.now(UTC) + timedelta(days=1)
    for n in range(count):
        meeting = Meeting(
            circle=circle, title=f"B{n}", starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n, minutes=60), max_places=1,
        )
        db.session.add(meeting)
        db.session.flush()
        rsvp.answer(meeting, member, [Answer.YES, Answer.MAYBE, Answer.NO][n % 3])
    db.session.commit()

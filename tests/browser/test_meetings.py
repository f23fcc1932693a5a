"""Meetings in the browser: the meeting page, the calendar settings and date polls, axe clean."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from leerkring.extensions import db
from leerkring.meetings import datepolls
from leerkring.meetings.models import PollAnswer
from tests.factories import make_circle, make_meeting, make_user

AMS = ZoneInfo("Europe/Amsterdam")


def soon(days: int, hour: int = 18) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def a_circle_with_a_meeting(live_server):
    with live_server.app_context():
        coordinator = make_user(email="coordinator@example.org", name="Sanne Kuipers")
        member = make_user(email="member@example.org", name="Mehmet Aydın")
        circle = make_circle(coordinator, members=[member], name="Armoede in de wijk")
        meeting = make_meeting(
            circle, title="Vroegsignalering in de wijk", starts_at=soon(2),
            place_address="Stationsplein 12, Enschede", place_room="Zaal De Es",
            online_url="https://meet.example.org/leerkring", agenda="1. Casus\n2. **Vragen**",
            preparation="Neem een voorbeeld mee.", max_places=8,
        )
        return circle.id, meeting.id


def test_the_meeting_page_has_no_accessibility_violations(page, live_server, sign_in, axe):
    _circle_id, meeting_id = a_circle_with_a_meeting(live_server)
    sign_in(page, "member@example.org")

    page.goto(f"/meetings/{meeting_id}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vroegsignalering in de wijk")
    expect(page.locator("#add-to-calendar")).to_be_visible()
    axe(page)


def test_the_coordinator_meeting_page_has_no_accessibility_violations(
    page, live_server, sign_in, axe
):
    _circle_id, meeting_id = a_circle_with_a_meeting(live_server)
    sign_in(page, "coordinator@example.org")

    page.goto(f"/meetings/{meeting_id}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vroegsignalering in de wijk")
    axe(page)


def test_the_calendar_settings_have_no_accessibility_violations(page, live_server, sign_in, axe):
    a_circle_with_a_meeting(live_server)
    sign_in(page, "member@example.org")

    page.goto("/account/profile")

    address = page.locator("#calendar-feed-url")
    expect(address).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/calendar/\w+\.ics$"))
    axe(page)
    old = address.input_value()
    renew = re.compile("^(Adres vernieuwen|Renew the address)$")
    page.locator("#calendar-feed").get_by_role("button", name=renew).click()
    expect(address).not_to_have_value(old)
    assert page.request.get(old).status == 404
    feed = page.request.get(address.input_value())
    assert "Vroegsignalering in de wijk" in feed.text()


def test_the_poll_page_has_no_accessibility_violations(page, live_server, sign_in, axe):
    circle_id, _meeting_id = a_circle_with_a_meeting(live_server)
    with live_server.app_context():
        from leerkring.models import Circle, User

        circle = db.session.get(Circle, circle_id)
        coordinator = db.session.scalar(db.select(User).filter_by(email="coordinator@example.org"))
        poll = datepolls.create_poll(
            circle, coordinator, title="Terugkomavond", description="Welke avond past?",
            timezone="Europe/Amsterdam", times=[(soon(d), soon(d, 20)) for d in (10, 12, 14)],
            closes_at=None, hide_answers=False,
        )
        db.session.flush()
        datepolls.answer(poll.options[0], coordinator, PollAnswer.YES)
        db.session.commit()
        poll_id = poll.id
    sign_in(page, "member@example.org")

    page.goto(f"/polls/{poll_id}")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Terugkomavond")
    axe(page)


@pytest.mark.browser_context_args(locale="en-GB")
def test_from_a_date_poll_to_checking_in(live_server, new_context, sign_in, axe):
    """A coordinator proposes dates, two members answer, the coordinator closes the poll, a
    member says yes from the dashboard and checks in with the code on the screen."""
    with live_server.app_context():
        coordinator = make_user(email="coordinator@example.org", name="Sanne Kuipers")
        first = make_user(email="mehmet@example.org", name="Mehmet Aydın")
        second = make_user(email="lotte@example.org", name="Lotte de Wit")
        circle_id = make_circle(coordinator, members=[first, second], name="Armoede").id

    def browser_for(email):
        page = new_context(base_url=live_server.url).new_page()
        sign_in(page, email)
        return page

    # Soon enough to check in (from 30 minutes before), late enough to still answer.
    start = datetime.now(AMS).replace(second=0, microsecond=0) + timedelta(minutes=20)
    end = min(start + timedelta(hours=1), start.replace(hour=23, minute=59))
    later = start + timedelta(days=2)

    sanne = browser_for("coordinator@example.org")
    sanne.goto(f"/circles/{circle_id}/polls/new")
    sanne.get_by_label("What is the meeting about?").fill("Terugkomavond")
    for row, (begin, until) in enumerate(((start, end), (later, later + timedelta(hours=1)))):
        sanne.locator(f"input[name='options-{row}-day']").fill(begin.date().isoformat())
        sanne.locator(f"input[name='options-{row}-start']").fill(f"{begin:%H:%M}")
        sanne.locator(f"input[name='options-{row}-end']").fill(f"{until:%H:%M}")
    sanne.get_by_role("button", name="Propose these dates").click()
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Terugkomavond")
    poll_url = sanne.url
    axe(sanne)

    for email, expected in (("mehmet@example.org", "Yes: 1"), ("lotte@example.org", "Yes: 2")):
        member = browser_for(email)
        member.goto(poll_url)
        row = member.locator("tbody tr").first
        row.get_by_label("Yes", exact=True).check()
        expect(row).to_contain_text(expected)
        member.context.close()

    sanne.reload()
    sanne.get_by_role("button", name="Close the poll and schedule the meeting").click()
    expect(sanne).to_have_url(re.compile(r"/meetings/\d+$"))
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Terugkomavond")
    meeting_url = sanne.url

    mehmet = browser_for("mehmet@example.org")
    mehmet.goto("/")
    next_for_me = mehmet.locator("#next-for-me")
    next_for_me.get_by_role("button", name="Yes", exact=True).first.click()
    expect(next_for_me).to_contain_text("You have a place.")

    sanne.goto(meeting_url + "/checkin-code")
    code = sanne.locator(".checkin-code").inner_text().strip()
    mehmet.goto(meeting_url + "/checkin")
    mehmet.locator("input[name='code']").fill(code)
    mehmet.get_by_role("button", name="Check in").click()
    expect(mehmet.get_by_text("You are checked in.", exact=True)).to_be_visible()
    with live_server.app_context():
        from leerkring.meetings.models import Attendance, CheckInMethod, Rsvp

        (attendance,) = db.session.scalars(db.select(Attendance)).all()
        assert (attendance.user.email, attendance.method) == ("mehmet@example.org",
                                                              CheckInMethod.CODE)
        answers = {r.user.email: r.answer for r in db.session.scalars(db.select(Rsvp))}
        assert answers == {"mehmet@example.org": "yes"}

"""Meetings in the browser: the meeting page, the calendar settings and date polls, axe clean."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from leerkring.extensions import db
from leerkring.meetings import datepolls
from leerkring.meetings.models import PollAnswer
from tests.factories import make_circle, make_meeting, make_user


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

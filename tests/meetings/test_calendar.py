"""Calendars: single meetings, circle feeds and personal feeds, parsed back with icalendar."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa

from leerkring.circles.models import Visibility
from leerkring.extensions import db
from leerkring.meetings import feeds
from leerkring.meetings.models import Answer, CalendarFeed, MeetingStatus, Rsvp
from tests.factories import make_admin, make_circle, make_meeting, make_user

EN = {"Accept-Language": "en"}
AMS = ZoneInfo("Europe/Amsterdam")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.data)


def events(cal) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def local(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS).astimezone(UTC)


def soon(days=3, hours=0) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days, hours=hours)).replace(microsecond=0)


def switch(client, login, user) -> None:
    client.post("/account/logout")
    login(user)


def feed_token(client, login, user) -> str:
    switch(client, login, user)
    page = client.get("/account/profile", headers=EN)
    assert "Your calendar address" in page.text
    feed = db.session.scalar(sa.select(CalendarFeed).filter_by(user_id=user.id))
    token = feeds.token_for(feed)
    assert f"/calendar/{token}.ics" in page.text
    assert feed.token_hash == feeds.hash_token(token)
    assert token not in feed.token_hash
    return token


@pytest.fixture
def people(app):
    coordinator, member, outsider = make_user(), make_user(), make_user()
    circle = make_circle(coordinator, members=[member], visibility=Visibility.MEMBERS)
    other = make_circle(outsider)
    return circle, other, coordinator, member, outsider


# One meeting -----------------------------------------------------------------------------------


def test_a_meeting_ics_has_uid_times_zone_place_link_and_alarm(client, login, people):
    circle, _other, _coordinator, member, _outsider = people
    meeting = make_meeting(
        circle, title="Casus bespreken", starts_at=local(2026, 3, 26, 19, 30),
        ends_at=local(2026, 3, 26, 21), place_address="Stationsplein 1, Enschede",
        place_room="Zaal 2", online_url="https://meet.example.org/abc",
    )
    login(member)

    cal = parse(client.get(f"/meetings/{meeting.id}.ics", headers=EN))

    event = events(cal)["Casus bespreken"]
    assert str(event["UID"]) == f"meeting-{meeting.id}@leerkring.test"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == datetime(2026, 3, 26, 19, 30, tzinfo=AMS)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 3, 26, 18, 30, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2026, 3, 26, 20, tzinfo=UTC)
    assert str(event["LOCATION"]) == "Zaal 2, Stationsplein 1, Enschede"
    assert str(event["URL"]) == "https://meet.example.org/abc"
    description = str(event["DESCRIPTION"])
    assert "https://meet.example.org/abc" in description
    assert f"/meetings/{meeting.id}" in description
    assert circle.name in description
    assert "DTSTAMP" in event
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        ((2026, 3, 28), 18),  # before summer time: UTC+1
        ((2026, 3, 30), 17),  # after: UTC+2
        ((2026, 10, 24), 17),
        ((2026, 10, 26), 18),
    ],
)
def test_wall_clock_times_hold_across_daylight_saving_changes(client, login, people, day, utc_hour):
    circle, _other, _coordinator, member, _outsider = people
    meeting = make_meeting(
        circle, title="Avond", starts_at=local(*day, 19), ends_at=local(*day, 21)
    )
    login(member)

    cal = parse(client.get(f"/meetings/{meeting.id}.ics"))
    event = events(cal)["Avond"]

    # A client that knows only the VTIMEZONE in the file still finds the right instant.
    (vtimezone,) = cal.walk("VTIMEZONE")
    own_rules = datetime(*day, 19, tzinfo=vtimezone.to_tz())
    assert own_rules.astimezone(UTC) == datetime(*day, utc_hour, tzinfo=UTC)
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (19, 0)
    assert start.astimezone(UTC) == datetime(*day, utc_hour, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(AMS).hour == 21


def test_the_uid_stays_and_the_sequence_rises_and_cancelled_shows(client, login, people):
    circle, _other, _coordinator, member, _outsider = people
    meeting = make_meeting(circle, title="Verzet")
    login(member)
    before = events(parse(client.get(f"/meetings/{meeting.id}.ics")))["Verzet"]

    meeting.starts_at += timedelta(hours=1)
    meeting.ends_at += timedelta(hours=1)
    meeting.sequence += 1
    db.session.commit()
    moved = events(parse(client.get(f"/meetings/{meeting.id}.ics")))["Verzet"]
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    db.session.commit()
    cancelled = events(parse(client.get(f"/meetings/{meeting.id}.ics")))["Verzet"]

    assert before["UID"] == moved["UID"] == cancelled["UID"]
    assert before["SEQUENCE"] < moved["SEQUENCE"] < cancelled["SEQUENCE"]
    assert moved.decoded("DTSTART") - before.decoded("DTSTART") == timedelta(hours=1)
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled.walk("VALARM") == []


def test_who_may_download_a_meeting(client, login, people, app):
    circle, _other, coordinator, member, outsider = people
    meeting = make_meeting(circle, title="Besloten")
    url = f"/meetings/{meeting.id}.ics"

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/account/login" in anonymous.location
    for user in (member, coordinator, make_admin()):
        switch(client, login, user)
        assert "Besloten" in events(parse(client.get(url)))
    switch(client, login, outsider)
    assert client.get(url).status_code == 404


# Circle feed -----------------------------------------------------------------------------------


def test_the_circle_feed_holds_its_meetings_for_members(client, login, people):
    circle, other, coordinator, member, outsider = people
    make_meeting(circle, title="Komend", starts_at=soon(5))
    make_meeting(circle, title="Geweest", starts_at=soon(-10))
    make_meeting(circle, title="Lang geleden", starts_at=soon(-400))
    make_meeting(other, title="Andere kring", starts_at=soon(5))
    url = f"/circles/{circle.id}/calendar.ics"

    assert "/account/login" in client.get(url).location
    for user in (member, coordinator, make_admin()):
        switch(client, login, user)
        cal = parse(client.get(url))
        assert set(events(cal)) == {"Komend", "Geweest"}
        assert circle.name in str(cal["X-WR-CALNAME"])
    switch(client, login, outsider)
    assert client.get(url).status_code == 404


def test_a_signed_in_circle_feed_is_for_members_only(client, login, app):
    circle = make_circle(make_user(), visibility=Visibility.SIGNED_IN)
    make_meeting(circle)
    login(make_user())
    assert client.get(f"/circles/{circle.id}/calendar.ics").status_code == 403


# Personal feed ---------------------------------------------------------------------------------


def test_the_personal_feed_shows_my_meetings_and_nothing_else(client, login, people):
    circle, other, _coordinator, member, _outsider = people
    open_circle = make_circle(make_user(), visibility=Visibility.SIGNED_IN)
    make_meeting(circle, title="Mijn kring", starts_at=soon(2))
    cancelled = make_meeting(
        circle, title="Gaat niet door", starts_at=soon(4), status=MeetingStatus.CANCELLED
    )
    declined = make_meeting(circle, title="Nee gezegd", starts_at=soon(6))
    db.session.add(Rsvp(meeting=declined, user=member, answer=Answer.NO))
    make_meeting(other, title="Besloten andere kring", starts_at=soon(2))
    make_meeting(open_circle, title="Open maar niet lid", starts_at=soon(2))
    db.session.commit()
    token = feed_token(client, login, member)
    client.post("/account/logout")

    cal = parse(client.get(f"/calendar/{token}.ics"))

    found = events(cal)
    assert set(found) == {"Mijn kring", "Gaat niet door"}
    assert found["Gaat niet door"]["STATUS"] == "CANCELLED"
    assert str(found["Gaat niet door"]["UID"]) == f"meeting-{cancelled.id}@leerkring.test"
    assert cal.walk("VTIMEZONE")


def test_the_personal_feed_uses_my_reminder(client, login, people):
    circle, _other, _coordinator, member, _outsider = people
    make_meeting(circle, title="Herinnerd", starts_at=soon(2))
    token = feed_token(client, login, member)

    response = client.post(
        "/calendar/alarm", data={"alarm_minutes": "1440", "next": "/account/profile"}, headers=EN
    )

    assert response.status_code == 303 and response.location.endswith("/account/profile")
    event = events(parse(client.get(f"/calendar/{token}.ics")))["Herinnerd"]
    assert event.walk("VALARM")[0].decoded("TRIGGER") == -timedelta(days=1)
    page = client.get("/account/profile", headers=EN)
    assert '<option selected value="1440">1 day before</option>' in page.text


def test_a_wrong_reminder_is_refused_with_the_error_next_to_it(client, login, people):
    feed_token(client, login, people[3])
    response = client.post("/calendar/alarm", data={"alarm_minutes": "7"}, headers=EN)
    assert response.status_code == 422
    assert "field-error" in response.text
    assert db.session.scalar(sa.select(CalendarFeed.alarm_minutes)) == 60


def test_renewing_the_address_stops_the_old_one_at_once(client, login, people):
    circle, _other, _coordinator, member, _outsider = people
    make_meeting(circle, title="Vernieuwd", starts_at=soon(2))
    old = feed_token(client, login, member)

    response = client.post("/calendar/renew", data={"next": "/account/profile"}, headers=EN)

    assert response.status_code == 303
    page = client.get("/account/profile", headers=EN)
    assert "The old address no longer works" in page.text
    new = feeds.token_for(db.session.scalar(sa.select(CalendarFeed)))
    assert new != old and f"/calendar/{new}.ics" in page.text
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert "Vernieuwd" in events(parse(client.get(f"/calendar/{new}.ics")))


def test_an_unknown_token_is_not_found(client, app):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_another_users_token_shows_only_their_meetings(client, login, people):
    circle, other, _coordinator, member, outsider = people
    make_meeting(circle, title="Van lid", starts_at=soon(2))
    make_meeting(other, title="Van buitenstaander", starts_at=soon(2))
    token = feed_token(client, login, outsider)
    switch(client, login, member)
    assert set(events(parse(client.get(f"/calendar/{token}.ics")))) == {"Van buitenstaander"}


def test_feeds_run_a_fixed_number_of_queries(client, login, people, count_queries):
    circle, _other, _coordinator, member, _outsider = people
    token = feed_token(client, login, member)

    def measure(url):
        with count_queries() as counter:
            parse(client.get(url))
        return counter.count

    for n in range(3):
        make_meeting(circle, starts_at=soon(n + 1))
    small = measure(f"/calendar/{token}.ics"), measure(f"/circles/{circle.id}/calendar.ics")
    for n in range(40):
        make_meeting(circle, starts_at=soon(n + 1, hours=2))
    large = measure(f"/calendar/{token}.ics"), measure(f"/circles/{circle.id}/calendar.ics")
    assert small == large


# Pages ----------------------------------------------------------------------------------------


def test_the_meeting_page_offers_the_download_and_the_feed(client, login, people):
    circle, _other, _coordinator, member, _outsider = people
    meeting = make_meeting(circle)
    login(member)

    page = client.get(f"/meetings/{meeting.id}", headers=EN)

    assert "Add to calendar" in page.text
    assert f'href="/meetings/{meeting.id}.ics"' in page.text
    assert 'href="/calendar"' in page.text


def test_the_calendar_page_explains_outlook_and_google(client, login, people):
    login(people[3])
    page = client.get("/calendar", headers=EN)
    assert "<html" in page.text
    assert "Add calendar → From internet" in page.text
    assert "Other calendars → From URL" in page.text
    assert 'readonly' in page.text


def test_the_calendar_section_in_dutch(client, login, people):
    login(people[3])
    page = client.get("/account/profile")
    assert "Je agenda-adres" in page.text  # needs the nl catalog


def test_a_refused_reminder_comes_back_as_a_fragment_for_htmx(client, login, people):
    feed_token(client, login, people[3])
    headers = {**EN, "HX-Request": "true"}

    fragment = client.post("/calendar/alarm", data={"alarm_minutes": "7"}, headers=headers)
    page = client.post("/calendar/alarm", data={"alarm_minutes": "7"}, headers=EN)

    assert fragment.status_code == page.status_code == 422
    assert "<html" not in fragment.text and 'id="calendar-feed"' in fragment.text
    assert "<html" in page.text and "Not a valid choice" in page.text

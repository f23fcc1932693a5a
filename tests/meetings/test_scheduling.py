"""Scheduling: planning single and recurring meetings, editing and cancelling them with a scope,
notices to those who answered, the meeting page and the Werkplaats page."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from leerkring import scheduler
from leerkring.extensions import db
from leerkring.meetings import recurrence, rsvp, services
from leerkring.meetings.models import Answer, Meeting, MeetingSeries, MeetingStatus, Rsvp
from leerkring.meetings.recurrence import Frequency, Pattern
from leerkring.notifications.models import Notification
from tests.factories import add_member, make_admin, make_circle, make_user

AMS = "Europe/Amsterdam"
EN = {"Accept-Language": "en"}


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def meetings_of(circle):
    return list(db.session.execute(
        sa.select(Meeting).where(Meeting.circle_id == circle.id).order_by(Meeting.starts_at)
    ).scalars())


def plan(circle, coordinator, start=None, **kw):
    start = start or datetime.now(UTC) + timedelta(days=7)
    fields = {"title": "Casusbespreking", "place_address": "Stationsplein 1, Enschede", **kw}
    meeting = services.create_meeting(
        circle, coordinator, starts_at=start, ends_at=start + timedelta(hours=2), timezone=AMS,
        **fields,
    )
    db.session.commit()
    return meeting


def weekly_series(circle, coordinator, first_day, start=time(19, 30), count=6, **kw):
    pattern = Pattern(Frequency.WEEKLY, interval=1, weekday=first_day.weekday(), count=count)
    series, created, skipped = services.create_series(
        circle, coordinator, pattern, first_day, start, time(21, 0), AMS,
        title="Intervisie", place_address="Markt 1, Hengelo", **kw,
    )
    db.session.commit()
    return series, created, skipped


def answer(meeting, user, value=Answer.YES):
    db.session.add(Rsvp(meeting_id=meeting.id, user_id=user.id, answer=value))
    db.session.commit()


#: Notices about what happened to a meeting (not the reminders that it is coming up).
NEWS = ("meeting_changed", "meeting_cancelled", "waitlist_place")


def notices(user):
    db.session.expire_all()
    return list(db.session.execute(
        sa.select(Notification)
        .where(Notification.user_id == user.id, Notification.kind.in_(NEWS))
        .order_by(Notification.id)
    ).scalars())


def deliver_before(meeting):
    """A scheduler pass an hour before the meeting: notices of changes are sent by then."""
    with scheduler.job_context(current_app):
        scheduler.tick(meeting.starts_at - timedelta(hours=1))


@pytest.fixture
def people(app):
    coordinator = make_user(name="Coördinator Cora")
    member = make_user(name="Lid Lotte")
    circle = make_circle(coordinator=coordinator, members=[member])
    return circle, coordinator, member


def form_data(**kw):
    data = {
        "title": "Casusbespreking",
        "day": "2027-02-02",
        "start_time": "19:30",
        "end_time": "21:00",
        "place_address": "Stationsplein 1, Enschede",
        "place_room": "Zaal 3",
        "online_url": "",
        "agenda": "- opening\n- casus",
        "preparation": "Neem een casus mee.",
        "max_places": "",
        "repeat": "none",
        "interval": "1",
        "ends": "count",
        "until": "",
        "count": "4",
    }
    data.update(kw)
    return data


# Planning a single meeting ---------------------------------------------------------------------


def test_coordinator_plans_a_meeting_in_local_time(client, login, people):
    circle, coordinator, _member = people
    login(coordinator)
    page = client.get(f"/circles/{circle.id}/meetings/new", headers=EN)
    assert "Plan a meeting" in page.text
    response = client.post(f"/circles/{circle.id}/meetings/new", data=form_data(), headers=EN)
    assert response.status_code == 303
    [meeting] = meetings_of(circle)
    # 19:30 in Amsterdam winter time is 18:30 UTC.
    assert meeting.starts_at == utc(2027, 2, 2, 18, 30)
    assert meeting.ends_at == utc(2027, 2, 2, 20, 0)
    assert (meeting.place_room, meeting.series_id) == ("Zaal 3", None)
    shown = client.get(response.headers["Location"], headers=EN)
    assert "The meeting is planned." in shown.text
    assert "Casusbespreking" in shown.text
    assert "<li>opening</li>" in shown.text
    assert "openstreetmap.org/search?query=Stationsplein%201%2C%20Enschede" in shown.text


def test_form_errors_are_shown_next_to_fields_and_input_kept(client, login, people):
    circle, coordinator, _member = people
    login(coordinator)
    response = client.post(
        f"/circles/{circle.id}/meetings/new",
        data=form_data(title="", end_time="19:00", place_address="",
                       online_url="javascript:alert(1)", preparation="Lees hoofdstuk 2"),
        headers=EN,
    )
    assert response.status_code == 422
    assert 'id="title-error"' in response.text and "Give the meeting a title." in response.text
    assert "The end time must be after the start time." in response.text
    assert "Enter a web address starting with https:// or http://." in response.text
    assert "Lees hoofdstuk 2" in response.text
    assert meetings_of(circle) == []


def test_address_or_link_is_needed(client, login, people):
    circle, coordinator, _member = people
    login(coordinator)
    response = client.post(f"/circles/{circle.id}/meetings/new",
                           data=form_data(place_address=""), headers=EN)
    assert response.status_code == 422
    assert "Give an address, an online link, or both." in response.text
    response = client.post(
        f"/circles/{circle.id}/meetings/new",
        data=form_data(place_address="", online_url="https://meet.jit.si/leerkring"), headers=EN,
    )
    assert response.status_code == 303
    assert meetings_of(circle)[0].online_url == "https://meet.jit.si/leerkring"


def test_a_time_in_the_spring_gap_is_refused(client, login, people):
    circle, coordinator, _member = people
    login(coordinator)
    response = client.post(
        f"/circles/{circle.id}/meetings/new",
        data=form_data(day="2026-03-29", start_time="02:30", end_time="04:00"), headers=EN,
    )
    assert response.status_code == 422
    assert "This time does not exist on that day" in response.text
    assert 'value="02:30"' in response.text


def test_form_in_dutch(client, login, people):
    circle, coordinator, _member = people
    login(coordinator)
    page = client.get(f"/circles/{circle.id}/meetings/new")
    assert page.status_code == 200
    assert "Begintijd" in page.text  # needs the nl catalog


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("member", 403), ("stranger", 404), ("coordinator", 200),
     ("admin", 200)],
)
def test_who_may_plan(client, login, people, who, status):
    circle, coordinator, member = people
    circle.visibility = "members"
    db.session.commit()
    users = {"member": member, "coordinator": coordinator, "admin": make_admin(),
             "stranger": make_user()}
    if who != "anonymous":
        login(users[who])
    response = client.get(f"/circles/{circle.id}/meetings/new", headers=EN)
    assert response.status_code == status
    response = client.post(f"/circles/{circle.id}/meetings/new", data=form_data(), headers=EN)
    assert len(meetings_of(circle)) == (1 if status == 200 else 0)


# Series ----------------------------------------------------------------------------------------


def test_weekly_series_across_both_dst_changes_holds_wall_clock_time(people):
    circle, coordinator, _member = people
    pattern = Pattern(Frequency.WEEKLY, interval=1, weekday=6, until=date(2026, 11, 1))
    series, created, skipped = services.create_series(
        circle, coordinator, pattern, date(2026, 3, 22), time(19, 30), time(21, 0), AMS,
        title="Intervisie", place_address="Markt 1",
    )
    db.session.commit()
    assert skipped == []
    assert len(created) == 33
    locals_ = [recurrence.to_local(m.starts_at, AMS) for m in created]
    assert {local.time() for local in locals_} == {time(19, 30)}
    by_day = {m.occurrence_key[:10]: m for m in created}
    assert by_day["2026-03-22"].starts_at == utc(2026, 3, 22, 18, 30)
    assert by_day["2026-03-29"].starts_at == utc(2026, 3, 29, 17, 30)
    assert by_day["2026-10-25"].starts_at == utc(2026, 10, 25, 18, 30)
    assert by_day["2026-11-01"].starts_at == utc(2026, 11, 1, 18, 30)
    assert all(m.series_id == series.id and m.title == "Intervisie" for m in created)
    assert all(m.ends_at - m.starts_at == timedelta(minutes=90) for m in created)


def test_a_series_at_a_time_that_does_not_exist_skips_that_day_and_says_so(
    client, login, people
):
    circle, coordinator, _member = people
    login(coordinator)
    response = client.post(
        f"/circles/{circle.id}/meetings/new",
        data=form_data(day="2026-03-22", start_time="02:30", end_time="03:30", repeat="weekly",
                       count="3"),
        headers=EN,
    )
    assert response.status_code == 303
    keys = [m.occurrence_key for m in meetings_of(circle)]
    assert keys == ["2026-03-22T02:30", "2026-04-05T02:30"]
    page = client.get(response.headers["Location"], headers=EN)
    assert "The series is planned: 2 meetings." in page.text
    assert "March 29, 2026" in page.text
    assert "there is no meeting then" in page.text


def test_monthly_on_the_last_weekday_from_the_form(client, login, people):
    circle, coordinator, _member = people
    login(coordinator)
    response = client.post(
        f"/circles/{circle.id}/meetings/new",
        data=form_data(day="2026-10-30", repeat="monthly_last", ends="until",
                       until="2027-01-31", count=""),
        headers=EN,
    )
    assert response.status_code == 303
    days = [m.occurrence_key[:10] for m in meetings_of(circle)]
    assert days == ["2026-10-30", "2026-11-27", "2026-12-25", "2027-01-29"]
    series = db.session.execute(sa.select(MeetingSeries)).scalar_one()
    assert series.rrule == "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR;UNTIL=20270131T235959"


def test_monthly_on_a_fifth_weekday_asks_for_the_last(client, login, people):
    circle, coordinator, _member = people
    login(coordinator)
    response = client.post(
        f"/circles/{circle.id}/meetings/new",
        data=form_data(day="2026-10-30", repeat="monthly"), headers=EN,
    )
    assert response.status_code == 422
    assert "the last such weekday" in response.text


def test_series_needs_an_end(client, login, people):
    circle, coordinator, _member = people
    login(coordinator)
    response = client.post(
        f"/circles/{circle.id}/meetings/new",
        data=form_data(repeat="weekly", ends="until", until="2027-01-01"), headers=EN,
    )
    assert response.status_code == 422
    assert "The last date must be after the first meeting&#39;s date." in response.text \
        or "The last date must be after the first meeting's date." in response.text


def test_extend_series_makes_later_occurrences_copying_the_latest(people):
    circle, coordinator, _member = people
    pattern = Pattern(Frequency.WEEKLY, interval=2, weekday=1)
    series, created, _ = services.create_series(
        circle, coordinator, pattern, date(2026, 3, 3), time(10, 0), time(12, 0), AMS,
        title="Reeks", place_address="Markt 1",
    )
    db.session.commit()
    assert series.materialised_until == datetime(2027, 3, 4, 10, 0)
    created[-1].agenda = "Nieuwe agenda"
    db.session.commit()
    more, skipped = services.extend_series(series, datetime(2027, 6, 1))
    db.session.commit()
    assert skipped == []
    assert [m.occurrence_key for m in more][:2] == ["2027-03-16T10:00", "2027-03-30T10:00"]
    assert more[-1].occurrence_key == "2027-05-25T10:00"
    assert {m.agenda for m in more} == {"Nieuwe agenda"}
    # Summer time in 2027 starts on 28 March: 10:00 local is 08:00 UTC after it.
    assert more[0].starts_at == utc(2027, 3, 16, 9, 0)
    assert more[1].starts_at == utc(2027, 3, 30, 8, 0)
    assert series.materialised_until == datetime(2027, 6, 1)
    assert services.extend_series(series, datetime(2027, 5, 1)) == ([], [])
    again, _ = services.extend_series(series, datetime(2027, 6, 1, 12))
    assert again == []


def test_extend_series_respects_the_count(people):
    circle, coordinator, _member = people
    series, created, _ = weekly_series(circle, coordinator, date(2027, 1, 5), count=3)
    more, _ = services.extend_series(series, datetime(2029, 1, 1))
    assert (len(created), more) == (3, [])


# Editing ---------------------------------------------------------------------------------------


def edit_data(meeting, **kw):
    local = recurrence.to_local(meeting.starts_at, meeting.timezone)
    end = recurrence.to_local(meeting.ends_at, meeting.timezone)
    data = {
        "title": meeting.title, "day": local.date().isoformat(),
        "start_time": local.strftime("%H:%M"), "end_time": end.strftime("%H:%M"),
        "place_address": meeting.place_address, "place_room": meeting.place_room,
        "online_url": meeting.online_url, "agenda": meeting.agenda,
        "preparation": meeting.preparation, "max_places": "", "scope": "this",
    }
    data.update(kw)
    return data


def test_edit_this_one_moves_only_it(client, login, people):
    circle, coordinator, _member = people
    series, created, _ = weekly_series(circle, coordinator, date(2027, 3, 21))
    login(coordinator)
    second = created[1]
    form = client.get(f"/meetings/{second.id}/edit", headers=EN)
    assert 'value="19:30"' in form.text and "This meeting only" in form.text
    response = client.post(f"/meetings/{second.id}/edit", headers=EN,
                           data=edit_data(second, day="2027-03-29", start_time="20:00",
                                          end_time="21:30", title="Verplaatst"))
    assert response.status_code == 303
    db.session.refresh(second)
    assert second.is_moved and second.title == "Verplaatst"
    assert recurrence.to_local(second.starts_at, AMS) == datetime(2027, 3, 29, 20, 0)
    assert second.occurrence_key == "2027-03-28T19:30"
    assert second.sequence == 1
    others = [m for m in meetings_of(circle) if m.id != second.id]
    assert {m.title for m in others} == {"Intervisie"}
    assert {m.sequence for m in others} == {0}


def test_edit_all_keeps_a_moved_occurrence_in_place(client, login, people):
    circle, coordinator, _member = people
    series, created, _ = weekly_series(circle, coordinator, date(2027, 3, 21))
    moved = created[2]
    services.update_meeting(
        moved, starts_at=moved.starts_at + timedelta(days=1),
        ends_at=moved.ends_at + timedelta(days=1), title=moved.title,
    )
    db.session.commit()
    moved_start = moved.starts_at
    login(coordinator)
    response = client.post(
        f"/meetings/{created[0].id}/edit", headers=EN,
        data=edit_data(created[0], start_time="20:00", end_time="21:45",
                       place_room="Zaal 2", scope="all"),
    )
    assert response.status_code == 303
    meetings = meetings_of(circle)
    db.session.refresh(moved)
    assert moved.starts_at == moved_start and moved.place_room == "Zaal 2"
    for meeting in meetings:
        assert meeting.place_room == "Zaal 2"
        if meeting.id != moved.id:
            local = recurrence.to_local(meeting.starts_at, AMS)
            assert local.time() == time(20, 0)
            assert meeting.ends_at - meeting.starts_at == timedelta(minutes=105)
    db.session.refresh(series)
    assert (series.start_time, series.duration_minutes) == (time(20, 0), 105)
    # Later occurrences take the new time and details.
    more, _ = services.extend_series(series, datetime(2028, 6, 1))
    assert more == []  # the count of 6 is reached


def test_edit_following_with_a_new_time_splits_the_series(client, login, people):
    circle, coordinator, _member = people
    series, created, _ = weekly_series(circle, coordinator, date(2027, 3, 21), count=6)
    login(coordinator)
    fourth = created[3]
    response = client.post(
        f"/meetings/{fourth.id}/edit", headers=EN,
        data=edit_data(fourth, start_time="18:00", end_time="19:00", scope="following"),
    )
    assert response.status_code == 303
    meetings = meetings_of(circle)
    earlier, later = meetings[:3], meetings[3:]
    assert {recurrence.to_local(m.starts_at, AMS).time() for m in earlier} == {time(19, 30)}
    assert {recurrence.to_local(m.starts_at, AMS).time() for m in later} == {time(18, 0)}
    assert {m.series_id for m in earlier} == {series.id}
    [new_series_id] = {m.series_id for m in later}
    assert new_series_id != series.id
    new_series = db.session.get(MeetingSeries, new_series_id)
    db.session.refresh(series)
    assert series.rrule.endswith("UNTIL=20270410T235959")
    assert new_series.first_day == date(2027, 4, 11)
    assert new_series.start_time == time(18, 0)
    assert new_series.rrule.endswith("UNTIL=20270425T235959")
    assert services.extend_series(new_series, datetime(2028, 1, 1)) == ([], [])


def test_edit_following_without_a_new_time_changes_details_only_from_there(
    client, login, people
):
    circle, coordinator, _member = people
    series, created, _ = weekly_series(circle, coordinator, date(2027, 3, 21), count=4)
    login(coordinator)
    response = client.post(
        f"/meetings/{created[2].id}/edit", headers=EN,
        data=edit_data(created[2], agenda="Nieuw", scope="following"),
    )
    assert response.status_code == 303
    assert [m.agenda for m in meetings_of(circle)] == ["", "", "Nieuw", "Nieuw"]
    assert {m.series_id for m in meetings_of(circle)} == {series.id}


def test_a_series_keeps_its_days(client, login, people):
    circle, coordinator, _member = people
    _series, created, _ = weekly_series(circle, coordinator, date(2027, 3, 21))
    login(coordinator)
    response = client.post(f"/meetings/{created[0].id}/edit", headers=EN,
                           data=edit_data(created[0], day="2027-03-22", scope="all"))
    assert response.status_code == 422
    assert "A series keeps its days." in response.text


def test_edit_errors_keep_input(client, login, people):
    circle, coordinator, _member = people
    meeting = plan(circle, coordinator)
    login(coordinator)
    response = client.post(f"/meetings/{meeting.id}/edit", headers=EN,
                           data=edit_data(meeting, title="", agenda="Mijn agenda",
                                          max_places="veel"))
    assert response.status_code == 422
    assert "Give the meeting a title." in response.text
    assert "Enter a whole number" in response.text
    assert "Mijn agenda" in response.text
    assert "Apply to" not in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("member", 403), ("stranger", 404), ("coordinator", 200),
     ("admin", 200)],
)
def test_who_may_edit_and_cancel(client, login, people, who, status):
    circle, coordinator, member = people
    circle.visibility = "members"
    db.session.commit()
    meeting = plan(circle, coordinator)
    users = {"member": member, "coordinator": coordinator, "admin": make_admin(),
             "stranger": make_user()}
    if who != "anonymous":
        login(users[who])
    assert client.get(f"/meetings/{meeting.id}/edit", headers=EN).status_code == status
    assert client.get(f"/meetings/{meeting.id}/cancel", headers=EN).status_code == status
    client.post(f"/meetings/{meeting.id}/cancel", data={"scope": "this"}, headers=EN)
    db.session.refresh(meeting)
    assert meeting.is_cancelled == (status == 200)


# Notices ---------------------------------------------------------------------------------------


def test_a_new_time_notifies_those_who_answered_yes_or_maybe(client, login, people):
    circle, coordinator, member = people
    maybe, no = make_user(), make_user()
    for user in (maybe, no):
        add_member(circle, user)
    meeting = plan(circle, coordinator, start=utc(2027, 5, 4, 17, 30))
    answer(meeting, member, Answer.YES)
    answer(meeting, maybe, Answer.MAYBE)
    answer(meeting, no, Answer.NO)
    login(coordinator)
    client.post(f"/meetings/{meeting.id}/edit", headers=EN,
                data=edit_data(meeting, agenda="Alleen de agenda"))
    db.session.refresh(meeting)
    assert meeting.sequence == 1
    deliver_before(meeting)
    assert notices(member) == []
    client.post(f"/meetings/{meeting.id}/edit", headers=EN,
                data=edit_data(meeting, start_time="20:00", end_time="22:00"))
    db.session.refresh(meeting)
    assert meeting.sequence == 2
    deliver_before(meeting)
    assert [n.kind for n in notices(member)] == ["meeting_changed"]
    assert [n.kind for n in notices(maybe)] == ["meeting_changed"]
    assert notices(no) == []
    client.post(f"/meetings/{meeting.id}/edit", headers=EN,
                data=edit_data(meeting, place_address="Elders 2"))
    deliver_before(meeting)
    assert len(notices(member)) == 2


def test_cancelling_notifies_and_keeps_the_row(client, login, people):
    circle, coordinator, member = people
    meeting = plan(circle, coordinator, start=utc(2027, 5, 4, 17, 30))
    answer(meeting, member, Answer.YES)
    login(coordinator)
    page = client.get(f"/meetings/{meeting.id}/cancel", headers=EN)
    assert "This meeting only" not in page.text
    response = client.post(f"/meetings/{meeting.id}/cancel", data={}, headers=EN)
    assert response.status_code == 303
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 1
    deliver_before(meeting)
    [notice] = notices(member)
    assert notice.kind == "meeting_cancelled"
    assert notice.params["title"] == "Casusbespreking"
    assert notice.params["day"] == "dinsdag 4 mei 2027"
    shown = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert "This meeting is cancelled." in shown.text
    assert "Edit meeting" not in shown.text
    assert client.get(f"/meetings/{meeting.id}/edit", headers=EN).status_code == 403


def test_cancel_this_following_and_all_in_a_series(client, login, people):
    circle, coordinator, _member = people
    series, created, _ = weekly_series(circle, coordinator, date(2027, 3, 21), count=8)
    login(coordinator)
    client.post(f"/meetings/{created[1].id}/cancel", data={"scope": "this"}, headers=EN)
    client.post(f"/meetings/{created[5].id}/cancel", data={"scope": "following"}, headers=EN)
    statuses = [m.status.value for m in meetings_of(circle)]
    assert statuses == ["scheduled", "cancelled", "scheduled", "scheduled", "scheduled",
                        "cancelled", "cancelled", "cancelled"]
    db.session.refresh(series)
    assert "UNTIL=20270424T235959" in series.rrule and "COUNT" not in series.rrule
    client.post(f"/meetings/{created[2].id}/cancel", data={"scope": "all"}, headers=EN)
    assert {m.status for m in meetings_of(circle)} == {MeetingStatus.CANCELLED}
    assert len(meetings_of(circle)) == 8
    assert services.extend_series(series, datetime(2028, 6, 1)) == ([], [])


# The meeting page ------------------------------------------------------------------------------


def test_join_online_shows_in_the_window_and_records_it(client, login, people):
    circle, coordinator, member = people
    soon = datetime.now(UTC) + timedelta(minutes=10)
    meeting = plan(circle, coordinator, start=soon, online_url="https://meet.jit.si/kring")
    later = plan(circle, coordinator, start=soon + timedelta(days=2),
                 online_url="https://meet.jit.si/kring")
    login(member)
    page = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert "Join online" in page.text
    assert "Join online" not in client.get(f"/meetings/{later.id}", headers=EN).text
    response = client.post(f"/meetings/{meeting.id}/join-online", headers=EN)
    assert response.status_code == 303
    assert response.headers["Location"] == "https://meet.jit.si/kring"
    rsvp = db.session.execute(sa.select(Rsvp).filter_by(meeting_id=meeting.id)).scalar_one()
    assert rsvp.user_id == member.id and rsvp.joined_online_at is not None
    too_early = client.post(f"/meetings/{later.id}/join-online", headers=EN)
    assert too_early.headers["Location"].endswith(f"/meetings/{later.id}")
    assert db.session.execute(sa.select(Rsvp).filter_by(meeting_id=later.id)).scalar() is None


def test_join_online_is_for_members(client, login, people):
    circle, coordinator, _member = people
    meeting = plan(circle, coordinator, start=datetime.now(UTC) + timedelta(minutes=5),
                   online_url="https://meet.jit.si/kring")
    login(make_user())
    assert client.post(f"/meetings/{meeting.id}/join-online").status_code == 403


def test_meeting_page_for_members_and_coordinators(client, login, people):
    circle, coordinator, member = people
    meeting = plan(circle, coordinator, start=utc(2027, 5, 4, 17, 30),
                   agenda="**Welkom** <script>x</script>", preparation="Lees *dit*",
                   place_room="Zaal 3")
    login(member)
    page = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert "<strong>Welkom</strong>" in page.text and "<script>x" not in page.text
    assert "<em>dit</em>" in page.text and "Room: Zaal 3" in page.text
    assert "7:30" in page.text  # 17:30 UTC in the viewer's zone (Amsterdam summer time)
    assert "Edit meeting" not in page.text
    client.post("/account/logout")
    login(coordinator)
    page = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert f"/meetings/{meeting.id}/edit" in page.text
    assert f"/meetings/{meeting.id}/cancel" in page.text
    dutch = client.get(f"/meetings/{meeting.id}")
    assert "Bijeenkomst wijzigen" in dutch.text  # needs the nl catalog


def add_meetings(circle, start, first, last):
    db.session.add_all(
        Meeting(circle_id=circle.id, title=f"M{i}", starts_at=start + timedelta(days=i),
                ends_at=start + timedelta(days=i, hours=1), timezone=AMS)
        for i in range(first, last)
    )
    db.session.commit()


def test_meeting_page_query_count_is_fixed_with_10_and_300_meetings(
    client, login, people, count_queries
):
    circle, coordinator, member = people
    start = datetime.now(UTC) + timedelta(days=3)
    meeting = plan(circle, coordinator, start=start)
    login(member)
    counts = []
    for first, last in ((1, 10), (10, 300)):
        add_meetings(circle, start, first, last)
        with count_queries() as counter:
            page = client.get(f"/meetings/{meeting.id}", headers=EN)
        assert "Casusbespreking" in page.text
        counts.append(counter.count)
    assert counts[0] == counts[1]


# The Werkplaats page ---------------------------------------------------------------------------


def test_werkplaats_page_lists_upcoming_visible_meetings(client, login, people, count_queries):
    circle, coordinator, member = people
    outsider = make_user()
    hidden = make_circle(coordinator=outsider, visibility="members", name="Besloten kring")
    soon = datetime.now(UTC) + timedelta(days=2)
    plan(circle, coordinator, start=soon, title="Open bijeenkomst")
    plan(hidden, outsider, start=soon, title="Geheime bijeenkomst")
    gone = plan(circle, coordinator, start=soon, title="Afgelaste bijeenkomst")
    services.cancel_meeting(gone)
    db.session.commit()
    login(member)
    page = client.get("/werkplaatsen/twente", headers=EN)
    assert "Open bijeenkomst" in page.text
    assert "Geheime bijeenkomst" not in page.text
    assert "Afgelaste bijeenkomst" not in page.text
    with count_queries() as few:
        client.get("/werkplaatsen/twente", headers=EN)
    for i in range(20):
        plan(circle, coordinator, start=soon + timedelta(days=i), title=f"Extra {i}")
    with count_queries() as many:
        page = client.get("/werkplaatsen/twente", headers=EN)
    assert few.count == many.count
    assert page.text.count("/meetings/") <= 5 + 1



def test_werkplaats_page_shows_no_meetings_to_anonymous_visitors(client, people):
    circle, coordinator, _member = people
    plan(circle, coordinator, title="Open bijeenkomst")
    page = client.get("/werkplaatsen/twente", headers=EN)
    assert page.status_code == 200
    assert "Open bijeenkomst" not in page.text
    assert "No meetings are planned yet." in page.text


def test_create_meeting_and_series_services(people):
    circle, coordinator, _member = people
    meeting = services.create_meeting(
        circle, coordinator, title="Eenmalig", starts_at=utc(2027, 1, 5, 18),
        ends_at=utc(2027, 1, 5, 20), timezone=AMS, online_url="https://meet.jit.si/x",
    )
    assert (meeting.id is not None, meeting.place_address, meeting.max_places) == (True, "", None)
    pattern = Pattern(Frequency.MONTHLY, interval=2, weekday=1, nth=2, count=3)
    series, created, skipped = services.create_series(
        circle, coordinator, pattern, date(2027, 1, 12), time(15, 0), time(16, 30), AMS,
        title="Om de twee maanden", max_places=8,
    )
    assert [m.occurrence_key for m in created] == [
        "2027-01-12T15:00", "2027-03-09T15:00", "2027-05-11T15:00"
    ]
    assert {m.max_places for m in created} == {8} and skipped == []
    assert series.duration_minutes == 90


def test_more_places_go_to_the_waitlist_at_once(app, people):
    circle, coordinator, member = people
    meeting = plan(circle, coordinator, max_places=1)
    other = make_user(name="Wachtende Wim")
    add_member(circle, other)
    rsvp.answer(meeting, member, Answer.YES)
    waiting = rsvp.answer(meeting, other, Answer.YES)
    db.session.commit()
    assert waiting.waitlisted_at is not None

    services.update_meeting(
        meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at, max_places=2
    )
    db.session.commit()

    assert waiting.has_place and waiting.waitlisted_at is None
    deliver_before(meeting)
    assert [n.kind for n in notices(other)] == ["waitlist_place"]

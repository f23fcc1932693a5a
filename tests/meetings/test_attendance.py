"""Checking in, ticking presence, attendance overviews and CSV."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from leerkring.circles.models import Visibility
from leerkring.extensions import db
from leerkring.meetings.models import Attendance, CheckInMethod
from tests import factories as f

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true", "Accept-Language": "en"}


@pytest.fixture
def people(app):
    coordinator = f.make_user(name="Carla Coördinator")
    member = f.make_user(name="Mo Lid")
    other = f.make_user(name="Otto Ander")
    circle = f.make_circle(coordinator, members=[member, other], visibility=Visibility.MEMBERS)
    outsider = f.make_user(name="Buiten Staander")
    f.make_circle(f.make_user(), members=[outsider])
    now = datetime.now(UTC)
    running = f.make_meeting(circle, starts_at=now - timedelta(minutes=10),
                             ends_at=now + timedelta(minutes=80), title="Casusoverleg")
    later = f.make_meeting(circle, starts_at=now + timedelta(days=3), title="Later")
    return dict(coordinator=coordinator, member=member, other=other, circle=circle,
                outsider=outsider, running=running, later=later)


@pytest.fixture
def login(client, login):
    """Signs out whoever is signed in first, so a test can switch users."""

    def sign_in(user):
        client.post("/account/logout")
        return login(user)

    return sign_in


def rows(meeting):
    return {
        a.user_id: a
        for a in db.session.execute(db.select(Attendance).filter_by(meeting_id=meeting.id))
        .scalars()
    }


class TestCheckIn:
    def test_a_member_checks_in_with_the_button_during_the_meeting(self, client, login, people):
        login(people["member"])
        url = f"/meetings/{people['running'].id}"
        assert "Check in: I am here" in client.get(url, headers=EN).text
        response = client.post(f"{url}/checkin")
        assert response.status_code == 303
        mark = rows(people["running"])[people["member"].id]
        assert mark.is_present and mark.method == CheckInMethod.BUTTON
        page = client.get(url, headers=EN).text
        assert "You are checked in." in page
        assert "Check in: I am here" not in page

    def test_checking_in_as_a_fragment(self, client, login, people):
        login(people["member"])
        response = client.post(f"/meetings/{people['running'].id}/checkin", headers=HTMX)
        assert "<html" not in response.text
        assert 'id="meeting-attendance"' in response.text
        assert "You are checked in." in response.text
        assert 'hx-swap-oob="true"' in response.text

    def test_not_outside_the_window(self, client, login, people):
        login(people["member"])
        url = f"/meetings/{people['later'].id}"
        page = client.get(url, headers=EN).text
        assert "Check in: I am here" not in page
        assert "You can check in from 30 minutes before the start" in page
        response = client.post(f"{url}/checkin", headers=EN)
        assert response.status_code == 303
        assert rows(people["later"]) == {}
        assert "Checking in is possible from 30 minutes" in client.get(url, headers=EN).text

    def test_the_window_opens_half_an_hour_before_and_closes_two_hours_after(self, app, people):
        from leerkring.meetings.presence import window_open

        meeting = people["later"]
        assert not window_open(meeting, meeting.starts_at - timedelta(minutes=31))
        assert window_open(meeting, meeting.starts_at - timedelta(minutes=30))
        assert window_open(meeting, meeting.ends_at + timedelta(hours=2))
        assert not window_open(meeting, meeting.ends_at + timedelta(hours=2, seconds=1))

    def test_the_coordinator_shows_a_code_and_a_qr_code(self, client, login, people):
        login(people["coordinator"])
        meeting = people["running"]
        page = client.get(f"/meetings/{meeting.id}/checkin-code", headers=EN).text
        db.session.refresh(meeting)
        code = meeting.checkin_code
        assert len(code) == 6 and not set(code) & set("0O1IL5S2Z8B")
        assert f'class="checkin-code" aria-label="Check-in code">{code}<' in page
        assert '<svg role="img"' in page and 'class="qr-code"' in page
        assert "style=" not in page
        assert f"/meetings/{meeting.id}/checkin?code={code}" in page
        # The same code stays on screen.
        client.get(f"/meetings/{meeting.id}/checkin-code")
        db.session.refresh(meeting)
        assert meeting.checkin_code == code

    def test_a_member_checks_in_with_the_code(self, client, login, people):
        meeting = people["running"]
        meeting.checkin_code = "ACDEFG"
        db.session.commit()
        login(people["member"])
        form = client.get(f"/meetings/{meeting.id}/checkin?code=ACDEFG", headers=EN).text
        assert 'value="ACDEFG"' in form
        response = client.post(f"/meetings/{meeting.id}/checkin", data={"code": "acd efg"})
        assert response.status_code == 303
        assert rows(meeting)[people["member"].id].method == CheckInMethod.CODE

    def test_the_qr_link_survives_logging_in(self, client, people):
        url = f"/meetings/{people['running'].id}/checkin?code=ACDEFG"
        location = client.get(url).headers["Location"]
        assert location.startswith("/account/login?next=")
        assert "ACDEFG" in location

    def test_a_wrong_code_is_refused_and_kept(self, client, login, people):
        meeting = people["running"]
        meeting.checkin_code = "ACDEFG"
        db.session.commit()
        login(people["member"])
        response = client.post(f"/meetings/{meeting.id}/checkin", data={"code": "XXXXXX"},
                               headers=EN)
        assert response.status_code == 422
        assert "That code is not right" in response.text
        assert 'value="XXXXXX"' in response.text
        empty = client.post(f"/meetings/{meeting.id}/checkin", data={"code": ""}, headers=EN)
        assert empty.status_code == 422
        assert "Enter the code shown on the screen." in empty.text
        assert rows(meeting) == {}

    def test_the_code_only_works_in_the_window(self, client, login, people):
        meeting = people["later"]
        meeting.checkin_code = "ACDEFG"
        db.session.commit()
        login(people["member"])
        response = client.post(f"/meetings/{meeting.id}/checkin", data={"code": "ACDEFG"},
                               headers=EN)
        assert response.status_code == 422
        assert "You can check in from 30 minutes" in response.text
        assert rows(meeting) == {}

    def test_access(self, client, login, people):
        meeting = people["running"]
        url = f"/meetings/{meeting.id}/checkin"
        assert client.post(url).headers["Location"].startswith("/account/login")
        login(people["outsider"])
        assert client.post(url).status_code == 404
        assert client.get(f"/meetings/{meeting.id}/checkin-code").status_code == 404
        login(people["member"])
        assert client.get(f"/meetings/{meeting.id}/checkin-code").status_code == 403
        login(f.make_admin())
        assert client.get(f"/meetings/{meeting.id}/checkin-code").status_code == 200
        assert client.post(url).status_code == 403  # admins oversee, they do not attend


class TestCoordinatorList:
    def test_the_coordinator_ticks_and_corrects(self, client, login, people):
        meeting, member = people["running"], people["member"]
        login(people["coordinator"])
        page = client.get(f"/meetings/{meeting.id}/attendance", headers=EN).text
        assert "Mark Mo Lid present" in page and "Mark Otto Ander present" in page
        url = f"/meetings/{meeting.id}/attendance/{member.id}"
        assert client.post(url, data={"present": "1"}).status_code == 303
        mark = rows(meeting)[member.id]
        assert mark.is_present and mark.method == CheckInMethod.COORDINATOR
        assert mark.marked_by_id == people["coordinator"].id
        client.post(url, data={"present": "0"})
        db.session.expire_all()
        assert not rows(meeting)[member.id].is_present
        page = client.get(f"/meetings/{meeting.id}/attendance", headers=EN).text
        assert "Mark Mo Lid present" in page

    def test_ticking_as_a_fragment(self, client, login, people):
        meeting, member = people["running"], people["member"]
        login(people["coordinator"])
        response = client.post(f"/meetings/{meeting.id}/attendance/{member.id}",
                               data={"present": "1"}, headers=HTMX)
        assert "<html" not in response.text
        assert f'id="attendance-{member.id}"' in response.text
        assert "Mark Mo Lid absent" in response.text
        assert "Mo Lid is marked present." in response.text

    def test_the_list_page_and_its_access(self, client, login, people):
        url = f"/meetings/{people['running'].id}/attendance"
        assert client.get(url).headers["Location"].startswith("/account/login")
        login(people["outsider"])
        assert client.get(url).status_code == 404
        login(people["member"])
        assert client.get(url).status_code == 403
        assert client.post(f"{url}/{people['other'].id}", data={"present": "1"}).status_code == 403
        login(f.make_admin())
        assert "<html" in client.get(url).text

    def test_only_members_can_be_ticked(self, client, login, people):
        login(people["coordinator"])
        url = f"/meetings/{people['running'].id}/attendance/{people['outsider'].id}"
        assert client.post(url, data={"present": "1"}).status_code == 404

    def test_csv_has_names_and_presence(self, client, login, people):
        meeting = people["running"]
        login(people["member"])
        client.post(f"/meetings/{meeting.id}/checkin")
        login(people["coordinator"])
        response = client.get(f"/meetings/{meeting.id}/attendance.csv", headers=EN)
        assert response.mimetype == "text/csv"
        table = list(csv.reader(io.StringIO(response.text)))
        assert table[0] == ["Name", "Attendance"]
        assert sorted(table[1:]) == [
            ["Carla Coördinator", "absent"], ["Mo Lid", "present"], ["Otto Ander", "absent"],
        ]
        assert "Casusoverleg" not in response.text


class TestCircleOverview:
    def test_members_by_meetings(self, client, login, people):
        login(people["member"])
        client.post(f"/meetings/{people['running'].id}/checkin")
        login(people["coordinator"])
        page = client.get(f"/circles/{people['circle'].id}/attendance", headers=EN).text
        assert "Mo Lid" in page and "Otto Ander" in page
        assert page.count("present</span>") == 1
        table = list(csv.reader(io.StringIO(
            client.get(f"/circles/{people['circle'].id}/attendance.csv", headers=EN).text
        )))
        assert table[0][:2] == ["Meeting", "Date"]
        column = table[0].index("Mo Lid")
        by_title = {row[0]: row for row in table[1:]}
        assert by_title["Casusoverleg"][column] == "present"
        assert by_title["Later"][column] == "absent"

    def test_access(self, client, login, people):
        url = f"/circles/{people['circle'].id}/attendance"
        assert client.get(url).headers["Location"].startswith("/account/login")
        login(people["outsider"])
        assert client.get(url).status_code == 404
        login(people["member"])
        assert client.get(url).status_code == 403
        assert client.get(f"{url}.csv").status_code == 403
        login(f.make_admin())
        assert "Mo Lid" in client.get(url).text

    def test_paginated_with_a_fixed_number_of_queries(self, client, login, people,
                                                     count_queries, app):
        circle = people["circle"]
        login(people["coordinator"])
        url = f"/circles/{circle.id}/attendance"
        with count_queries() as few:
            client.get(url)
        start = datetime.now(UTC) - timedelta(days=400)
        for n in range(40):
            meeting = f.make_meeting(circle, starts_at=start + timedelta(days=7 * n))
            for user in (people["member"], people["other"]):
                db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id,
                                          method=CheckInMethod.BUTTON))
        for _n in range(20):
            f.add_member(circle, f.make_user())
        db.session.commit()
        with count_queries() as many:
            page = client.get(url, headers=EN).text
        assert few.count == many.count
        assert "Page 1 of" in page


class TestMeetingPage:
    def test_a_member_sees_no_coordinator_links(self, client, login, people):
        login(people["member"])
        page = client.get(f"/meetings/{people['running'].id}", headers=EN).text
        assert "Show the check-in code" not in page
        login(people["coordinator"])
        page = client.get(f"/meetings/{people['running'].id}", headers=EN).text
        assert "Show the check-in code" in page and "0 people checked in." in page

    def test_in_dutch(self, client, login, people):
        login(people["member"])
        page = client.get(f"/meetings/{people['running'].id}").text
        assert "Inchecken: ik ben er" in page  # needs the nl catalog

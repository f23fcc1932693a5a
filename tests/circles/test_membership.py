"""Joining, requesting, leaving, and what coordinators do with members."""

from datetime import UTC, datetime

import pytest

from leerkring.extensions import db
from leerkring.models import Circle, CircleRole, JoinRequest
from tests import factories as f
from tests.circles.helpers import ENGLISH, field_error, membership


def follow(client, response):
    assert response.status_code == 303
    return client.get(response.headers["Location"])


class TestJoin:
    def test_an_open_circle_takes_you_in_at_once(self, client, login):
        circle = f.make_circle(coordinator=f.make_user())
        user = f.make_user()
        login(user)
        page = follow(client, client.post(f"/circles/{circle.id}/join"))
        assert "Welkom! Je doet nu mee met deze leerkring." in page.text
        assert membership(circle, user).role == CircleRole.MEMBER
        assert db.session.get(Circle, circle.id).member_count == 2

    def test_a_full_circle_refuses_politely(self, client, login):
        circle = f.make_circle(coordinator=f.make_user(), max_members=2, members=[f.make_user()])
        user = f.make_user()
        login(user)
        page = follow(client, client.post(f"/circles/{circle.id}/join"))
        assert "Deze leerkring is vol: alle plekken zijn bezet." in page.text
        assert membership(circle, user) is None

    def test_a_full_circle_refuses_in_english_too(self, client, login):
        circle = f.make_circle(coordinator=f.make_user(), max_members=2, members=[f.make_user()])
        login(f.make_user())
        response = client.post(f"/circles/{circle.id}/join", headers=ENGLISH,
                               follow_redirects=True)
        assert "This circle is full: every place is taken." in response.text

    @pytest.mark.parametrize("join_mode", ["request", "invitation"])
    def test_other_join_modes_cannot_be_joined_directly(self, client, login, join_mode):
        circle = f.make_circle(coordinator=f.make_user(), join_mode=join_mode)
        user = f.make_user()
        login(user)
        assert client.post(f"/circles/{circle.id}/join").status_code == 403
        assert membership(circle, user) is None

    def test_a_members_only_circle_is_404_to_outsiders(self, client, login):
        circle = f.make_circle(coordinator=f.make_user(), visibility="members")
        login(f.make_user())
        assert client.post(f"/circles/{circle.id}/join").status_code == 404

    def test_anonymous_posts_go_to_the_login_page(self, client):
        circle = f.make_circle()
        response = client.post(f"/circles/{circle.id}/join")
        assert response.headers["Location"].startswith("/account/login")


class TestRequest:
    @pytest.fixture
    def circle(self, app):
        return f.make_circle(name="Ervaringskring", coordinator=f.make_user(), join_mode="request")

    def test_ask_to_join_with_a_message_then_withdraw(self, client, login, circle):
        user = f.make_user()
        login(user)
        page = follow(client, client.post(f"/circles/{circle.id}/request",
                                          data={"message": "Ik ben ervaringsdeskundige."}))
        assert "Je aanvraag is verstuurd." in page.text
        assert "Je aanvraag wacht op een coördinator." in page.text
        join_request = db.session.execute(db.select(JoinRequest)).scalar_one()
        assert (join_request.user_id, join_request.message, join_request.status) == (
            user.id, "Ik ben ervaringsdeskundige.", "pending")
        assert membership(circle, user) is None

        page = follow(client, client.post(f"/circles/{circle.id}/request/withdraw"))
        assert "Je aanvraag is ingetrokken." in page.text
        assert db.session.execute(db.select(JoinRequest)).first() is None

    def test_a_too_long_message_is_shown_next_to_the_field_and_kept(self, client, login, circle):
        login(f.make_user())
        response = client.post(f"/circles/{circle.id}/request", data={"message": "x" * 1001})
        assert response.status_code == 422
        assert field_error(response, "message") == "Gebruik maximaal 1000 tekens."
        assert "x" * 1001 + "</textarea>" in response.text
        assert db.session.execute(db.select(JoinRequest)).first() is None

    def test_a_full_circle_takes_no_requests(self, client, login, circle):
        circle.max_members = 1
        db.session.commit()
        login(f.make_user())
        page = follow(client, client.post(f"/circles/{circle.id}/request", data={}))
        assert "Deze leerkring is vol" in page.text
        assert db.session.execute(db.select(JoinRequest)).first() is None

    def test_an_open_circle_takes_no_requests(self, client, login):
        circle = f.make_circle(coordinator=f.make_user())
        login(f.make_user())
        assert client.post(f"/circles/{circle.id}/request", data={}).status_code == 403


class TestLeave:
    def test_a_member_leaves(self, client, login):
        member = f.make_user()
        circle = f.make_circle(coordinator=f.make_user(), members=[member])
        login(member)
        page = follow(client, client.post(f"/circles/{circle.id}/leave"))
        assert "Je hebt de leerkring verlaten." in page.text
        assert membership(circle, member) is None
        assert db.session.get(Circle, circle.id).member_count == 1

    def test_the_last_coordinator_cannot_leave_while_others_remain(self, client, login):
        coordinator = f.make_user()
        circle = f.make_circle(coordinator=coordinator, members=[f.make_user()])
        login(coordinator)
        assert "Je bent de enige coördinator" in client.get(f"/circles/{circle.id}").text
        page = follow(client, client.post(f"/circles/{circle.id}/leave"))
        assert "Een leerkring heeft een coördinator nodig." in page.text
        assert membership(circle, coordinator) is not None

    def test_a_coordinator_leaves_when_another_remains(self, client, login):
        first, second = f.make_user(), f.make_user()
        circle = f.make_circle(coordinator=first, members=[f.make_user()])
        f.add_member(circle, second, role=CircleRole.COORDINATOR)
        login(first)
        follow(client, client.post(f"/circles/{circle.id}/leave"))
        assert membership(circle, first) is None

    def test_outsiders_cannot_leave(self, client, login):
        circle = f.make_circle(coordinator=f.make_user())
        login(f.make_user())
        assert client.post(f"/circles/{circle.id}/leave").status_code == 403


class TestCoordinators:
    @pytest.fixture
    def circle(self, app):
        return f.make_circle(
            coordinator=f.make_user(name="Carla"),
            members=[f.make_user(name="Mo"), f.make_user(name="Noor")],
        )

    def people(self, circle):
        return {m.user.name: m for m in circle.memberships}

    def test_make_a_member_co_coordinator_then_step_down(self, client, login, circle):
        carla, mo = self.people(circle)["Carla"], self.people(circle)["Mo"]
        login(carla.user)
        page = follow(client, client.post(
            f"/circles/{circle.id}/members/{mo.id}/coordinator",
            data={"next": f"/circles/{circle.id}/members"},
        ))
        assert "Mo is nu ook coördinator." in page.text
        assert "Deelnemers van" in page.text  # back where the coordinator was
        db.session.refresh(mo)
        assert mo.role == CircleRole.COORDINATOR

        page = follow(client, client.post(f"/circles/{circle.id}/step-down"))
        assert "Je bent weer deelnemer" in page.text
        db.session.refresh(carla)
        assert carla.role == CircleRole.MEMBER

    def test_the_only_coordinator_cannot_step_down(self, client, login, circle):
        login(self.people(circle)["Carla"].user)
        page = follow(client, client.post(f"/circles/{circle.id}/step-down"))
        assert "Een leerkring heeft een coördinator nodig." in page.text

    def test_remove_a_member(self, client, login, circle):
        mo = self.people(circle)["Mo"]
        mo_id, mo_user = mo.id, mo.user
        login(self.people(circle)["Carla"].user)
        page = follow(client, client.post(f"/circles/{circle.id}/members/{mo_id}/remove"))
        assert "Mo doet niet meer mee." in page.text
        assert membership(circle, mo_user) is None
        assert db.session.get(Circle, circle.id).member_count == 2

    def test_a_coordinator_does_not_remove_themselves(self, client, login, circle):
        carla = self.people(circle)["Carla"]
        login(carla.user)
        assert client.post(f"/circles/{circle.id}/members/{carla.id}/remove").status_code == 403

    def test_an_admin_cannot_remove_the_last_coordinator(self, client, login, circle):
        carla = self.people(circle)["Carla"]
        login(f.make_admin())
        page = follow(client, client.post(f"/circles/{circle.id}/members/{carla.id}/remove"))
        assert "Een leerkring heeft een coördinator nodig." in page.text
        assert membership(circle, carla.user) is not None

    @pytest.mark.parametrize("who", ["member", "other_circle_member", "other_werkplaats_admin"])
    def test_others_may_not_coordinate(self, client, login, circle, who):
        noor = self.people(circle)["Noor"]
        user = {
            "member": lambda: self.people(circle)["Mo"].user,
            "other_circle_member": lambda: f.make_circle(members=[f.make_user()]).memberships[
                0].user,
            "other_werkplaats_admin": lambda: f.make_werkplaats_admin("zuyd"),
        }[who]()
        login(user)
        for action in ("coordinator", "remove"):
            url = f"/circles/{circle.id}/members/{noor.id}/{action}"
            assert client.post(url).status_code == 403
        assert client.post(f"/circles/{circle.id}/archive").status_code == 403
        db.session.refresh(noor)
        assert noor.role == CircleRole.MEMBER

    @pytest.mark.parametrize("who", ["werkplaats_admin", "association_admin"])
    def test_admins_coordinate_every_circle_of_their_werkplaats(self, client, login, circle, who):
        noor = self.people(circle)["Noor"]
        login(f.make_werkplaats_admin("twente") if who == "werkplaats_admin" else f.make_admin())
        follow(client, client.post(f"/circles/{circle.id}/members/{noor.id}/coordinator"))
        db.session.refresh(noor)
        assert noor.role == CircleRole.COORDINATOR

    def test_a_membership_of_another_circle_is_404(self, client, login, circle):
        stranger = f.make_circle(members=[f.make_user()]).memberships[0]
        login(self.people(circle)["Carla"].user)
        url = f"/circles/{circle.id}/members/{stranger.id}/remove"
        assert client.post(url).status_code == 404


class TestArchive:
    def test_archive_hides_the_circle_and_makes_it_read_only_until_reopened(self, client, login):
        coordinator, member = f.make_user(), f.make_user()
        circle = f.make_circle(name="Afgeronde kring", coordinator=coordinator, members=[member])
        login(coordinator)
        page = follow(client, client.post(f"/circles/{circle.id}/archive"))
        assert "De leerkring is gearchiveerd" in page.text
        assert "Leerkring heropenen" in page.text
        assert "Leerkring bewerken" not in page.text
        assert db.session.get(Circle, circle.id).archived_at is not None
        assert "Afgeronde kring" not in client.get("/circles/").text
        assert client.get(f"/circles/{circle.id}/edit").status_code == 403
        assert client.get(f"/circles/{circle.id}/invite").status_code == 403

        client.post("/account/logout")
        login(f.make_user())
        assert client.get(f"/circles/{circle.id}").status_code == 404

        client.post("/account/logout")
        login(coordinator)
        page = follow(client, client.post(f"/circles/{circle.id}/reopen"))
        assert "De leerkring is weer open." in page.text
        assert "Afgeronde kring" in client.get("/circles/").text

    def test_members_cannot_reopen(self, client, login):
        member = f.make_user()
        circle = f.make_circle(coordinator=f.make_user(), members=[member],
                               archived_at=datetime.now(UTC))
        login(member)
        assert client.post(f"/circles/{circle.id}/reopen").status_code == 403
        assert client.post(f"/circles/{circle.id}/leave").status_code == 403

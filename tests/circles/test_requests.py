"""Coordinators decide on requests to join, in place with htmx or as plain forms."""

import pytest

from leerkring.extensions import db
from leerkring.models import Circle, JoinRequest, Notification
from tests import factories as f
from tests.circles.helpers import HTMX, is_page, membership


@pytest.fixture
def setting(app):
    coordinator = f.make_user(name="Carla")
    requester = f.make_user(name="Vera")
    circle = f.make_circle(name="Armoede Twente", coordinator=coordinator, join_mode="request")
    join_request = f.make_join_request(circle, requester, "Ik wil graag leren.")
    return circle, coordinator, requester, join_request


def notices(user):
    return db.session.execute(db.select(Notification).filter_by(user_id=user.id)).scalars().all()


def test_requests_page_and_fragment(client, login, setting):
    circle, coordinator, _requester, _join_request = setting
    login(coordinator)
    page = client.get(f"/circles/{circle.id}/requests")
    assert is_page(page) and "Aanvragen voor Armoede Twente" in page.text
    assert "Vera" in page.text and "Ik wil graag leren." in page.text
    fragment = client.get(f"/circles/{circle.id}/requests", headers=HTMX)
    assert not is_page(fragment)
    assert 'id="join-requests"' in fragment.text and "Vera" in fragment.text


@pytest.mark.parametrize("who, status", [("member", 403), ("outsider", 403),
                                         ("werkplaats_admin", 200), ("admin", 200)])
def test_who_sees_the_requests(client, login, setting, who, status):
    circle = setting[0]
    user = {
        "member": lambda: f.add_member(circle, f.make_user()).user,
        "outsider": f.make_user,
        "werkplaats_admin": lambda: f.make_werkplaats_admin("twente"),
        "admin": f.make_admin,
    }[who]()
    login(user)
    assert client.get(f"/circles/{circle.id}/requests").status_code == status


def test_approve_in_place_with_htmx_and_notify_the_requester(client, login, setting):
    circle, coordinator, requester, join_request = setting
    login(coordinator)
    url = f"/circles/{circle.id}/requests/{join_request.id}/approve"
    response = client.post(url, headers=HTMX, data={"next": f"/circles/{circle.id}"})
    assert response.status_code == 200
    assert not is_page(response)
    assert f'<li id="join-request-{join_request.id}"' in response.text
    assert "Goedgekeurd: Vera doet nu mee." in response.text
    assert 'id="flashes" hx-swap-oob="true"' in response.text
    assert "Vera doet nu mee." in response.text
    assert membership(circle, requester) is not None
    assert db.session.get(JoinRequest, join_request.id).status == "approved"
    [notice] = notices(requester)
    assert (notice.kind, notice.url, notice.params) == (
        "circle_request_approved", f"/circles/{circle.id}", {"circle": "Armoede Twente"})


def test_decline_without_javascript_and_notify_the_requester(client, login, setting):
    circle, coordinator, requester, join_request = setting
    login(coordinator)
    url = f"/circles/{circle.id}/requests/{join_request.id}/decline"
    response = client.post(url, data={"next": "/"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert membership(circle, requester) is None
    assert db.session.get(JoinRequest, join_request.id).status == "declined"
    [notice] = notices(requester)
    assert notice.kind == "circle_request_declined"

    client.post("/account/logout")
    login(requester)
    text = client.get("/notifications/").text
    assert "Je aanvraag om mee te doen met Armoede Twente is afgewezen." in text


def test_a_full_circle_keeps_the_request_waiting(client, login, setting):
    circle, coordinator, requester, join_request = setting
    circle.max_members = 2
    db.session.commit()
    f.add_member(circle, f.make_user())
    login(coordinator)
    url = f"/circles/{circle.id}/requests/{join_request.id}/approve"
    response = client.post(url, headers=HTMX)
    assert "Deze leerkring is vol" in response.text
    assert "Goedkeuren" in response.text  # still waiting
    assert db.session.get(JoinRequest, join_request.id).status == "pending"
    assert notices(requester) == []
    assert db.session.get(Circle, circle.id).member_count == 2


def test_a_request_is_decided_only_once(client, login, setting):
    circle, coordinator, requester, join_request = setting
    login(coordinator)
    client.post(f"/circles/{circle.id}/requests/{join_request.id}/decline")
    response = client.post(f"/circles/{circle.id}/requests/{join_request.id}/approve",
                           follow_redirects=True)
    assert "Iemand anders heeft al over deze aanvraag besloten." in response.text
    assert membership(circle, requester) is None
    assert len(notices(requester)) == 1


@pytest.mark.parametrize("who, status", [("member", 403), ("outsider", 403), ("requester", 403)])
def test_only_coordinators_decide(client, login, setting, who, status):
    circle, _coordinator, requester, join_request = setting
    user = {
        "member": lambda: f.add_member(circle, f.make_user()).user,
        "outsider": f.make_user,
        "requester": lambda: requester,
    }[who]()
    login(user)
    url = f"/circles/{circle.id}/requests/{join_request.id}/approve"
    assert client.post(url).status_code == status
    assert membership(circle, requester) is None


def test_a_request_of_another_circle_is_404(client, login, setting):
    circle, coordinator, _requester, _join_request = setting
    other = f.make_circle(join_mode="request")
    stranger = f.make_join_request(other, f.make_user())
    login(coordinator)
    assert client.post(f"/circles/{circle.id}/requests/{stranger.id}/approve").status_code == 404

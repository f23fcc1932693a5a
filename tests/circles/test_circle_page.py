"""The circle page and its member list, as every kind of visitor sees them."""

from datetime import UTC, datetime

import pytest

from leerkring.extensions import db
from leerkring.models import JoinRequest
from tests import factories as f
from tests.circles.helpers import ENGLISH, HTMX, bulk_circles, is_page, many_users


@pytest.fixture
def people(app):
    coordinator = f.make_user(name="Carla Coördinator")
    member = f.make_user(name="Mo Deelnemer", organisation="Wijkteam Oost")
    circle = f.make_circle(
        name="Armoede Twente",
        description="We bespreken casuïstiek over schulden.\nElke maand.",
        theme=f.theme("armoede"),
        coordinator=coordinator,
        members=[member],
    )
    elsewhere = f.make_user()
    f.make_circle(members=[elsewhere])
    return {
        "circle": circle,
        "coordinator": coordinator,
        "member": member,
        "other_circle_member": elsewhere,
        "werkplaats_admin": f.make_werkplaats_admin("twente"),
        "other_werkplaats_admin": f.make_werkplaats_admin("zuyd"),
        "association_admin": f.make_admin(),
    }


def test_anonymous_visitors_are_sent_to_log_in(client, people):
    url = f"/circles/{people['circle'].id}"
    assert client.get(url).headers["Location"] == f"/account/login?next={url}"
    assert "/account/login" in client.get(url, headers=HTMX).headers["HX-Redirect"]


def test_an_outsider_sees_the_description_coordinators_and_how_to_join(client, login, people):
    login(people["other_circle_member"])
    text = client.get(f"/circles/{people['circle'].id}").text
    assert "We bespreken casuïstiek over schulden." in text
    assert "Twente" in text and "Thema: Armoede" in text
    assert "Carla Coördinator" in text
    assert "Mo Deelnemer" not in text  # members only to members
    assert "Doe mee met deze leerkring" in text
    assert "Coördineren" not in text


@pytest.mark.parametrize("who", ["member", "coordinator", "werkplaats_admin", "association_admin"])
def test_members_and_admins_see_the_members(client, login, people, who):
    login(people[who])
    text = client.get(f"/circles/{people['circle'].id}").text
    assert "Mo Deelnemer" in text and "Wijkteam Oost" in text
    assert "2 deelnemers" in text


def test_a_member_sees_their_place_and_can_leave(client, login, people):
    login(people["member"])
    text = client.get(f"/circles/{people['circle'].id}").text
    assert "Je doet mee met deze leerkring." in text
    assert "Leerkring verlaten" in text
    assert "Coördineren" not in text
    assert "Maak medecoördinator" not in text


@pytest.mark.parametrize("who", ["coordinator", "werkplaats_admin", "association_admin"])
def test_coordinators_and_admins_see_requests_and_coordination(client, login, people, who):
    f.make_join_request(people["circle"], f.make_user(name="Vera Vraagt"), "Ik werk in de wijk.")
    login(people[who])
    text = client.get(f"/circles/{people['circle'].id}").text
    assert "Vera Vraagt" in text and "Ik werk in de wijk." in text
    assert "Goedkeuren" in text
    assert "Mensen uitnodigen" in text and "Leerkring bewerken" in text
    assert "Maak medecoördinator" in text


@pytest.mark.parametrize(
    "who, status",
    [
        ("other_circle_member", 404),
        ("other_werkplaats_admin", 404),
        ("member", 200),
        ("werkplaats_admin", 200),
        ("association_admin", 200),
    ],
)
def test_a_members_only_circle_is_hidden_from_outsiders(client, login, people, who, status):
    circle = people["circle"]
    circle.visibility = "members"
    db.session.commit()
    login(people[who])
    assert client.get(f"/circles/{circle.id}").status_code == status
    assert client.get(f"/circles/{circle.id}/members").status_code == status


@pytest.mark.parametrize("who, status", [("other_circle_member", 404), ("member", 200),
                                         ("association_admin", 200)])
def test_an_archived_circle_is_hidden_from_outsiders(client, login, people, who, status):
    people["circle"].archived_at = datetime.now(UTC)
    db.session.commit()
    login(people[who])
    response = client.get(f"/circles/{people['circle'].id}")
    assert response.status_code == status
    if status == 200:
        assert "Deze leerkring is gearchiveerd" in response.text
        assert "Leerkring verlaten" not in response.text


def test_an_unknown_circle_is_404(client, login, people):
    login(people["member"])
    assert client.get("/circles/999999").status_code == 404


def test_join_modes_explain_themselves(client, login, people):
    circle = people["circle"]
    login(people["other_circle_member"])
    circle.join_mode = "request"
    db.session.commit()
    assert "Vraag om mee te doen" in client.get(f"/circles/{circle.id}").text
    circle.join_mode = "invitation"
    db.session.commit()
    text = client.get(f"/circles/{circle.id}").text
    assert "alleen meedoen met deze leerkring als een coördinator je uitnodigt" in text
    assert "Doe mee" not in text


def test_a_full_circle_says_so(client, login, people):
    people["circle"].max_members = 2
    db.session.commit()
    login(people["other_circle_member"])
    text = client.get(f"/circles/{people['circle'].id}").text
    assert "Deze leerkring is vol" in text
    assert "Doe mee met deze leerkring" not in text


def test_in_english(client, login, people):
    login(people["member"])
    text = client.get(f"/circles/{people['circle'].id}", headers=ENGLISH).text
    assert "You are a member of this circle." in text
    assert "Leave the circle" in text and "Coordinator" in text


class TestMemberList:
    def test_page_and_fragment(self, client, login, people):
        login(people["member"])
        url = f"/circles/{people['circle'].id}/members"
        page = client.get(url)
        assert is_page(page) and "Deelnemers van Armoede Twente" in page.text
        fragment = client.get(url, headers=HTMX)
        assert not is_page(fragment)
        assert 'id="circle-members"' in fragment.text and "Mo Deelnemer" in fragment.text

    def test_outsiders_may_not_see_it(self, client, login, people):
        login(people["other_circle_member"])
        assert client.get(f"/circles/{people['circle'].id}/members").status_code == 403

    def test_paginated_coordinators_first(self, client, login, people, app):
        circle = people["circle"]
        for user in many_users(app.config["PER_PAGE"]):
            f.add_member(circle, user)
        login(people["member"])
        first = client.get(f"/circles/{circle.id}/members").text
        assert first.index("Carla Coördinator") < first.index("Deelnemer 1")
        assert "Pagina 1 van 2" in first
        second = client.get(f"/circles/{circle.id}/members?page=2", headers=HTMX).text
        assert "Carla Coördinator" not in second


def test_a_fixed_number_of_queries_whatever_the_size(client, login, count_queries, people):
    circle, coordinator = people["circle"], people["coordinator"]
    f.make_join_request(circle, f.make_user())
    bulk_circles(5, coordinator, many_users(3))
    login(coordinator)
    with count_queries() as small:
        client.get(f"/circles/{circle.id}")
    bulk_circles(195, coordinator, many_users(30))
    for user in many_users(60):
        f.add_member(circle, user, commit=False)
        db.session.add(JoinRequest(circle=circle, user=f.make_user()))
    db.session.commit()
    with count_queries() as large:
        response = client.get(f"/circles/{circle.id}")
    assert "Pagina 1 van" in response.text
    assert small.count == large.count

"""The circle list: live filters (htmx) that also work as a plain query string."""

from datetime import UTC, datetime

import pytest

from leerkring.extensions import db
from leerkring.models import Circle
from tests import factories as f
from tests.circles.helpers import ENGLISH, HTMX, bulk_circles, is_page, many_users


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/circles/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=/circles/")
    fragment = client.get("/circles/", headers=HTMX)
    assert "/account/login" in fragment.headers["HX-Redirect"]


def test_page_and_fragment(client, login):
    f.make_circle(name="Armoede in Twente")
    login(f.make_user())
    page = client.get("/circles/")
    assert is_page(page)
    assert 'id="circle-filters"' in page.text
    assert 'hx-get="/circles/"' in page.text and 'hx-push-url="true"' in page.text
    assert "Armoede in Twente" in page.text

    fragment = client.get("/circles/?q=armoede", headers=HTMX)
    assert not is_page(fragment)
    assert 'id="circle-results"' in fragment.text
    assert "Armoede in Twente" in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]


def test_each_result_shows_its_facts_and_the_users_role(client, login):
    user = f.make_user()
    f.make_circle(
        name="Sociale basis Zwolle",
        werkplaats=f.werkplaats("regio-zwolle"),
        theme=f.theme("sociale-basis"),
        max_members=12,
        members=[user],
        join_mode="request",
    )
    f.make_circle(name="Landelijk netwerk", werkplaats=None, coordinator=user)
    login(user)
    text = client.get("/circles/").text
    assert "Regio Zwolle" in text
    assert "Thema: Sociale basis" in text
    assert "1 van 12 deelnemers" in text
    assert "Op aanvraag" in text
    assert "Je doet mee" in text
    assert "Landelijk" in text
    assert "Je bent coördinator" in text


class TestFilters:
    @pytest.fixture
    def circles(self, app):
        return {
            "armoede": f.make_circle(name="Armoede Twente", theme=f.theme("armoede")),
            "ouderen": f.make_circle(
                name="Ouderen Zuyd",
                description="Ondersteuning van ouderen thuis",
                werkplaats=f.werkplaats("zuyd"),
                theme=f.theme("ondersteuning-ouderen"),
            ),
            "national": f.make_circle(name="Impact landelijk", werkplaats=None),
            "full": f.make_circle(
                name="Volle kring", coordinator=f.make_user(), max_members=2,
                members=[f.make_user()],
            ),
        }

    def names(self, response):
        return {name for name in ("Armoede Twente", "Ouderen Zuyd", "Impact landelijk",
                                  "Volle kring") if name in response.text}

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("q=ouderen", {"Ouderen Zuyd"}),
            ("q=thuis", {"Ouderen Zuyd"}),
            ("q=%25", set()),
            ("theme=armoede", {"Armoede Twente"}),
            ("werkplaats=zuyd", {"Ouderen Zuyd"}),
            ("werkplaats=national", {"Impact landelijk"}),
            ("room=1", {"Armoede Twente", "Ouderen Zuyd", "Impact landelijk"}),
            ("werkplaats=twente&room=1", {"Armoede Twente"}),
            ("theme=unknown", {"Armoede Twente", "Ouderen Zuyd", "Impact landelijk",
                               "Volle kring"}),
        ],
    )
    def test_by_query_string_without_javascript(self, client, login, circles, query, expected):
        login(f.make_user())
        assert self.names(client.get(f"/circles/?{query}")) == expected
        assert self.names(client.get(f"/circles/?{query}", headers=HTMX)) == expected

    def test_the_form_keeps_the_chosen_filters(self, client, login, circles):
        login(f.make_user())
        text = client.get("/circles/?q=ouderen&werkplaats=zuyd&room=1").text
        assert 'value="ouderen"' in text
        assert '<option selected value="zuyd">' in text
        assert '<input checked id="room" name="room" type="checkbox" value="1">' in text

    def test_only_my_circles(self, client, login, circles):
        user = f.make_user()
        f.add_member(circles["ouderen"], user)
        login(user)
        assert self.names(client.get("/circles/?mine=1")) == {"Ouderen Zuyd"}

    def test_empty_state_says_what_to_do_next(self, client, login, circles):
        login(f.make_user())
        text = client.get("/circles/?q=bestaatniet", headers=HTMX).text
        assert "Geen leerkring past bij deze filters." in text
        assert "Wis de filters" in text
        assert 'href="/circles/new"' in text


def test_archived_and_members_only_circles_are_hidden_from_outsiders(client, login):
    member = f.make_user()
    f.make_circle(name="Open kring")
    f.make_circle(name="Besloten kring", visibility="members", members=[member])
    f.make_circle(name="Oude kring", archived_at=datetime.now(UTC), members=[member])
    login(f.make_user())
    text = client.get("/circles/").text
    assert "Open kring" in text
    assert "Besloten kring" not in text
    assert "Oude kring" not in text


@pytest.mark.parametrize("who", ["member", "werkplaats_admin", "association_admin"])
def test_members_and_admins_find_a_members_only_circle(client, login, who):
    member = f.make_user()
    f.make_circle(name="Besloten kring", visibility="members", members=[member])
    f.make_circle(name="Oude kring", archived_at=datetime.now(UTC), members=[member])
    user = {
        "member": lambda: member,
        "werkplaats_admin": lambda: f.make_werkplaats_admin("twente"),
        "association_admin": f.make_admin,
    }[who]()
    login(user)
    text = client.get("/circles/").text
    assert "Besloten kring" in text
    assert "Oude kring" not in text


def test_an_admin_of_another_werkplaats_does_not_find_it(client, login):
    f.make_circle(name="Besloten kring", visibility="members", members=[f.make_user()])
    login(f.make_werkplaats_admin("zuyd"))
    assert "Besloten kring" not in client.get("/circles/").text


def test_paginated(client, login, app):
    for n in range(app.config["PER_PAGE"] + 3):
        db.session.add(Circle(name=f"Kring {n:03d}", werkplaats=f.werkplaats(), member_count=0))
    db.session.commit()
    login(f.make_user())
    first = client.get("/circles/?q=kring")
    assert "Kring 000" in first.text and "Kring 022" not in first.text
    assert 'href="/circles/?q=kring&amp;page=2"' in first.text
    second = client.get("/circles/?q=kring&page=2", headers=HTMX)
    assert "Kring 022" in second.text and "Kring 000" not in second.text


def test_in_english(client, login):
    f.make_circle(name="Landelijk netwerk", werkplaats=None, join_mode="invitation")
    login(f.make_user())
    text = client.get("/circles/", headers=ENGLISH).text
    assert "1 circle found" in text
    assert "National" in text and "By invitation" in text
    assert "Only circles with room" in text


def test_a_fixed_number_of_queries_whatever_the_number_of_circles(client, login, count_queries):
    user = f.make_user()
    bulk_circles(5, user, many_users(3))
    login(user)
    with count_queries() as small:
        client.get("/circles/?room=1")
    bulk_circles(195, user, many_users(150))
    with count_queries() as large:
        response = client.get("/circles/?room=1")
    assert "Bulk" in response.text
    assert small.count == large.count

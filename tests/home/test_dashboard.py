"""The start page: an introduction for visitors, the dashboard for people who are signed in."""

from datetime import UTC, datetime

from leerkring.extensions import db
from leerkring.models import JoinRequest, Notification
from tests import factories as f
from tests.circles.helpers import ENGLISH, HTMX, bulk_circles, is_page, many_users, membership


def test_the_landing_page_explains_leerkring_in_dutch_and_english(client):
    dutch = client.get("/")
    assert dutch.status_code == 200
    assert "In een leerkring komen sociaal werkers" in dutch.text
    assert 'href="/account/login"' in dutch.text and 'href="/account/register"' in dutch.text
    english = client.get("/", headers=ENGLISH)
    assert "In a learning circle (leerkring)" in english.text
    assert "Create an account" in english.text


def test_an_empty_dashboard_says_what_to_do_next(client, login):
    login(f.make_user(name="Sanne"))
    text = client.get("/").text
    assert "Hallo Sanne" in text
    assert "Je doet nog niet mee aan een leerkring." in text
    assert 'href="/circles/"' in text and 'href="/circles/new"' in text


def test_my_circles_with_role_and_next_step(client, login):
    user = f.make_user()
    alone = f.make_circle(name="Nieuwe kring", coordinator=user)
    busy = f.make_circle(name="Drukke kring", coordinator=user, join_mode="request",
                         members=[f.make_user()])
    f.make_join_request(busy, f.make_user(name="Vera"))
    f.make_circle(name="Meedoen", members=[user])
    f.make_circle(name="Oud", members=[user], archived_at=datetime.now(UTC))
    f.make_circle(name="Niet van mij")
    login(user)
    text = client.get("/").text
    assert "Mijn leerkringen" in text
    assert "Niet van mij" not in text
    assert f'href="/circles/{alone.id}/invite">Mensen uitnodigen' in text
    assert f'href="/circles/{busy.id}/requests">1 aanvraag om over te beslissen' in text
    assert "Bekijk wie er nog meer meedoen" in text
    assert "Gearchiveerd: je kunt alles nog lezen." in text
    assert text.index("Meedoen") < text.index("Oud")  # archived last


def test_requests_to_decide_are_approved_right_there(client, login):
    coordinator, requester = f.make_user(), f.make_user(name="Vera")
    circle = f.make_circle(name="Armoede Twente", coordinator=coordinator, join_mode="request")
    join_request = f.make_join_request(circle, requester, "Graag!")
    login(coordinator)
    text = client.get("/").text
    assert "1 aanvraag wacht op je besluit" in text
    assert "Vera" in text and "wil meedoen met" in text and "Graag!" in text
    assert f'hx-post="/circles/{circle.id}/requests/{join_request.id}/approve"' in text
    assert '<input type="hidden" name="show_circle" value="1">' in text

    response = client.post(f"/circles/{circle.id}/requests/{join_request.id}/approve",
                           data={"next": "/", "show_circle": "1"}, headers=HTMX)
    assert "Goedgekeurd: Vera doet nu mee." in response.text
    assert "Armoede Twente" in response.text
    assert membership(circle, requester) is not None
    assert db.session.execute(db.select(Notification)).scalar_one().user_id == requester.id

    without_js = f.make_join_request(circle, f.make_user())
    response = client.post(f"/circles/{circle.id}/requests/{without_js.id}/decline",
                           data={"next": "/"})
    assert response.headers["Location"] == "/"
    assert db.session.get(JoinRequest, without_js.id).status == "declined"


def test_my_own_pending_requests_and_invitations(client, login):
    user = f.make_user(email="sanne@example.org")
    asked = f.make_circle(name="Gevraagde kring", join_mode="request")
    f.make_join_request(asked, user)
    closed = f.make_circle(name="Gesloten kring", join_mode="request",
                           archived_at=datetime.now(UTC))
    f.make_join_request(closed, user)
    invited = f.make_circle(name="Uitnodigende kring", join_mode="invitation",
                            visibility="members", coordinator=f.make_user(name="Carla"))
    f.make_invitation(invited, "sanne@example.org")
    f.make_invitation(invited, "sanne@example.org", invited_by=invited.memberships[0].user)
    login(user)
    text = client.get("/").text
    assert "Je aanvragen om mee te doen" in text and "Gevraagde kring" in text
    assert "Gesloten kring" not in text
    assert "Uitnodigingen voor jou" in text and "uitgenodigd door Carla" in text
    assert text.count(f'action="/circles/{invited.id}/invitation/accept"') == 1
    assert f'href="/circles/{invited.id}"' not in text  # members only: the page is not theirs yet


def test_page_and_fragment(client, login, app):
    user = f.make_user()
    for n in range(app.config["PER_PAGE"] + 2):
        f.make_circle(name=f"Kring {n:02d}", members=[user])
    login(user)
    page = client.get("/")
    assert is_page(page) and "Kring 00" in page.text and "Kring 21" not in page.text
    fragment = client.get("/?page=2", headers=HTMX)
    assert not is_page(fragment)
    assert 'id="my-circles"' in fragment.text and "Kring 21" in fragment.text


def test_in_english(client, login):
    login(f.make_user(name="Sanne"))
    text = client.get("/", headers=ENGLISH).text
    assert "Hello, Sanne" in text and "You are not in a circle yet." in text


def test_a_fixed_number_of_queries_whatever_the_size(client, login, count_queries):
    user = f.make_user(email="vaak@example.org")
    circle = f.make_circle(name="Aandacht", coordinator=user, join_mode="request")
    f.make_join_request(circle, f.make_user())
    f.make_join_request(f.make_circle(join_mode="request"), user)
    f.make_invitation(f.make_circle(), user.email)
    bulk_circles(5, user, many_users(3))
    login(user)
    with count_queries() as small:
        client.get("/")
    bulk_circles(195, user, many_users(40))
    for requester in many_users(30):
        db.session.add(JoinRequest(circle=circle, user=requester))
    for _ in range(25):
        other = f.make_circle(join_mode="request")
        f.make_invitation(other, user.email)
        db.session.add(JoinRequest(circle=other, user=user))
    db.session.commit()
    with count_queries() as large:
        response = client.get("/")
    assert "31 aanvragen wachten op je besluit" in response.text
    assert small.count == large.count

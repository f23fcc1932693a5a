"""Starting a circle and editing it: the creator coordinates; errors appear next to the field."""

import pytest

from leerkring.extensions import db
from leerkring.models import Circle, CircleRole
from tests import factories as f
from tests.circles.helpers import ENGLISH, field_error, membership

VALID = {
    "name": "Polarisatie in de wijk",
    "description": "Hoe houden we het gesprek gaande?",
    "werkplaats_id": "",
    "theme_id": "",
    "join_mode": "request",
    "visibility": "signed_in",
    "max_members": "12",
}


def created() -> Circle:
    return db.session.execute(db.select(Circle).order_by(Circle.id.desc())).scalars().first()


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/circles/new").headers["Location"].startswith("/account/login")


def test_the_form_offers_werkplaatsen_and_themes_with_the_home_werkplaats_chosen(client, login):
    login(f.make_user(home_werkplaats=f.werkplaats("zuyd")))
    text = client.get("/circles/new").text
    assert "Start een leerkring" in text
    assert f'<option selected value="{f.werkplaats("zuyd").id}">Zuyd</option>' in text
    assert "Landelijk (geen Werkplaats)" in text
    assert "Associatie Werkplaatsen Sociaal Domein" not in text
    assert "Ondersteuning ouderen" in text


def test_a_verified_user_starts_a_circle_and_coordinates_it(client, login):
    user = f.make_user()
    login(user)
    theme = f.theme("polarisatie-en-vertrouwen")
    data = dict(VALID, werkplaats_id=str(f.werkplaats("twente").id), theme_id=str(theme.id))
    response = client.post("/circles/new", data=data)
    circle = created()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/circles/{circle.id}"
    assert (circle.name, circle.werkplaats.slug, circle.theme.slug) == (
        "Polarisatie in de wijk", "twente", "polarisatie-en-vertrouwen")
    assert (circle.join_mode, circle.visibility, circle.max_members) == ("request", "signed_in", 12)
    assert circle.member_count == 1
    assert membership(circle, user).role == CircleRole.COORDINATOR
    page = client.get(response.headers["Location"])
    assert "Je leerkring staat klaar" in page.text


def test_a_national_circle_without_theme_or_maximum(client, login):
    login(f.make_user())
    client.post("/circles/new", data=dict(VALID, max_members=""))
    circle = created()
    assert (circle.werkplaats_id, circle.theme_id, circle.max_members) == (None, None, None)


def test_an_unverified_user_may_not_start_a_circle(client, login):
    user = f.make_user()
    login(user)
    user.email_verified_at = None
    db.session.commit()
    assert client.get("/circles/new").status_code == 403
    assert client.post("/circles/new", data=VALID).status_code == 403
    assert created() is None


@pytest.mark.parametrize(
    "change, field_id, message",
    [
        ({"name": ""}, "name", "Geef de leerkring een naam."),
        ({"name": "x" * 121}, "name", "Gebruik maximaal 120 tekens."),
        ({"max_members": "1"}, "max_members", "Kies een getal van 2 tot en met 1000."),
        ({"max_members": "twaalf"}, "max_members", "Vul een heel getal in, bijvoorbeeld 12."),
        ({"werkplaats_id": "99999"}, "werkplaats_id", "Kies een Werkplaats uit de lijst."),
        ({"werkplaats_id": "abc"}, "werkplaats_id", "Kies een Werkplaats uit de lijst."),
        ({"theme_id": "99999"}, "theme_id", "Kies een thema uit de lijst."),
        ({"join_mode": "iedereen"}, "join_mode", "Kies hoe mensen mee kunnen doen."),
        ({"visibility": "geheim"}, "visibility", "Kies wie de leerkring kan vinden."),
    ],
)
def test_errors_are_shown_next_to_the_field_and_input_kept(client, login, change, field_id,
                                                           message):
    login(f.make_user())
    response = client.post("/circles/new", data=dict(VALID, **change))
    assert response.status_code == 422
    assert field_error(response, field_id) == message
    assert 'value="Hoe houden we het gesprek gaande?"' not in response.text  # a textarea
    assert "Hoe houden we het gesprek gaande?</textarea>" in response.text
    if field_id != "name":
        assert 'value="Polarisatie in de wijk"' in response.text
    assert created() is None


def test_errors_in_english(client, login):
    login(f.make_user())
    response = client.post("/circles/new", data=dict(VALID, name="", max_members="1"),
                           headers=ENGLISH)
    assert field_error(response, "name") == "Give the circle a name."
    assert field_error(response, "max_members") == "Choose a number from 2 to 1000."
    assert 'value="1"' in response.text


@pytest.fixture
def circle(app):
    return f.make_circle(name="Armoede Twente", coordinator=f.make_user(), members=[f.make_user()])


def coordinator_of(circle):
    return next(m.user for m in circle.memberships if m.role == CircleRole.COORDINATOR)


def member_of(circle):
    return next(m.user for m in circle.memberships if m.role == CircleRole.MEMBER)


@pytest.mark.parametrize(
    "who, status",
    [
        ("coordinator", 200),
        ("werkplaats_admin", 200),
        ("association_admin", 200),
        ("member", 403),
        ("other_circle_member", 403),
        ("other_werkplaats_admin", 403),
    ],
)
def test_who_may_edit(client, login, circle, who, status):
    user = {
        "coordinator": lambda: coordinator_of(circle),
        "member": lambda: member_of(circle),
        "other_circle_member": lambda: f.make_circle(members=[f.make_user()]).memberships[0].user,
        "werkplaats_admin": lambda: f.make_werkplaats_admin("twente"),
        "other_werkplaats_admin": lambda: f.make_werkplaats_admin("zuyd"),
        "association_admin": f.make_admin,
    }[who]()
    login(user)
    response = client.get(f"/circles/{circle.id}/edit")
    assert response.status_code == status
    if status == 200:
        assert 'value="Armoede Twente"' in response.text
    client.post(f"/circles/{circle.id}/edit", data=dict(VALID, name="Nieuwe naam"))
    db.session.refresh(circle)
    assert (circle.name == "Nieuwe naam") == (status == 200)


def test_edit_saves_and_keeps_the_maximum_above_the_members(client, login, circle):
    login(coordinator_of(circle))
    response = client.post(f"/circles/{circle.id}/edit", data=dict(VALID, max_members="3"))
    assert response.headers["Location"] == f"/circles/{circle.id}"
    db.session.refresh(circle)
    assert circle.max_members == 3 and circle.join_mode == "request"

    f.add_member(circle, f.make_user())
    response = client.post(f"/circles/{circle.id}/edit", data=dict(VALID, max_members="2"))
    assert response.status_code == 422
    assert field_error(response, "max_members") == (
        "De leerkring heeft al 3 deelnemers; het maximum kan niet lager zijn."
    )
    assert 'value="2"' in response.text

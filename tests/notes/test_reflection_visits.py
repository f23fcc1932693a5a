"""Reflections about a kitchen visit: written from ``?visit=`` by those who had a place at it,
shown with the visit on the reflection, in My reflections and its export; the visit page offers
it once the visit has begun."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.extensions import db
from leerkring.notes.models import Reflection, Sharing
from leerkring.visits.models import VisitSignup, VisitStatus
from tests.factories import make_circle, make_user, make_visit, werkplaats

EN = {"Accept-Language": "en"}
FREE = {"title": "Wat ik zag in Zwolle", "sharing": "private", "circle": "",
        "answer": "Hoe vanzelfsprekend de ervaringsdeskundige meedeed."}


def reflections() -> list[Reflection]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Reflection).order_by(Reflection.id)))


def came(visit, user, has_place=True) -> VisitSignup:
    signup = VisitSignup(visit_id=visit.id, user_id=user.id, has_place=has_place,
                         waitlisted_at=None if has_place else datetime.now(UTC),
                         learning_goal="Leren hoe zij het doen.")
    db.session.add(signup)
    visit.places_taken += int(has_place)
    db.session.commit()
    return signup


@pytest.fixture
def visit(app):
    """A visit in Zwolle that happened yesterday; Anna (Twente) had a place, Wim waited."""
    host = make_user(name="Bart", home_werkplaats=werkplaats("regio-zwolle"))
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    visit = make_visit(host, title="Ervaringsdeskundigen in het wijkteam", starts_at=start,
                       max_places=1)
    return visit


@pytest.fixture
def anna(visit):
    anna = make_user(name="Anna")
    came(visit, anna)
    return anna


def url(visit, template="free") -> str:
    return f"/reflections/new?template={template}&visit={visit.id}"


def test_a_visitor_writes_a_reflection_about_the_visit(client, login, visit, anna):
    circle = make_circle(members=[anna], name="Kring Hengelo")
    login(anna)

    form = client.get(url(visit), headers=EN)
    response = client.post(url(visit), headers=EN,
                           data=FREE | {"sharing": "circle", "circle": str(circle.id)})

    assert "About the kitchen visit" in form.text
    assert "Ervaringsdeskundigen in het wijkteam" in form.text
    assert 'name="circle"' in form.text  # a visit belongs to no circle: the writer chooses
    assert response.status_code == 303
    [reflection] = reflections()
    assert (reflection.visit_id, reflection.circle_id, reflection.sharing) == (
        visit.id, circle.id, Sharing.CIRCLE)
    page = client.get(response.location, headers=EN)
    assert "About the kitchen visit" in page.text
    assert f'href="/visits/{visit.id}"' in page.text


def test_the_template_choice_keeps_the_visit(client, login, visit, anna):
    login(anna)
    page = client.get(f"/reflections/new?visit={visit.id}", headers=EN)
    assert "Ervaringsdeskundigen in het wijkteam" in page.text
    assert f"visit={visit.id}" in page.text


def test_an_invalid_form_keeps_the_visit_and_the_input(client, login, visit, anna):
    login(anna)
    response = client.post(url(visit), headers=EN, data=FREE | {"title": ""})
    assert response.status_code == 422
    assert "Give your reflection a short title." in response.text
    assert "Ervaringsdeskundigen in het wijkteam" in response.text
    assert FREE["answer"] in response.text
    assert f"visit={visit.id}" in response.text
    assert reflections() == []


@pytest.mark.parametrize("who", ["waiting", "stranger", "host"])
def test_only_who_had_a_place_may_write_about_the_visit(client, login, visit, anna, who):
    if who == "waiting":
        user = make_user(name="Wim")
        came(visit, user, has_place=False)
    elif who == "stranger":
        user = make_user(name="Sven")
    else:
        user = visit.host
    login(user)
    assert client.get(url(visit)).status_code == 404
    assert client.post(url(visit), data=FREE).status_code == 404
    assert reflections() == []


def test_a_visit_not_published_gives_404(client, login, visit, anna):
    visit.status = VisitStatus.CANCELLED
    db.session.commit()
    login(anna)
    assert client.get(url(visit)).status_code == 404
    assert client.get("/reflections/new?template=free&visit=999999").status_code == 404


def test_my_reflections_and_the_export_name_the_visit(client, login, visit, anna):
    login(anna)
    client.post(url(visit), data=FREE)

    journal = client.get("/reflections/", headers=EN)
    export = client.get("/reflections/export.md", headers=EN)

    assert "About the kitchen visit" in journal.text
    assert "Ervaringsdeskundigen in het wijkteam" in journal.text
    assert "the kitchen visit “Ervaringsdeskundigen in het wijkteam” of" in export.text


def test_the_visit_page_offers_a_reflection_once_begun_to_those_with_a_place(
    client, login, visit, anna
):
    coming = make_visit(visit.host, title="Later bezoek")
    came(coming, anna)
    waiting = make_user(name="Wim")
    came(visit, waiting, has_place=False)

    login(anna)
    begun = client.get(f"/visits/{visit.id}", headers=EN).text
    ahead = client.get(f"/visits/{coming.id}", headers=EN).text
    client.post("/account/logout")
    login(waiting)
    for_waiting = client.get(f"/visits/{visit.id}", headers=EN).text

    link = f'href="/reflections/new?visit={visit.id}"'
    assert "Write a reflection on this visit" in begun and link in begun
    assert "Write a reflection on this visit" not in ahead
    assert "Write a reflection on this visit" not in for_waiting


def test_the_visit_page_offers_it_in_dutch(client, login, visit, anna):
    login(anna)
    page = client.get(f"/visits/{visit.id}", headers={"Accept-Language": "nl"})
    assert f'href="/reflections/new?visit={visit.id}"' in page.text

"""The case presenter (casusinbrenger): chosen on the meeting form from the circle's members,
shown on the meeting page to the circle, reminded to prepare."""

import pytest
import sqlalchemy as sa

from leerkring.extensions import db
from leerkring.meetings.models import Meeting
from tests.factories import make_user
from tests.meetings.reminder_helpers import EN, make_people, pending, utc


@pytest.fixture
def people(app):
    return make_people()


def form_data(**kw):
    data = {
        "title": "Casusbespreking", "day": "2027-11-02", "start_time": "19:30",
        "end_time": "21:00", "place_address": "Markt 1, Hengelo", "place_room": "",
        "online_url": "", "agenda": "", "preparation": "Schrijf je casus kort op.",
        "max_places": "", "repeat": "none", "interval": "1", "ends": "count", "until": "",
        "count": "3", "case_presenter_id": "",
    }
    data.update(kw)
    return data


def meetings_of(circle):
    db.session.expire_all()
    return list(db.session.execute(
        sa.select(Meeting).where(Meeting.circle_id == circle.id).order_by(Meeting.starts_at)
    ).scalars())


def test_the_form_offers_the_circles_members(client, login, people):
    circle, coordinator, (anna, bram, cor) = people
    outsider = make_user(name="Buiten Staander")
    login(coordinator)
    page = client.get(f"/circles/{circle.id}/meetings/new", headers=EN).text
    assert 'name="case_presenter_id"' in page
    assert "Case presenter" in page and '<option selected value="">Nobody</option>' in page
    for member in (anna, bram, cor, coordinator):
        assert f'<option value="{member.id}">{member.name}</option>' in page
    assert outsider.name not in page


def test_choosing_a_presenter_shows_them_and_plans_their_reminder(client, login, people):
    circle, coordinator, (anna, _bram, _cor) = people
    login(coordinator)
    response = client.post(f"/circles/{circle.id}/meetings/new", headers=EN,
                           data=form_data(case_presenter_id=str(anna.id)))
    assert response.status_code == 303
    [meeting] = meetings_of(circle)
    assert meeting.case_presenter_id == anna.id
    assert [row.due_at for row in pending("prepare_case", anna, meeting)] == [
        utc(2027, 10, 30, 7, 0)]
    page = client.get(f"/meetings/{meeting.id}", headers=EN).text
    assert "<dt>Case</dt>" in page
    assert '<dd class="case-presenter">Anna</dd>' in page


def test_someone_outside_the_circle_is_refused_and_input_kept(client, login, people):
    circle, coordinator, _members = people
    outsider = make_user(name="Buiten Staander")
    login(coordinator)
    response = client.post(f"/circles/{circle.id}/meetings/new", headers=EN,
                           data=form_data(case_presenter_id=str(outsider.id), title="Mijn titel"))
    assert response.status_code == 422
    assert 'id="case_presenter_id-error"' in response.text
    assert "Choose a member of this circle." in response.text
    assert 'value="Mijn titel"' in response.text
    assert meetings_of(circle) == []
    garbage = client.post(f"/circles/{circle.id}/meetings/new", headers=EN,
                          data=form_data(case_presenter_id="iemand"))
    assert garbage.status_code == 422
    assert "Choose a member of this circle." in garbage.text


def test_editing_changes_the_presenter_and_their_reminder(client, login, people):
    circle, coordinator, (anna, bram, _cor) = people
    login(coordinator)
    client.post(f"/circles/{circle.id}/meetings/new", headers=EN,
                data=form_data(case_presenter_id=str(anna.id)))
    [meeting] = meetings_of(circle)
    form = client.get(f"/meetings/{meeting.id}/edit", headers=EN).text
    assert f'<option selected value="{anna.id}">Anna</option>' in form
    response = client.post(f"/meetings/{meeting.id}/edit", headers=EN,
                           data=form_data(case_presenter_id=str(bram.id), scope="this"))
    assert response.status_code == 303
    assert meetings_of(circle)[0].case_presenter_id == bram.id
    assert pending("prepare_case", anna, meeting) == []
    assert len(pending("prepare_case", bram, meeting)) == 1
    client.post(f"/meetings/{meeting.id}/edit", headers=EN, data=form_data(scope="this"))
    assert meetings_of(circle)[0].case_presenter_id is None
    assert pending("prepare_case", meeting=meeting) == []


def test_in_a_series_the_presenter_is_the_first_meetings(client, login, people):
    circle, coordinator, (anna, bram, _cor) = people
    login(coordinator)
    client.post(f"/circles/{circle.id}/meetings/new", headers=EN,
                data=form_data(repeat="weekly", case_presenter_id=str(anna.id)))
    first, second, third = meetings_of(circle)
    assert [m.case_presenter_id for m in (first, second, third)] == [anna.id, None, None]
    client.post(f"/meetings/{second.id}/edit", headers=EN,
                data=form_data(day="2027-11-09", scope="all", case_presenter_id=str(bram.id),
                               place_room="Zaal 2"))
    first, second, third = meetings_of(circle)
    assert [m.place_room for m in (second, third)] == ["Zaal 2", "Zaal 2"]
    assert [m.case_presenter_id for m in (first, second, third)] == [anna.id, bram.id, None]


def test_only_the_circle_sees_who_brings_a_case(client, login, people):
    circle, coordinator, (anna, _bram, _cor) = people
    login(coordinator)
    client.post(f"/circles/{circle.id}/meetings/new", headers=EN,
                data=form_data(case_presenter_id=str(anna.id)))
    [meeting] = meetings_of(circle)
    client.post("/account/logout")
    login(make_user(name="Nieuwsgierige Nina"))
    page = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert page.status_code == 200 and "Casusbespreking" in page.text
    assert "case-presenter" not in page.text

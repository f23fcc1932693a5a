"""Minutes: a draft for coordinators, final for members, "what we agreed" at the next meeting."""

from datetime import UTC, datetime, timedelta

import pytest

from leerkring.circles.models import Visibility
from leerkring.extensions import db
from leerkring.meetings.models import Minutes, MinutesStatus
from tests import factories as f

EN = {"Accept-Language": "en"}


@pytest.fixture
def login(client, login):
    def sign_in(user):
        client.post("/account/logout")
        return login(user)

    return sign_in


@pytest.fixture
def people(app):
    coordinator = f.make_user(name="Carla Coördinator")
    member = f.make_user(name="Mo Lid")
    circle = f.make_circle(coordinator, members=[member], visibility=Visibility.MEMBERS)
    outsider = f.make_user()
    now = datetime.now(UTC)
    past = f.make_meeting(circle, starts_at=now - timedelta(days=7), title="Vorige keer")
    upcoming = f.make_meeting(circle, starts_at=now + timedelta(days=7), title="Volgende keer")
    return dict(coordinator=coordinator, member=member, circle=circle, outsider=outsider,
                past=past, upcoming=upcoming)


MINUTES = {
    "summary": "We bespraken **schuldhulp**.",
    "decisions": "- Elke maand een casus",
    "actions": "- Mo stuurt de casus rond",
}


def test_a_draft_is_for_coordinators_only(client, login, people):
    past = people["past"]
    login(people["coordinator"])
    response = client.post(f"/meetings/{past.id}/minutes", data=dict(MINUTES, save_draft="1"))
    assert response.status_code == 303
    minutes = db.session.execute(db.select(Minutes).filter_by(meeting_id=past.id)).scalar_one()
    assert minutes.status == MinutesStatus.DRAFT
    assert minutes.author_id == people["coordinator"].id
    page = client.get(f"/meetings/{past.id}", headers=EN).text
    assert "<strong>schuldhulp</strong>" in page and "Draft: only coordinators" in page
    login(people["member"])
    page = client.get(f"/meetings/{past.id}", headers=EN).text
    assert "schuldhulp" not in page
    assert "What we agreed" not in client.get(f"/meetings/{people['upcoming'].id}").text


def test_final_minutes_are_for_members_and_show_at_the_next_meeting(client, login, people):
    past, upcoming = people["past"], people["upcoming"]
    login(people["coordinator"])
    client.post(f"/meetings/{past.id}/minutes", data=dict(MINUTES, publish="1"))
    login(people["member"])
    page = client.get(f"/meetings/{past.id}", headers=EN).text
    assert "<strong>schuldhulp</strong>" in page and "Draft" not in page
    following = client.get(f"/meetings/{upcoming.id}", headers=EN).text
    assert "What we agreed" in following
    assert "Elke maand een casus" in following and "Mo stuurt de casus rond" in following
    assert "schuldhulp" not in following  # the summary stays with its own meeting


def test_the_form_keeps_what_was_written_and_refuses_empty_minutes(client, login, people):
    past = people["past"]
    login(people["coordinator"])
    client.post(f"/meetings/{past.id}/minutes", data=dict(MINUTES, save_draft="1"))
    form = client.get(f"/meetings/{past.id}/minutes", headers=EN).text
    assert "Mo stuurt de casus rond" in form
    response = client.post(f"/meetings/{past.id}/minutes",
                           data={"summary": " ", "decisions": "", "actions": "",
                                 "publish": "1"}, headers=EN)
    assert response.status_code == 422
    assert "Write a summary, a decision or an action." in response.text
    db.session.expire_all()
    kept = db.session.execute(db.select(Minutes).filter_by(meeting_id=past.id)).scalar_one()
    assert kept.status == MinutesStatus.DRAFT and kept.decisions


def test_access(client, login, people):
    url = f"/meetings/{people['past'].id}/minutes"
    assert client.get(url).headers["Location"].startswith("/account/login")
    login(people["outsider"])
    assert client.get(url).status_code == 404
    login(people["member"])
    assert client.get(url).status_code == 403
    assert client.post(url, data=dict(MINUTES, publish="1")).status_code == 403
    login(f.make_admin())
    assert "<html" in client.get(url).text

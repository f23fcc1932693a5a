"""Date polls (datumprikker): from proposal to meeting."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from leerkring import scheduler
from leerkring.circles.models import Visibility
from leerkring.extensions import db
from leerkring.meetings.models import DatePoll, DatePollAnswer, DatePollOption, Meeting, PollAnswer
from leerkring.meetings.queries import poll_non_responders
from leerkring.meetings.recurrence import to_local
from leerkring.notifications.models import Notification
from tests import factories as f

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true", "Accept-Language": "en"}


@pytest.fixture
def login(client, login):
    def sign_in(user):
        client.post("/account/logout")
        return login(user)

    return sign_in


@pytest.fixture
def people(app):
    coordinator = f.make_user(name="Carla Coördinator")
    anna = f.make_user(name="Anna Eerst")
    bram = f.make_user(name="Bram Tweede")
    circle = f.make_circle(coordinator, members=[anna, bram], visibility=Visibility.MEMBERS)
    outsider = f.make_user()
    f.make_circle(f.make_user(), members=[outsider])
    return dict(coordinator=coordinator, anna=anna, bram=bram, circle=circle, outsider=outsider)


def soon(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def poll_data(**kw):
    data = {
        "title": "Casusoverleg juni",
        "description": "Kies wat past.",
        "options-0-day": soon(10), "options-0-start": "19:30", "options-0-end": "21:00",
        "options-1-day": soon(11), "options-1-start": "14:00", "options-1-end": "15:30",
        "options-2-day": "", "options-2-start": "", "options-2-end": "",
        "closes_at": "",
    }
    data.update(kw)
    return data


def make_poll(circle, coordinator, *, hide_answers=False, count=2, closes_at=None) -> DatePoll:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    poll = DatePoll(
        circle_id=circle.id, title="Casusoverleg", timezone="Europe/Amsterdam",
        hide_answers=hide_answers, created_by_id=coordinator.id, closes_at=closes_at,
        options=[DatePollOption(starts_at=start + timedelta(days=n),
                                ends_at=start + timedelta(days=n, hours=1, minutes=30))
                 for n in range(count)],
    )
    db.session.add(poll)
    db.session.commit()
    return poll


def give(poll, user, *answers):
    for option, answer in zip(poll.options, answers, strict=False):
        db.session.add(DatePollAnswer(option_id=option.id, user_id=user.id, answer=answer))
    db.session.commit()


class TestProposing:
    def test_the_form_has_five_empty_rows_and_adds_more(self, client, login, people):
        login(people["coordinator"])
        url = f"/circles/{people['circle'].id}/polls/new"
        form = client.get(url, headers=EN).text
        assert 'name="options-4-day"' in form and 'name="options-5-day"' not in form
        more = client.post(url, data=poll_data(add_rows="1"), headers=EN)
        assert more.status_code == 200
        assert 'name="options-9-day"' in more.text
        assert 'value="Casusoverleg juni"' in more.text
        assert f'value="{soon(10)}"' in more.text
        assert db.session.execute(db.select(DatePoll)).first() is None

    def test_a_coordinator_proposes_dates(self, client, login, people):
        login(people["coordinator"])
        response = client.post(f"/circles/{people['circle'].id}/polls/new",
                               data=poll_data(hide_answers="y"))
        assert response.status_code == 303
        poll = db.session.execute(db.select(DatePoll)).scalar_one()
        assert response.headers["Location"] == f"/polls/{poll.id}"
        assert poll.hide_answers and poll.title == "Casusoverleg juni"
        assert len(poll.options) == 2
        asked = db.session.execute(db.select(Notification).filter_by(kind="poll_opened"))
        assert {(n.user_id, n.url) for n in asked.scalars()} == {
            (people["anna"].id, f"/polls/{poll.id}"), (people["bram"].id, f"/polls/{poll.id}")}
        first = poll.options[0].starts_at.astimezone(ZoneInfo("Europe/Amsterdam"))
        assert (first.hour, first.minute) == (19, 30)

    def test_errors_are_shown_and_input_kept(self, client, login, people):
        login(people["coordinator"])
        url = f"/circles/{people['circle'].id}/polls/new"
        response = client.post(url, data=poll_data(
            title="", **{"options-0-end": "18:00", "options-1-start": "",
                         "closes_at": "2020-01-01T10:00"}), headers=EN)
        assert response.status_code == 422
        text = response.text
        assert "Give the poll a title." in text
        assert "The end must be after the start." in text
        assert "Fill in the date, start and end." in text
        assert "Choose a moment in the future." in text
        assert 'value="18:00"' in text and f'value="{soon(11)}"' in text
        empty = client.post(url, data={"title": "Leeg"}, headers=EN)
        assert empty.status_code == 422 and "Propose at least one date." in empty.text
        past = client.post(url, data=poll_data(**{"options-0-day": "2020-01-01"}), headers=EN)
        assert "This moment has passed." in past.text
        assert db.session.execute(db.select(DatePoll)).first() is None

    def test_access(self, client, login, people):
        url = f"/circles/{people['circle'].id}/polls/new"
        assert client.get(url).headers["Location"].startswith("/account/login")
        login(people["outsider"])
        assert client.get(url).status_code == 404
        login(people["anna"])
        assert client.get(url).status_code == 403
        assert client.post(url, data=poll_data()).status_code == 403
        login(f.make_admin())
        assert "<html" in client.get(url).text

    def test_the_circle_page_links_to_it_for_coordinators(self, client, login, people):
        login(people["coordinator"])
        page = client.get(f"/circles/{people['circle'].id}", headers=EN).text
        assert f"/circles/{people['circle'].id}/polls/new" in page
        login(people["anna"])
        page = client.get(f"/circles/{people['circle'].id}", headers=EN).text
        assert "/polls/new" not in page


class TestAnswering:
    def test_members_answer_in_one_form_and_change_their_minds(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"])
        first, second = poll.options
        login(people["anna"])
        response = client.post(f"/polls/{poll.id}/answers", data={
            f"option-{first.id}": "yes", f"option-{second.id}": "if_need_be"})
        assert response.status_code == 303
        client.post(f"/polls/{poll.id}/answers", data={f"option-{first.id}": "no"})
        mine = {a.option_id: a.answer for a in db.session.execute(
            db.select(DatePollAnswer).filter_by(user_id=people["anna"].id)).scalars()}
        assert mine == {first.id: PollAnswer.NO, second.id: PollAnswer.IF_NEED_BE}

    def test_one_option_in_place_with_htmx(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"])
        option = poll.options[1]
        login(people["anna"])
        url = f"/polls/{poll.id}/options/{option.id}/answer"
        response = client.post(url, data={f"option-{option.id}": "yes"}, headers=HTMX)
        assert "<html" not in response.text
        assert f'id="poll-option-{option.id}"' in response.text
        assert "Yes: 1" in response.text and "Anna Eerst" in response.text
        assert 'id="poll-best" hx-swap-oob="true"' in response.text
        plain = client.post(url, data={f"option-{option.id}": "no"})
        assert plain.status_code == 303
        page = client.get(f"/polls/{poll.id}", headers=EN).text
        assert "<html" in page and "No: 1" in page
        assert client.post(url, data={f"option-{option.id}": "perhaps"}).status_code == 400

    def test_everyone_sees_the_answers_and_the_best_option(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"], count=3)
        give(poll, people["anna"], PollAnswer.YES, PollAnswer.YES, PollAnswer.NO)
        give(poll, people["bram"], PollAnswer.NO, PollAnswer.IF_NEED_BE, PollAnswer.YES)
        login(people["bram"])
        page = client.get(f"/polls/{poll.id}", headers=EN).text
        assert "Anna Eerst" in page
        assert page.count('class="poll-best"') == 1
        best_row = page.split('class="poll-best"')[0].rsplit("<tr", 1)[1]
        assert f'id="poll-option-{poll.options[1].id}"' in best_row

    def test_hidden_answers_stay_hidden(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"], hide_answers=True)
        give(poll, people["anna"], PollAnswer.YES, PollAnswer.NO)
        login(people["bram"])
        page = client.get(f"/polls/{poll.id}", headers=EN).text
        assert "Anna Eerst" not in page and "Yes: 1" not in page
        assert "Best option" not in page and 'class="poll-best"' not in page
        assert "members see only their own" in page
        fragment = client.post(f"/polls/{poll.id}/options/{poll.options[0].id}/answer",
                               data={f"option-{poll.options[0].id}": "no"}, headers=HTMX).text
        assert "Anna Eerst" not in fragment and "Yes: 1" not in fragment
        login(people["coordinator"])
        page = client.get(f"/polls/{poll.id}", headers=EN).text
        assert "Anna Eerst" in page and "Bram Tweede" in page

    def test_the_coordinator_sees_who_has_not_answered(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"])
        give(poll, people["anna"], PollAnswer.YES)
        login(people["coordinator"])
        page = client.get(f"/polls/{poll.id}", headers=EN).text
        waiting = page.split('id="not-answered-heading"')[1].split("</section>")[0]
        assert "Bram Tweede" in waiting and "Anna Eerst" not in waiting
        login(people["anna"])
        assert "not-answered-heading" not in client.get(f"/polls/{poll.id}").text
        waiting = db.session.execute(poll_non_responders(poll)).scalars().all()
        assert {m.user_id for m in waiting} == {people["bram"].id, people["coordinator"].id}

    def test_no_answers_after_the_closing_moment(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"],
                         closes_at=datetime.now(UTC) - timedelta(minutes=1))
        login(people["anna"])
        page = client.get(f"/polls/{poll.id}", headers=EN).text
        assert "Answering has closed" in page and "Save my answers" not in page
        client.post(f"/polls/{poll.id}/answers", data={f"option-{poll.options[0].id}": "yes"})
        assert db.session.execute(db.select(DatePollAnswer)).first() is None

    def test_access(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"])
        url = f"/polls/{poll.id}"
        assert client.get(url).headers["Location"].startswith("/account/login")
        login(people["outsider"])
        assert client.get(url).status_code == 404
        assert client.post(f"{url}/answers", data={}).status_code == 404
        admin = f.make_admin()
        login(admin)
        page = client.get(url, headers=EN).text
        assert "Save my answers" not in page and "Choose the date" in page
        assert client.post(f"{url}/answers", data={}).status_code == 403

    def test_a_fixed_number_of_queries(self, client, login, people, count_queries):
        poll = make_poll(people["circle"], people["coordinator"], count=2)
        login(people["coordinator"])
        with count_queries() as few:
            client.get(f"/polls/{poll.id}")
        big = make_poll(people["circle"], people["coordinator"], count=25)
        for _n in range(30):
            user = f.make_user()
            f.add_member(people["circle"], user)
            give(big, user, *([PollAnswer.YES, PollAnswer.IF_NEED_BE, PollAnswer.NO] * 9))
        with count_queries() as many:
            page = client.get(f"/polls/{big.id}", headers=EN).text
        assert few.count == many.count
        assert "Yes: 30" in page


class TestClosing:
    def test_from_proposal_to_meeting(self, app, client, login, people):
        login(people["coordinator"])
        client.post(f"/circles/{people['circle'].id}/polls/new", data=poll_data())
        poll = db.session.execute(db.select(DatePoll)).scalar_one()
        first, second = poll.options
        login(people["anna"])
        client.post(f"/polls/{poll.id}/answers",
                    data={f"option-{first.id}": "if_need_be", f"option-{second.id}": "yes"})
        login(people["bram"])
        client.post(f"/polls/{poll.id}/answers",
                    data={f"option-{first.id}": "yes", f"option-{second.id}": "yes"})
        login(people["coordinator"])
        page = client.get(f"/polls/{poll.id}", headers=EN).text
        assert f'<option selected value="{second.id}">' in page  # the best is the default
        response = client.post(f"/polls/{poll.id}/close", data={"option": second.id})
        meeting = db.session.execute(db.select(Meeting)).scalar_one()
        assert response.headers["Location"] == f"/meetings/{meeting.id}"
        assert meeting.title == "Casusoverleg juni"
        assert (meeting.starts_at, meeting.ends_at) == (second.starts_at, second.ends_at)
        assert meeting.circle_id == people["circle"].id
        db.session.expire_all()
        poll = db.session.get(DatePoll, poll.id)
        assert not poll.is_open and poll.meeting_id == meeting.id
        assert [o.is_chosen for o in poll.options] == [False, True]
        with scheduler.job_context(app):
            scheduler.tick(poll.closed_at + timedelta(minutes=1))
        notified = {n.user_id: n for n in db.session.execute(db.select(Notification)).scalars()
                    if n.kind == "date_chosen"}
        circle = {people[name].id for name in ("coordinator", "anna", "bram")}
        assert set(notified) == circle
        assert notified[people["anna"].id].url == f"/meetings/{meeting.id}"
        page = client.get(f"/polls/{poll.id}", headers=EN).text
        assert "This poll is closed." in page and "Choose the date" not in page
        login(people["anna"])
        client.post(f"/polls/{poll.id}/answers", data={f"option-{first.id}": "no"})
        answer = db.session.execute(db.select(DatePollAnswer).filter_by(
            user_id=people["anna"].id, option_id=first.id)).scalar_one()
        assert answer.answer == PollAnswer.IF_NEED_BE
        assert "Casusoverleg juni" in client.get(f"/meetings/{meeting.id}", headers=EN).text

    def test_closing_twice_makes_one_meeting(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"])
        login(people["coordinator"])
        client.post(f"/polls/{poll.id}/close", data={"option": poll.options[0].id})
        client.post(f"/polls/{poll.id}/close", data={"option": poll.options[1].id})
        assert len(db.session.execute(db.select(Meeting)).all()) == 1

    def test_an_unknown_option_is_an_error(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"])
        login(people["coordinator"])
        response = client.post(f"/polls/{poll.id}/close", data={"option": "999999"}, headers=EN)
        assert response.status_code == 422
        assert "Not a valid choice" in response.text
        assert db.session.execute(db.select(Meeting)).first() is None

    def test_only_coordinators_close(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"])
        login(people["anna"])
        assert "Choose the date" not in client.get(f"/polls/{poll.id}", headers=EN).text
        response = client.post(f"/polls/{poll.id}/close", data={"option": poll.options[0].id})
        assert response.status_code == 403
        login(people["outsider"])
        assert client.post(f"/polls/{poll.id}/close", data={}).status_code == 404

    def test_in_dutch(self, client, login, people):
        poll = make_poll(people["circle"], people["coordinator"])
        login(people["anna"])
        page = client.get(f"/polls/{poll.id}").text
        assert "Sla mijn antwoorden op" in page  # needs the nl catalog


def test_closing_into_the_first_of_a_series(client, login, people):
    login(people["coordinator"])
    client.post(f"/circles/{people['circle'].id}/polls/new", data=poll_data())
    poll = db.session.execute(db.select(DatePoll)).scalar_one()
    chosen = poll.options[0]
    response = client.post(
        f"/polls/{poll.id}/close", data={"option": chosen.id, "repeat": "2", "count": "3"}
    )
    meetings = db.session.execute(db.select(Meeting).order_by(Meeting.starts_at)).scalars().all()
    assert response.headers["Location"] == f"/meetings/{meetings[0].id}"
    assert len(meetings) == 3
    assert meetings[0].starts_at == chosen.starts_at
    assert meetings[0].series_id is not None
    assert {m.series_id for m in meetings} == {meetings[0].series_id}
    local = [to_local(m.starts_at, "Europe/Amsterdam") for m in meetings]
    assert [b - a for a, b in zip(local, local[1:], strict=False)] == [timedelta(weeks=2)] * 2
    assert db.session.get(DatePoll, poll.id).meeting_id == meetings[0].id


def test_a_series_needs_a_sensible_number_of_meetings(client, login, people):
    login(people["coordinator"])
    client.post(f"/circles/{people['circle'].id}/polls/new", data=poll_data())
    poll = db.session.execute(db.select(DatePoll)).scalar_one()
    response = client.post(
        f"/polls/{poll.id}/close",
        data={"option": poll.options[0].id, "repeat": "1", "count": "500"},
        headers=EN,
    )
    assert response.status_code == 422
    assert "Choose 2 to 52 meetings." in response.text
    assert 'value="500"' in response.text
    assert db.session.execute(db.select(Meeting)).first() is None

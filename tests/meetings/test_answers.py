"""Answering meetings: one tap, places and the waitlist, leaving the circle, the one-click link,
guests, who comes, and who may do what."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from leerkring import scheduler
from leerkring.circles import services as circle_services
from leerkring.extensions import db
from leerkring.meetings import rsvp
from leerkring.meetings.models import Answer, Meeting, MeetingGuest, MeetingStatus, Rsvp
from leerkring.notifications.models import Notification
from tests.factories import PASSWORD, add_member, make_admin, make_circle, make_meeting, make_user

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true", "Accept-Language": "en"}


@pytest.fixture
def people():
    coordinator = make_user(name="Cora Coördinator")
    members = [make_user(name=f"Lid {n}") for n in range(1, 5)]
    circle = make_circle(coordinator, members)
    return circle, coordinator, members


def stored(meeting, user) -> Rsvp | None:
    db.session.expire_all()
    return db.session.execute(
        sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)
    ).scalar()


def places_taken(meeting) -> int:
    db.session.expire_all()
    return db.session.get(Meeting, meeting.id).places_taken


def waitlist_notices(user, meeting):
    """After a scheduler pass an hour before ``meeting``: ``user``'s "you got a place" notices."""
    with scheduler.job_context(current_app):
        scheduler.tick(meeting.starts_at - timedelta(hours=1))
    return db.session.execute(
        sa.select(Notification).filter_by(user_id=user.id, kind="waitlist_place")
    ).scalars().all()


# One tap ---------------------------------------------------------------------------------------


def test_answer_as_page_redirects_back_with_the_answer_stored(client, login, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle, title="Casusoverleg")
    login(member)
    response = client.post(
        f"/meetings/{meeting.id}/answer",
        data={"answer": "yes", "next": f"/circles/{circle.id}"},
        headers=EN,
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/circles/{circle.id}")
    assert stored(meeting, member).answer == Answer.YES
    page = client.get(f"/meetings/{meeting.id}", headers=EN).text
    assert "You are coming" in page
    assert f'id="answer-{meeting.id}"' in page
    assert 'value="yes" aria-pressed="true"' in page


def test_answer_refuses_an_unsafe_next(client, login, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle)
    login(member)
    response = client.post(
        f"/meetings/{meeting.id}/answer", data={"answer": "no", "next": "//evil.example"}
    )
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")


def test_answer_as_htmx_fragment_updates_buttons_and_counts(client, login, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle, max_places=3)
    login(member)
    response = client.post(f"/meetings/{meeting.id}/answer", data={"answer": "maybe"}, headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="answer-{meeting.id}"' in response.text
    assert 'value="maybe" aria-pressed="true"' in response.text
    assert "0 yes · 1 maybe · 0 no" in response.text
    assert "3 places left" in response.text
    assert 'hx-swap-oob="true"' in response.text
    response = client.post(f"/meetings/{meeting.id}/answer", data={"answer": "yes"}, headers=HX)
    assert "1 yes · 0 maybe · 0 no" in response.text
    assert "2 places left" in response.text
    assert "You have a place." in response.text


def test_unknown_answer_is_refused_with_a_message(client, login, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle)
    login(member)
    response = client.post(f"/meetings/{meeting.id}/answer", data={"answer": "later"}, headers=HX)
    assert response.status_code == 422
    assert "Choose yes, maybe or no." in response.text
    assert stored(meeting, member) is None


def test_no_answers_after_the_start_or_when_cancelled(client, login, people):
    circle, _, (member, *_) = people
    started = make_meeting(circle, starts_at=datetime.now(UTC) - timedelta(minutes=5))
    login(member)
    client.post(f"/meetings/{started.id}/answer", data={"answer": "yes"}, headers=EN)
    assert stored(started, member) is None
    assert "answers are closed" in client.get(f"/meetings/{started.id}", headers=EN).text
    cancelled = make_meeting(circle, status=MeetingStatus.CANCELLED)
    response = client.post(f"/meetings/{cancelled.id}/answer", data={"answer": "yes"})
    assert response.status_code == 403
    assert stored(cancelled, member) is None


# Places and the waitlist ------------------------------------------------------------------------


def test_waitlist_in_order_and_promotion_with_a_notice(app, people):
    circle, _, (a, b, c, d) = people
    meeting = make_meeting(circle, max_places=2, title="Intervisie")
    for user in (a, b, c, d):
        rsvp.answer(meeting, user, Answer.YES)
        db.session.commit()
    assert [stored(meeting, u).has_place for u in (a, b, c, d)] == [True, True, False, False]
    assert stored(meeting, c).waitlisted_at < stored(meeting, d).waitlisted_at
    assert places_taken(meeting) == 2

    rsvp.answer(meeting, a, Answer.NO)
    db.session.commit()
    promoted = stored(meeting, c)
    assert promoted.has_place and promoted.waitlisted_at is None
    assert stored(meeting, d).waitlisted_at is not None
    assert places_taken(meeting) == 2
    [notice] = waitlist_notices(c, meeting)
    assert notice.params["meeting"] == "Intervisie"

    rsvp.answer(meeting, d, Answer.MAYBE)
    db.session.commit()
    assert stored(meeting, d).waitlisted_at is None
    assert places_taken(meeting) == 2


def test_waitlist_position_shown_to_the_member(client, login, people):
    circle, _, (a, b, c, _d) = people
    meeting = make_meeting(circle, max_places=1)
    for user in (a, b):
        rsvp.answer(meeting, user, Answer.YES)
    db.session.commit()
    login(c)
    response = client.post(f"/meetings/{meeting.id}/answer", data={"answer": "yes"}, headers=HX)
    assert "You are number 2 on the waitlist." in response.text
    assert "0 places left" in response.text
    assert "2 on the waitlist" in response.text


def test_leaving_the_circle_frees_places_and_promotes(app, people):
    circle, _, (a, b, c, _d) = people
    soon = make_meeting(circle, max_places=1)
    past = make_meeting(circle, starts_at=datetime.now(UTC) - timedelta(days=3))
    rsvp.answer(soon, a, Answer.YES)
    rsvp.answer(soon, b, Answer.YES)
    db.session.add(Rsvp(meeting_id=past.id, user_id=a.id, answer=Answer.YES, has_place=True))
    db.session.commit()

    circle_services.leave(circle_services_membership(circle, a))
    db.session.commit()
    assert stored(soon, a) is None
    assert stored(past, a) is not None  # what happened stays
    assert stored(soon, b).has_place
    assert places_taken(soon) == 1
    assert len(waitlist_notices(b, soon)) == 1


def test_removal_by_a_coordinator_promotes_too(client, login, people):
    circle, coordinator, (a, b, *_) = people
    meeting = make_meeting(circle, max_places=1)
    rsvp.answer(meeting, a, Answer.YES)
    rsvp.answer(meeting, b, Answer.YES)
    db.session.commit()
    membership = circle_services_membership(circle, a)
    login(coordinator)
    client.post(f"/circles/{circle.id}/members/{membership.id}/remove")
    assert stored(meeting, a) is None
    assert stored(meeting, b).has_place


def circle_services_membership(circle, user):
    from leerkring.circles.models import Membership

    return db.session.execute(
        sa.select(Membership).filter_by(circle_id=circle.id, user_id=user.id)
    ).scalar_one()


def test_capacity_never_exceeded_through_many_changes(app, people):
    circle, coordinator, members = people
    meeting = make_meeting(circle, max_places=2)
    everyone = [coordinator, *members]
    script = [Answer.YES, Answer.NO, Answer.YES, Answer.MAYBE, Answer.YES]
    for step in range(len(script) * 2):
        for offset, user in enumerate(everyone):
            rsvp.answer(meeting, user, script[(step + offset) % len(script)])
            db.session.commit()
            rows = db.session.execute(
                sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id)
            ).scalars().all()
            with_place = sum(r.has_place for r in rows)
            assert with_place == places_taken(meeting) <= 2
            waiting = [r for r in rows if r.waitlisted_at is not None]
            if waiting:
                assert with_place == 2
            assert all(r.answer == Answer.YES for r in rows if r.has_place or r.waitlisted_at)


def test_the_last_place_goes_to_exactly_one_of_several_at_once(app, people):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")
    circle, coordinator, members = people
    meeting = make_meeting(circle, max_places=1)
    meeting_id = meeting.id
    contenders = [u.id for u in [coordinator, *members]]
    barrier = threading.Barrier(len(contenders))
    errors = []

    def take(user_id):
        try:
            with app.app_context():
                from leerkring.models import User

                user = db.session.get(User, user_id)
                target = db.session.get(Meeting, meeting_id)
                barrier.wait()
                rsvp.answer(target, user, Answer.YES)
                db.session.commit()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=take, args=(uid,)) for uid in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    db.session.expire_all()
    rows = db.session.execute(sa.select(Rsvp).filter_by(meeting_id=meeting_id)).scalars().all()
    assert len(rows) == len(contenders)
    assert sum(r.has_place for r in rows) == 1
    assert sum(r.waitlisted_at is not None for r in rows) == len(contenders) - 1
    assert places_taken(meeting) == 1


# The one-click link -----------------------------------------------------------------------------


def link_path(meeting, person, answer):
    url = rsvp.answer_url(meeting, person, answer)
    assert url.startswith("http")
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_one_click_link_shows_a_confirm_page_then_records_only_the_answer(app, client, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle, title="Casusoverleg")
    with app.test_request_context():
        path = link_path(meeting, member, Answer.YES)
    page = client.get(path, headers=EN)
    assert page.status_code == 200
    assert "Confirm my answer: Yes" in page.text
    assert stored(meeting, member) is None  # a mail scanner's GET records nothing
    response = client.post(path, headers=EN)
    assert response.status_code == 303
    assert stored(meeting, member).answer == Answer.YES
    done = client.get(response.headers["Location"], headers=EN).text
    assert "Your answer is saved: Yes." in done
    assert "Log in to see the meeting" in done
    assert "Who comes" not in done
    assert client.get(f"/meetings/{meeting.id}").status_code == 302  # still not logged in


def test_one_click_link_in_dutch(app, client, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle)
    with app.test_request_context():
        path = link_path(meeting, member, Answer.NO)
    # needs the nl catalog
    assert "Bevestig mijn antwoord: Nee" in client.get(path).text


def test_one_click_link_expires_at_the_start(app, client, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle)
    with app.test_request_context():
        path = link_path(meeting, member, Answer.YES)
    meeting.starts_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    page = client.get(path, headers=EN)
    assert page.status_code == 410
    assert "This link has expired" in page.text
    client.post(path, headers=EN)
    assert stored(meeting, member) is None


def test_tampered_or_foreign_links_are_not_found(app, client, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle)
    other = make_meeting(circle)
    with app.test_request_context():
        path = link_path(meeting, member, Answer.YES)
        token = rsvp.answer_token(meeting, member, Answer.YES)
    assert client.get(path[:-2] + "xx").status_code == 404
    assert client.post(path[:-2] + "xx").status_code == 404
    assert client.get(f"/meetings/{other.id}/answer/{token}").status_code == 404
    assert stored(meeting, member) is None


def test_a_link_stops_working_when_the_member_left(app, client, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle)
    with app.test_request_context():
        path = link_path(meeting, member, Answer.YES)
    circle_services.leave(circle_services_membership(circle, member))
    db.session.commit()
    assert client.get(path).status_code == 404


# Guests ---------------------------------------------------------------------------------------


def test_coordinator_adds_a_guest_who_gets_a_mail_and_can_answer(client, login, people, mailbox):
    circle, coordinator, _ = people
    meeting = make_meeting(
        circle, title="Casusoverleg", place_address="Stationsplein 1, Enschede",
        agenda="Geheime casus van mevrouw X",
    )
    login(coordinator)
    response = client.post(
        f"/meetings/{meeting.id}/guests",
        data={"guest-name": "Gert Gast", "guest-email": "gert@example.org"},
        headers=EN,
    )
    assert response.status_code == 303
    guest = db.session.execute(sa.select(MeetingGuest)).scalar_one()
    assert guest.name == "Gert Gast"
    [message] = mailbox.to("gert@example.org")
    text = mailbox.text(message)
    assert "Casusoverleg" in text
    assert "Stationsplein 1, Enschede" in text
    assert "Geheime casus" not in text
    links = [line.split(": ", 1)[1] for line in text.splitlines()
             if line.startswith(("Yes: http", "No: http", "Maybe: http"))]
    assert len(links) == 3
    page = client.get(f"/meetings/{meeting.id}", headers=EN).text
    assert "Gert Gast" in page and "no answer yet" in page

    client.post("/account/logout")
    maybe = next(line for line in text.splitlines() if line.startswith("Maybe: http"))
    path = "/" + maybe.split("://", 1)[1].split("/", 1)[1]
    assert "Log in to see the meeting" not in client.get(path, headers=EN).text
    client.post(path, headers=EN)
    answer = db.session.execute(sa.select(Rsvp).filter_by(guest_id=guest.id)).scalar_one()
    assert answer.answer == Answer.MAYBE


def test_guest_mail_in_the_coordinators_language(client, login, people, mailbox):
    circle, coordinator, _ = people
    meeting = make_meeting(circle)
    login(coordinator)
    client.post(
        f"/meetings/{meeting.id}/guests",
        data={"guest-name": "Gert", "guest-email": "g@example.org"},
        headers={"Accept-Language": "en"},
    )
    assert "Will you come?" in mailbox.text(mailbox.to("g@example.org")[0])


def test_guest_form_errors_shown_and_input_kept(client, login, people, mailbox):
    circle, coordinator, _ = people
    meeting = make_meeting(circle)
    login(coordinator)
    response = client.post(
        f"/meetings/{meeting.id}/guests",
        data={"guest-name": "Gert Gast", "guest-email": "geen-adres"},
        headers=EN,
    )
    assert response.status_code == 422
    assert "Enter an e-mail address such as name@example.org." in response.text
    assert 'value="Gert Gast"' in response.text and 'value="geen-adres"' in response.text
    assert db.session.execute(sa.select(MeetingGuest)).scalar() is None
    assert not mailbox.messages


def test_only_coordinators_add_guests(client, login, people):
    circle, _, (member, *_) = people
    meeting = make_meeting(circle)
    login(member)
    response = client.post(
        f"/meetings/{meeting.id}/guests", data={"guest-name": "X", "guest-email": "x@example.org"}
    )
    assert response.status_code == 403
    assert "Add a guest" not in client.get(f"/meetings/{meeting.id}", headers=EN).text


# Who comes and access ----------------------------------------------------------------------------


def test_who_comes_lists_names_to_members(client, login, people):
    circle, coordinator, (a, b, c, d) = people
    meeting = make_meeting(circle, max_places=1)
    rsvp.answer(meeting, a, Answer.YES)
    rsvp.answer(meeting, b, Answer.YES)
    rsvp.answer(meeting, c, Answer.MAYBE)
    rsvp.answer(meeting, d, Answer.NO)
    db.session.commit()
    login(c)
    page = client.get(f"/meetings/{meeting.id}", headers=EN).text
    assert "Who comes" in page
    for name in ("Lid 1", "Lid 2", "Lid 3", "Lid 4"):
        assert name in page
    assert '<ol class="waitlist"><li>Lid 2</li></ol>' in page


@pytest.mark.parametrize("who", ["anonymous", "outsider", "admin"])
def test_access_to_answers(client, login, people, who):
    circle, _, (a, *_) = people
    meeting = make_meeting(circle)
    rsvp.answer(meeting, a, Answer.YES)
    db.session.commit()
    if who == "anonymous":
        assert client.get(f"/meetings/{meeting.id}").status_code == 302
        response = client.post(f"/meetings/{meeting.id}/answer", data={"answer": "yes"})
        assert response.status_code == 302
        return
    user = make_admin() if who == "admin" else make_user()
    login(user)
    page = client.get(f"/meetings/{meeting.id}", headers=EN).text
    response = client.post(f"/meetings/{meeting.id}/answer", data={"answer": "yes"})
    assert response.status_code == 403
    assert stored(meeting, user) is None
    if who == "admin":  # oversees the circle: sees who comes, but does not answer
        assert "Lid 1" in page
        assert f'id="answer-{meeting.id}"' not in page
    else:  # a signed-in circle is visible, its people are not
        assert "Who comes" not in page and "Lid 1" not in page


def test_member_of_another_circle_cannot_see_a_members_only_circles_meeting(client, login):
    coordinator = make_user()
    hidden = make_circle(coordinator, visibility="members")
    other = make_user()
    make_circle(other)
    meeting = make_meeting(hidden)
    login(other)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert client.post(f"/meetings/{meeting.id}/answer", data={"answer": "yes"}).status_code == 404


def test_meeting_page_answers_section_has_fixed_queries(client, login, people, count_queries):
    circle, coordinator, members = people
    meeting = make_meeting(circle, max_places=2)
    login(coordinator)

    def measure():
        with count_queries() as counter:
            assert client.get(f"/meetings/{meeting.id}").status_code == 200
        return counter.count

    small = measure()
    for n in range(12):
        user = make_user(name=f"Extra {n}")
        add_member(circle, user)
        rsvp.answer(meeting, user, [Answer.YES, Answer.MAYBE, Answer.NO][n % 3])
        db.session.add(MeetingGuest(meeting_id=meeting.id, name=f"Gast {n}", email="g@x.org"))
    db.session.commit()
    assert measure() == small


class TestWithCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_the_link_page_confirms_without_an_account(self, app, client, people):
        import re

        circle, _, (member, *_) = people
        meeting = make_meeting(circle)
        with app.test_request_context():
            path = link_path(meeting, member, Answer.MAYBE)
        page = client.get(path, headers=EN).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post(path).status_code == 400  # no token, nothing recorded
        assert stored(meeting, member) is None
        response = client.post(path, data={"csrf_token": token}, headers=EN)
        assert response.status_code == 303
        assert stored(meeting, member).answer == Answer.MAYBE

    def test_answer_buttons_carry_the_csrf_token(self, client, login, people):
        import re

        circle, _, (member, *_) = people
        meeting = make_meeting(circle)
        page = client.get("/account/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        credentials = {"email": member.email, "password": PASSWORD, "csrf_token": token}
        client.post("/account/login", data=credentials)
        page = client.get(f"/meetings/{meeting.id}", headers=EN).text
        form = page.split(f'id="answer-{meeting.id}"')[1].split("</form>")[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        client.post(f"/meetings/{meeting.id}/answer", data={"answer": "yes", "csrf_token": token})
        assert stored(meeting, member).answer == Answer.YES


def test_a_raised_maximum_serves_the_waitlist_before_newcomers(app, people):
    circle, _, (a, b, c, _d) = people
    meeting = make_meeting(circle, max_places=1)
    rsvp.answer(meeting, a, Answer.YES)
    rsvp.answer(meeting, b, Answer.YES)
    meeting.max_places = 2
    db.session.commit()
    rsvp.answer(meeting, c, Answer.YES)
    db.session.commit()
    assert stored(meeting, b).has_place
    assert stored(meeting, c).waitlisted_at is not None
    assert places_taken(meeting) == 2

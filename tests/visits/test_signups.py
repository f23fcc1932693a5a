"""Signing up for a visit: places and the waitlist (leerkring.places), cancelling promotes, the
host's list and its CSV, and the message to the host."""

import csv
import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.extensions import db
from leerkring.visits import services
from leerkring.visits.models import Visit, VisitSignup, VisitStatus
from tests.factories import make_user, make_visit, make_werkplaats_admin, werkplaats

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true", "Accept-Language": "en"}


def entry(visit, user) -> VisitSignup | None:
    db.session.expire_all()
    return db.session.execute(
        sa.select(VisitSignup).filter_by(visit_id=visit.id, user_id=user.id)
    ).scalar()


def places_taken(visit) -> int:
    db.session.expire_all()
    return db.session.get(Visit, visit.id).places_taken


def test_sign_up_gets_a_place_and_the_page_says_so(app, client, login):
    visit = make_visit(make_user(), max_places=2)
    visitor = make_user()
    login(visitor)
    response = client.post(f"/visits/{visit.id}/signup",
                           data={"learning_goal": "Hoe jullie de buurt betrekken."})
    assert response.status_code == 303
    signup = entry(visit, visitor)
    assert signup.has_place and signup.learning_goal == "Hoe jullie de buurt betrekken."
    page = client.get(f"/visits/{visit.id}", headers=EN)
    assert "You have a place." in page.text and "1 place left" in page.text


def test_sign_up_as_htmx_returns_the_box_with_flashes(app, client, login):
    visit = make_visit(make_user(), max_places=1)
    login(make_user())
    response = client.post(f"/visits/{visit.id}/signup", headers=HTMX, data={})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="visit-signup"' in response.text and 'hx-swap-oob="true"' in response.text
    assert "You have a place." in response.text
    page = client.get(f"/visits/{visit.id}")
    assert "<html" in page.text and 'id="visit-signup"' in page.text


def test_full_visit_puts_on_the_waitlist_and_cancel_promotes_the_first(app, client, login):
    visit = make_visit(make_user(), max_places=1)
    first, second, third = make_user(), make_user(), make_user()
    services.sign_up(visit, first)
    db.session.commit()
    login(second)
    client.post(f"/visits/{visit.id}/signup", data={})
    services.sign_up(db.session.get(Visit, visit.id), third)
    db.session.commit()
    assert not entry(visit, second).has_place and entry(visit, second).waitlisted_at
    page = client.get(f"/visits/{visit.id}", headers=EN)
    assert "You are number 1 on the waitlist." in page.text
    client.post("/account/logout")
    login(first)
    client.post(f"/visits/{visit.id}/signup/cancel")
    assert entry(visit, first) is None
    promoted = entry(visit, second)
    assert promoted.has_place and promoted.promoted_at is not None
    assert entry(visit, third).waitlisted_at is not None
    assert places_taken(visit) == 1


def test_sign_up_errors_keep_input(app, client, login):
    visit = make_visit(make_user())
    login(make_user())
    response = client.post(f"/visits/{visit.id}/signup", headers=EN,
                           data={"learning_goal": "Bel me op 06-12345678 " + "x" * 2000})
    assert response.status_code == 422
    assert "Use at most 2000 characters." in response.text
    assert "06-12345678" in response.text
    assert entry(visit, make_user()) is None


def test_sign_up_refused_after_the_start_and_when_cancelled(app, client, login):
    started = make_visit(make_user(), starts_at=datetime.now(UTC) - timedelta(minutes=5))
    cancelled = make_visit(make_user(), status=VisitStatus.CANCELLED)
    visitor = make_user()
    login(visitor)
    late = client.post(f"/visits/{started.id}/signup", headers=HTMX, data={})
    assert late.status_code == 409 and "already started" in late.text
    off = client.post(f"/visits/{cancelled.id}/signup", headers=HTMX, data={})
    assert off.status_code == 409 and "cancelled" in off.text
    assert entry(started, visitor) is None and entry(cancelled, visitor) is None


def test_host_and_pending_visits_cannot_be_signed_up_for(app, client, login):
    host = make_user()
    visit = make_visit(host)
    pending = make_visit(host, status=VisitStatus.PENDING)
    login(host)
    assert client.post(f"/visits/{visit.id}/signup", data={}).status_code == 403
    client.post("/account/logout")
    login(make_user())
    assert client.post(f"/visits/{pending.id}/signup", data={}).status_code == 404


def test_the_last_place_goes_to_exactly_one_of_several_at_once(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")
    visit = make_visit(make_user(), max_places=1)
    visit_id = visit.id
    contenders = [make_user().id for _ in range(5)]
    barrier = threading.Barrier(len(contenders))
    errors = []

    def take(user_id):
        try:
            with app.app_context():
                from leerkring.models import User

                user = db.session.get(User, user_id)
                target = db.session.get(Visit, visit_id)
                barrier.wait()
                services.sign_up(target, user)
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
    rows = db.session.execute(sa.select(VisitSignup).filter_by(visit_id=visit_id)).scalars().all()
    assert len(rows) == len(contenders)
    assert sum(r.has_place for r in rows) == 1
    assert sum(r.waitlisted_at is not None for r in rows) == len(contenders) - 1
    assert places_taken(visit) == 1


# The host's list ------------------------------------------------------------------------------


def visit_with_visitors():
    host = make_user()
    visit = make_visit(host, max_places=1)
    coming = make_user(name="Anna Bezoeker")
    waiting = make_user(name="Bram Wachter", home_werkplaats=werkplaats("flevoland"))
    services.sign_up(visit, coming, "Hoe jullie werken met ervaringsdeskundigen")
    services.sign_up(visit, waiting, "=SUM(A1)")
    db.session.commit()
    return host, visit


def test_host_sees_the_visitors_with_werkplaats_role_and_place(app, client, login):
    host, visit = visit_with_visitors()
    login(host)
    page = client.get(f"/visits/{visit.id}/visitors", headers=EN)
    for text in ("Anna Bezoeker", "Bram Wachter", werkplaats("flevoland").name, "Professional",
                 "Hoe jullie werken met ervaringsdeskundigen", "Waitlist 1"):
        assert text in page.text


def test_visitor_csv_has_a_header_and_each_visitor(app, client, login):
    host, visit = visit_with_visitors()
    login(host)
    response = client.get(f"/visits/{visit.id}/visitors.csv", headers=EN)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["Name", "Werkplaats", "Role", "What I want to learn", "Place or waitlist"]
    assert rows[1] == ["Anna Bezoeker", werkplaats("twente").name, "Professional",
                       "Hoe jullie werken met ervaringsdeskundigen", "Place"]
    assert rows[2][0] == "Bram Wachter" and rows[2][3] == "'=SUM(A1)" and rows[2][4] == (
        "Waitlist 1")


def test_visitor_list_is_for_those_who_manage(app, client, login):
    host, visit = visit_with_visitors()
    login(make_user())
    assert client.get(f"/visits/{visit.id}/visitors").status_code == 403
    assert client.get(f"/visits/{visit.id}/visitors.csv").status_code == 403
    client.post("/account/logout")
    login(make_werkplaats_admin("twente"))
    assert "Anna Bezoeker" in client.get(f"/visits/{visit.id}/visitors.csv").text


# Writing to the host --------------------------------------------------------------------------


def test_message_to_the_host_arrives_with_reply_to_and_no_address_shown(app, client, login,
                                                                       mailbox):
    host = make_user(email="host@example.org")
    visit = make_visit(host)
    sender = make_user(name="Sara Vraag", email="sara@example.org")
    login(sender)
    page = client.get(f"/visits/{visit.id}", headers=EN)
    assert "Ask the host" in page.text and "host@example.org" not in page.text
    response = client.post(f"/visits/{visit.id}/contact",
                           data={"body": "Mag ik een collega meenemen?"})
    assert response.status_code == 303
    [message] = mailbox.to("host@example.org")
    assert message["Reply-To"] == "sara@example.org"
    text = mailbox.text(message)
    assert "Mag ik een collega meenemen?" in text and "Sara Vraag" in text
    after = client.get(response.headers["Location"])
    assert "host@example.org" not in after.text


def test_empty_message_shows_the_error(app, client, login, mailbox):
    visit = make_visit(make_user())
    login(make_user())
    response = client.post(f"/visits/{visit.id}/contact", headers=EN, data={"body": ""})
    assert response.status_code == 422 and "Write your message." in response.text
    assert mailbox.messages == []


def test_no_message_to_a_pending_visit(app, client, login):
    host = make_user()
    visit = make_visit(host, status=VisitStatus.PENDING)
    login(make_werkplaats_admin("twente"))
    assert client.post(f"/visits/{visit.id}/contact", data={"body": "Hoi"}).status_code == 403


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True,
                                            "RATELIMIT_VISIT_CONTACT": "2/hour"}])
def test_messages_to_hosts_are_rate_limited(app, client, login, mailbox):
    visit = make_visit(make_user())
    login(make_user())
    codes = [client.post(f"/visits/{visit.id}/contact", data={"body": "Hoi"}).status_code
             for _ in range(3)]
    assert codes == [303, 303, 429]
    assert len(mailbox.messages) == 2


def test_sign_up_with_a_finding_asks_for_the_check_in_the_box(app, client, login):
    visit = make_visit(make_user())
    visitor = make_user()
    login(visitor)
    response = client.post(f"/visits/{visit.id}/signup", headers=HTMX,
                           data={"learning_goal": "Mijn buurvrouw, 06-12345678, wil ook komen."})
    assert response.status_code == 422
    assert "<html" not in response.text and 'id="visit-signup"' in response.text
    assert "06-12345678" in response.text and "tick the box" in response.text
    assert entry(visit, visitor) is None

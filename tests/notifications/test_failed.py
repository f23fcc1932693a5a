"""Association admins see the reminders that could not be sent, with their last error, and send
them again."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from leerkring import scheduler
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus
from tests import factories as f
from tests.circles.helpers import ENGLISH, HTMX, is_page
from tests.notifications import ui_helpers
from tests.notifications.ui_helpers import NAME, SUBJECT_TYPE, sign_in_as

ui_kind = ui_helpers.ui_kind

URL = "/notifications/failed"
ERROR = "SMTPServerDisconnected: Connection unexpectedly closed"


def failed(user, n=1, due_at=None, expires_at=None, status=DeliveryStatus.FAILED, kind=NAME):
    due_at = due_at or utcnow() - timedelta(hours=1)
    delivery = Delivery(
        user_id=user.id, kind=kind, subject_type=SUBJECT_TYPE, subject_id=n,
        channel=Channel.EMAIL, due_at=due_at, expires_at=expires_at or due_at + timedelta(days=1),
        status=status, attempts=6, last_error=ERROR,
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def test_only_association_admins_see_them(client, login):
    assert client.get(URL).headers["Location"].startswith("/account/login")
    assert client.post(f"{URL}/retry").headers["Location"].startswith("/account/login")
    coordinator = f.make_user()
    f.make_circle(coordinator=coordinator)
    delivery = failed(f.make_user())
    for user in (f.make_user(), coordinator, f.make_werkplaats_admin()):
        sign_in_as(client, login, user)
        assert client.get(URL).status_code == 403
        assert client.post(f"{URL}/{delivery.id}/retry").status_code == 403
        assert client.post(f"{URL}/retry").status_code == 403
    assert db.session.get(Delivery, delivery.id).status == DeliveryStatus.FAILED
    sign_in_as(client, login, f.make_admin())
    assert client.get(URL).status_code == 200


def test_the_list_shows_what_failed_newest_first_in_the_admins_zone(client, login, ui_kind):
    admin = f.make_admin(timezone="Asia/Tokyo")
    recipient = f.make_user(name="Anna de Vries", email="anna@example.org")
    due = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    failed(recipient, 1, due_at=due, expires_at=due + timedelta(days=3650))
    failed(recipient, 2, due_at=due + timedelta(hours=1), expires_at=due + timedelta(days=3650))
    failed(recipient, 3, status=DeliveryStatus.SENT)
    sign_in_as(client, login, admin)
    page = client.get(URL, headers=ENGLISH)
    assert is_page(page)
    assert "Reminders that could not be sent" in page.text
    assert page.text.count(ERROR) == 2
    assert "Something coming up" in page.text
    assert "Anna de Vries" in page.text and "anna@example.org" in page.text
    first = format_datetime(due + timedelta(hours=1), "short", tzinfo=ZoneInfo("Asia/Tokyo"),
                            locale="en")
    second = format_datetime(due, "short", tzinfo=ZoneInfo("Asia/Tokyo"), locale="en")
    assert "6:00" in first and page.text.index(first) < page.text.index(second)
    assert page.text.count(">Send again<") == 2
    dutch = client.get(URL)
    assert "Herinneringen die niet verstuurd konden worden" in dutch.text


def test_page_and_fragment_are_paginated(client, login, app):
    recipient = f.make_user()
    for n in range(app.config["PER_PAGE"] + 1):
        failed(recipient, n, due_at=utcnow() - timedelta(minutes=n))
    sign_in_as(client, login, f.make_admin())
    assert client.get(URL).text.count('name="csrf_token"') > app.config["PER_PAGE"]
    fragment = client.get(f"{URL}?page=2", headers=HTMX)
    assert not is_page(fragment)
    assert 'id="failed-deliveries"' in fragment.text
    assert fragment.text.count(ERROR) == 1


def test_nothing_failed(client, login):
    sign_in_as(client, login, f.make_admin())
    text = client.get(URL, headers=ENGLISH).text
    assert "Every reminder was sent: nothing failed." in text
    assert "Send all again" not in text


def test_a_retried_reminder_arrives(app, client, login, mailbox, ui_kind):
    recipient = f.make_user()
    ui_kind.want(recipient)
    ui_kind.plan()
    [email] = ui_kind.rows(channel=Channel.EMAIL)
    email.status, email.attempts, email.last_error = DeliveryStatus.FAILED, 6, ERROR
    db.session.commit()
    sign_in_as(client, login, f.make_admin())
    response = client.post(f"{URL}/{email.id}/retry", headers=ENGLISH)
    assert response.headers["Location"] == URL
    assert "The reminder will be sent again within a minute." in client.get(
        URL, headers=ENGLISH).text
    db.session.refresh(email)
    assert (email.status, email.attempts) == (DeliveryStatus.PENDING, 0)
    with scheduler.job_context(app):
        scheduler.deliver(utcnow())
    assert len(mailbox.to(recipient.email)) == 1


def test_a_reminder_whose_moment_passed_is_not_sent_again(client, login):
    late = failed(f.make_user(), due_at=utcnow() - timedelta(days=2),
                  expires_at=utcnow() - timedelta(days=1))
    sign_in_as(client, login, f.make_admin())
    page = client.get(URL, headers=ENGLISH).text
    assert "Too late to send" in page and ">Send again<" not in page
    client.post(f"{URL}/{late.id}/retry")
    assert db.session.get(Delivery, late.id).status == DeliveryStatus.FAILED
    assert client.post(f"{URL}/999999/retry").status_code == 404


def test_send_all_again(client, login):
    recipient = f.make_user()
    rows = [failed(recipient, n) for n in range(3)]
    late = failed(recipient, 9, due_at=utcnow() - timedelta(days=2),
                  expires_at=utcnow() - timedelta(days=1))
    sent = failed(recipient, 10, status=DeliveryStatus.SENT)
    sign_in_as(client, login, f.make_admin())
    client.post(f"{URL}/retry")
    assert "3 herinneringen worden binnen een minuut opnieuw verstuurd." in client.get(URL).text
    statuses = {row.id: row.status for row in db.session.execute(db.select(Delivery)).scalars()}
    assert [statuses[row.id] for row in rows] == [DeliveryStatus.PENDING] * 3
    assert (statuses[late.id], statuses[sent.id]) == (DeliveryStatus.FAILED, DeliveryStatus.SENT)


def test_the_admins_dashboard_counts_them(client, login):
    recipient = f.make_user()
    failed(recipient, 1)
    failed(recipient, 2)
    sign_in_as(client, login, f.make_admin())
    assert '2 herinneringen konden niet verstuurd worden.</a>' in client.get("/").text
    sign_in_as(client, login, recipient)
    assert "konden niet verstuurd worden" not in client.get("/").text


def test_the_list_is_a_fixed_number_of_queries(client, login, count_queries, app):
    admin = f.make_admin()
    sign_in_as(client, login, admin)

    def queries(count):
        for n in range(count):
            failed(f.make_user(), n)
        with count_queries() as counter:
            text = client.get(URL).text
        assert text.count(ERROR) == min(count, app.config["PER_PAGE"])
        db.session.execute(db.delete(Delivery))
        db.session.commit()
        return counter.count

    assert queries(2) == queries(25)

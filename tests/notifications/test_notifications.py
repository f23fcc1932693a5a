"""In-app notices: written in the same transaction, shown in the reader's language, read once."""

from datetime import UTC, datetime, timedelta

from leerkring.extensions import db
from leerkring.models import Notification
from leerkring.notifications import services
from tests import factories as f
from tests.circles.helpers import ENGLISH, HTMX, is_page


def notice(user, kind="circle_request_approved", circle="Armoede Twente", **kw):
    notification = services.notify(user, kind, "/circles/1", circle=circle)
    for name, value in kw.items():
        setattr(notification, name, value)
    db.session.commit()
    return notification


def test_notify_adds_a_row_in_the_current_transaction(app):
    user = f.make_user()
    services.notify(user, "circle_request_declined", "/circles/", circle="Impact")
    db.session.rollback()
    assert db.session.execute(db.select(Notification)).first() is None
    services.notify(user, "circle_request_declined", "/circles/", circle="Impact")
    db.session.commit()
    stored = db.session.execute(db.select(Notification)).scalar_one()
    assert (stored.user_id, stored.kind, stored.params, stored.read_at) == (
        user.id, "circle_request_declined", {"circle": "Impact"}, None)


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/notifications/").headers["Location"].startswith("/account/login")
    assert "/account/login" in client.get("/notifications/", headers=HTMX).headers["HX-Redirect"]
    assert client.post("/notifications/read").headers["Location"].startswith("/account/login")


def test_shown_in_the_readers_language_and_marked_read(client, login):
    user = f.make_user()
    notice(user)
    login(user)
    assert ('<span class="badge" aria-hidden="true">1</span>'
            '<span class="visually-hidden"> (1 ongelezen)</span>') in client.get("/circles/").text
    dutch = client.get("/notifications/")
    assert is_page(dutch)
    assert "Je doet nu mee met Armoede Twente." in dutch.text
    assert 'href="/circles/1"' in dutch.text
    assert "Nieuw" in dutch.text
    assert db.session.execute(db.select(Notification)).scalar_one().read_at is not None

    english = client.get("/notifications/", headers=ENGLISH)
    assert "You are now a member of Armoede Twente." in english.text
    assert "New</strong>" not in english.text  # read now
    assert 'class="badge"' not in english.text.split("<main")[0]


def test_names_are_escaped(client, login):
    user = f.make_user()
    notice(user, circle="<script>x</script>")
    login(user)
    text = client.get("/notifications/").text
    assert "<script>x</script>" not in text and "&lt;script&gt;x&lt;/script&gt;" in text


def test_only_your_own_notices(client, login):
    notice(f.make_user(), circle="Iemand anders")
    login(f.make_user())
    text = client.get("/notifications/").text
    assert "Iemand anders" not in text
    assert "Nog geen meldingen." in text


def test_newest_first_paginated_page_and_fragment(client, login, app):
    user = f.make_user()
    start = datetime.now(UTC) - timedelta(days=1)
    for n in range(app.config["PER_PAGE"] + 1):
        notice(user, circle=f"Kring {n:02d}", created_at=start + timedelta(minutes=n))
    login(user)
    first = client.get("/notifications/").text
    assert first.index("Kring 20") < first.index("Kring 19")
    assert "Kring 00" not in first
    fragment = client.get("/notifications/?page=2", headers=HTMX)
    assert not is_page(fragment)
    assert 'id="notification-list"' in fragment.text and "Kring 00" in fragment.text
    unread = db.session.execute(db.select(Notification).filter_by(read_at=None)).scalars().all()
    assert unread == []


def test_mark_all_as_read(client, login, app):
    user = f.make_user()
    for n in range(app.config["PER_PAGE"] + 3):
        notice(user, circle=f"Kring {n}")
    login(user)
    response = client.post("/notifications/read")
    assert response.headers["Location"] == "/notifications/"
    assert "Alle meldingen zijn gemarkeerd als gelezen." in client.get("/notifications/").text
    assert services.unread_count(user) == 0


def test_the_unread_count_is_one_query_and_zero_when_signed_out(app, client, login,
                                                               count_queries):
    from flask_login import login_user

    from leerkring.notifications.views import unread_notifications

    with app.test_request_context(), count_queries() as counter:
        assert unread_notifications() == {"unread_notifications": 0}
    assert counter.count == 0
    user = f.make_user()
    notice(user)
    notice(user, read_at=datetime.now(UTC))
    with app.test_request_context():
        login_user(user)
        with count_queries() as counter:
            assert unread_notifications() == {"unread_notifications": 1}
    assert counter.count == 1
    login(user)
    assert '<span class="badge" aria-hidden="true">1</span>' in client.get("/").text


def test_an_unregistered_kind_falls_back_to_a_plain_notice(client, login):
    user = f.make_user()
    db.session.add(Notification(user_id=user.id, kind="removed_kind", url="", params={}))
    db.session.commit()
    login(user)
    assert "Je hebt een melding." in client.get("/notifications/").text

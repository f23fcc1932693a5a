"""One-click unsubscribe from a reminder mail: the signed link asks on GET and acts on POST,
also on the RFC 8058 one-click POST that mail clients send without a CSRF token."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from leerkring import scheduler
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications import preferences
from leerkring.notifications.models import (
    Channel,
    DeliveryStatus,
    Digest,
    KindPreference,
    NotificationSettings,
)
from tests import factories as f
from tests.circles.helpers import ENGLISH, is_page
from tests.notifications import ui_helpers
from tests.notifications.ui_helpers import NAME

ui_kind = ui_helpers.ui_kind

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def email_choice(user):
    return db.session.execute(
        db.select(KindPreference.is_enabled).filter_by(
            user_id=user.id, kind=NAME, channel=Channel.EMAIL
        )
    ).scalar()


def received_link(app, mailbox, ui_kind, user) -> str:
    """Plan and send a reminder to ``user``; the unsubscribe link of the mail received."""
    ui_kind.want(user)
    ui_kind.plan()
    with scheduler.job_context(app):
        scheduler.deliver(utcnow())
    [message] = mailbox.to(user.email)
    header = message["List-Unsubscribe"].strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header in mailbox.text(message)
    return urlsplit(header).path


def test_the_link_in_a_received_mail_asks_first_and_then_turns_mail_off(
    app, client, mailbox, ui_kind
):
    user = f.make_user()
    link = received_link(app, mailbox, ui_kind, user)

    page = client.get(link, headers=ENGLISH)
    assert is_page(page) and page.status_code == 200
    assert "Do you want to stop getting “Something coming up” by e-mail?" in page.text
    assert f'action="{link}" method="post"' in page.text
    assert email_choice(user) is None  # a GET never acts: mail scanners follow links

    response = client.post(link)
    assert response.status_code == 303 and response.headers["Location"] == link
    assert email_choice(user) is False
    assert preferences.channels(user, ui_kind.kind)[Channel.INAPP] is True
    after = client.get(link, headers=ENGLISH)
    assert "You no longer get “Something coming up” by e-mail." in after.text
    assert "Stop these e-mails" not in after.text


def test_the_page_is_dutch_by_default(app, client, mailbox, ui_kind):
    user = f.make_user()
    link = received_link(app, mailbox, ui_kind, user)
    page = client.get(link)
    assert "Wil je “Something coming up” niet meer per e-mail krijgen?" in page.text
    assert "Stop deze e-mails" in page.text


def test_reminders_already_planned_by_mail_are_cancelled(client, ui_kind):
    user = f.make_user()
    ui_kind.want(user, subject_id=2, due_at=utcnow() + timedelta(hours=5))
    ui_kind.plan(subject_ids=(2,))
    client.post(urlsplit(preferences.unsubscribe_url(user, NAME)).path)
    assert {(row.channel, row.status) for row in ui_kind.rows()} == {
        (Channel.EMAIL, DeliveryStatus.CANCELLED),
        (Channel.INAPP, DeliveryStatus.PENDING),
    }


def test_a_bad_link_changes_nothing(client, ui_kind):
    user = f.make_user()
    good = urlsplit(preferences.unsubscribe_url(user, NAME)).path
    for path in (good[:-3] + "xyz", "/notifications/unsubscribe/nonsense"):
        response = client.post(path, headers=ENGLISH)
        assert response.status_code == 404
        assert "This link does not work" in response.text
        assert "nothing was changed" in response.text
    assert email_choice(user) is None


def test_a_link_for_a_kind_or_user_that_is_gone(client, app):
    user = f.make_user()
    with app.test_request_context():
        gone_kind = urlsplit(preferences.unsubscribe_url(user, "no_such_kind")).path
        nobody = f.make_user()
        gone_user = urlsplit(preferences.unsubscribe_url(nobody, "digest")).path
    db.session.delete(nobody)
    db.session.commit()
    assert client.get(gone_kind).status_code == 404
    assert client.post(gone_user).status_code == 404


def test_unsubscribing_from_the_digest_sets_it_to_never(client, app):
    user = f.make_user()
    path = urlsplit(preferences.unsubscribe_url(user, "digest")).path
    client.post(path, data=ONE_CLICK)
    assert db.session.get(NotificationSettings, user.id).digest == Digest.NEVER
    assert db.session.execute(db.select(KindPreference)).first() is None


class TestWithCsrfProtection:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_the_one_click_post_of_a_mail_client_works_without_a_csrf_token(
        self, app, client, mailbox, ui_kind
    ):
        user = f.make_user()
        link = received_link(app, mailbox, ui_kind, user)
        response = client.post(link, data=ONE_CLICK)
        assert response.status_code == 200
        assert email_choice(user) is False

    def test_other_posts_still_need_a_token(self, client):
        response = client.post("/notifications/preferences", data={"digest": "never"})
        assert response.status_code == 400
        assert "Het formulier is verlopen" in response.text

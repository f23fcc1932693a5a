"""Forgotten and changed passwords: one answer for every address, links that work once."""

from datetime import UTC, datetime

from itsdangerous.timed import TimestampSigner

from leerkring.extensions import db
from leerkring.models import AuditEvent
from tests.accounts.helpers import ENGLISH, link_in, page_text
from tests.conftest import Mailbox
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "een heel nieuw wachtwoord"


def reset_link(client, mailbox, user) -> str:
    client.post("/account/password/forgot", data={"email": user.email})
    return link_in(mailbox.to(user.email)[-1], "/account/password/reset/")


def can_log_in(app, user, password) -> bool:
    response = app.test_client().post(
        "/account/login", data={"email": user.email, "password": password})
    return response.status_code == 303


class TestForgotPassword:
    def test_page_in_dutch_and_english(self, client):
        dutch = client.get("/account/password/forgot")
        assert "<h1>Wachtwoord vergeten?</h1>" in dutch.text
        assert 'autocomplete="email"' in dutch.text
        assert "<h1>Forgot your password?</h1>" in client.get(
            "/account/password/forgot", headers=ENGLISH).text

    def test_errors_shown_and_input_kept(self, client):
        response = client.post("/account/password/forgot", data={"email": "kim@"})
        assert response.status_code == 422
        assert '<small id="email-error" class="field-error">Vul een e-mailadres in zoals' in (
            response.text
        )
        assert 'value="kim@"' in response.text

    def test_errors_in_english(self, client):
        response = client.post("/account/password/forgot", data={"email": ""}, headers=ENGLISH)
        assert "Enter your e-mail address." in response.text

    def test_same_answer_whether_or_not_the_account_exists(self, app, mailbox):
        user = make_user()
        answers = [
            app.test_client().post("/account/password/forgot", data={"email": email},
                                   follow_redirects=True)
            for email in (user.email, "niemand@example.org")
        ]
        assert [a.request.path for a in answers] == ["/account/login", "/account/login"]
        assert page_text(answers[0]) == page_text(answers[1])
        assert "Als er een account bij dat adres hoort" in answers[0].text
        assert len(mailbox.to(user.email)) == 1
        assert mailbox.to("niemand@example.org") == []

    def test_the_mail_is_in_the_users_own_language(self, client, mailbox):
        user = make_user(locale="en")
        client.post("/account/password/forgot", data={"email": user.email})
        [message] = mailbox.to(user.email)
        assert message["Subject"] == "Choose a new password for Leerkring"
        assert "The link works once, for 1 hour." in Mailbox.text(message)


class TestResetPassword:
    def test_page(self, client, mailbox):
        response = client.get(reset_link(client, mailbox, make_user()))
        assert response.status_code == 200
        assert "<h1>Kies een nieuw wachtwoord</h1>" in response.text
        assert 'autocomplete="new-password"' in response.text

    def test_errors_shown(self, client, mailbox):
        link = reset_link(client, mailbox, make_user())
        response = client.post(link, data={"password": "te kort"})
        assert response.status_code == 422
        assert '<small id="password-error" class="field-error">Gebruik minstens 10 tekens.' in (
            response.text
        )
        english = client.post(link, data={"password": ""}, headers=ENGLISH)
        assert "Choose a password." in english.text

    def test_a_reset_sets_the_password_and_the_link_works_once(self, app, client, mailbox):
        user = make_user()
        link = reset_link(client, mailbox, user)
        response = client.post(link, data={"password": NEW_PASSWORD})
        assert response.status_code == 303
        assert response.headers["Location"] == "/account/login"
        assert "Je nieuwe wachtwoord is ingesteld." in client.get("/account/login").text
        assert can_log_in(app, user, NEW_PASSWORD)
        assert not can_log_in(app, user, PASSWORD)
        assert "is zojuist gewijzigd" in Mailbox.text(mailbox.to(user.email)[-1])
        assert db.session.scalar(db.select(AuditEvent.user_id).filter_by(
            action="password_reset")) == user.id

        again = client.get(link)
        assert again.status_code == 400
        assert "De link is verlopen of al gebruikt." in again.text
        assert client.post(link, data={"password": "nog een ander wachtwoord"}).status_code == 400
        assert can_log_in(app, user, NEW_PASSWORD)

    def test_an_older_link_is_spent_by_a_newer_reset(self, client, mailbox):
        user = make_user()
        first = reset_link(client, mailbox, user)
        second = reset_link(client, mailbox, user)
        client.post(second, data={"password": NEW_PASSWORD})
        assert client.get(first).status_code == 400

    def test_an_expired_link_does_not_work(self, client, mailbox, monkeypatch):
        link = reset_link(client, mailbox, make_user())
        later = int(datetime.now(UTC).timestamp()) + 3600 + 60
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
        response = client.get(link)
        assert response.status_code == 400
        assert "Vraag een nieuwe link aan" in response.text

    def test_a_tampered_link_does_not_work(self, client, mailbox):
        link = reset_link(client, mailbox, make_user())
        assert client.get(link[:-4] + "abcd").status_code == 400

    def test_a_reset_ends_every_other_session(self, app, client, mailbox, login):
        user = make_user()
        login(user)
        old_token = user.session_token
        assert client.get("/account/profile").status_code == 200

        other = app.test_client()
        other.post("/account/password/forgot", data={"email": user.email})
        link = link_in(mailbox.to(user.email)[-1], "/account/password/reset/")
        other.post(link, data={"password": NEW_PASSWORD})

        db.session.refresh(user)
        assert user.session_token != old_token
        response = client.get("/account/profile")
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]

    def test_a_reset_confirms_the_address(self, client, mailbox):
        user = make_user(email_verified_at=None)
        client.post(reset_link(client, mailbox, user), data={"password": NEW_PASSWORD})
        db.session.refresh(user)
        assert user.is_verified


class TestChangePassword:
    def test_page(self, client, login):
        login(make_user())
        response = client.get("/account/password")
        assert "<h1>Wijzig je wachtwoord</h1>" in response.text
        assert 'autocomplete="current-password"' in response.text
        assert 'autocomplete="new-password"' in response.text
        english = client.get("/account/password", headers=ENGLISH)
        assert "<h1>Change your password</h1>" in english.text

    def test_needs_login(self, client):
        response = client.get("/account/password")
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]

    def test_a_wrong_current_password_is_refused(self, app, client, login):
        user = make_user()
        login(user)
        response = client.post("/account/password",
                               data={"current_password": "niet mijn wachtwoord",
                                     "new_password": NEW_PASSWORD})
        assert response.status_code == 422
        assert ('<small id="current_password-error" class="field-error">'
                "Dit is niet je huidige wachtwoord.</small>") in response.text
        assert can_log_in(app, user, PASSWORD)

    def test_errors_in_english(self, client, login):
        login(make_user())
        response = client.post("/account/password", headers=ENGLISH,
                               data={"current_password": "", "new_password": "short"})
        assert "Enter your current password." in response.text
        assert "Use at least 10 characters." in response.text

    def test_changing_keeps_this_session_and_ends_the_others(self, app, client, login, mailbox):
        user = make_user()
        other = app.test_client()
        other.post("/account/login", data={"email": user.email, "password": PASSWORD})
        assert other.get("/account/profile").status_code == 200
        login(user)

        response = client.post("/account/password",
                               data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
        assert response.status_code == 303
        assert response.headers["Location"] == "/account/profile"
        page = client.get("/account/profile")
        assert page.status_code == 200
        assert "Je wachtwoord is gewijzigd." in page.text
        assert other.get("/account/profile").status_code == 302
        assert can_log_in(app, user, NEW_PASSWORD)
        [message] = mailbox.to(user.email)
        assert message["Subject"] == "Je Leerkring-wachtwoord is gewijzigd"

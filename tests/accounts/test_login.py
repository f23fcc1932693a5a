"""Logging in and out: one answer for every wrong combination, a fresh session on success."""

import pytest
from argon2 import PasswordHasher

from leerkring.extensions import db
from leerkring.models import AuditEvent
from tests.accounts.helpers import ENGLISH, link_in, page_text
from tests.factories import PASSWORD, make_user


def audit_events(action):
    return db.session.execute(db.select(AuditEvent).filter_by(action=action)).scalars().all()


def test_login_page_in_dutch(client):
    response = client.get("/account/login")
    assert response.status_code == 200
    assert "<h1>Inloggen</h1>" in response.text
    assert 'name="email"' in response.text and 'autocomplete="email"' in response.text
    assert 'name="password"' in response.text and 'autocomplete="current-password"' in response.text
    assert "Blijf ingelogd op dit apparaat" in response.text
    assert 'href="/account/password/forgot"' in response.text


def test_login_page_in_english(client):
    response = client.get("/account/login", headers=ENGLISH)
    assert "<h1>Log in</h1>" in response.text
    assert "Forgot your password?" in response.text


def test_empty_fields_are_shown_next_to_the_fields(client):
    response = client.post("/account/login", data={"email": "iemand@example.org", "password": ""})
    assert response.status_code == 422
    assert '<small id="password-error" class="field-error">Vul je wachtwoord in.</small>' in (
        response.text
    )
    assert 'value="iemand@example.org"' in response.text


def test_empty_fields_in_english(client):
    response = client.post("/account/login", data={}, headers=ENGLISH)
    assert "Enter your e-mail address." in response.text
    assert "Enter your password." in response.text


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client):
    user = make_user(email="bekend@example.org")
    wrong = client.post("/account/login", data={"email": user.email, "password": "fout wachtwoord"})
    unknown = client.post("/account/login",
                          data={"email": "onbekend@example.org", "password": "fout wachtwoord"})
    assert wrong.status_code == unknown.status_code == 422
    assert "Het e-mailadres of het wachtwoord klopt niet." in wrong.text
    same = page_text(wrong).replace("bekend@", "X@")
    assert same == page_text(unknown).replace("onbekend@", "X@")
    assert 'value="bekend@example.org"' in wrong.text  # the address is kept, the password never


def test_failed_logins_are_audited_without_the_address_or_the_password(client):
    user = make_user()
    client.post("/account/login", data={"email": user.email, "password": "fout wachtwoord"})
    client.post("/account/login", data={"email": "onbekend@example.org", "password": "geheim123"})
    events = audit_events("login_failed")
    assert [(e.user_id, e.detail) for e in events] == [
        (user.id, "wrong password"), (None, "unknown account")
    ]
    for event in events:
        assert "@" not in event.detail and "fout" not in event.detail


def test_an_unconfirmed_account_is_refused_with_a_new_link_on_offer(client, mailbox):
    user = make_user(email_verified_at=None)
    response = client.post("/account/login",
                           data={"email": user.email, "password": PASSWORD, "next": "/circles/"})
    assert response.status_code == 422
    assert "Je e-mailadres is nog niet bevestigd." in response.text
    assert 'action="/account/verify/resend"' in response.text
    assert f'<input type="hidden" name="email" value="{user.email}">' in response.text
    assert client.get("/account/profile").status_code == 302  # not logged in
    assert audit_events("login_failed")[0].detail == "unverified"

    client.post("/account/verify/resend", data={"email": user.email, "next": "/circles/"})
    assert link_in(mailbox.to(user.email)[0], "/account/verify/").endswith("?next=/circles/")


def test_a_wrong_password_on_an_unconfirmed_account_says_nothing_about_it(client):
    user = make_user(email_verified_at=None)
    response = client.post("/account/login", data={"email": user.email, "password": "fout!"})
    assert "Het e-mailadres of het wachtwoord klopt niet." in response.text
    assert "nog niet bevestigd" not in response.text


def test_logging_in_goes_to_next_and_is_recorded(client):
    user = make_user(email="Kim@Example.org".lower())
    response = client.post("/account/login", data={
        "email": " KIM@example.org ", "password": PASSWORD, "next": "/circles/?q=armoede"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/circles/?q=armoede"
    db.session.refresh(user)
    assert user.last_login_at is not None
    assert [e.user_id for e in audit_events("login")] == [user.id]
    assert client.get("/account/profile").status_code == 200


@pytest.mark.parametrize(
    "next_url", ["//evil.example/", "https://evil.example/", "/\\evil.example"]
)
def test_logging_in_never_leaves_the_site(client, next_url):
    user = make_user()
    response = client.post("/account/login",
                           data={"email": user.email, "password": PASSWORD, "next": next_url})
    assert response.headers["Location"] == "/"


def test_a_password_hashed_with_old_parameters_is_rehashed(client):
    old_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    user = make_user(password_hash=old_hasher.hash(PASSWORD))
    old_hash = user.password_hash
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    db.session.refresh(user)
    assert user.password_hash != old_hash
    assert not PasswordHasher().check_needs_rehash(user.password_hash)
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


def test_logging_in_starts_a_new_session(client):
    """Nothing planted in the session before login survives it (session fixation)."""
    user = make_user()
    client.get("/account/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["locale"] = "en"
    before = client.get_cookie("session", domain="leerkring.test").value
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    after = client.get_cookie("session", domain="leerkring.test").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.get_id()
        assert session["locale"] == "en"  # the chosen language is the one thing carried over


def test_remember_me_sets_a_lasting_cookie(client):
    user = make_user()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    cookie = client.get_cookie("remember_token", domain="leerkring.test")
    assert cookie.value.startswith(f"{user.id}:")


def test_logging_out_forgets_the_device(client):
    user = make_user()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    client.post("/account/logout")
    assert client.get_cookie("remember_token", domain="leerkring.test") is None
    assert client.get("/account/profile").status_code == 302


def test_without_remember_me_no_lasting_cookie(client):
    user = make_user()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert client.get_cookie("remember_token", domain="leerkring.test") is None


def test_a_signed_in_user_is_sent_on_from_the_login_page(client, login):
    login(make_user())
    response = client.get("/account/login?next=/circles/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/circles/"


def test_login_and_logout_load_whole_pages_because_the_session_is_renewed(client, login):
    assert 'action="/account/login" method="post" hx-boost="false"' in (
        client.get("/account/login").text
    )
    login(make_user())
    assert 'action="/account/logout" method="post" hx-boost="false"' in (
        client.get("/account/profile").text
    )


def test_logging_out(client, login):
    user = make_user()
    login(user)
    response = client.post("/account/logout")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert "_user_id" not in session
        assert session["_flashes"] == [("success", "Je bent uitgelogd.")]
    assert client.get("/account/profile").status_code == 302
    assert [e.user_id for e in audit_events("logout")] == [user.id]

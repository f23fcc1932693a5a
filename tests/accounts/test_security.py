"""Rate limits, CSRF, labelled fields, and what the account code leaves in logs."""

import logging
import re
from html.parser import HTMLParser

import pytest
from argon2 import PasswordHasher

from leerkring.accounts import passwords
from tests.accounts.helpers import ENGLISH, registration
from tests.factories import PASSWORD, make_user


class TestRateLimits:
    @pytest.fixture
    def app_overrides(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_REGISTER": "2/hour",
                "RATELIMIT_PASSWORD_RESET": "2/hour", "RATELIMIT_RESEND_VERIFICATION": "2/hour"}

    def test_login_allows_ten_attempts_a_minute(self, client):
        for _ in range(10):
            attempt = client.post("/account/login",
                                  data={"email": "kim@example.org", "password": "raden"})
            assert attempt.status_code == 422
            assert client.get("/account/login").status_code == 200  # only POST counts
        refused = client.post("/account/login", data={"email": "kim@example.org", "password": "x"})
        assert refused.status_code == 429
        assert "<h1>Te veel pogingen</h1>" in refused.text
        assert "Wacht even en probeer het daarna opnieuw." in refused.text
        assert "Retry-After" in refused.headers

    def test_the_limit_counts_failed_and_good_attempts_alike(self, client):
        user = make_user()
        for _ in range(10):
            client.post("/account/login", data={"email": user.email, "password": "raden"})
        refused = client.post("/account/login", data={"email": user.email, "password": PASSWORD},
                              headers=ENGLISH)
        assert refused.status_code == 429
        assert "<h1>Too many attempts</h1>" in refused.text

    @pytest.mark.parametrize("path, data", [
        ("/account/register", registration()),
        ("/account/password/forgot", {"email": "kim@example.org"}),
        ("/account/verify/resend", {"email": "kim@example.org"}),
    ])
    def test_registration_reset_and_resend_are_limited(self, client, path, data):
        for _ in range(2):
            assert client.post(path, data=data).status_code == 303
        refused = client.post(path, data=data)
        assert refused.status_code == 429
        assert "Te veel pogingen" in refused.text

    def test_a_reset_link_is_limited(self, client):
        for _ in range(2):
            assert client.post("/account/password/reset/nonsense", data={}).status_code == 400
        assert client.post("/account/password/reset/nonsense", data={}).status_code == 429


class TestCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_login_without_token_is_refused(self, client):
        user = make_user()
        response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400
        assert "<h1>Het formulier is verlopen</h1>" in response.text
        assert client.get("/account/profile").status_code == 302

    def test_a_login_with_the_token_of_the_page_works(self, client):
        user = make_user()
        page = client.get("/account/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
        response = client.post("/account/login", data=data)
        assert response.status_code == 303

    def test_the_language_switch_needs_the_token(self, client):
        response = client.post("/account/language", data={"locale": "en"}, headers=ENGLISH)
        assert response.status_code == 400
        assert "The form has expired" in response.text


class FieldAudit(HTMLParser):
    """Collects form controls and the ids that a <label for> points at."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and "for" in attrs:
            self.labelled.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden", "submit"
        ):
            self.controls.append(attrs)


@pytest.mark.parametrize("path", [
    "/account/login", "/account/register", "/account/verify/resend",
    "/account/password/forgot", "/account/profile", "/account/password",
])
def test_every_field_has_a_label(client, login, path):
    login(make_user())
    if path != "/account/profile" and path != "/account/password":
        client.post("/account/logout")
    audit = FieldAudit()
    audit.feed(client.get(path).text)
    assert audit.controls
    unlabelled = [c for c in audit.controls if c.get("id") not in audit.labelled]
    assert unlabelled == []


def test_logs_carry_no_addresses_or_passwords(client, caplog):
    user = make_user()
    with caplog.at_level(logging.DEBUG):
        client.post("/account/register", data=registration())
        client.post("/account/login", data={"email": user.email, "password": "geheim wachtwoord"})
        client.post("/account/password/forgot", data={"email": user.email})
    ours = "\n".join(  # "mail.log" is the test's own SMTP server
        record.getMessage() for record in caplog.records if not record.name.startswith("mail.")
    )
    secrets = (user.email, "sanne@example.org", "geheim wachtwoord", registration()["password"])
    for secret in secrets:
        assert secret not in ours


def test_an_unknown_account_costs_a_real_password_check(monkeypatch):
    checked = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash, password):
            checked.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(passwords, "hasher", CountingHasher())
    assert passwords.check_password(None, "no account has this password") is False
    assert checked and checked[0].startswith("$argon2id$")

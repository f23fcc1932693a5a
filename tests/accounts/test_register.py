"""Registration, the confirmation mail and its link, without telling who has an account."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from itsdangerous.timed import TimestampSigner

from leerkring.extensions import db
from leerkring.models import FieldRole, User
from tests.accounts.helpers import ENGLISH, link_in, page_text, registration
from tests.conftest import Mailbox
from tests.factories import make_user, werkplaats

INVITATION = "/circles/invitations/abc123"


def user_by_email(email):
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()


def test_register_page_in_dutch(client):
    response = client.get("/account/register")
    assert response.status_code == 200
    assert "<h1>Account aanmaken</h1>" in response.text
    for label in ("Professional", "Docent", "Onderzoeker", "Beleidsmaker", "Student",
                  "Ervaringsdeskundige", "Anders"):
        assert label in response.text
    assert '<option selected value="">Landelijk / geen Werkplaats</option>' in response.text
    assert ">Twente</option>" in response.text
    assert "Associatie Werkplaatsen" not in response.text  # the association is not a home
    for field, autocomplete in (("name", "name"), ("email", "email"),
                                ("password", "new-password"), ("organisation", "organization")):
        assert f'<label for="{field}">' in response.text
        assert f'autocomplete="{autocomplete}"' in response.text


def test_register_page_in_english(client):
    response = client.get("/account/register", headers=ENGLISH)
    assert "<h1>Create an account</h1>" in response.text
    assert "Experience expert" in response.text
    assert "National / no Werkplaats" in response.text


def test_register_prefills_the_address_and_carries_next(client):
    response = client.get(f"/account/register?email=kim@example.org&next={INVITATION}")
    assert 'value="kim@example.org"' in response.text
    assert f'<input type="hidden" name="next" value="{INVITATION}">' in response.text


def test_register_drops_a_next_that_leaves_the_site(client):
    response = client.get("/account/register?next=//evil.example/x")
    assert 'value="//evil.example' not in response.text
    assert "/account/login?next=" not in response.text


def test_register_errors_are_shown_next_to_the_fields_and_input_is_kept(client):
    data = registration(name="", email="geen-adres", password="kort", field_role="",
                        organisation="Gemeente Enschede", home_werkplaats=str(werkplaats().id))
    response = client.post("/account/register", data=data)
    assert response.status_code == 422
    assert '<small id="name-error" class="field-error">Vul je naam in.</small>' in response.text
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in response.text
    assert "Gebruik minstens 10 tekens." in response.text
    assert "Kies je rol in het werkveld." in response.text
    assert 'value="geen-adres"' in response.text
    assert 'value="Gemeente Enschede"' in response.text
    assert f'<option selected value="{werkplaats().id}">Twente</option>' in response.text
    assert 'aria-describedby="email-hint email-error"' in response.text
    assert user_by_email("geen-adres") is None


def test_register_errors_in_english(client):
    response = client.post("/account/register", headers=ENGLISH,
                           data=registration(password="short", field_role="student"))
    assert response.status_code == 422
    assert "Use at least 10 characters." in response.text
    assert 'value="sanne@example.org"' in response.text
    assert 'checked id="field_role-4" name="field_role" required type="radio" value="student"' in (
        response.text
    )


def test_registration_confirmation_and_login(client, mailbox):
    data = registration(home_werkplaats=str(werkplaats("zuyd").id), next=INVITATION)
    response = client.post("/account/register", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/account/verify?next={INVITATION}"

    page = client.get(response.headers["Location"])
    assert "Kijk in je mail" in page.text

    user = user_by_email("sanne@example.org")
    assert user.name == "Sanne de Vries"
    assert user.field_role == FieldRole.PROFESSIONAL
    assert user.home_werkplaats.slug == "zuyd"
    assert user.organisation == "Wijkteam Oost"
    assert user.password_hash.startswith("$argon2id$")
    assert user.email_verified_at is None

    [message] = mailbox.to("sanne@example.org")
    assert message["Subject"] == "Bevestig je e-mailadres voor Leerkring"
    assert "Hallo Sanne de Vries," in Mailbox.text(message)
    assert "3 dagen" in Mailbox.text(message)
    link = link_in(message, "/account/verify/")
    assert link.startswith("http://leerkring.test/account/verify/")
    assert f'href="{link.replace("&", "&amp;")}"' in message.get_body(("html",)).get_content()

    confirmed = client.get(link)
    assert confirmed.status_code == 303
    login_url = confirmed.headers["Location"]
    assert parse_qs(urlsplit(login_url).query)["next"] == [INVITATION]
    login_page = client.get(login_url)
    assert "Je e-mailadres is bevestigd." in login_page.text
    assert f'<input type="hidden" name="next" value="{INVITATION}">' in login_page.text
    db.session.refresh(user)
    assert user.email_verified_at is not None

    logged_in = client.post("/account/login", data={
        "email": "Sanne@Example.org", "password": data["password"], "next": INVITATION})
    assert logged_in.status_code == 303
    assert logged_in.headers["Location"] == INVITATION


def test_the_confirmation_mail_is_in_the_language_of_the_registration(client, mailbox):
    client.post("/account/register", data=registration(), headers=ENGLISH)
    [message] = mailbox.to("sanne@example.org")
    assert message["Subject"] == "Confirm your e-mail address for Leerkring"
    assert "The link works for 3 days." in Mailbox.text(message)


def test_a_language_chosen_before_registering_is_kept(client):
    client.post("/account/language", data={"locale": "en", "next": "/account/register"})
    client.post("/account/register", data=registration())
    assert user_by_email("sanne@example.org").locale == "en"


def test_registering_an_existing_address_looks_the_same_and_mails_the_owner(client, mailbox):
    owner = make_user(email="sanne@example.org", name="Sanne Bakker")
    new = client.post("/account/register", data=registration(email="nieuw@example.org"))
    again = client.post("/account/register", data=registration(email="SANNE@example.org"))
    assert again.status_code == new.status_code == 303
    assert again.headers["Location"] == new.headers["Location"]
    assert page_text(client.get(again.headers["Location"])) == page_text(
        client.get(new.headers["Location"])
    )

    [message] = mailbox.to("sanne@example.org")
    assert message["Subject"] == "Je hebt al een Leerkring-account"
    assert "Hallo Sanne Bakker," in Mailbox.text(message)
    link_in(message, "/account/login")
    link_in(message, "/account/password/forgot")
    db.session.refresh(owner)
    assert owner.name == "Sanne Bakker"
    assert db.session.scalar(db.select(db.func.count()).select_from(User).filter_by(
        email="sanne@example.org")) == 1


def test_the_account_exists_mail_keeps_the_invitation(client, mailbox):
    make_user(email="sanne@example.org")
    client.post("/account/register", data=registration(next=INVITATION))
    [message] = mailbox.to("sanne@example.org")
    assert link_in(message, "/account/login").endswith(f"/account/login?next={INVITATION}")


def test_a_signed_in_user_is_sent_on_from_the_register_page(client, login):
    login(make_user())
    response = client.get(f"/account/register?next={INVITATION}")
    assert response.status_code == 303
    assert response.headers["Location"] == INVITATION


def test_check_mail_page_offers_a_new_link(client):
    response = client.get(f"/account/verify?next={INVITATION}")
    assert "<h1>Kijk in je mail</h1>" in response.text
    assert "/account/verify/resend?next=" in response.text
    english = client.get("/account/verify", headers=ENGLISH)
    assert "<h1>Check your mail</h1>" in english.text


def confirmation_link(client, mailbox) -> str:
    client.post("/account/register", data=registration())
    return link_in(mailbox.to("sanne@example.org")[0], "/account/verify/")


def assert_link_refused(response):
    assert response.status_code == 400
    assert "Deze link werkt niet" in response.text
    assert "/account/verify/resend" in response.text
    assert user_by_email("sanne@example.org").email_verified_at is None


def test_a_tampered_confirmation_link_does_not_work(client, mailbox):
    link = confirmation_link(client, mailbox)
    assert_link_refused(client.get(link[:-4] + "abcd"))


def test_an_expired_confirmation_link_does_not_work(client, mailbox, monkeypatch):
    link = confirmation_link(client, mailbox)
    later = int(datetime.now(UTC).timestamp()) + 3 * 24 * 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert_link_refused(client.get(link))


def test_a_confirmation_link_for_a_reset_does_not_confirm(client, mailbox):
    """Each kind of link has its own salt: a password-reset link is no confirmation link."""
    user = make_user(email_verified_at=None)
    client.post("/account/password/forgot", data={"email": user.email})
    token = link_in(mailbox.to(user.email)[0], "/account/password/reset/").rsplit("/", 1)[1]
    assert client.get(f"/account/verify/{token}").status_code == 400


class TestResend:
    def test_page(self, client):
        response = client.get("/account/verify/resend")
        assert "<h1>Stuur de bevestigingsmail opnieuw</h1>" in response.text
        assert 'autocomplete="email"' in response.text

    def test_errors_shown_and_input_kept(self, client):
        response = client.post("/account/verify/resend", data={"email": "niet goed"})
        assert response.status_code == 422
        assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in response.text
        assert 'value="niet goed"' in response.text

    def test_mails_an_unconfirmed_account_a_new_link(self, client, mailbox):
        user = make_user(email_verified_at=None)
        response = client.post("/account/verify/resend", data={"email": user.email})
        assert response.headers["Location"] == "/account/verify"
        link = link_in(mailbox.to(user.email)[0], "/account/verify/")
        client.get(link)
        db.session.refresh(user)
        assert user.is_verified

    def test_same_answer_whatever_the_address(self, client, mailbox):
        verified = make_user()
        unconfirmed = make_user(email_verified_at=None)
        answers = [
            page_text(client.post("/account/verify/resend", data={"email": email},
                                  follow_redirects=True))
            for email in (verified.email, "niemand@example.org", unconfirmed.email)
        ]
        assert answers[0] == answers[1] == answers[2]
        assert mailbox.to(verified.email) == []
        assert mailbox.to("niemand@example.org") == []

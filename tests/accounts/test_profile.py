"""The profile and preferences, and the language switch in the footer."""

from flask import render_template_string
from flask_babel import refresh

from leerkring.extensions import db
from leerkring.models import FieldRole
from tests.accounts.helpers import ENGLISH
from tests.factories import PASSWORD, make_user, werkplaats


def profile_data(**overrides) -> dict:
    return {
        "name": "Kim Jansen",
        "organisation": "Hogeschool Zuyd",
        "field_role": "lecturer",
        "home_werkplaats": str(werkplaats("zuyd").id),
        "locale": "",
        "timezone": "Europe/Amsterdam",
        **overrides,
    }


class TestProfile:
    def test_page_shows_the_current_values(self, client, login):
        user = make_user(name="Kim Jansen", organisation="Wijkteam Hengelo",
                         field_role=FieldRole.EXPERIENCE_EXPERT)
        login(user)
        response = client.get("/account/profile")
        assert response.status_code == 200
        assert "<h1>Profiel</h1>" in response.text
        assert user.email in response.text
        assert 'value="Kim Jansen"' in response.text
        assert 'value="Wijkteam Hengelo"' in response.text
        assert 'checked id="field_role-5"' in response.text
        assert f'<option selected value="{werkplaats().id}">Twente</option>' in response.text
        assert '<option selected value="Europe/Amsterdam">Europe/Amsterdam</option>' in (
            response.text
        )
        assert "Volg mijn browser" in response.text
        assert 'autocomplete="organization"' in response.text
        assert 'href="/account/password"' in response.text

    def test_page_in_english(self, client, login):
        login(make_user())
        response = client.get("/account/profile", headers=ENGLISH)
        assert "<h1>Profile</h1>" in response.text
        assert "Follow my browser" in response.text
        assert "Time zone" in response.text

    def test_needs_login(self, client):
        response = client.get("/account/profile")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login?next=")

    def test_saving(self, client, login):
        user = make_user()
        login(user)
        response = client.post("/account/profile",
                               data=profile_data(timezone="America/Paramaribo", locale="nl"))
        assert response.status_code == 303
        assert response.headers["Location"] == "/account/profile"
        assert "Je profiel is opgeslagen." in client.get("/account/profile").text
        db.session.refresh(user)
        assert (user.name, user.organisation, user.field_role) == (
            "Kim Jansen", "Hogeschool Zuyd", FieldRole.LECTURER)
        assert user.home_werkplaats.slug == "zuyd"
        assert (user.locale, user.timezone) == ("nl", "America/Paramaribo")

    def test_national_means_no_home_werkplaats(self, client, login):
        user = make_user()
        login(user)
        client.post("/account/profile", data=profile_data(home_werkplaats=""))
        db.session.refresh(user)
        assert user.home_werkplaats_id is None

    def test_errors_shown_and_input_kept(self, client, login):
        user = make_user(name="Oude Naam")
        login(user)
        response = client.post("/account/profile", data=profile_data(
            name="  ", organisation="Nieuwe organisatie", timezone="Mars/Olympus_Mons",
            home_werkplaats="99999"))
        assert response.status_code == 422
        assert '<small id="name-error" class="field-error">Vul je naam in.</small>' in response.text
        assert '<small id="timezone-error" class="field-error">' in response.text
        assert '<small id="home_werkplaats-error" class="field-error">' in response.text
        assert 'value="Nieuwe organisatie"' in response.text
        assert 'checked id="field_role-1"' in response.text  # lecturer, as sent
        db.session.refresh(user)
        assert user.name == "Oude Naam"

    def test_errors_in_english(self, client, login):
        login(make_user())
        response = client.post("/account/profile", headers=ENGLISH,
                               data=profile_data(name="", field_role="astronaut"))
        assert "Enter your name." in response.text
        assert "Not a valid choice." in response.text

    def test_the_language_takes_effect_on_the_next_page(self, client, login):
        user = make_user()
        login(user)
        client.post("/account/profile", data=profile_data(locale="en"))
        page = client.get("/account/profile")
        assert '<html lang="en">' in page.text
        assert "Your profile is saved." in page.text

        client.post("/account/profile", data=profile_data(locale=""), headers=ENGLISH)
        db.session.refresh(user)
        assert user.locale is None
        assert '<html lang="nl">' in client.get("/account/profile").text  # the browser's again


class TestLanguageSwitch:
    def test_anonymous_visitor(self, client):
        response = client.post("/account/language",
                               data={"locale": "en", "next": "/account/login?next=/circles/"})
        assert response.status_code == 303
        assert response.headers["Location"] == "/account/login?next=/circles/"
        page = client.get("/account/login")
        assert '<html lang="en">' in page.text
        assert "<h1>Log in</h1>" in page.text
        client.post("/account/language", data={"locale": "nl"})
        assert "<h1>Inloggen</h1>" in client.get("/account/login", headers=ENGLISH).text

    def test_signed_in_user_keeps_the_choice(self, app, client, login):
        user = make_user()
        login(user)
        client.post("/account/language", data={"locale": "en", "next": "/account/profile"})
        db.session.refresh(user)
        assert user.locale == "en"
        elsewhere = app.test_client()
        elsewhere.post("/account/login", data={"email": user.email, "password": PASSWORD})
        assert '<html lang="en">' in elsewhere.get("/account/profile").text

    def test_an_unknown_language_changes_nothing(self, client):
        response = client.post("/account/language", data={"locale": "de", "next": "/account/login"})
        assert response.headers["Location"] == "/account/login"
        assert '<html lang="nl">' in client.get("/account/login").text

    def test_never_leaves_the_site(self, client):
        response = client.post("/account/language", data={"locale": "en", "next": "//evil.example"})
        assert response.headers["Location"] == "/"

    def test_the_footer_posts_to_it(self, client):
        page = client.get("/account/login")
        assert 'action="/account/language"' in page.text
        assert '<input type="hidden" name="next" value="/account/login">' in page.text


def test_field_roles_are_shown_in_the_visitors_language(app):
    template = "{{ 'experience_expert' | field_role }} / {{ role | field_role }}"
    with app.test_request_context("/"):
        assert render_template_string(template, role=FieldRole.LECTURER) == (
            "Ervaringsdeskundige / Docent"
        )
    with app.test_request_context("/", headers=ENGLISH):
        refresh()  # the test's own app context remembers the previous locale
        assert render_template_string(template, role=FieldRole.LECTURER) == (
            "Experience expert / Lecturer"
        )

"""The privacy guard in forms and the live check."""

from wtforms import TextAreaField

from leerkring.extensions import db
from leerkring.notes.guard import GuardedForm, excerpts, record_confirmation
from leerkring.notes.models import PrivacyConfirmation
from leerkring.privacy import scan
from tests.factories import make_user

BSN = "123456782"


class StoryForm(GuardedForm):
    class Meta:
        csrf = False

    story = TextAreaField("Story")
    guarded = ("story",)


def story_form(app, text, confirmed=False):
    data = {"story": text}
    if confirmed:
        data["pseudonymised"] = "y"
    with app.test_request_context(method="POST", data=data):
        form = StoryForm()
        form.validate()
        return form


def test_a_bsn_is_refused_with_where_it_is_even_when_confirmed(app):
    form = story_form(app, f"Cliënt\nheeft nummer {BSN} gegeven.", confirmed=True)
    assert not form.validate()
    [error] = form.story.errors
    assert "Regel 2, positie 14" in error
    assert BSN in error
    assert "BSN" in error


def test_other_findings_need_the_confirmation(app):
    form = story_form(app, "Bel haar op 06-12345678 of mail a@example.nl.")
    assert form.pseudonymised.errors
    assert "telefoonnummer, e-mailadres" in form.pseudonymised.errors[0]
    assert form.kinds == ["phone", "email"]
    assert story_form(app, "Bel haar op 06-12345678.", confirmed=True).validate()


def test_a_clean_text_needs_no_confirmation_unless_the_form_always_asks(app):
    assert story_form(app, "Een bewoner die zich terugtrekt.").validate()

    class AlwaysForm(StoryForm):
        always_confirm = True

    with app.test_request_context(method="POST", data={"story": "Een bewoner."}):
        form = AlwaysForm()
        assert not form.validate()
        assert "herkennen" in form.pseudonymised.errors[0]


def test_the_confirmation_is_recorded_with_the_kinds_only(app):
    user = make_user()
    form = story_form(app, "Mevr. Jansen, 06-12345678", confirmed=True)
    record_confirmation(form, user, "case", 41)
    db.session.commit()
    row = db.session.execute(db.select(PrivacyConfirmation)).scalar_one()
    assert (row.user_id, row.subject_type, row.subject_id) == (user.id, "case", 41)
    assert row.kinds == "phone,name"


def test_excerpts_show_context_and_position():
    text = "x" * 40 + " 06-12345678 en verder"
    [excerpt] = excerpts(text, scan(text))
    assert excerpt.found == "06-12345678"
    assert excerpt.before.startswith("…") and excerpt.before.endswith("x ")
    assert excerpt.after == " en verder"
    assert (excerpt.line, excerpt.column) == (1, 42)


def test_the_live_check_highlights_what_it_found(client, login):
    """Only htmx calls it (a form without JavaScript shows the same after submitting), so it
    answers with the fragment alone."""
    login(make_user())
    response = client.post(
        "/privacy/check",
        data={"field": "situation", "situation": f"Tel 06-12345678, bsn {BSN}"},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in response.text
    assert 'id="situation-findings"' in response.text
    assert "<mark>06-12345678</mark>" in response.text
    assert f"<mark>{BSN}</mark>" in response.text
    assert "niet toegestaan" in response.text


def test_the_live_check_of_a_clean_text_is_empty_and_stores_nothing(client, login):
    login(make_user())
    response = client.post(
        "/privacy/check", data={"field": "situation", "situation": "Niets bijzonders."},
        headers={"HX-Request": "true"},
    )
    assert "<mark>" not in response.text
    assert db.session.execute(db.select(PrivacyConfirmation)).first() is None


def test_the_live_check_needs_a_login_and_a_field_name(client, login):
    response = client.post("/privacy/check", data={"field": "situation", "situation": BSN})
    assert response.status_code == 302 and "/account/login" in response.location
    login(make_user())
    assert client.post("/privacy/check", data={"field": "<script>"}).status_code == 400

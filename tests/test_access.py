"""Walk every route of the app: login is required unless a view is deliberately public, and every
state change needs a CSRF token."""

import pytest

from leerkring.permissions import is_public_endpoint

#: The views anyone may open without logging in. Adding one is a decision: update this list.
PUBLIC = {
    "static",
    "home.index",
    "home.healthz",
    "accounts.login",
    "accounts.register",
    "accounts.set_language",
    "accounts.verify",
    "accounts.resend_verification",
    "accounts.forgot_password",
    "accounts.reset_password",
    "werkplaatsen.index",
    "werkplaatsen.show",
    "werkplaatsen.themes",
    "werkplaatsen.theme",
    "circles.invitation",
    "meetings.answer_link",
    "meetings.personal_feed",
    "notifications.unsubscribe",
    "library.index",
    "library.item",
    "library.document",
}

#: POST views that take no CSRF token, each for a stated reason in its docstring: the one-click
#: unsubscribe of RFC 8058 comes from mail clients, and its signed link is the proof.
CSRF_EXEMPT = {"notifications.unsubscribe"}

SAMPLE_ARGUMENTS = {"integer": "1", "default": "twente", "string": "twente", "path": "x"}


def sample_url(rule) -> str:
    url = rule.rule
    for name, converter in rule._converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        url = url.replace(f"<{converter_spec(rule, name)}>", SAMPLE_ARGUMENTS.get(kind, "x"))
    return url


def converter_spec(rule, name) -> str:
    for part in rule.rule.split("<")[1:]:
        spec = part.split(">")[0]
        if spec.split(":")[-1] == name:
            return spec
    raise KeyError(name)


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_public_views_are_exactly_the_listed_ones(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    public = {endpoint for endpoint in endpoints if is_public_endpoint(endpoint)}
    assert public == PUBLIC


def test_every_other_view_sends_anonymous_visitors_to_the_login_page(app, client):
    checked = 0
    for rule in routes(app):
        if rule.endpoint in PUBLIC:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(sample_url(rule), method=method)
        assert response.status_code == 302, (rule.rule, response.status_code)
        assert "/account/login" in response.headers["Location"], rule.rule
        checked += 1
    assert checked > 5


class TestWithCsrfProtection:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_every_state_change_needs_a_csrf_token(self, app, client):
        posts = [
            rule for rule in routes(app)
            if "POST" in rule.methods and rule.endpoint not in CSRF_EXEMPT
        ]
        assert len(posts) > 5
        for rule in posts:
            response = client.post(sample_url(rule), data={})
            assert response.status_code == 400, rule.rule
            assert "Het formulier is verlopen" in response.text, rule.rule

    def test_the_exempt_views_are_exactly_the_listed_ones(self, app):
        from leerkring.extensions import csrf

        exempt = {
            endpoint
            for endpoint, view in app.view_functions.items()
            if f"{view.__module__}.{view.__name__}" in csrf._exempt_views
        }
        assert exempt == CSRF_EXEMPT

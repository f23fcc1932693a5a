"""The notification settings page: per kind e-mail and in-app, the meeting lead time, the
digest; stored only where they differ from the defaults; planned reminders follow at once."""

import re
from datetime import timedelta

import pytest

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications import registry
from leerkring.notifications.models import (
    Channel,
    DeliveryStatus,
    Digest,
    KindPreference,
    NotificationSettings,
)
from tests import factories as f
from tests.circles.helpers import ENGLISH, field_error, is_page
from tests.notifications import ui_helpers
from tests.notifications.ui_helpers import NAME

ui_kind = ui_helpers.ui_kind

URL = "/notifications/preferences"


def preferences_rows(user):
    return sorted(
        (row.kind, row.channel, row.is_enabled)
        for row in db.session.execute(db.select(KindPreference).filter_by(user_id=user.id))
        .scalars()
    )


def settings_row(user):
    return db.session.get(NotificationSettings, user.id)


def checked(response, field_id: str) -> bool:
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', response.text).group(0)
    return " checked" in tag


def selected(response, field_id: str) -> str:
    select = re.search(rf'<select[^>]*id="{field_id}".*?</select>', response.text, re.S).group(0)
    return re.search(r'<option selected value="([^"]*)"', select).group(1)


def form(**overrides):
    """What the browser posts when the user changes nothing (defaults: both channels on)."""
    data = {
        f"email__{NAME}": "y",
        f"inapp__{NAME}": "y",
        "meeting_lead_days": "1",
        "digest": "weekly",
    }
    for kind in registry.KINDS.values():
        if kind.is_optional and kind.name != NAME:
            for channel in kind.channels:
                data[f"{channel.value}__{kind.name}"] = "y"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).headers["Location"].startswith("/account/login")
    assert client.post(URL, data=form()).headers["Location"].startswith("/account/login")


def test_the_page_shows_the_effective_choices_in_both_languages(client, login, ui_kind):
    user = f.make_user()
    db.session.add(KindPreference(user_id=user.id, kind=NAME, channel=Channel.INAPP,
                                  is_enabled=False))
    db.session.commit()
    login(user)
    dutch = client.get(URL)
    assert is_page(dutch)
    assert "Meldingen instellen" in dutch.text
    assert "Per e-mail" in dutch.text and "De dag ervoor" in dutch.text
    english = client.get(URL, headers=ENGLISH)
    assert "Notification settings" in english.text
    assert "<legend>Something coming up</legend>" in english.text
    assert checked(english, f"email__{NAME}") and not checked(english, f"inapp__{NAME}")
    assert selected(english, "meeting_lead_days") == "1"
    assert 'value="weekly" checked' in english.text or 'checked id="digest-0"' in english.text


def test_the_lead_time_offers_the_day_before_up_to_three_days(client, login):
    login(f.make_user())
    text = client.get(URL, headers=ENGLISH).text
    for label in ("The day before", "Two days before", "Three days before"):
        assert label in text


def test_saving_stores_only_what_differs_from_the_defaults(client, login, ui_kind):
    user = f.make_user()
    login(user)
    response = client.post(URL, data=form(**{f"email__{NAME}": None}, meeting_lead_days="3",
                                          digest="never"), headers=ENGLISH)
    assert response.status_code == 303 and response.headers["Location"] == URL
    assert preferences_rows(user) == [(NAME, Channel.EMAIL, False)]
    stored = settings_row(user)
    assert (stored.meeting_lead_days, stored.digest) == (3, Digest.NEVER)

    page = client.get(URL, headers=ENGLISH)
    assert "Your notification settings are saved." in page.text
    assert not checked(page, f"email__{NAME}") and checked(page, f"inapp__{NAME}")
    assert selected(page, "meeting_lead_days") == "3"

    client.post(URL, data=form())
    assert preferences_rows(user) == []
    assert settings_row(user) is None


def test_errors_are_shown_next_to_the_field_and_the_input_is_kept(client, login, ui_kind):
    user = f.make_user()
    login(user)
    response = client.post(URL, data=form(**{f"inapp__{NAME}": None}, meeting_lead_days="9",
                                          digest="daily"), headers=ENGLISH)
    assert response.status_code == 422
    assert field_error(response, "meeting_lead_days") == "Choose one of the options."
    assert field_error(response, "digest") == "Choose one of the options."
    assert checked(response, f"email__{NAME}") and not checked(response, f"inapp__{NAME}")
    assert preferences_rows(user) == [] and settings_row(user) is None
    dutch = client.post(URL, data=form(meeting_lead_days="x"))
    assert field_error(dutch, "meeting_lead_days") == "Kies een van de mogelijkheden."


def test_reminders_already_planned_follow_the_new_choice_at_once(client, login, ui_kind):
    user, other = f.make_user(), f.make_user()
    later = utcnow() + timedelta(hours=3)
    ui_kind.want(user, due_at=later)
    ui_kind.want(other, due_at=later)
    ui_kind.plan()
    assert len(ui_kind.rows(status=DeliveryStatus.PENDING)) == 4
    login(user)
    client.post(URL, data=form(**{f"email__{NAME}": None}))
    cancelled = ui_kind.rows(status=DeliveryStatus.CANCELLED)
    assert [(row.user_id, row.channel) for row in cancelled] == [(user.id, Channel.EMAIL)]

    client.post(URL, data=form())
    assert ui_kind.rows(status=DeliveryStatus.CANCELLED) == []


def test_areas_hear_about_changed_choices(client, login, ui_kind):
    heard = []
    listener = registry.register_preference_listener(lambda user: heard.append(user.id))
    try:
        user = f.make_user()
        login(user)
        client.post(URL, data=form(meeting_lead_days="2"))
    finally:
        registry.PREFERENCE_LISTENERS.remove(listener)
    assert heard == [user.id]
    assert settings_row(user).meeting_lead_days == 2


@pytest.mark.parametrize("default", [2])
def test_the_platform_default_lead_time_is_not_stored(client, login, app, default):
    app.config["REMINDER_MEETING_LEAD_DAYS"] = default
    user = f.make_user()
    login(user)
    page = client.get(URL, headers=ENGLISH)
    assert selected(page, "meeting_lead_days") == "2"
    client.post(URL, data=form(meeting_lead_days="2"))
    assert settings_row(user) is None

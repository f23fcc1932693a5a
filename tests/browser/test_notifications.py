"""Notifications in the browser: the settings page used with the keyboard, the bell's name for
screen readers, the unsubscribe page; axe clean."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from leerkring.extensions import db
from leerkring.notifications import preferences, services
from leerkring.notifications.registry import KINDS
from tests.factories import make_user

pytestmark = pytest.mark.browser_context_args(locale="en-GB")


def a_member_with_notices(live_server, count=2) -> str:
    with live_server.app_context():
        user = make_user(email="member@example.org", name="Mehmet Aydın")
        for n in range(count):
            services.notify(user, "circle_request_approved", "/circles/", circle=f"Kring {n}")
        db.session.commit()
        return user.email


def test_the_bell_is_named_with_the_unread_count(page, live_server, sign_in):
    sign_in(page, a_member_with_notices(live_server))
    expect(page.get_by_role("link", name="Notifications (2 unread)")).to_be_visible()
    page.get_by_role("link", name="Notifications (2 unread)").click()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_the_notices_page_has_no_accessibility_violations(page, live_server, sign_in, axe):
    sign_in(page, a_member_with_notices(live_server))
    page.goto("/notifications/")
    expect(page.get_by_text("You are now a member of Kring 1.")).to_be_visible()
    axe(page)


def test_a_choice_changed_with_the_keyboard_is_kept(page, live_server, sign_in, axe):
    sign_in(page, a_member_with_notices(live_server))
    page.goto("/notifications/preferences")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
    axe(page)

    kind = page.locator("fieldset.kind-choice").first
    label = kind.locator("legend").inner_text()
    by_mail = kind.get_by_role("checkbox", name="By e-mail")
    expect(by_mail).to_be_checked()
    by_mail.focus()
    page.keyboard.press("Space")
    expect(by_mail).not_to_be_checked()
    page.get_by_label("Reminders of a meeting come").focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    page.reload()
    kept = page.locator("fieldset.kind-choice").filter(has_text=label)
    expect(kept.get_by_role("checkbox", name="By e-mail")).not_to_be_checked()
    expect(kept.get_by_role("checkbox", name="In Leerkring")).to_be_checked()
    expect(page.get_by_label("Reminders of a meeting come")).to_have_value("2")


def test_the_unsubscribe_page_has_no_accessibility_violations(page, live_server, axe):
    with live_server.app_context():
        user = make_user(email="member@example.org")
        kind = next(kind for kind in KINDS.values() if kind.is_optional)
        path = urlsplit(preferences.unsubscribe_url(user, kind.name)).path
    page.goto(path)
    button = page.get_by_role("button", name="Stop these e-mails")
    expect(button).to_be_visible()
    axe(page)
    button.click()
    expect(page.get_by_text("by e-mail.")).to_be_visible()
    expect(button).to_have_count(0)
    axe(page)
    page.goto("/notifications/unsubscribe/not-a-token")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    axe(page)

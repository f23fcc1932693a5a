"""The layout in a real browser: accessible, usable on a phone, strict CSP, htmx 2 loaded."""

import re

import pytest
from playwright.sync_api import expect

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}


def csp_violations(console) -> list[str]:
    return [m.text for m in console if "Content Security Policy" in m.text]


def test_landing_page_has_no_accessibility_violations(page, axe):
    page.goto("/")
    expect(page.locator("main")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    axe(page)


def test_error_page_has_no_accessibility_violations(page, axe):
    response = page.goto("/does-not-exist")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible()
    axe(page)


@pytest.mark.browser_context_args(**PHONE)
def test_navigation_is_visible_on_a_phone_without_sideways_scrolling(page):
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Hoofdnavigatie")
    for name in ("Leerkring", "Leerkringen", "Werkplaatsen", "Inloggen", "Account aanmaken"):
        expect(navigation.get_by_role("link", name=name, exact=True)).to_be_in_viewport()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.browser_context_args(**PHONE)
def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#main$"))


@pytest.mark.browser_context_args(**PHONE)
def test_keyboard_reaches_every_navigation_link_in_order(page):
    page.goto("/")
    wanted = ["Naar de inhoud", "Leerkring", "Leerkringen", "Werkplaatsen", "Bibliotheek",
              "Inloggen", "Account aanmaken"]
    focused = []
    for _ in wanted:
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert focused == wanted


def test_landing_page_sends_a_csp_and_breaks_none_of_it(page, console):
    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    expect(page.locator("main")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert csp_violations(console) == []

    # The listener does hear a violation: an inline script is refused.
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "document.body.append(Object.assign(document.createElement('script'),"
            " {textContent: 'window.inlineRan = true'}))"
        )
    assert page.evaluate("window.inlineRan") is None


def test_htmx_2_is_loaded(page):
    page.goto("/")
    assert page.evaluate("() => window.htmx && window.htmx.version").startswith("2.")

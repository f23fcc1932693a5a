"""The lemniscate in the browser: a coordinator in Twente shares what her circle learned from a
closed case; an admin publishes it; a coordinator in Regio Zwolle finds it by another Dutch word
form and brings it into her circle's next meeting, whose page then shows it. Axe clean on the
library, the item, the theme page and the impact page."""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from leerkring.notes.models import CaseStatus
from tests.factories import (
    make_admin,
    make_case,
    make_circle,
    make_meeting,
    make_user,
    theme,
    werkplaats,
)

TITLE = "Contact met eenzame ouderen"
LESSON = ("Eenzame ouderen die afspraken afzeggen blijven in beeld met één vaste contactpersoon "
          "en korte, voorspelbare bezoeken.")


def log_out(page):
    page.get_by_role("button", name=re.compile("^Log out$")).click()


@pytest.mark.browser_context_args(locale="en-GB")
def test_a_lesson_shared_published_found_and_brought_into_a_meeting(
    page, live_server, sign_in, axe
):
    with live_server.app_context():
        cor = make_user(email="cor@example.org", name="Cor Jansen",
                        home_werkplaats=werkplaats("twente"))
        circle = make_circle(cor, name="Armoede Hengelo", theme=theme("armoede"))
        case = make_case(circle, cor, title=TITLE, status=CaseStatus.CLOSED,
                         closed_at=datetime.now(UTC), takeaway="Rustig aan.", lesson=LESSON)
        make_admin(email="ada@example.org", name="Ada de Vries")
        mila = make_user(email="mila@example.org", name="Mila Bos",
                         home_werkplaats=werkplaats("regio-zwolle"))
        zwolle = make_circle(mila, name="Samen in Zwolle-Noord",
                             werkplaats=werkplaats("regio-zwolle"))
        meeting = make_meeting(zwolle, title="Bijeenkomst over eenzaamheid")
        case_id, meeting_id = case.id, meeting.id

    # The coordinator shares the lesson from the closed case: a draft, then submitted.
    sign_in(page, "cor@example.org")
    page.goto(f"/notes/{case_id}")
    page.get_by_role("button", name="Share what we learned in the library").click()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    page.get_by_label(re.compile("I agree that this is shared in the national library")).check()
    page.get_by_role("button", name="Save as draft in the library").click()
    # The draft opens in the item form, to check and complete before submitting it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit library item")
    page.get_by_label("Licence").select_option(label="CC BY 4.0")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="Submit for publication").click()
    expect(page.get_by_text("waiting for an admin to publish it.")).to_be_visible()
    log_out(page)

    # The association's admin publishes it.
    sign_in(page, "ada@example.org")
    page.goto("/library/to-publish")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("waiting for an admin to publish it.")).to_have_count(0)
    page.goto("/impact/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)
    log_out(page)

    # A coordinator elsewhere finds it by another word form and brings it into her meeting.
    sign_in(page, "mila@example.org")
    page.goto("/library/")
    axe(page)
    # Live as you type: the results come without pressing Search.
    page.get_by_label("Search the library").fill("eenzaamheid")
    results = page.locator("#library-results")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results.locator("mark").first).to_be_visible()
    expect(page.locator(".htmx-request")).to_have_count(0)
    expect(page.locator("#library-busy")).to_have_css("opacity", "0")
    axe(page)
    results.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Eenzame ouderen die afspraken afzeggen")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Bring into a circle").click()
    choice = page.get_by_label("Meeting")
    option = choice.locator("option", has_text="Bijeenkomst over eenzaamheid")
    choice.select_option(value=option.get_attribute("value"))
    page.get_by_role("button", name="Put it on the agenda").click()

    page.goto(f"/meetings/{meeting_id}")
    section = page.locator("#meeting-library-items-heading").locator("..")
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()

    page.goto("/themes/armoede")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    axe(page)

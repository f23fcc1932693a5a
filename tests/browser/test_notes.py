"""Cases and reflections in the browser: a member writes a case, the privacy guard highlights a
phone number as she types, she removes it and shares the case; the coordinator comments; she
writes a Gibbs reflection shared with the circle, which the coordinator then reads. Axe clean on
every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_circle, make_user

SITUATION = "Een bewoner (hier: mevrouw A.) zegt afspraken af. Bel haar op 06-12345678."


@pytest.mark.browser_context_args(locale="en-GB")
def test_a_case_with_a_phone_number_then_comments_then_a_reflection(
    page, live_server, sign_in, axe
):
    with live_server.app_context():
        coordinator = make_user(email="coordinator@example.org", name="Sanne Kuipers")
        member = make_user(email="member@example.org", name="Mehmet Aydın")
        circle_id = make_circle(coordinator, members=[member], name="Armoede in de wijk").id

    sign_in(page, "member@example.org")
    page.goto(f"/circles/{circle_id}/cases/new")
    axe(page)
    page.get_by_label("Title").fill("Afspraken die niet doorgaan")
    page.get_by_label("Your question for the circle").fill("Hoe blijf ik in contact?")
    situation = page.get_by_label("The situation")
    situation.fill(SITUATION)
    findings = page.locator("#situation-findings")
    expect(findings.locator("mark")).to_have_text("06-12345678")
    expect(findings).to_contain_text("phone number")
    axe(page)

    situation.fill(SITUATION.removesuffix(" Bel haar op 06-12345678."))
    expect(findings.locator("mark")).to_have_count(0)
    page.get_by_label("Incident method").check()
    page.get_by_label("I have checked: this is pseudonymised").check()
    page.get_by_role("button", name="Save and share with the circle").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Afspraken die niet doorgaan")
    expect(page.locator("#case")).not_to_contain_text("06-12345678")
    case_url = page.url
    axe(page)

    page.get_by_role("button", name=re.compile("^Log out$")).click()
    sign_in(page, "coordinator@example.org")
    page.goto(case_url)
    page.get_by_label("Your comment").fill("Wie doet er wél open als je komt?")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments")).to_contain_text("Wie doet er wél open als je komt?")
    expect(page.locator("#comments")).to_contain_text("Sanne Kuipers")
    axe(page)

    page.get_by_role("button", name=re.compile("^Log out$")).click()
    sign_in(page, "member@example.org")
    page.goto(case_url)
    expect(page.locator("#comments")).to_contain_text("Wie doet er wél open als je komt?")
    case_id = case_url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"/reflections/new?template=gibbs&case={case_id}")
    axe(page)
    page.get_by_label("Title").fill("Wat de kring mij liet zien")
    page.get_by_label("Description").fill("Ik bracht een casus in over afspraken.")
    page.get_by_label("Feelings").fill("Onzeker vooraf, opgelucht na afloop.")
    page.get_by_label("Conclusion").fill("Ik vraag eerder wie er wél open doet.")
    page.get_by_label("The whole circle").check()
    page.get_by_role("button", name="Save the reflection").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wat de kring mij liet zien")
    expect(page.locator("main")).to_contain_text("Onzeker vooraf, opgelucht na afloop.")
    axe(page)

    page.get_by_role("button", name=re.compile("^Log out$")).click()
    sign_in(page, "coordinator@example.org")
    page.goto(f"/circles/{circle_id}/reflections")
    expect(page.locator("main")).to_contain_text("Wat de kring mij liet zien")
    axe(page)

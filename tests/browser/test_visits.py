"""Kitchen visits in the browser: a host in Friesland offers a visit on loneliness among older
people; a member in Twente finds it on /visits/ by its theme and signs up with what she wants to
learn; the visit happens (the clock moves forward: the live server runs in this process), she
writes her report and brings it to her circle, where it shows on the circle page; the
association's overview counts the visit. Axe clean on the visit page, the report, the circle
page and the overview."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from leerkring.extensions import db
from leerkring.models import FieldRole
from leerkring.visits import services
from tests.factories import make_admin, make_circle, make_user, make_visit, theme, werkplaats

TITLE = "Aan de keukentafel: huisbezoeken tegen eenzaamheid"
GOAL = "Hoe begin je over eenzaamheid zonder dat iemand zich schaamt?"
SAW = "Een huisbezoek bij een oudere die alleen woont; de vrijwilliger kende de buurt goed."


def log_out(page):
    page.get_by_role("button", name=re.compile("^Log out$")).click()


@pytest.mark.browser_context_args(locale="en-GB")
def test_a_visit_offered_found_by_theme_visited_and_reported_to_a_circle(
    page, live_server, sign_in, axe
):
    with live_server.app_context():
        friesland = werkplaats("friesland")
        host = make_user(email="host@example.org", name="Fenna Dijkstra",
                         home_werkplaats=friesland)
        services.set_needs_approval(friesland, False)
        db.session.commit()
        make_visit(host, title="Spreekuur geldzaken", themes=[theme("armoede")])
        visitor = make_user(email="visitor@example.org", name="Mehmet Aydın")
        coordinator = make_user(name="Sanne Kuipers")
        circle_id = make_circle(coordinator, members=[visitor], name="Armoede in de wijk").id
        make_admin(email="admin@example.org", name="Ilse Verbeek",
                   field_role=FieldRole.OTHER, home_werkplaats=werkplaats("associatie"))
    day = (datetime.now(UTC) + timedelta(days=3)).date()

    # The host offers the visit.
    sign_in(page, "host@example.org")
    page.goto("/visits/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What you will see, and why it is worth it").fill(
        "Ga een ochtend mee langs ouderen die alleen wonen op het platteland.")
    page.get_by_label("Ondersteuning ouderen").check()
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Address").fill("Dorpsstraat 1, Voorbeeldum")
    page.get_by_label("Maximum number of places").fill("4")
    page.get_by_label("Professionals").check()
    page.get_by_role("button", name="Offer the visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    visit_url = page.url
    log_out(page)

    # A member of another Werkplaats finds it by its theme and signs up.
    sign_in(page, "visitor@example.org")
    page.goto("/visits/")
    results = page.locator("#visit-results")
    expect(results).to_contain_text("Spreekuur geldzaken")
    page.get_by_label("Theme").select_option(label="Ondersteuning ouderen")
    expect(results).not_to_contain_text("Spreekuur geldzaken")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    axe(page)
    results.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert page.url == visit_url
    page.get_by_label("What I want to learn").fill(GOAL)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#visit-signup")).to_contain_text("You have a place.")
    axe(page)

    # The day after the visit she writes her report and brings it to her circle.
    visit_id = visit_url.rstrip("/").rsplit("/", 1)[-1]
    with time_machine.travel(datetime.combine(day + timedelta(days=1), datetime.min.time(),
                                              tzinfo=UTC) + timedelta(hours=9), tick=True):
        page.goto(visit_url)
        expect(page.locator("#visit-signup")).to_contain_text("This visit has started")
        expect(page.get_by_role("link", name="Write a reflection on this visit")).to_be_visible()
        page.goto(f"/visits/{visit_id}/report")
        page.get_by_label("What I saw").fill(SAW)
        page.get_by_label("What surprised me").fill("Hoe weinig het woord eenzaamheid viel.")
        page.get_by_label("What I take home").fill("Beginnen bij wat iemand graag doet.")
        page.get_by_label("Armoede in de wijk").check()
        page.get_by_role("button", name="Save report").click()
        expect(page.locator("main")).to_contain_text(SAW)
        axe(page)

        page.goto(f"/circles/{circle_id}")
        expect(page.locator("#circle-visit-reports")).to_contain_text(TITLE)
        axe(page)
        log_out(page)

        # The association sees who visited whom.
        sign_in(page, "admin@example.org")
        page.goto("/visits/overview")
        flow = page.locator(".overview-flows li[data-from=twente][data-to=friesland]")
        expect(flow).to_contain_text("Twente to Friesland")
        expect(flow).to_contain_text("Ondersteuning ouderen")
        axe(page)

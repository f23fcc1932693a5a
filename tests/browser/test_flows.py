"""The first capability end to end: register, confirm by mail, log in, find a circle, join it."""

import re

import pytest
from playwright.sync_api import expect

from leerkring.extensions import db
from leerkring.models import CircleRole, Membership, User
from tests import factories

VERIFY_LINK = re.compile(r"http://127\.0\.0\.1:\d+/account/verify/\S+")


def seed_circles(live_server) -> dict[str, int]:
    """Two open circles on different themes, each with a coordinator."""
    with live_server.app_context():
        coordinator = factories.make_user(name="Fenna de Vries")
        poverty = factories.make_circle(
            coordinator,
            name="Armoede in de wijk",
            description="Wat werkt er tegen armoede in de buurt?",
            theme=factories.theme("armoede"),
        )
        elderly = factories.make_circle(
            coordinator,
            name="Samen ouder worden",
            description="Ondersteuning van ouderen thuis.",
            theme=factories.theme("ondersteuning-ouderen"),
            werkplaats=factories.werkplaats("regio-zwolle"),
        )
        return {"poverty": poverty.id, "elderly": elderly.id}


def make_member(live_server, **kw) -> str:
    with live_server.app_context():
        return factories.make_user(**kw).email


def results(page):
    return page.locator("#circle-results")


def filter_live(page, action):
    """Do ``action`` on the filter form and wait until htmx has swapped in new results,
    checking that the page itself was not loaded again."""
    page.evaluate("() => { window.stillThisPage = true }")
    with page.expect_response(
        lambda r: "/circles/" in r.url and r.request.headers.get("hx-request") == "true"
    ) as response:
        action()
    assert response.value.ok
    expect(results(page)).to_be_visible()
    assert page.evaluate("() => window.stillThisPage") is True


def test_register_confirm_log_in_find_and_join_a_circle_in_dutch(
    page, live_server, mailbox, console
):
    circles = seed_circles(live_server)

    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Account aanmaken").click()
    expect(page.get_by_role("heading", name="Account aanmaken", level=1)).to_be_visible()
    form = page.get_by_role("main").locator("form[action='/account/register']")
    form.get_by_label("Naam").fill("Sanne Jansen")
    form.get_by_label("E-mailadres").fill("sanne@example.org")
    form.get_by_label("Wachtwoord").fill("een lang en goed wachtwoord")
    form.get_by_label("Professional").check()
    form.get_by_label("Eigen Werkplaats").select_option(label="Twente")
    form.get_by_label("Organisatie").fill("Wijkteam Enschede")
    form.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("heading", name="Kijk in je mail")).to_be_visible()

    [mail] = mailbox.to("sanne@example.org")
    assert mail["Subject"] == "Bevestig je e-mailadres voor Leerkring"
    link = VERIFY_LINK.search(mailbox.text(mail)).group()
    assert link.startswith(live_server.url)

    page.goto(link)
    expect(page.get_by_text("Je e-mailadres is bevestigd.")).to_be_visible()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    form = page.get_by_role("main").locator("form[action='/account/login']")
    form.get_by_label("E-mailadres").fill("sanne@example.org")
    form.get_by_label("Wachtwoord").fill("een lang en goed wachtwoord")
    form.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Sanne Jansen"))).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Leerkringen").click()
    expect(page.get_by_role("heading", name="Leerkringen", exact=True)).to_be_visible()
    expect(results(page).get_by_role("link", name="Armoede in de wijk")).to_be_visible()
    expect(results(page).get_by_role("link", name="Samen ouder worden")).to_be_visible()

    filter_live(page, lambda: page.get_by_label("Zoeken").press_sequentially("ouder"))
    expect(results(page).get_by_role("link", name="Samen ouder worden")).to_be_visible()
    expect(results(page).get_by_role("link", name="Armoede in de wijk")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]q=ouder"))

    filter_live(page, lambda: page.get_by_label("Zoeken").fill(""))
    filter_live(page, lambda: page.get_by_label("Thema").select_option(label="Armoede"))
    expect(results(page).get_by_role("link", name="Armoede in de wijk")).to_be_visible()
    expect(results(page).get_by_role("link", name="Samen ouder worden")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]theme=armoede"))

    results(page).get_by_role("link", name="Armoede in de wijk").click()
    expect(page.get_by_role("heading", name="Armoede in de wijk", level=1)).to_be_visible()
    page.get_by_role("button", name="Doe mee met deze leerkring").click()
    expect(page.get_by_text("Je doet mee met deze leerkring.")).to_be_visible()
    expect(page.locator("#circle-members").get_by_text("Sanne Jansen")).to_be_visible()
    assert [m.text for m in console if m.type == "error"] == []

    with live_server.app_context():
        user = db.session.execute(db.select(User).filter_by(email="sanne@example.org")).scalar_one()
        assert user.is_verified
        membership = db.session.execute(
            db.select(Membership).filter_by(user_id=user.id, circle_id=circles["poverty"])
        ).scalar_one()
        assert membership.role == CircleRole.MEMBER
        assert not db.session.execute(
            db.select(Membership).filter_by(user_id=user.id, circle_id=circles["elderly"])
        ).first()


def test_switch_to_english_log_in_filter_and_join(page, live_server, sign_in):
    seed_circles(live_server)
    email = make_member(live_server, name="Noor Bakker")

    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("button", name="English").click()
    welcome = page.get_by_role("heading", name="Learning together in the social domain")
    expect(welcome).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("navigation").get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    sign_in(page, email)
    expect(page.get_by_role("heading", level=1, name=re.compile("Noor Bakker"))).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Circles").click()
    expect(page.get_by_role("heading", name="Circles", exact=True)).to_be_visible()
    theme = page.get_by_label("Theme")
    filter_live(page, lambda: theme.select_option(label="Ondersteuning ouderen"))
    expect(results(page).get_by_role("heading", name="1 circle found")).to_be_visible()
    results(page).get_by_role("link", name="Samen ouder worden").click()
    page.get_by_role("button", name="Join this circle").click()
    expect(page.get_by_text("You are a member of this circle.")).to_be_visible()


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_circle_filter_works_without_javascript(page, live_server, sign_in):
    seed_circles(live_server)
    sign_in(page, make_member(live_server))

    page.goto("/circles/")
    page.get_by_label("Zoeken").fill("armoede")
    page.get_by_role("button", name="Toon leerkringen").click()
    expect(page).to_have_url(re.compile(r"/circles/\?(.*&)?q=armoede"))
    expect(results(page).get_by_role("link", name="Armoede in de wijk")).to_be_visible()
    expect(results(page).get_by_role("link", name="Samen ouder worden")).to_have_count(0)

    page.get_by_label("Zoeken").fill("")
    page.get_by_label("Thema").select_option(label="Ondersteuning ouderen")
    page.get_by_role("button", name="Toon leerkringen").click()
    expect(page).to_have_url(re.compile(r"theme=ondersteuning-ouderen"))
    expect(results(page).get_by_role("link", name="Samen ouder worden")).to_be_visible()
    expect(results(page).get_by_role("link", name="Armoede in de wijk")).to_have_count(0)


# Accessibility of the main pages --------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/account/login", "/account/register", "/werkplaatsen/", "/werkplaatsen/twente",
     "/themes/armoede"],
)
def test_public_pages_have_no_accessibility_violations(page, live_server, axe, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)


def test_dashboard_circle_list_and_circle_page_have_no_accessibility_violations(
    page, live_server, axe, sign_in
):
    circles = seed_circles(live_server)
    sign_in(page, make_member(live_server))
    axe(page)  # the dashboard

    page.goto("/circles/")
    expect(results(page).get_by_role("link", name="Armoede in de wijk")).to_be_visible()
    axe(page)

    page.goto(f"/circles/{circles['poverty']}")
    expect(page.get_by_role("heading", name="Armoede in de wijk", level=1)).to_be_visible()
    axe(page)
